// The auditor API: every user's events and read models, read-only, with time travel. Traders get
// 403. Every read is first recorded as an AuditAccessed event (who looked at what, when).
import { findUserByEmail, listUsers } from '@blotter/accounts';
import { queryEvents } from '@blotter/eventstore';
import { toOrderView } from '@blotter/orders';
import {
  type BalancesTable,
  getOrderRow,
  listBalances,
  listOrders,
  listPositions,
  type PositionsTable,
  replayUntil,
  verifyReadModels,
  withMark,
} from '@blotter/read-models';
import {
  AsOfQuery,
  AuditBalancesResponse,
  AuditEventsQuery,
  AuditEventsResponse,
  AuditOrdersQuery,
  AuditOrdersResponse,
  AuditPositionsResponse,
  AuditRiskLimitsResponse,
  AuditUsersResponse,
  ErrorResponse,
  OrderEventsResponse,
  OrderIdParams,
  OrderResponse,
  VerifyReport,
} from '@blotter/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AuditRecorder } from './recorder.ts';
import { HttpError } from '../errors.ts';
import type { RouteOptions } from '../route-options.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Bounds of AuditAccessed.query (schemas/src/audit/events.ts). */
const MAX_KEY = 50;
const MAX_VALUE = 200;

/**
 * What the record says was asked: the parameters the route declares (the only ones that change the
 * answer) and the path parameters. Anything else in the query string is ignored by the route, so
 * recording it would only let a caller bloat, or break, the audit log. Over-long values are cut
 * and end in '…' so a shortened value is visibly shortened.
 */
