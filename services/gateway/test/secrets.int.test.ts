// A whole run with known venue secrets, then a search for them everywhere they must never be: every
// log line (the gateway process at LOG_LEVEL=trace, the feed, the projector, the executor), every
// event in the streams (raw bytes), every NATS message of the namespace, every HTTP response
// (headers and body), every WebSocket message, and every row of every table in the database.
// The API key may only ever show as its 16-hex fingerprint.
import { createHash, randomUUID } from 'node:crypto';
import t from 'tap';
import { grantRole, loadVenueKeys } from '@blotter/accounts';
import { sql } from 'kysely';
import { WebSocket } from 'ws';
import { eventually, uniqueEmail } from '@blotter/test-kit';
import { alnum, rng } from './support/fuzz-gen.ts';
import { now, signJwt } from './support/jwt.ts';
import { startLoggedStack } from './support/secrets-stack.ts';

const stack = await startLoggedStack(t);
const r = rng(Date.now() % 2 ** 31);
const PASSWORD = `pw-${alnum(r, 24)}`;

// ---------------------------------------------------------------------------------------------
// Everything the clients receive, recorded.
const responses: string[] = [];
const wsMessages: string[] = [];

async function http(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  responses.push(`${method} ${path} ${res.status} ${JSON.stringify(Object.fromEntries(res.headers.entries()))} ${text}`);
  // biome-ignore lint/suspicious/noExplicitAny: response bodies of many shapes, read loosely by the run
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text };
}

interface User {
  id: string;
  email: string;
  token: string;
}
async function registerUser(prefix: string): Promise<User> {
  const email = uniqueEmail(prefix);
  const res = await http('POST', '/api/auth/register', { body: { email, password: PASSWORD } });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
  return { id: res.json.user.id, email, token: res.json.token };
}

function openSocket(token: string) {
  const ws = new WebSocket(`${stack.url.replace('http', 'ws')}/api/ws`);
  const mine: string[] = [];
  ws.on('message', (d) => {
    wsMessages.push(d.toString());
    mine.push(d.toString());
  });
  const opened = new Promise<void>((ok, fail) => {
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'auth', token }));
      ws.send(JSON.stringify({ type: 'subscribe', channels: ['orders', 'trades', 'positions', 'balances', 'ticker:BTCUSDT'] }));
      ok();
    });
    ws.once('error', fail);
  });
  return { ws, mine, opened };
}

const order = async (u: User, body: Record<string, string>) => {
  const res = await http('POST', '/api/orders', { token: u.token, body });
  if (res.status !== 201) throw new Error(`order: ${res.status} ${res.text}`);
  return res.json.order.orderId as string;
};
const settled = (u: User, orderId: string, statuses: string[]) =>
  eventually(
    async () => {
      const o = (await http('GET', `/api/orders/${orderId}`, { token: u.token })).json?.order;
      return o && statuses.includes(o.status) ? o : undefined;
    },
    30_000,
    `order ${orderId} to be ${statuses.join('/')}`,
  );

// ---------------------------------------------------------------------------------------------
// The run.
const u1 = await registerUser('secrets-testnet');
const u2 = await registerUser('secrets-paper');
const u3 = await registerUser('secrets-fake');
const aud = await registerUser('secrets-auditor');
await grantRole(stack.accounts, aud.id, 'auditor');
const audLogin = await http('POST', '/api/auth/login', { body: { email: aud.email, password: PASSWORD } });
const auditorToken = audLogin.json.token as string;

