// `make schemas` (= `pnpm --filter @blotter/schemas run schemas`): writes every catalog entry as a
// JSON Schema document and the AsyncAPI document of the NATS side:
//   schemas/dist/json-schema/<Name>.json      the current version
//   schemas/dist/json-schema/<Name>.v<N>.json each older event version
//   schemas/dist/asyncapi.json
// The OpenAPI document is not exported: the gateway generates it from its routes (/openapi.json).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { asyncApiDocument } from '../asyncapi.ts';
import { allVersions, jsonSchemaDocument, schemaFileName } from '../json-schema.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = values.out ?? join(dirname(fileURLToPath(import.meta.url)), '../../dist');
const jsonDir = join(out, 'json-schema');

// Start clean so a schema removed from the catalog does not linger in the export.
rmSync(jsonDir, { recursive: true, force: true });
mkdirSync(jsonDir, { recursive: true });
const write = (file: string, doc: unknown) => writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);

const versions = allVersions();
for (const { entry, version } of versions) {
  write(join(jsonDir, schemaFileName(entry.name, version === entry.version ? undefined : version)), jsonSchemaDocument(entry, version));
}
write(join(out, 'asyncapi.json'), asyncApiDocument());
process.stdout.write(
  `${versions.length} JSON Schema documents in ${relative(process.cwd(), jsonDir) || '.'}, AsyncAPI in ${relative(process.cwd(), join(out, 'asyncapi.json'))}\n`,
);
