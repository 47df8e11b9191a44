// The kill switch from a shell: `blotter halt --reason ...` denies new orders everywhere (cancels
// still work); `blotter resume` lifts it. Both are events on the control aggregate.
import { hostname, userInfo } from 'node:os';
import { ScopeRepository, uuidv7 } from '@blotter/eventstore';
import { type ControlState, controlAggregate, haltTrading, resumeTrading } from '@blotter/orders';
import { type ControlEvent, type DomainEvent, SYSTEM_USER_ID } from '@blotter/schemas';
import type { Command } from '../command.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../context.ts';

async function apply(ctx: Context, decide: (s: ControlState, by: string) => ControlEvent[]): Promise<ControlState> {
  const store = await ctx.store();
  const by = `cli:${userInfo().username}@${hostname()}`;
  const repo = new ScopeRepository<ControlState, DomainEvent>(store, controlAggregate, { scopeOf: store.subjects.userEvents });
  const target = {
    subject: store.subjects.control(SYSTEM_USER_ID),
    aggregateId: 'control',
    commitId: uuidv7(),
    occurredAt: new Date().toISOString(),
    correlationId: by,
  };
  return (await repo.decide(SYSTEM_USER_ID, target, (s) => decide(s, by))).state;
}

export const halt: Command = {
  name: 'halt',
  summary: 'kill switch: deny every new order (cancels still go through)',
  usage: 'halt --reason TEXT',
  options: { reason: { type: 'string' } },
  help: { reason: 'why, recorded in the TradingHalted event and shown to traders (required)' },
  async run(ctx, v) {
    if (typeof v.reason !== 'string' || v.reason.trim() === '') throw new UsageError('--reason is required');
    const reason = v.reason;
    const state = await apply(ctx, (s, by) => haltTrading(s, by, reason));
    ctx.print(`trading HALTED by ${state.by}: ${state.reason}`);
    return 0;
  },
};

export const resume: Command = {
  name: 'resume',
  summary: 'lift the kill switch',
  usage: 'resume',
  options: {},
  async run(ctx) {
    const state = await apply(ctx, resumeTrading);
    ctx.print(state.halted ? 'still halted' : 'trading resumed');
    return 0;
  },
};
