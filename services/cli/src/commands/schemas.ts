import { catalog, catalogEntry } from '@blotter/schemas';
import type { Command } from '../command.ts';
import { UsageError } from '../context.ts';

export const schemas: Command = {
  name: 'schemas',
  summary: 'list the schema catalog, or print one schema with its versions',
  usage: 'schemas [NAME] [--json]',
  options: { json: { type: 'boolean' } },
  async run(ctx, v, positionals) {
    const [name] = positionals;
    if (!name) {
      if (v.json) ctx.json(catalog.map(({ name, kind, version, subject, description }) => ({ name, kind, version, subject, description })));
      else for (const e of catalog) ctx.print(`${e.name.padEnd(22)} ${e.kind.padEnd(10)} v${e.version}  ${e.description}`);
      return 0;
    }
    const entry = catalogEntry(name);
    if (!entry) throw new UsageError(`no schema named ${name}; \`blotter schemas\` lists them`);
    const doc = {
      name: entry.name,
      kind: entry.kind,
      version: entry.version,
      subject: entry.subject,
      description: entry.description,
      schema: entry.schema,
      examples: entry.examples,
      previousVersions: entry.previousVersions?.map((schema, i) => ({ version: i + 1, schema })) ?? [],
    };
    if (v.json) ctx.json(doc);
    else {
      ctx.print(`${entry.name} (${entry.kind}, version ${entry.version}${entry.subject ? `, subject ${entry.subject}` : ''})`);
      ctx.print(entry.description);
      ctx.print(`\nschema v${entry.version}:\n${JSON.stringify(entry.schema, null, 2)}`);
      for (const p of doc.previousVersions)
        ctx.print(`\nschema v${p.version} (upcast to v${entry.version} on read):\n${JSON.stringify(p.schema, null, 2)}`);
      ctx.print(`\nexample:\n${JSON.stringify(entry.examples[0], null, 2)}`);
    }
    return 0;
  },
};
