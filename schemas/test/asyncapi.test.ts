// The AsyncAPI document: internally consistent (every reference resolves, every address parameter
// is declared, operations only name their channel's messages) and complete (every event version
// is in a commit message, every subject the code builds has a channel).
import t from 'tap';
import { asyncApiDocument } from '../src/asyncapi.ts';
import { eventDefinitions } from '../src/events.ts';
import { subjects } from '../src/subjects.ts';

type Json = { [key: string]: unknown };
const doc = asyncApiDocument({ namespace: 'blotter' }) as Json & { channels: Record<string, Json>; operations: Record<string, Json> };

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

const resolve = (ref: string): unknown =>
  ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Json)[key.replace(/~1/g, '/')] : undefined), doc);

t.test('an AsyncAPI 3.0 document with the NATS server and both streams', async (t) => {
  t.match(doc, { asyncapi: '3.0.0', info: { title: String, version: String }, servers: { nats: { protocol: 'nats', host: String } } });
  t.match((doc.servers as Json).nats, { 'x-streams': [{ name: '{NS}_EVENTS' }, { name: '{NS}_DLQ' }] });
  t.match(doc, { components: { parameters: { ns: { default: 'blotter' } } } });
});

t.test('every $ref resolves', async (t) => {
  const all = refs(doc);
  t.ok(all.length > 100, `${all.length} references`);
  for (const ref of new Set(all)) t.ok(ref.startsWith('#/') && resolve(ref) !== undefined, ref);
});

t.test('channel parameters are exactly the address placeholders', async (t) => {
  for (const [id, channel] of Object.entries(doc.channels)) {
    const inAddress = [...String(channel.address ?? '').matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]).sort();
    t.same(Object.keys((channel.parameters as Json | undefined) ?? {}).sort(), inAddress, id);
  }
});

t.test('operations send or receive messages of their own channel', async (t) => {
  for (const [id, op] of Object.entries(doc.operations)) {
    t.ok(op.action === 'send' || op.action === 'receive', `${id} action`);
    const channel = (op.channel as { $ref: string }).$ref;
    for (const m of op.messages as { $ref: string }[]) t.ok(m.$ref.startsWith(`${channel}/messages/`), `${id}: ${m.$ref}`);
  }
  for (const id of Object.keys(doc.channels).filter((c) => c !== 'marketRpcReply')) {
    const actions = Object.values(doc.operations)
      .filter((op) => (op.channel as { $ref: string }).$ref === `#/channels/${id}`)
      .map((op) => op.action);
    t.same(actions.sort(), ['receive', 'send'], `${id} has a sender and a receiver`);
  }
});

t.test('every version of every event is in exactly one commit message, with its own data schema', async (t) => {
  const envelopes = refs(doc.channels)
    .filter((r) => r.startsWith('#/components/messages/') && r.endsWith('Commit'))
    .flatMap((r) => {
      const payload = (resolve(r) as Json).payload as { properties: { events: { items: { oneOf: Json[] } } } };
      return payload.properties.events.items.oneOf;
    });
  for (const def of eventDefinitions) {
    def.versions.forEach((_, i) => {
      const mine = envelopes.filter((e) => (e.properties as { type: { const: string } }).type.const === def.type);
      const v = mine.find((e) => (e.properties as { version: { const: number } }).version.const === i + 1);
      t.ok(v, `${def.type} v${i + 1}`);
      const data = (v?.properties as { data: { $ref: string } } | undefined)?.data.$ref;
      t.equal(data, `#/components/schemas/${i + 1 === def.versions.length ? def.type : `${def.type}.v${i + 1}`}`);
    });
  }
});

t.test('every subject the code builds is a channel address', async (t) => {
  const s = subjects('blotter', 4);
  const user = '0192f4a7-0000-7000-8000-000000000001';
  const built = [
    s.order(user, '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a'),
    s.account(user),
    s.audit(user),
    s.control('00000000-0000-0000-0000-000000000000'),
    s.changes(user),
    s.ticker('BTCUSDT'),
    s.candle('BTCUSDT', '1m'),
    s.marketRpc('symbols'),
    s.marketRpc('candles'),
    s.marketRpc('ticker'),
  ];
  const addresses = Object.values(doc.channels)
    .map((c) => c.address)
    .filter((a): a is string => typeof a === 'string')
    .map((a) => new RegExp(`^${a.replace(/\./g, '\\.').replace(/\{[A-Za-z]+\}/g, '[^.]+')}$`));
  for (const subject of built)
    t.ok(
      addresses.some((re) => re.test(subject)),
      subject,
    );
});