function recordedParameters(request: FastifyRequest): Record<string, string> {
  const declared = (request.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  const query = (request.query ?? {}) as Record<string, unknown>;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  const put = (k: string, v: unknown) => {
    if (v === undefined || k.length > MAX_KEY) return;
    const text = String(v);
    out[k] = text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
  };
  for (const k of Object.keys(declared)) if (Object.hasOwn(query, k)) put(k, query[k]);
  for (const [k, v] of Object.entries(params)) put(k, v);
  return out;
}

const routes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { config, halted }) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', app.requireRole('auditor'));
  const recorder = new AuditRecorder(app.accountRepo, app.store.subjects);
  const security = [{ bearer: [] }];
  let verifying: Promise<VerifyReport> | null = null;

  const userIdOf = async (ref: string | undefined): Promise<string | undefined> => {
    if (ref === undefined) return undefined;
    if (UUID.test(ref)) return ref;
    const user = await findUserByEmail(app.accounts, ref);
    if (!user) throw new HttpError('NOT_FOUND', `no user ${ref}`);
    return user.id;
  };

  /** Records the read, then lets it proceed. */
  const audited = async (request: FastifyRequest, subjectUserId: string | null) => {
    const query = recordedParameters(request);
    try {
      await recorder.record({
        auditorId: request.user.sub,
        resource: `${request.method} ${request.routeOptions.url}`,
        query,
        subjectUserId,
        correlationId: request.id,
      });
    } catch (err) {
      request.log.error({ err }, 'could not record an audited read');
      throw new HttpError('SERVICE_UNAVAILABLE', 'the audit log is unavailable, so the read was refused');
    }
  };

  /** A time the schema's pattern let through may still not exist (month 13, a leap second): 400. */
  const dateOf = (value: string, name: string): Date => {
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) {
      throw new HttpError('VALIDATION_FAILED', `${name} is not a valid time: ${value}`, [
        { path: `/querystring/${name}`, message: 'invalid date' },
      ]);
    }
    return d;
  };
  const cutOf = (asOf: string | undefined) =>
    asOf === undefined ? null : /^[0-9]+$/.test(asOf) ? { seq: Number(asOf) } : { time: dateOf(asOf, 'asOf') };

  app.get('/api/audit/users', { schema: { tags: ['audit'], security, response: { 200: AuditUsersResponse } } }, async (request) => {
    await audited(request, null);
    return { users: await listUsers(app.accounts) };
  });

  app.get(
    '/api/audit/events',
    { schema: { tags: ['audit'], security, querystring: AuditEventsQuery, response: { 200: AuditEventsResponse } } },
    async (request) => {
      const q = request.query;
      const userId = await userIdOf(q.user);
      const since = q.since ? dateOf(q.since, 'since') : undefined;
      const until = q.until ? dateOf(q.until, 'until') : undefined;
      await audited(request, userId ?? null);
      const limit = q.limit ?? 100;
      const rows = [];
      for await (const { seq, storedAt, event } of queryEvents(app.store, {
        ...(q.order ? { orderId: q.order } : {}),
        ...(userId ? { userId } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
        ...(q.after ? { afterSeq: q.after } : {}),
        limit,
      })) {
        rows.push({
          seq,
          storedAt,
          type: event.type,
          version: event.writtenVersion,
          at: event.occurredAt,
          userId: event.userId,
          aggregateId: event.aggregateId,
          eventId: event.eventId,
          correlationId: event.correlationId,
          data: event.data,
        });
      }
      return { events: rows, next: rows.length === limit ? (rows.at(-1)?.seq ?? null) : null };
    },
  );

  app.get(
    '/api/audit/orders',
    { schema: { tags: ['audit'], security, querystring: AuditOrdersQuery, response: { 200: AuditOrdersResponse } } },
    async (request) => {
      const userId = await userIdOf(request.query.user);
      await audited(request, userId ?? null);
      return {
        orders: await listOrders(app.db, app.readSchema, {
          ...request.query,
          ...(userId ? { userId } : {}),
          status: request.query.status ?? 'all',
        }),
      };
    },
  );

  const anyOrder = async (orderId: string) => {
    const row = await getOrderRow(app.db, app.readSchema, orderId);
    if (!row) throw new HttpError('ORDER_NOT_FOUND', `No order ${orderId}`);
    return row;
  };

  app.get(
    '/api/audit/orders/:orderId',
    { schema: { tags: ['audit'], security, params: OrderIdParams, response: { 200: OrderResponse, 404: ErrorResponse } } },
    async (request) => {
      const row = await anyOrder(request.params.orderId);
      await audited(request, row.userId);
      return { order: toOrderView(row) };
    },
  );

  app.get(
    '/api/audit/orders/:orderId/events',
    { schema: { tags: ['audit'], security, params: OrderIdParams, response: { 200: OrderEventsResponse, 404: ErrorResponse } } },
    async (request) => {
      const row = await anyOrder(request.params.orderId);
      await audited(request, row.userId);
      const commits = await app.store.readSubject(app.store.subjects.order(row.userId, row.orderId));
      return {
        events: commits.flatMap((c) =>
          c.events.map((e) => ({ seq: c.seq, type: e.type, version: e.writtenVersion, at: e.occurredAt, data: e.data })),
        ),
      };
    },
  );

  app.get(
    '/api/audit/positions',
    { schema: { tags: ['audit'], security, querystring: AsOfQuery, response: { 200: AuditPositionsResponse } } },
    async (request) => {
      const userId = await userIdOf(request.query.user);
      const cut = cutOf(request.query.asOf);
      await audited(request, userId ?? null);
      if (!cut) {
        if (!userId)
          throw new HttpError('VALIDATION_FAILED', 'live positions need ?user=; add ?asOf= for positions of everyone at a moment');
        const rows = await listPositions(app.db, app.readSchema, userId);
        return {
          asOf: null,
          version: Math.max(0, ...rows.map((r) => r.version)),
          positions: rows.map((r) => withMark(r, app.market.markPrice(r.symbol))),
        };
      }
      const state = await replayUntil(app.store, cut, userId ? { userId } : {});
      // At a past moment the mark price of then is not part of the record: unrealized PnL is left out.
      return {
        asOf: request.query.asOf ?? null,
        version: state.lastSeq,
        positions: state.rows<PositionsTable>('positions', userId).map((p) => withMark(p, null)),
      };
    },
  );

  app.get(
    '/api/audit/balances',
    { schema: { tags: ['audit'], security, querystring: AsOfQuery, response: { 200: AuditBalancesResponse } } },
    async (request) => {
      const userId = await userIdOf(request.query.user);
      const cut = cutOf(request.query.asOf);
      await audited(request, userId ?? null);
      const strip = ({ userId: u, asset, free, locked }: BalancesTable) => ({ userId: u, asset, free, locked });
      if (!cut) {
        if (!userId) throw new HttpError('VALIDATION_FAILED', 'live balances need ?user=');
        const rows = await listBalances(app.db, app.readSchema, userId);
        return { asOf: null, version: Math.max(0, ...rows.map((r) => r.version)), balances: rows.map(strip) };
      }
      const state = await replayUntil(app.store, cut, userId ? { userId } : {});
      return {
        asOf: request.query.asOf ?? null,
        version: state.lastSeq,
        balances: state.rows<BalancesTable>('balances', userId).map(strip),
      };
    },
  );

  app.get(
    '/api/audit/risk-limits',
    { schema: { tags: ['audit'], security, response: { 200: AuditRiskLimitsResponse } } },
    async (request) => {
      await audited(request, null);
      return {
        maxNotionalPerOrder: config.MAX_NOTIONAL,
        maxOpenOrdersPerUser: config.MAX_OPEN_ORDERS,
        orderRatePerSecondPerUser: config.ORDER_RATE_PER_SECOND,
        tradingHalted: halted(),
      };
    },
  );

  app.post(
    '/api/audit/verify',
    {
      schema: { tags: ['audit'], security, description: 'Run `blotter verify` now (one at a time).', response: { 200: VerifyReport } },
    },
    async (request) => {
      await audited(request, null);
      // One verification at a time: a second click waits for (and shares) the running one.
      verifying ??= verifyReadModels(app.store, app.db, app.readSchema).finally(() => {
        verifying = null;
      });
      return verifying;
    },
  );
};

export default routes;
