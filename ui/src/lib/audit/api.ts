// The auditor's reads, through the same-origin proxy (/api/audit/...), each answer checked against
// the contract. The gateway records every one of these reads as an AuditAccessed event.
import {
  AuditBalancesResponse,
  AuditEventsResponse,
  AuditOrdersResponse,
  AuditPositionsResponse,
  AuditUsersResponse,
  OrderEventsResponse,
  OrderResponse,
  VerifyReport,
} from '@blotter/schemas';
import { request } from '../api.ts';

type Fetch = typeof fetch;

export const auditUsers = (f?: Fetch) => request('/api/audit/users', AuditUsersResponse, { fetch: f });
/** `path` comes from eventsApiPath. */
export const auditEvents = (path: string, f?: Fetch) => request(path, AuditEventsResponse, { fetch: f });
export const auditOrders = (path: string, f?: Fetch) => request(path, AuditOrdersResponse, { fetch: f });
export const auditOrder = (id: string, f?: Fetch) => request(`/api/audit/orders/${encodeURIComponent(id)}`, OrderResponse, { fetch: f });
export const auditOrderEvents = (id: string, f?: Fetch) =>
  request(`/api/audit/orders/${encodeURIComponent(id)}/events`, OrderEventsResponse, { fetch: f });
export const auditPositions = (query: string, f?: Fetch) => request(`/api/audit/positions${query}`, AuditPositionsResponse, { fetch: f });
export const auditBalances = (query: string, f?: Fetch) => request(`/api/audit/balances${query}`, AuditBalancesResponse, { fetch: f });
export const verifyNow = (f?: Fetch) => request('/api/audit/verify', VerifyReport, { method: 'POST', body: {}, fetch: f });

export interface Verdict {
  ok: boolean;
  /** One line per problem found; empty when ok. */
  problems: string[];
}

/** OK only when the report says so and nothing in it disagrees. */
export function verdictOf(r: VerifyReport): Verdict {
  const problems: string[] = [];
  for (const t of r.tables) {
    if (t.differences > 0)
      problems.push(`${t.table}: ${t.differences === 1 ? '1 row differs' : `${t.differences} rows differ`} from the rebuild`);
    else if (t.liveRows !== t.rebuiltRows) problems.push(`${t.table}: ${t.liveRows} live rows, ${t.rebuiltRows} rebuilt`);
  }
  const listed = r.tables.reduce((n, t) => n + t.differences, 0);
  if (r.differences.length > 0 && listed === 0)
    problems.push(`${r.differences.length} differences between the read models and the rebuild`);
  const broken = r.chain.brokenLinks.length;
  if (broken > 0) problems.push(`${broken} broken link${broken === 1 ? '' : 's'} in the event hash chains`);
  if (!r.ok && problems.length === 0) problems.push('The verifier reported a failure');
  return { ok: r.ok && problems.length === 0, problems };
}

/** A difference's live/rebuilt value as text. */
export const showValue = (v: unknown): string => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