// The keys the gateway opened on the simulator at registration are secrets too: read them back
// through the key ring, so the search below covers them.
const registered = await Promise.all([u1, u2, u3, aud].map((u) => loadVenueKeys(stack.accounts, stack.keyRing(), u.id, 'paper')));
const simAccount = await stack.sim.admin.createAccount({ USDT: '20000' });
// The kit points BINANCE_TESTNET_URL at the simulator: testnet keys of one of its accounts are good.
const testnetAccount = await stack.sim.admin.createAccount({ USDT: '20000' });
const KEYS = {
  testnet: { apiKey: testnetAccount.apiKey, apiSecret: testnetAccount.apiSecret },
  fakeTestnet: { apiKey: `TESTNETAPIKEY${alnum(r, 51)}`, apiSecret: `TESTNETSECRET${alnum(r, 51)}` },
  paper: { apiKey: simAccount.apiKey, apiSecret: simAccount.apiSecret },
  fakePaper: { apiKey: `PAPERFAKEAPIKEY${alnum(r, 49)}`, apiSecret: `PAPERFAKESECRET${alnum(r, 49)}` },
};
const secrets = [
  KEYS.testnet.apiSecret,
  KEYS.fakeTestnet.apiSecret,
  KEYS.paper.apiSecret,
  KEYS.fakePaper.apiSecret,
  ...registered.map((k) => k?.apiSecret ?? ''),
];
const apiKeys = [
  KEYS.testnet.apiKey,
  KEYS.fakeTestnet.apiKey,
  KEYS.paper.apiKey,
  KEYS.fakePaper.apiKey,
  ...registered.map((k) => k?.apiKey ?? ''),
];
const fingerprint = (k: string) => createHash('sha256').update(k).digest('hex').slice(0, 16);

const sockets = [openSocket(u1.token), openSocket(u2.token), openSocket(u3.token)];
await Promise.all(sockets.map((s) => s.opened));
for (const u of [u1, u2, u3])
  await eventually(async () => ((await http('GET', '/api/balances', { token: u.token })).json?.balances?.length ? true : undefined));

