import type { VerifyReport } from '@blotter/schemas';
import t from 'tap';
import { verdictOf } from '../src/lib/audit/api.ts';
import { eventSummary, shortId } from '../src/lib/audit/events.ts';
import {
  cleanFormHref,
  eventsApiPath,
  eventsPageHref,
  isOrderEvent,
  ordersApiPath,
  ordersPageHref,
  pageOfEvents,
  readAsOf,
  readEventFilters,
  readOrderFilters,
} from '../src/lib/audit/query.ts';
import { formatTimeMs, isoToUtcInput, utcInputToIso } from '../src/lib/audit/time.ts';
import { canTrade, homeFor, isAuditor } from '../src/lib/roles.ts';

const ORDER = '01a20dad-719e-7fdb-84c1-9f6a3778246a';
const USER = '01a20dad-676f-7693-b277-342a15e2417c';

t.test('datetime-local values are UTC; ISO times keep their instant', async (t) => {
  t.equal(utcInputToIso('2026-11-24T13:10'), '2026-11-24T13:10:00.000Z');
  t.equal(utcInputToIso('2026-11-24T13:10:05'), '2026-11-24T13:10:05.000Z');
  t.equal(utcInputToIso('2026-11-24T13:10:05.4'), '2026-11-24T13:10:05.400Z');
  t.equal(utcInputToIso('2026-11-24T13:10:05.491'), '2026-11-24T13:10:05.491Z');
  t.equal(utcInputToIso('2026-11-24T13:10:05.491Z'), '2026-11-24T13:10:05.491Z');
  t.equal(utcInputToIso('2026-11-24T14:10:05+01:00'), '2026-11-24T13:10:05.000Z');
  for (const bad of ['', 'yesterday', '2026-02-30T10:00', '2026-11-24', '2026-11-24T25:00', '1795525761263']) {
    t.equal(utcInputToIso(bad), null, bad);
  }
  t.equal(isoToUtcInput('2026-11-24T13:10:05.491Z'), '2026-11-24T13:10:05.491');
  t.equal(isoToUtcInput('2026-11-24T13:10:05.000Z'), '2026-11-24T13:10:05');
  t.equal(isoToUtcInput('nope'), '');
  t.equal(formatTimeMs('2026-11-24T13:10:05.491Z'), '2026-11-24 13:10:05.491');
  t.equal(formatTimeMs(null), '—');
});

t.test('stream filters from the URL, to the gateway, and back', async (t) => {
  const { filters, errors } = readEventFilters(
    new URLSearchParams({
      user: 'ada@example.com',
      order: ORDER.toUpperCase(),
      type: 'OrderFilled',
      since: '2026-11-24T13:10',
      after: '42',
      limit: '25',
    }),
  );
  t.same(errors, {});
  t.equal(filters.order, ORDER, 'order ids are lower-cased');
  t.equal(
    eventsApiPath(filters),
    `/api/audit/events?user=ada%40example.com&order=${ORDER}&type=OrderFilled&since=2026-11-24T13%3A10%3A00.000Z&after=42&limit=25`,
  );
  t.equal(
    eventsPageHref(filters, { after: null }),
    `/audit?user=ada%40example.com&order=${ORDER}&type=OrderFilled&since=2026-11-24T13%3A10&limit=25`,
    'the page URL keeps what was typed, drops the cursor',
  );
  t.equal(
    eventsPageHref({ ...filters, user: '', order: '', type: '', since: '', limit: 50 }, { after: 7 }),
    '/audit?after=7',
    'defaults are left out',
  );

  const bad = readEventFilters(
    new URLSearchParams({ user: 'not a user', order: 'x', type: 'a b', since: 'soon', until: '2026-11-24T12:00', after: '-1' }),
  );
  t.same(Object.keys(bad.errors).sort(), ['after', 'order', 'since', 'type', 'user']);
  t.equal(
    eventsApiPath(bad.filters, bad.errors),
    '/api/audit/events?until=2026-11-24T12%3A00%3A00.000Z&limit=50',
    'bad filters are not sent',
  );
  const reversed = readEventFilters(new URLSearchParams({ since: '2026-11-24T13:00', until: '2026-11-24T12:00' }));
  t.equal(reversed.errors.until, 'The end is before the start');
  t.equal(readEventFilters(new URLSearchParams({ limit: '7' })).filters.limit, 7, 'any page size the gateway takes');
  t.equal(readEventFilters(new URLSearchParams({ limit: '5000' })).filters.limit, 50, 'not more');
  t.equal(readOrderFilters(new URLSearchParams({ limit: '1000' })).filters.limit, 50, 'orders: up to 500');
});

