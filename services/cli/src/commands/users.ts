// Roles are granted by an operator with shell access; the grant is recorded as an event too.
import { findUserByEmail, grantRole } from '@blotter/accounts';
import { ScopeRepository, uuidv7 } from '@blotter/eventstore';
import { type AccountState, accountAggregate, grantRole as grantRoleOn } from '@blotter/orders';
import type { DomainEvent, GrantRole } from '@blotter/schemas';
import { userInfo, hostname } from 'node:os';
import type { Command } from '../command.ts';
import { UsageError } from '../context.ts';

export const usersGrant: Command = {
  name: 'users grant',
  summary: 'give a user the auditor or trader role',
  usage: 'users grant --email E --role auditor|trader',
  options: { email: { type: 'string' }, role: { type: 'string' } },
  help: { email: 'the user to change (required)', role: 'auditor or trader (required)' },
  async run(ctx, v) {
    if (typeof v.email !== 'string') throw new UsageError('--email is required');
    const role = v.role;
    if (role !== 'auditor' && role !== 'trader') throw new UsageError('--role must be auditor or trader');
    const user = await findUserByEmail(ctx.accounts(), v.email);
    if (!user) throw new UsageError(`no user with email ${v.email}`);
    const store = await ctx.store();
    // The grant is decided by the user's account aggregate, like every change to an account.
    const accounts = ScopeRepository.forUsers<AccountState, DomainEvent>(store, accountAggregate);
    const command: GrantRole = {
      commandId: uuidv7(),
      userId: user.id,
      at: new Date().toISOString(),
      role,
      grantedBy: `cli:${userInfo().username}@${hostname()}`,
    };
    const target = { subject: store.subjects.account(user.id), aggregateId: user.id, commitId: command.commandId, occurredAt: command.at };
    await accounts.decide(user.id, target, (account) => grantRoleOn(command, account));
    await grantRole(ctx.accounts(), user.id, role);
    ctx.print(`${v.email} is now ${v.role} (effective within seconds: sessions read roles from the database)`);
    return 0;
  },
};
