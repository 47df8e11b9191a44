import type { SchemaKind, SchemaListItem } from '@blotter/schemas';
import t from 'tap';
import {
  changesBetween,
  constraintsOf,
  examplesOf,
  kindsOf,
  parseSchemaRef,
  previousVersions,
  propertyRows,
  searchCatalog,
  typeOf,
} from '../src/lib/schemas/catalog.ts';

const item = (name: string, kind: SchemaKind, description = ''): SchemaListItem => ({ name, kind, version: 1, description });
const LIST = [
  item('OrderPlaced', 'event', 'A trader placed an order'),
  item('OrderFilled', 'event', 'One execution'),
  item('PlaceOrder', 'command', 'Place an order'),
  item('Position', 'read-model', 'Average cost'),
];

t.test('search by name, kind and description words', async (t) => {
  t.same(
    searchCatalog(LIST, 'order').map((s) => s.name),
    ['OrderPlaced', 'OrderFilled', 'PlaceOrder'],
  );
  t.same(
    searchCatalog(LIST, 'ORDER placed').map((s) => s.name),
    ['OrderPlaced'],
  );
  t.same(
    searchCatalog(LIST, '', 'command').map((s) => s.name),
    ['PlaceOrder'],
  );
  t.same(
    searchCatalog(LIST, 'read-model').map((s) => s.name),
    ['Position'],
  );
  t.same(searchCatalog(LIST, 'nothing like it'), []);
  t.same(kindsOf(LIST), ['event', 'command', 'read-model']);
});

const decimal = { type: 'string', pattern: '^[0-9]+$', maxLength: 40, description: 'A decimal string' };
const v2 = {
  type: 'object',
  required: ['side', 'quantity', 'reserved', 'baseAsset'],
  properties: {
    side: { enum: ['BUY', 'SELL'] },
    quantity: decimal,
    price: { anyOf: [decimal, { type: 'null' }] },
    baseAsset: { type: 'string' },
    reserved: { type: 'object', required: ['amount'], properties: { amount: decimal, asset: { type: 'string' } } },
    deposits: { type: 'array', items: { type: 'object', properties: { asset: { type: 'string' } } } },
    at: { type: 'string', format: 'date-time' },
    tags: { type: 'array', items: { type: 'string' } },
  },
  examples: [{ side: 'BUY' }],
  'x-previous-versions': [
    {
      version: 1,
      schema: {
        type: 'object',
        required: ['side'],
        properties: { side: { enum: ['BUY', 'SELL'] }, quantity: { type: 'number' }, old: { type: 'string' } },
      },
    },
  ],
};

t.test('types, constraints and rows a person can read', async (t) => {
  t.equal(typeOf(v2.properties.side), '"BUY" | "SELL"');
  t.equal(typeOf(v2.properties.price), 'string | null');
  t.equal(typeOf(v2.properties.at), 'string (date-time)');
  t.equal(typeOf(v2.properties.tags), 'array of string');
  t.equal(typeOf({ const: 'x' }), '"x"');
  t.equal(typeOf({ $ref: 'https://blotter.dev/schemas/Order.json' }), 'Order');
  t.equal(typeOf(null), 'any');
  t.same(constraintsOf(v2.properties.price), ['pattern ^[0-9]+$', 'maxLength 40']);
  const rows = propertyRows(v2);
  t.same(
    rows.map((r) => [r.name, r.depth, r.required]),
    [
      ['side', 0, true],
      ['quantity', 0, true],
      ['price', 0, false],
      ['baseAsset', 0, true],
      ['reserved', 0, true],
      ['reserved.amount', 1, true],
      ['reserved.asset', 1, false],
      ['deposits', 0, false],
      ['deposits[].asset', 1, false],
      ['at', 0, false],
      ['tags', 0, false],
    ],
  );
  t.equal(rows.find((r) => r.name === 'price')?.description, 'A decimal string', 'descriptions from inside a nullable');
  t.same(propertyRows({ type: 'string' }), []);
});

t.test('examples, older versions and what changed', async (t) => {
  t.same(examplesOf(v2), [{ side: 'BUY' }]);
  t.same(examplesOf({}), []);
  t.same(
    previousVersions(v2).map((v) => v.version),
    [1],
  );
  t.same(previousVersions({ 'x-previous-versions': 'nope' }), []);
  const c = changesBetween(v2['x-previous-versions'][0]?.schema, v2);
  t.same(c.removed, ['old']);
  t.ok(c.added.includes('baseAsset') && c.added.includes('reserved.amount'));
  t.same(c.changed, ['quantity'], 'number → string, optional → required');
  t.same(parseSchemaRef('OrderPlaced.v1'), { name: 'OrderPlaced', version: 1 });
  t.same(parseSchemaRef('OrderPlaced'), { name: 'OrderPlaced', version: null });
});
