// The one JSON Schema document of a catalog entry (and of each older event version). The gateway's
// GET /api/schemas/:name, `blotter schemas NAME --json` and the `make schemas` export all print
// this document, so a developer sees the same thing wherever they look.
import type { TSchema } from 'typebox';
import { type CatalogEntry, catalog, catalogEntry } from './catalog.ts';
import type { SchemaListItem } from './http/schema-listing.ts';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
export const SCHEMA_BASE_URL = 'https://blotter.dev/schemas/';

export type JsonObject = { [key: string]: unknown };

/** A schema as plain JSON: drops TypeBox's non-enumerable markers and undefined values. */
export const plainJson = (schema: unknown): JsonObject => JSON.parse(JSON.stringify(schema));

/** `OrderPlaced.json` for the current version, `OrderPlaced.v1.json` for an older one. */
export const schemaFileName = (name: string, olderVersion?: number): string =>
  olderVersion === undefined ? `${name}.json` : `${name}.v${olderVersion}.json`;

export const schemaId = (name: string, olderVersion?: number): string => SCHEMA_BASE_URL + schemaFileName(name, olderVersion);

/** The schema an entry had at `version` (1-based); undefined for a version it never had. */
export function schemaAtVersion(entry: CatalogEntry, version: number): TSchema | undefined {
  if (version === entry.version) return entry.schema;
  return Number.isInteger(version) && version >= 1 ? entry.previousVersions?.[version - 1] : undefined;
}

/** Every version of every entry, oldest first: what the exports and the snapshots cover. */
export function allVersions(): { entry: CatalogEntry; version: number; schema: TSchema }[] {
  return catalog.flatMap((entry) =>
    Array.from({ length: entry.version }, (_, i) => ({ entry, version: i + 1, schema: schemaAtVersion(entry, i + 1) as TSchema })),
  );
}

/**
 * The JSON Schema (draft 2020-12) document of an entry at one of its versions, the current one by
 * default. The current document lists the older versions' schemas under `x-previous-versions`; an
 * older version's document says which version readers receive it upcast to.
 */
export function jsonSchemaDocument(entry: CatalogEntry, version: number = entry.version): JsonObject {
  const schema = schemaAtVersion(entry, version);
  if (!schema) throw new Error(`${entry.name} has no version ${version}`);
  const current = version === entry.version;
  const { description: _own, examples: _ownExamples, ...body } = plainJson(schema);
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: schemaId(entry.name, current ? undefined : version),
    title: entry.name,
    description: current
      ? entry.description
      : `${entry.description} (version ${version}: stored events keep this shape; readers receive them upcast to version ${entry.version})`,
    'x-kind': entry.kind,
    'x-version': version,
    ...(current ? {} : { 'x-latest-version': entry.version }),
    ...(entry.subject ? { 'x-subject': entry.subject } : {}),
    ...body,
    ...(current ? { examples: plainJson(entry.examples) } : {}),
    ...(current && entry.previousVersions?.length
      ? {
          'x-previous-versions': entry.previousVersions.map((s, i) => ({
            version: i + 1,
            $id: schemaId(entry.name, i + 1),
            schema: plainJson(s),
          })),
        }
      : {}),
  };
}

/** The catalog as GET /api/schemas and `blotter schemas` list it. */
export const schemaListing = (): SchemaListItem[] =>
  catalog.map(({ name, kind, version, subject, description }) => ({ name, kind, version, ...(subject ? { subject } : {}), description }));

export type SchemaLookup = { ok: true; entry: CatalogEntry; version: number; document: JsonObject } | { ok: false; message: string };

/**
 * Finds a document by name, optionally versioned: `OrderPlaced`, `OrderPlaced.v1`, or a name with
 * `version` given separately (the `?version=` of the API, the `--version` of the CLI).
 */
export function findSchemaDocument(ref: string, version?: number): SchemaLookup {
  const versioned = /^(.+)\.v([0-9]+)$/.exec(ref);
  const name = versioned ? (versioned[1] as string) : ref;
  const fromName = versioned ? Number(versioned[2]) : undefined;
  if (fromName !== undefined && version !== undefined && fromName !== version) {
    return { ok: false, message: `${ref} names version ${fromName} but version ${version} was asked for` };
  }
  const entry = catalogEntry(name);
  if (!entry) return { ok: false, message: `no schema named ${name}` };
  const wanted = fromName ?? version ?? entry.version;
  if (!schemaAtVersion(entry, wanted)) {
    return { ok: false, message: `${name} has no version ${wanted} (versions 1 to ${entry.version})` };
  }
  return { ok: true, entry, version: wanted, document: jsonSchemaDocument(entry, wanted) };
}