t.test('a GET form becomes a clean URL', async (t) => {
  const form = new FormData();
  form.set('user', '');
  form.set('type', 'OrderPlaced');
  form.set('since', ' 2026-11-24T13:10 ');
  t.equal(cleanFormHref('/audit', form), '/audit?type=OrderPlaced&since=2026-11-24T13%3A10');
  t.equal(cleanFormHref('/audit', new FormData()), '/audit');
});

t.test('positions as of: live needs a user; a sequence wins over a time', async (t) => {
  t.same(readAsOf(new URLSearchParams()).apiQuery, null, 'nothing to ask yet');
  t.equal(readAsOf(new URLSearchParams({ user: USER })).apiQuery, `?user=${USER}`);
  t.equal(readAsOf(new URLSearchParams({ user: USER })).asOf, null, 'live');
  const at = readAsOf(new URLSearchParams({ user: USER, at: '2026-11-24T13:10:00.500' }));
  t.equal(at.asOf, '2026-11-24T13:10:00.500Z');
  t.equal(at.apiQuery, `?user=${USER}&asOf=2026-11-24T13%3A10%3A00.500Z`);
  t.equal(readAsOf(new URLSearchParams({ at: '2026-11-24T13:10', seq: '0012' })).apiQuery, '?asOf=12', 'everyone, at a sequence');
  t.match(readAsOf(new URLSearchParams({ user: USER, at: 'nope' })), { apiQuery: null, errors: { at: 'Not a date and time' } });
  t.match(readAsOf(new URLSearchParams({ seq: '1.5' })), { apiQuery: null, errors: { seq: /whole number/ } });
});

t.test('order filters', async (t) => {
  const { filters, errors } = readOrderFilters(new URLSearchParams({ user: USER, status: 'open', symbol: 'btcusdt', before: ORDER }));
  t.same(errors, {});
  t.equal(ordersApiPath(filters), `/api/audit/orders?user=${USER}&status=open&symbol=BTCUSDT&before=${ORDER}&limit=50`);
  t.equal(ordersPageHref(filters, { before: '' }), `/audit/orders?user=${USER}&status=open&symbol=BTCUSDT`);
  t.equal(readOrderFilters(new URLSearchParams({ status: 'weird' })).filters.status, 'all');
  t.ok(readOrderFilters(new URLSearchParams({ symbol: 'BTC-USD' })).errors.symbol);
});

t.test('event rows: summaries without ids, short ids, order events', async (t) => {
  t.equal(
    eventSummary({
      orderId: ORDER,
      userId: USER,
      symbol: 'BTCUSDT',
      side: 'BUY',
      quantity: '0.001',
      reserved: { asset: 'USDT', amount: '70' },
      venue: 'paper',
    }),
    'symbol BTCUSDT · side BUY · quantity 0.001 · reserved.asset USDT …',
  );
  t.equal(eventSummary(null), '');
  t.equal(shortId(ORDER), '01a20dad…246a');
  t.equal(shortId('abc'), 'abc');
  t.ok(isOrderEvent('OrderCancelRequested'));
  t.notOk(isOrderEvent('AccountOpened'));
  t.notOk(isOrderEvent('Orderly'));
});

