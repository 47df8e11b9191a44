// The orders, balances and positions as they were at a moment, rebuilt from the events by the very
// read models the projector runs (nothing is written anywhere).
import { toOrderView } from '@blotter/orders';
import { type BalancesTable, type Cut, type PositionsTable, replayUntil, withMark } from '@blotter/read-models';
import type { Command } from '../command.ts';
import { UsageError } from '../context.ts';

export function parseCut(asOf: string | boolean | undefined): Cut {
  if (typeof asOf !== 'string') throw new UsageError('--as-of is required (an ISO time or a stream sequence)');
  if (/^[0-9]+$/.test(asOf)) return { seq: Number(asOf) };
  const time = new Date(asOf);
  if (Number.isNaN(time.getTime())) throw new UsageError(`--as-of must be an ISO time or a sequence, got ${asOf}`);
  return { time };
}

export const replay: Command = {
  name: 'replay',
  summary: 'orders, balances and positions rebuilt from the events up to a moment',
  usage: 'replay --as-of ISO|SEQ [--user EMAIL|ID] [--json]',
  options: { 'as-of': { type: 'string' }, user: { type: 'string' }, json: { type: 'boolean' } },
  help: {
    'as-of': 'an ISO time, or a stream sequence: the last commit applied (required)',
    user: 'only this user (an email or a user id)',
    json: 'print JSON instead of the tables',
  },
  async run(ctx, v) {
    const cut = parseCut(v['as-of']);
    const userId = typeof v.user === 'string' ? await ctx.resolveUser(v.user) : undefined;
    const store = await ctx.store();
    const state = await replayUntil(store, cut, {
      ...(userId ? { userId } : {}),
      onProgress: (s, last) => ctx.progress(s, last, 'replaying'),
    });
    const result = {
      asOf: 'seq' in cut ? { seq: cut.seq } : { time: cut.time.toISOString() },
      lastSeq: state.lastSeq,
      orders: state.rows<Parameters<typeof toOrderView>[0]>('orders', userId).map(toOrderView),
      balances: state
        .rows<BalancesTable>('balances', userId)
        .map(({ userId: u, asset, free, locked }) => ({ userId: u, asset, free, locked })),
      positions: state.rows<PositionsTable>('positions', userId).map((p) => withMark(p, null)),
    };
    if (v.json) {
      ctx.json(result);
      return 0;
    }
    ctx.print(`as of ${'seq' in cut ? `sequence ${cut.seq}` : cut.time.toISOString()} (last commit applied: ${state.lastSeq})`);
    ctx.print(`\norders (${result.orders.length})`);
    for (const o of result.orders)
      ctx.print(
        `  ${o.orderId}  ${o.symbol.padEnd(8)} ${o.side.padEnd(4)} ${o.type.padEnd(15)} ${o.quantity.padStart(12)} @ ${String(o.price ?? 'market').padEnd(12)} ${o.status.padEnd(16)} filled ${o.filledQuantity}`,
      );
    ctx.print(`\nbalances (${result.balances.length})`);
    for (const b of result.balances) ctx.print(`  ${b.userId}  ${b.asset.padEnd(6)} free ${b.free.padStart(18)}  locked ${b.locked}`);
    ctx.print(`\npositions (${result.positions.length})`);
    for (const p of result.positions)
      ctx.print(
        `  ${p.userId}  ${p.symbol.padEnd(8)} qty ${p.quantity.padStart(14)}  avg ${p.avgEntryPrice.padStart(14)}  realized ${p.realizedPnl}  fees ${p.fees}`,
      );
    return 0;
  },
};
