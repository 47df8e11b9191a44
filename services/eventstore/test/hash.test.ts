// The commit hash must never change for a given commit (stored hashes are re-checked by auditors),
// so canonical JSON is checked against the plain definition on many random values, and the hash of
// a fixed commit against its known value.
import t from 'tap';
import { canonicalJson, commitHash } from '../src/hash.ts';

/** The definition: sorted keys (UTF-16 order), undefined members dropped, no whitespace. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

let state = 12345;
const random = () => {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return state / 2 ** 31;
};
const KEYS = ['a', 'b', 'B', 'aa', 'é', 'z', '10', '2', '', 'key "quoted"', 'Ω', '𝄞', 'userId', 'user_id'];
function value(depth: number): unknown {
  const r = random();
  if (depth > 3 || r < 0.3)
    return [null, true, false, 0, -1.5, 1e21, '0.00000001', 'line\nbreak', 'ü', undefined][Math.floor(random() * 10)];
  if (r < 0.55) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(random() * 6); i > 0; i--) o[KEYS[Math.floor(random() * KEYS.length)] as string] = value(depth + 1);
  return o;
}

t.test('canonical JSON equals the definition on 5,000 random values', async (t) => {
  let differ = 0;
  for (let i = 0; i < 5_000; i++) {
    const v = value(0);
    if (canonicalJson(v) !== reference(v)) differ++;
  }
  t.equal(differ, 0);
});

// sha256(prevHash + '\n' + the canonical JSON below), computed apart from this code.
const EXPECTED = '5c5897d626708faa359c28277c4ce3a25e974b2b6b124471f28308d13fa80972';

t.test('the hash of a fixed commit is its known value', async (t) => {
  const events = [{ type: 'OrderPlaced', data: { orderId: 'o1', quantity: '0.01', price: null }, eventId: 'e1', version: 2 }];
  t.equal(
    canonicalJson(events),
    '[{"data":{"orderId":"o1","price":null,"quantity":"0.01"},"eventId":"e1","type":"OrderPlaced","version":2}]',
  );
  const reordered = [{ version: 2, eventId: 'e1', data: { price: null, quantity: '0.01', orderId: 'o1' }, type: 'OrderPlaced' }];
  t.equal(commitHash(null, reordered), commitHash(null, events), 'key order does not matter');
  t.equal(commitHash('f'.repeat(64), events), EXPECTED);
});