const report = (over: Partial<VerifyReport> = {}): VerifyReport => ({
  ok: true,
  commits: 8,
  undecodable: [],
  checkpoints: [],
  tables: [
    { table: 'orders', liveRows: 1, rebuiltRows: 1, differences: 0 },
    { table: 'balances', liveRows: 3, rebuiltRows: 3, differences: 0 },
  ],
  differences: [],
  chain: { subjects: 4, brokenLinks: [] },
  stream: { current: 'BLOTTER_EVENTS@2026-11-24T12:00:00.000000000Z', builtFrom: [], matches: true },
  ...over,
});

t.test('verify: OK only when nothing disagrees', async (t) => {
  t.same(verdictOf(report()), { ok: true, problems: [] });
  t.same(
    verdictOf(
      report({
        ok: false,
        tables: [{ table: 'orders', liveRows: 2, rebuiltRows: 1, differences: 1 }],
        differences: [{ table: 'orders', key: ORDER, kind: 'unexpected' }],
      }),
    ),
    { ok: false, problems: ['orders: 1 row differs from the rebuild'] },
  );
  t.same(verdictOf(report({ chain: { subjects: 4, brokenLinks: [{ subject: 's', seq: 3, reason: 'hash mismatch' }] } })), {
    ok: false,
    problems: ['1 broken link in the event hash chains'],
  });
  t.same(verdictOf(report({ ok: false })), { ok: false, problems: ['The verifier reported a failure'] }, 'the report itself is believed');
});

t.test('roles decide the landing page and the audit area', async (t) => {
  t.equal(homeFor(['trader']), '/trade/BTCUSDT');
  t.equal(homeFor(['auditor']), '/audit');
  t.equal(homeFor(['trader', 'auditor']), '/trade/BTCUSDT');
  t.equal(homeFor([]), '/trade/BTCUSDT');
  t.ok(isAuditor(['auditor']));
  t.notOk(isAuditor(['trader']));
  t.notOk(canTrade(['auditor']));
});

t.test('paging never loses the rest of a commit that a page ended inside', async (t) => {
  // Commits 1..5; commit 3 and 5 hold two events each (accepted + filled in one commit).
  const stream = [
    { seq: 1, id: 'a' },
    { seq: 2, id: 'b' },
    { seq: 3, id: 'c1' },
    { seq: 3, id: 'c2' },
    { seq: 4, id: 'd' },
    { seq: 5, id: 'e1' },
    { seq: 5, id: 'e2' },
  ];
  // What the gateway answers: events after `after`, `limit` of them, "more" when the limit was hit.
  const gateway = (after: number | null, limit: number) => {
    const events = stream.filter((e) => e.seq > (after ?? 0)).slice(0, limit);
    return { events, more: events.length === limit };
  };
  for (const limit of [1, 2, 3, 4, 10]) {
    const seen: string[] = [];
    let params = new URLSearchParams({ limit: String(limit) });
    for (let pages = 0; pages < 20; pages++) {
      const { filters } = readEventFilters(params);
      const api = new URL(eventsApiPath(filters), 'http://x');
      const answer = gateway(
        api.searchParams.has('after') ? Number(api.searchParams.get('after')) : null,
        Number(api.searchParams.get('limit')),
      );
      const page = pageOfEvents(answer.events, answer.more, filters);
      t.ok(page.events.length <= limit, `limit ${limit}: no more than a page`);
      seen.push(...page.events.map((e) => e.id));
      if (!page.next) break;
      params = new URL(eventsPageHref(filters, page.next), 'http://x').searchParams;
    }
    t.same(seen, ['a', 'b', 'c1', 'c2', 'd', 'e1', 'e2'], `limit ${limit}: every event once, in order`);
  }
  t.same(pageOfEvents([{ seq: 3 }, { seq: 3 }], true, { ...readEventFilters(new URLSearchParams('limit=1&after=2&skip=1')).filters }), {
    events: [{ seq: 3 }],
    next: { after: 2, skip: 2 },
  });
});
