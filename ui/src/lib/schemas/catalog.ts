// The schema catalog for developers (GET /api/schemas and /api/schemas/:name): searching the list,
// and turning a JSON Schema document into rows a person can read. Pure, no Svelte.
import type { SchemaListItem } from '@blotter/schemas';
import Type, { type Static } from 'typebox';

/** A JSON Schema document: any JSON object. */
export const SchemaDocument = Type.Record(Type.String(), Type.Unknown());
export type SchemaDocument = Static<typeof SchemaDocument>;

export const KIND_LABELS: Record<string, string> = {
  event: 'Events',
  command: 'Commands',
  'read-model': 'Read models',
  http: 'HTTP bodies',
  message: 'Messages',
};
export const kindLabel = (kind: string) => KIND_LABELS[kind] ?? kind;

/** Entries matching every word of `query` (in name, kind, subject or description) and `kind`. */
export function searchCatalog(list: readonly SchemaListItem[], query: string, kind = ''): SchemaListItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return list.filter((s) => {
    if (kind && s.kind !== kind) return false;
    const hay = `${s.name} ${s.kind} ${s.subject ?? ''} ${s.description}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** Kinds in catalog order, each once. */
export const kindsOf = (list: readonly SchemaListItem[]): string[] => [...new Set(list.map((s) => s.kind))];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A readable type: `string`, `"BUY" | "SELL"`, `string | null`, `array of object`, `decimal string`. */
export function typeOf(schema: unknown): string {
  if (!isObject(schema)) return 'any';
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null) as unknown[] | null;
  if (union) return [...new Set(union.map(typeOf))].join(' | ');
  if (typeof schema.$ref === 'string') return schema.$ref.replace(/^.*\//, '').replace(/\.json$/, '');
  const t = schema.type;
  if (Array.isArray(t)) return t.join(' | ');
  if (t === 'array') return `array of ${typeOf(schema.items)}`;
  if (t === 'string' && typeof schema.format === 'string') return `string (${schema.format})`;
  if (typeof t === 'string') return t;
  if (isObject(schema.properties)) return 'object';
  return 'any';
}

/** Validation keywords worth showing next to the type. */
export function constraintsOf(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  const union = (Array.isArray(schema.anyOf) ? schema.anyOf : []) as unknown[];
  if (union.length) return [...new Set(union.flatMap(constraintsOf))];
  const out: string[] = [];
  if (typeof schema.pattern === 'string') out.push(`pattern ${schema.pattern}`);
  for (const k of ['minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'] as const) {
    if (typeof schema[k] === 'number') out.push(`${k} ${schema[k]}`);
  }
  return out;
}

function descriptionOf(schema: unknown): string {
  if (!isObject(schema)) return '';
  if (typeof schema.description === 'string') return schema.description;
  const union = (Array.isArray(schema.anyOf) ? schema.anyOf : []) as unknown[];
  for (const s of union) {
    const d = descriptionOf(s);
    if (d) return d;
  }
  return '';
}

export interface PropertyRow {
  /** Dotted for nested objects ("reserved.amount"), `[]` for array items ("deposits[].asset"). */
  name: string;
  depth: number;
  type: string;
  required: boolean;
  description: string;
  constraints: string[];
}

/** The object members of an object schema, or of the object items of an array schema. */
function objectOf(schema: unknown): Json | null {
  if (!isObject(schema)) return null;
  if (isObject(schema.properties)) return schema;
  if (schema.type === 'array' && isObject(schema.items) && isObject(schema.items.properties)) return schema.items;
  const union = (Array.isArray(schema.anyOf) ? schema.anyOf : []) as unknown[];
  const objects = union.map(objectOf).filter((o): o is Json => o !== null);
  return objects.length === 1 ? (objects[0] ?? null) : null;
}

/** Every property of an object schema, nested ones after their parent. */
export function propertyRows(schema: unknown, prefix = '', depth = 0): PropertyRow[] {
  const obj = objectOf(schema);
  if (!obj || !isObject(obj.properties) || depth > 6) return [];
  const required = new Set(Array.isArray(obj.required) ? obj.required.filter((r): r is string => typeof r === 'string') : []);
  return Object.entries(obj.properties).flatMap(([key, prop]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    const row: PropertyRow = {
      name,
      depth,
      type: typeOf(prop),
      required: required.has(key),
      description: descriptionOf(prop),
      constraints: constraintsOf(prop),
    };
    const nestedPrefix = isObject(prop) && prop.type === 'array' ? `${name}[]` : name;
    return [row, ...propertyRows(prop, nestedPrefix, depth + 1)];
  });
}

export interface PreviousVersion {
  version: number;
  schema: Json;
}

export function previousVersions(doc: SchemaDocument): PreviousVersion[] {
  const list = doc['x-previous-versions'];
  if (!Array.isArray(list)) return [];
  return list
    .filter((v): v is { version: number; schema: Json } => isObject(v) && typeof v.version === 'number' && isObject(v.schema))
    .map((v) => ({ version: v.version, schema: v.schema }))
    .sort((a, b) => b.version - a.version);
}

export const examplesOf = (doc: SchemaDocument): unknown[] => (Array.isArray(doc.examples) ? doc.examples : []);

export interface VersionChange {
  added: string[];
  removed: string[];
  changed: string[];
}

/** What changed in the properties from an older schema to a newer one. */
export function changesBetween(older: unknown, newer: unknown): VersionChange {
  const a = new Map(propertyRows(older).map((r) => [r.name, r]));
  const b = new Map(propertyRows(newer).map((r) => [r.name, r]));
  const added = [...b.keys()].filter((k) => !a.has(k));
  const removed = [...a.keys()].filter((k) => !b.has(k));
  const changed = [...b.keys()].filter((k) => {
    const x = a.get(k);
    const y = b.get(k);
    return x && y && (x.type !== y.type || x.required !== y.required);
  });
  return { added, removed, changed };
}

/** `OrderPlaced.v1` → { name: 'OrderPlaced', version: 1 }; a plain name has no version. */
export function parseSchemaRef(ref: string): { name: string; version: number | null } {
  const m = /^(.+)\.v([0-9]+)$/.exec(ref);
  return m ? { name: m[1] as string, version: Number(m[2]) } : { name: ref, version: null };
}

/** Pretty JSON for a code block. */
export const prettyJson = (v: unknown) => JSON.stringify(v, null, 2);
