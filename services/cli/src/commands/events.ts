import { queryEvents } from '@blotter/eventstore';
import type { Command } from '../command.ts';
import { filterHelp, filterOptions, queryFrom } from '../filters.ts';

export const events: Command = {
  name: 'events',
  summary: 'print events from the streams, oldest first',
  usage: 'events [--order ID] [--user EMAIL|ID] [--type T] [--since ISO] [--until ISO] [--limit N] [--json]',
  options: { ...filterOptions, json: { type: 'boolean' } },
  help: { ...filterHelp, json: 'print one JSON array instead of the table' },
  async run(ctx, v) {
    const store = await ctx.store();
    const rows = [];
    for await (const { seq, event } of queryEvents(store, await queryFrom(ctx, v), (s, last) => ctx.progress(s, last, 'reading'))) {
      if (v.json)
        rows.push({
          seq,
          type: event.type,
          version: event.writtenVersion,
          at: event.occurredAt,
          userId: event.userId,
          aggregateId: event.aggregateId,
          eventId: event.eventId,
          data: event.data,
        });
      else
        ctx.print(
          `${String(seq).padStart(8)}  ${event.occurredAt}  ${event.type.padEnd(20)}  ${event.aggregateId}  ${summarize(event.data)}`,
        );
    }
    if (v.json) ctx.json(rows);
    return 0;
  },
};

/** A one-line gist of an event's data for the table view. */
function summarize(data: unknown): string {
  const d = data as Record<string, unknown>;
  const keys = [
    'symbol',
    'side',
    'type',
    'quantity',
    'price',
    'status',
    'code',
    'reason',
    'tradeId',
    'cumulativeQuantity',
    'venueOrderId',
    'role',
    'email',
    'resource',
    'subjectUserId',
  ];
  return keys
    .filter((k) => d[k] !== undefined && d[k] !== null)
    .map((k) => `${k}=${String(d[k])}`)
    .join(' ');
}
