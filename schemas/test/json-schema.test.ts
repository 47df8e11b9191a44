// The one JSON Schema document per catalog entry and version, and the versioned lookup that the API
// and the CLI share.
import t from 'tap';
import { Compile } from 'typebox/compile';
import { catalog } from '../src/catalog.ts';
import { findSchemaDocument, JSON_SCHEMA_DIALECT, jsonSchemaDocument, schemaListing } from '../src/json-schema.ts';

t.test('every entry is a draft 2020-12 document that accepts its examples and nothing else', async (t) => {
  for (const entry of catalog) {
    const doc = jsonSchemaDocument(entry);
    t.match(doc, { $schema: JSON_SCHEMA_DIALECT, $id: `https://blotter.dev/schemas/${entry.name}.json`, title: entry.name }, entry.name);
    t.match(doc, { description: entry.description, 'x-kind': entry.kind, 'x-version': entry.version });
    t.equal(doc['x-subject'], entry.subject, `${entry.name} subject`);
    t.notOk('~kind' in doc, 'plain JSON, no TypeBox markers');
    const check = Compile(doc as never);
    for (const example of entry.examples) t.ok(check.Check(example), `${entry.name} accepts its example`);
    t.notOk(check.Check(42), `${entry.name} refuses a number`);
  }
});

t.test('an event with an older version: the current document lists it, and it has its own document', async (t) => {
  const placed = findSchemaDocument('OrderPlaced');
  if (!placed.ok) throw new Error(placed.message);
  t.match(placed.document, {
    'x-version': 2,
    properties: { baseAsset: Object },
    'x-previous-versions': [{ version: 1, $id: 'https://blotter.dev/schemas/OrderPlaced.v1.json', schema: { type: 'object' } }],
  });
  const v1 = findSchemaDocument('OrderPlaced.v1');
  if (!v1.ok) throw new Error(v1.message);
  t.match(v1.document, { $id: 'https://blotter.dev/schemas/OrderPlaced.v1.json', 'x-version': 1, 'x-latest-version': 2 });
  t.notOk((v1.document.properties as object) && 'baseAsset' in (v1.document.properties as object), 'v1 has no baseAsset');
  t.notOk('examples' in v1.document, 'no example pretends to be v1');
  t.same(findSchemaDocument('OrderPlaced', 1), v1, '?version=1 is the same document');
  t.same(findSchemaDocument('OrderPlaced.v2'), placed, 'the current version by number is the current document');
});

t.test('lookups that do not resolve say why', async (t) => {
  t.same(findSchemaDocument('OrderTeleported'), { ok: false, message: 'no schema named OrderTeleported' });
  t.same(findSchemaDocument('OrderPlaced.v3'), { ok: false, message: 'OrderPlaced has no version 3 (versions 1 to 2)' });
  t.same(findSchemaDocument('OrderAccepted', 0), { ok: false, message: 'OrderAccepted has no version 0 (versions 1 to 1)' });
  t.same(findSchemaDocument('OrderPlaced.v1', 2), { ok: false, message: 'OrderPlaced.v1 names version 1 but version 2 was asked for' });
});

t.test('the listing keeps its public shape', async (t) => {
  const listing = schemaListing();
  t.equal(listing.length, catalog.length);
  for (const item of listing)
    t.same(Object.keys(item).sort(), ['description', 'kind', 'name', 'version', ...(item.subject ? ['subject'] : [])].sort());
  t.match(
    listing.find((i) => i.name === 'OrderPlaced'),
    { kind: 'event', version: 2, subject: String },
  );
});
