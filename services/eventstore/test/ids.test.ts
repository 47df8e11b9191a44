// Ids: UUIDv7 carries its creation time in the first 48 bits and sorts by it; name-derived ids are
// stable. Both are valid RFC 9562 UUIDs (version and variant bits).
import t from 'tap';
import { nameUuid, uuidv7 } from '../src/ids.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

t.test('uuidv7: version 7, RFC variant, the given milliseconds in the first 48 bits', async (t) => {
  for (const now of [0, 1, Date.UTC(2026, 10, 24, 21, 0, 0, 123), 2 ** 48 - 1]) {
    const id = uuidv7(now);
    t.match(id, V7, id);
    t.equal(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16), now, `time of ${id}`);
  }
});

t.test('uuidv7: unique, and ids of later milliseconds sort after earlier ones', async (t) => {
  const ids = Array.from({ length: 20_000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 100)));
  t.equal(new Set(ids).size, ids.length, 'no repeats');
  for (let i = 100; i < ids.length; i += 100) t.ok((ids[i - 1] as string) < (ids[i] as string), `ms ${i / 100} after ${i / 100 - 1}`);
  const defaults = [uuidv7(), uuidv7()];
  for (const id of defaults) t.match(id, V7);
});

t.test('nameUuid: the same name gives the same id, another name another one', async (t) => {
  t.equal(nameUuid('user/order-1'), nameUuid('user/order-1'));
  t.not(nameUuid('user/order-1'), nameUuid('user/order-2'));
  t.match(nameUuid('x'), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