// u1: testnet keys the venue does not know (refused, nothing stored), then good ones, then back to
// paper and a fill.
const putFake = await http('PUT', '/api/me/venue-keys', { token: u1.token, body: { venue: 'binance-testnet', ...KEYS.fakeTestnet } });
const meAfterFake = await http('GET', '/api/me', { token: u1.token });
const put1 = await http('PUT', '/api/me/venue-keys', { token: u1.token, body: { venue: 'binance-testnet', ...KEYS.testnet } });
const me1 = await http('GET', '/api/me', { token: u1.token });
await http('DELETE', '/api/me/venue-keys', { token: u1.token });
const filled1 = await order(u1, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' });
await settled(u1, filled1, ['FILLED']);

// u2: paper keys of a real simulator account: fills, a resting order and its cancel.
const put2 = await http('PUT', '/api/me/venue-keys', { token: u2.token, body: { venue: 'paper', ...KEYS.paper } });
const me2 = await http('GET', '/api/me', { token: u2.token });
const bought = await order(u2, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.002', clientOrderId: 'secrets-buy' });
await settled(u2, bought, ['FILLED']);
const resting = await order(u2, { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '1000' });
await settled(u2, resting, ['NEW']);
await http('DELETE', `/api/orders/${resting}`, { token: u2.token });
await settled(u2, resting, ['CANCELED']);

// u3: paper keys the venue does not know: refused.
const put3 = await http('PUT', '/api/me/venue-keys', { token: u3.token, body: { venue: 'paper', ...KEYS.fakePaper } });
const refused3 = await order(u3, { symbol: 'SOLUSDT', side: 'BUY', type: 'LIMIT', quantity: '1', price: '50' });
await settled(u3, refused3, ['REJECTED']);

// Read everything back, as the users and as an auditor.
for (const u of [u1, u2, u3]) {
  await http('GET', '/api/me', { token: u.token });
  await http('POST', '/api/auth/ws-ticket', { token: u.token });
  const orders = (await http('GET', '/api/orders?limit=500', { token: u.token })).json.orders as { orderId: string }[];
  for (const o of orders) {
    await http('GET', `/api/orders/${o.orderId}`, { token: u.token });
    await http('GET', `/api/orders/${o.orderId}/events`, { token: u.token });
    await http('GET', `/api/audit/orders/${o.orderId}`, { token: auditorToken });
    await http('GET', `/api/audit/orders/${o.orderId}/events`, { token: auditorToken });
  }
  for (const path of ['/api/trades', '/api/positions', '/api/balances']) await http('GET', path, { token: u.token });
  for (const path of [
    `/api/audit/events?user=${u.id}&limit=1000`,
    `/api/audit/orders?user=${u.id}`,
    `/api/audit/positions?user=${u.id}`,
    `/api/audit/balances?user=${u.id}&asOf=1000000`,
  ])
    await http('GET', path, { token: auditorToken });
}
await http('GET', '/api/audit/users', { token: auditorToken });
await http('GET', '/api/audit/events?limit=1000', { token: auditorToken });
await http('POST', '/api/audit/verify', { token: auditorToken });
for (const path of [
  '/readyz',
  '/metrics',
  '/openapi.json',
  '/asyncapi.json',
  '/api/schemas',
  '/api/schemas/VenueKeysStored',
  '/api/schemas/VenueKeysRequest',
])
  await http('GET', path);
// Error paths echo input: a bad venue-keys request must not echo the secret either.
await http('PUT', '/api/me/venue-keys', { token: u2.token, body: { venue: 'kraken', ...KEYS.paper } });
await http('PUT', '/api/me/venue-keys', {
  token: u2.token,
  body: { venue: 'paper', apiKey: KEYS.paper.apiKey, apiSecret: `${KEYS.paper.apiSecret}!` },
});
await http('PUT', '/api/me/venue-keys', { token: u2.token, body: { venue: 'paper', ...KEYS.paper, extra: KEYS.paper.apiSecret } });
await http('PUT', '/api/me/venue-keys', { token: 'not-a-token', body: { venue: 'paper', ...KEYS.paper } });
await http('PUT', '/api/me/venue-keys', {
  token: u2.token,
  body: `{"venue":"paper","apiKey":"${KEYS.paper.apiKey}","apiSecret":"${KEYS.paper.apiSecret}"`,
});
// Failure paths, with secrets in the requests: a token of a user that does not exist (401), key
// changes of one user in parallel (serialized, all stored), and a key change whose event append
// JetStream refuses (an error logged with its cause; the keys are not changed).
const ghost = signJwt(
  { sub: randomUUID(), email: 'ghost@example.com', roles: ['trader'], iat: now(), exp: now() + 600 },
  stack.config.JWT_SECRET,
);
const ghostPut = await http('PUT', '/api/me/venue-keys', { token: ghost, body: { venue: 'paper', ...KEYS.fakePaper } });
const parallelPuts = await Promise.all(
  Array.from({ length: 6 }, () => http('PUT', '/api/me/venue-keys', { token: u3.token, body: { venue: 'paper', ...KEYS.fakePaper } })),
);
const u3Before = (await http('GET', '/api/me', { token: u3.token })).json.venue;
const events = await stack.store.jsm.streams.info(stack.store.streams.events);
await stack.store.jsm.streams.update(stack.store.streams.events, { ...events.config, max_msg_size: 64 });
const refusedPut = await http('PUT', '/api/me/venue-keys', { token: u3.token, body: { venue: 'binance-testnet', ...KEYS.testnet } });
await stack.store.jsm.streams.update(stack.store.streams.events, events.config);
const u3After = (await http('GET', '/api/me', { token: u3.token })).json.venue;
t.comment(
  `failure paths: ghost PUT ${ghostPut.status}; parallel PUTs ${parallelPuts.map((p) => p.status).join(',')}; refused append ${refusedPut.status}`,
);
for (const s of sockets) {
  s.ws.send(JSON.stringify({ type: 'subscribe', channels: [KEYS.paper.apiSecret] }));
  s.ws.send(JSON.stringify({ type: KEYS.paper.apiKey }));
}
// Each socket has its snapshots and the error answers before it closes.
for (const s of sockets) await eventually(() => s.mine.filter((m) => m.includes('"error"')).length >= 2, 10_000, 'error answers');
for (const s of sockets) s.ws.close();

// ---------------------------------------------------------------------------------------------
// Where the secrets must not be.
async function rawStreams(): Promise<string[]> {
  const out: string[] = [];
  const prefix = stack.namespace.toUpperCase();
  for await (const name of stack.store.jsm.streams.names()) {
    if (!name.startsWith(prefix)) continue;
    const info = await stack.store.jsm.streams.info(name);
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const msg = await stack.store.jsm.streams.getMessage(name, { seq }).catch(() => null);
      if (msg) out.push(`${name} ${seq} ${msg.subject} ${new TextDecoder().decode(msg.data)}`);
    }
  }
  return out;
}

async function databaseDump(): Promise<string[]> {
  const tables = (
    await sql<{ schema: string; name: string }>`select table_schema as schema, table_name as name from information_schema.tables
      where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`.execute(stack.db)
  ).rows;
  const out: string[] = [];
  for (const { schema, name } of tables) {
    const rows = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(`${schema}.${name}`)} t`.execute(stack.db);
    for (const { row } of rows.rows) out.push(`${schema}.${name} ${row}`);
  }
  return out;
}

/** The forms a secret could leak in: as is, base64, base64url, hex, and any 20-character slice. */
function forms(secret: string): string[] {
  const b = Buffer.from(secret);
  const slices = [0, Math.floor(secret.length / 2) - 10, secret.length - 20].map((i) => secret.slice(Math.max(0, i), Math.max(0, i) + 20));
  return [secret, b.toString('base64'), b.toString('base64url'), b.toString('hex'), ...slices];
}

function find(corpus: readonly string[], needles: readonly string[]): string[] {
  const hits: string[] = [];
  for (const text of corpus) {
    for (const n of needles) {
      if (n.length >= 16 && text.includes(n)) hits.push(`${n.slice(0, 6)}… in ${text.slice(0, 200)}`);
    }
  }
  return hits;
}

t.test('the run did what it should (so the search below means something)', async (t) => {
  t.equal(ghostPut.status, 401, 'a token of a user that does not exist is refused');
  t.same(
    parallelPuts.map((p) => p.status),
    Array(6).fill(204),
    'parallel key changes of one user all succeed',
  );
  t.ok(refusedPut.status >= 500, `a key change whose event cannot be appended fails (${refusedPut.status})`);
  t.same(u3After, u3Before, 'and changes nothing: the keys are those the last event names');
  t.equal(put1.status, 204);
  t.equal(put2.status, 204);
  t.equal(put3.status, 204);
  t.same(
    me1.json.venue,
    { kind: 'binance-testnet', keyFingerprint: fingerprint(KEYS.testnet.apiKey) },
    'me shows the testnet fingerprint only',
  );
  t.same(me2.json.venue, { kind: 'paper', keyFingerprint: fingerprint(KEYS.paper.apiKey) });
  t.equal(putFake.status, 422, 'testnet keys unknown to the venue: refused');
  t.equal(putFake.json.error?.code, 'VENUE_KEYS_REJECTED');
  t.equal(meAfterFake.json.venue.kind, 'paper', 'and nothing stored');
  t.ok(
    registered.every((k) => k && k.apiSecret.length >= 32),
    'the registration keys were read back',
  );
  t.ok(stack.captured.gateway.length > 50, `${stack.captured.gateway.length} gateway log lines`);
  t.ok(stack.captured.inProcess.length > 0, `${stack.captured.inProcess.length} feed/projector/executor log lines`);
  t.ok(
    stack.captured.gateway.some((l) => l.includes('"req"')),
    'the gateway logged requests (trace level)',
  );
  t.ok(
    wsMessages.some((m) => m.includes(bought)),
    'the WebSocket carried the orders',
  );
});

t.test('no secret and no API key anywhere', async (t) => {
  const streams = await rawStreams();
  const db = await databaseDump();
  const corpora: [string, string[]][] = [
    ['gateway log lines', stack.captured.gateway],
    ['feed, projector and executor log lines', stack.captured.inProcess],
    ['events and dead letters (raw)', streams],
    ['NATS messages of the namespace', stack.captured.nats],
    ['HTTP responses (headers and bodies)', responses],
    ['WebSocket messages', wsMessages],
    ['database rows', db],
  ];
  t.ok(streams.length > 20, `${streams.length} stored messages read`);
  t.ok(db.length > 20, `${db.length} database rows read`);
  t.ok(
    streams.some((s) => s.includes('VenueKeysStored') && s.includes(fingerprint(KEYS.testnet.apiKey))),
    'the events carry the fingerprint',
  );
  t.ok(
    find([`log ${Buffer.from(KEYS.paper.apiSecret).toString('base64')} line`], secrets.flatMap(forms)).length > 0,
    'the search finds a planted secret (control)',
  );
  t.ok(
    stack.captured.gateway.some((l) => l.includes('"level":50')),
    'the gateway logged errors (the refused append ran)',
  );
  // Session tokens and WebSocket tickets are credentials too: answers carry them, nothing else may.
  const tickets = responses.flatMap((x) => [...x.matchAll(/"(?:token|ticket)":"([^"]+)"/g)].map((m) => m[1] ?? ''));
  const credentials = [...new Set([u1.token, u2.token, u3.token, aud.token, auditorToken, ...tickets])];
  t.ok(credentials.length >= 8, `${credentials.length} session tokens and tickets`);
  for (const [name, corpus] of corpora) {
    if (name.startsWith('HTTP')) continue;
    t.same(
      find(
        corpus,
        credentials.map((c) => c.split('.')[2] ?? c),
      ),
      [],
      `${name}: no session token or ticket`,
    );
  }
  for (const [name, corpus] of corpora) {
    t.same(find(corpus, secrets.flatMap(forms)), [], `${name} (${corpus.length}): no API secret`);
    t.same(find(corpus, apiKeys.flatMap(forms)), [], `${name}: no API key (only its fingerprint)`);
    t.same(find(corpus, forms(PASSWORD)), [], `${name}: no password`);
    t.same(
      find(corpus, [stack.config.JWT_SECRET, stack.config.KEY_ENCRYPTION_KEY, stack.config.SIM_ADMIN_TOKEN]),
      [],
      `${name}: no server secret`,
    );
  }
});

t.test('the stored record is ciphertext: AES-256-GCM, a 12-byte IV per record', async (t) => {
  const rows = (
    await sql<{ userId: string; venue: string; iv: Buffer; ciphertext: Buffer; tag: Buffer; fingerprint: string }>`
      select user_id, venue, iv, ciphertext, tag, fingerprint from venue_credentials`.execute(stack.db)
  ).rows;
  // Four paper records (one per user; u2's and u3's replaced) — u1's testnet record was deleted.
  t.ok(rows.length >= 4, `${rows.length} stored key records`);
  const ivs = new Set<string>();
  for (const row of rows) {
    t.equal(row.iv.length, 12, `${row.venue} of ${row.userId}: 12-byte IV`);
    t.equal(row.tag.length, 16, 'a 16-byte GCM tag');
    ivs.add(row.iv.toString('hex'));
    const bytes = Buffer.concat([row.iv, row.ciphertext, row.tag]);
    for (const s of [...secrets, ...apiKeys]) {
      t.notOk(bytes.includes(Buffer.from(s)), 'no plaintext secret or key in the record bytes');
      t.notOk(bytes.toString('latin1').includes(s.slice(0, 20)), 'not even a slice of one');
    }
    t.match(row.fingerprint, /^[0-9a-f]{16}$/, 'the fingerprint is 16 hex');
  }
  t.equal(ivs.size, rows.length, 'every record has its own IV');
  const u2Paper = rows.find((x) => x.userId === u2.id && x.venue === 'paper');
  t.equal(u2Paper?.fingerprint, fingerprint(KEYS.paper.apiKey));
  const back = await loadVenueKeys(stack.accounts, stack.keyRing(), u2.id, 'paper');
  t.equal(back?.apiSecret, KEYS.paper.apiSecret, 'and it decrypts to the stored secret (control)');
});
