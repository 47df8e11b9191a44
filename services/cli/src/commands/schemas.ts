// `blotter schemas`: the catalog, or one schema as the same JSON Schema document the API serves
// (GET /api/schemas/:name) and `make schemas` exports. NAME may carry a version: OrderPlaced.v1.
import { findSchemaDocument, schemaListing } from '@blotter/schemas/json-schema';
import type { Command } from '../command.ts';
import { UsageError } from '../context.ts';

export const schemas: Command = {
  name: 'schemas',
  summary: 'list the schema catalog, or print one schema (any version) as a JSON Schema document',
  usage: 'schemas [NAME[.vN]] [--version N] [--json]',
  options: { json: { type: 'boolean' }, version: { type: 'string' } },
  help: { version: 'an earlier version of NAME (as NAME.vN does)', json: 'print the JSON Schema document (or the catalog) as JSON' },
  async run(ctx, v, positionals) {
    const [name] = positionals;
    if (!name) {
      const listing = schemaListing();
      if (v.json) ctx.json(listing);
      else for (const e of listing) ctx.print(`${e.name.padEnd(22)} ${e.kind.padEnd(10)} v${e.version}  ${e.description}`);
      return 0;
    }
    const version = typeof v.version === 'string' ? Number(v.version) : undefined;
    if (version !== undefined && !(Number.isInteger(version) && version >= 1)) throw new UsageError('--version takes a positive integer');
    const found = findSchemaDocument(name, version);
    if (!found.ok) throw new UsageError(`${found.message}; \`blotter schemas\` lists them`);
    if (v.json) {
      ctx.json(found.document);
      return 0;
    }
    const { entry, document } = found;
    const { $schema, $id, title, description, examples, 'x-previous-versions': previous, ...rest } = document;
    const schema = Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('x-')));
    ctx.print(`${title} (${entry.kind}, version ${found.version} of ${entry.version}${entry.subject ? `, subject ${entry.subject}` : ''})`);
    ctx.print(String(description));
    ctx.print(`${$id}`);
    ctx.print(`\nschema v${found.version}:\n${JSON.stringify(schema, null, 2)}`);
    for (const p of Array.isArray(previous) ? (previous as { version: number; schema: unknown }[]) : [])
      ctx.print(`\nschema v${p.version} (upcast to v${entry.version} on read):\n${JSON.stringify(p.schema, null, 2)}`);
    if (Array.isArray(examples) && examples.length > 0) ctx.print(`\nexample:\n${JSON.stringify(examples[0], null, 2)}`);
    return 0;
  },
};
