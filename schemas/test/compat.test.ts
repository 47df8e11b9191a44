// The compatibility rules, one targeted case each: what breaks a reader or writer of a published
// version is reported with the property and the reason; what only adds passes.
import t from 'tap';
import Type, { type TSchema } from 'typebox';
import { breakingChanges, compareWithSnapshots } from '../src/compat.ts';
import { plainJson } from '../src/json-schema.ts';

const base = {
  orderId: Type.String(),
  side: Type.Enum(['BUY', 'SELL']),
  quantity: Type.String({ pattern: '^[0-9]+$', maxLength: 40 }),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  released: Type.Object({ asset: Type.String(), amount: Type.String() }),
  fills: Type.Array(Type.Object({ price: Type.String() })),
  count: Type.Integer({ minimum: 0 }),
};
const v1 = Type.Object(base);
const diff = (next: TSchema, prev: TSchema = v1) => breakingChanges(plainJson(prev), plainJson(next));
const changed = (props: Record<string, TSchema | undefined>, options: { additionalProperties?: boolean } = {}) => {
  const next: Record<string, TSchema> = { ...base };
  for (const [k, v] of Object.entries(props)) {
    if (v) next[k] = v;
    else delete next[k];
  }
  return Type.Object(next, options);
};

t.test('the same schema, or one that only grows, is compatible', async (t) => {
  t.same(diff(v1), []);
  t.same(diff(changed({ note: Type.Optional(Type.String()) })), [], 'a new optional property');
  t.same(diff(changed({ side: Type.Enum(['BUY', 'SELL', 'SHORT']) })), [], 'a new enum value');
  t.same(diff(changed({ quantity: Type.String({ pattern: '^[0-9]+$', maxLength: 80 }) })), [], 'maxLength relaxed');
  t.same(diff(changed({ count: Type.Integer() })), [], 'minimum dropped');
  t.same(diff(changed({ quantity: Type.String({ pattern: '^[0-9]+$', maxLength: 40, description: 'x' }) })), [], 'a description');
  t.same(diff(v1, Type.Object(base, { additionalProperties: false })), [], 'additionalProperties false -> true');
});

t.test('each breaking change names the property and the reason', async (t) => {
  t.same(diff(changed({ reason: undefined })), ['property "reason": removed']);
  t.same(diff(changed({ quantity: Type.Number() })), ['property "quantity": type changed from string to number']);
  t.same(diff(changed({ note: Type.String() })), ['property "note": is new and required']);
  t.same(diff(changed({ reason: Type.String({ maxLength: 500 }) })), ['property "reason": was optional and is now required']);
  t.same(diff(changed({ side: Type.Enum(['BUY']) })), ['property "side": enum value "SELL" removed']);
  t.same(diff(changed({ orderId: Type.Enum(['a', 'b']) })), ['property "orderId": restricted to the values "a", "b"']);
  t.same(diff(changed({ quantity: Type.String({ pattern: '^[0-9]{1,8}$', maxLength: 40 }) })), [
    'property "quantity": pattern changed from "^[0-9]+$" to "^[0-9]{1,8}$"',
  ]);
  t.same(diff(changed({ orderId: Type.String({ format: 'uuid' }) })), ['property "orderId": format "uuid" added']);
  t.same(diff(changed({ quantity: Type.String({ pattern: '^[0-9]+$', maxLength: 20 }) })), [
    'property "quantity": maxLength tightened from 40 to 20',
  ]);
  t.same(diff(changed({ count: Type.Integer({ minimum: 1 }) })), ['property "count": minimum tightened from 0 to 1']);
  t.same(diff(changed({ orderId: Type.String({ minLength: 36 }) })), ['property "orderId": minLength 36 added']);
  t.same(diff(changed({}, { additionalProperties: false })), ['the schema: additionalProperties flipped to false']);
  t.same(diff(changed({ orderId: Type.Union([Type.String(), Type.Null()]) })), [
    'property "orderId": type changed from string to string | null',
  ]);
});

t.test('nested objects, arrays and unions are compared all the way down', async (t) => {
  t.same(diff(changed({ released: Type.Object({ asset: Type.String() }) })), ['property "released.amount": removed']);
  t.same(diff(changed({ fills: Type.Array(Type.Object({ price: Type.Number() })) })), [
    'property "fills[].price": type changed from string to number',
  ]);
  const tagged = (...types: string[]) => Type.Union(types.map((type) => Type.Object({ type: Type.Literal(type), n: Type.Integer() })));
  t.same(breakingChanges(plainJson(tagged('a', 'b')), plainJson(tagged('a', 'b', 'c'))), [], 'a new union variant');
  t.same(breakingChanges(plainJson(tagged('a', 'b')), plainJson(tagged('a'))), [
    'the schema: object with type "b" was removed from the union',
  ]);
  const nullable = (s: TSchema) => Type.Union([s, Type.Null()]);
  t.same(breakingChanges(plainJson(nullable(Type.String())), plainJson(nullable(Type.String({ maxLength: 3 })))), [
    'the schema: maxLength 3 added',
  ]);
});

t.test('snapshots: versions that disappear, frozen older versions, new schemas', async (t) => {
  const schema = plainJson(v1);
  const snapshots = [
    { name: 'A', version: 1, schema },
    { name: 'A', version: 2, schema },
    { name: 'Gone', version: 1, schema },
  ];
  const current = [
    { name: 'A', version: 1, schema: plainJson(changed({ note: Type.Optional(Type.String()) })), frozen: true },
    { name: 'New', version: 1, schema, frozen: false },
  ];
  const { breaking, unsnapshotted } = compareWithSnapshots(snapshots, current);
  t.same(breaking, [
    'A v1: an older event version is frozen (stored events and its upcaster depend on it) but its schema changed',
    'A v2: version 2 disappeared (the catalog has versions 1 to 1); stored data and clients still use it',
    'Gone v1: the schema disappeared from the catalog; stored data and clients still use it',
  ]);
  t.same(unsnapshotted, ['New.v1']);
  const reordered = { name: 'A', version: 1, frozen: true, schema: Object.fromEntries(Object.entries(schema).reverse()) };
  t.same(compareWithSnapshots([{ name: 'A', version: 1, schema }], [reordered]).breaking, [], 'keyword order is not a change');
});
