// Roles are granted by an operator with shell access; the grant is recorded as an event too.
import { findUserByEmail, grantRole } from '@blotter/accounts';
import { uuidv7 } from '@blotter/eventstore';
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
    if (v.role !== 'auditor' && v.role !== 'trader') throw new UsageError('--role must be auditor or trader');
    const user = await findUserByEmail(ctx.accounts(), v.email);
    if (!user) throw new UsageError(`no user with email ${v.email}`);
    const store = await ctx.store();
    const subject = store.subjects.account(user.id);
    const last = await store.last(subject);
    await store.append(
      { commitId: uuidv7(), subject, aggregateId: user.id, userId: user.id, occurredAt: new Date().toISOString() },
      [{ type: 'RoleGranted', data: { userId: user.id, role: v.role, grantedBy: `cli:${userInfo().username}@${hostname()}` } }],
      last?.seq ?? 0,
      last?.hash ?? null,
    );
    await grantRole(ctx.accounts(), user.id, v.role);
    ctx.print(`${v.email} is now ${v.role} (effective within seconds: sessions read roles from the database)`);
    return 0;
  },
};
