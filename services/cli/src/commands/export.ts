// Evidence for someone else: the events matching the filters, as JSON lines (each the full stored
// envelope and data, with its stream sequence) or CSV.
import { queryEvents } from '@blotter/eventstore';
import type { Command } from '../command.ts';
import { UsageError } from '../context.ts';
import { filterHelp, filterOptions, queryFrom } from '../filters.ts';

const csvCell = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export const exportEvents: Command = {
  name: 'export',
  summary: 'export events as JSON lines or CSV (evidence for auditors)',
  usage: 'export --format jsonl|csv [--order ID] [--user EMAIL|ID] [--type T] [--since ISO] [--until ISO] [--limit N]',
  options: { ...filterOptions, format: { type: 'string' } },
  help: { ...filterHelp, format: 'jsonl (one full envelope per line, with its stream sequence) or csv (required)' },
  async run(ctx, v) {
    if (v.format !== 'jsonl' && v.format !== 'csv') throw new UsageError('--format must be jsonl or csv');
    const store = await ctx.store();
    if (v.format === 'csv') ctx.print('seq,storedAt,occurredAt,type,version,eventId,aggregateId,userId,causationId,correlationId,data');
    for await (const { seq, storedAt, event } of queryEvents(store, await queryFrom(ctx, v), (s, last) =>
      ctx.progress(s, last, 'exporting'),
    )) {
      const row = {
        seq,
        storedAt,
        occurredAt: event.occurredAt,
        type: event.type,
        version: event.writtenVersion,
        eventId: event.eventId,
        aggregateId: event.aggregateId,
        userId: event.userId,
        causationId: event.causationId,
        correlationId: event.correlationId,
        data: event.data,
      };
      ctx.print(v.format === 'jsonl' ? JSON.stringify(row) : Object.values(row).map(csvCell).join(','));
    }
    return 0;
  },
};
