// Options shared by `events` and `export`, turned into an event query.
import type { EventQuery } from '@blotter/eventstore';
import { type Context, UsageError } from './context.ts';

export const filterOptions = {
  order: { type: 'string' },
  user: { type: 'string' },
  type: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
} as const;

export const filterHelp = {
  order: "one order's events (its id)",
  user: "one user's events (an email or a user id)",
  type: 'one event type, e.g. OrderFilled',
  since: 'events stored at or after this ISO time',
  until: 'events stored up to this ISO time',
  limit: 'at most N events',
};

const date = (v: string | boolean | undefined, name: string) => {
  if (typeof v !== 'string') return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--${name} must be an ISO time, got ${v}`);
  return d;
};

export async function queryFrom(ctx: Context, v: Record<string, string | boolean | undefined>): Promise<EventQuery> {
  const limit = typeof v.limit === 'string' ? Number(v.limit) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError('--limit must be a positive integer');
  const since = date(v.since, 'since');
  const until = date(v.until, 'until');
  return {
    ...(typeof v.order === 'string' ? { orderId: v.order } : {}),
    ...(typeof v.user === 'string' ? { userId: await ctx.resolveUser(v.user) } : {}),
    ...(typeof v.type === 'string' ? { type: v.type } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    ...(limit ? { limit } : {}),
  };
}
