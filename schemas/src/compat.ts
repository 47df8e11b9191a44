// The compatibility rules for a published schema version. Stored events are never rewritten and
// clients are never all upgraded at once, so a version, once published, may only grow: whatever it
// accepted must stay acceptable and whatever it promised must stay there. Pure functions over plain
// JSON Schemas; the compatibility test runs them against the committed snapshots.
//
// Breaking (reported): a property removed; a type changed (narrowed or widened: a reader of a
// string does not expect null); a new required property, or an optional one made required; an enum
// or const value removed, or a value restricted to an enum/const; a pattern or format added or
// changed (regular languages are not compared: any change counts); maxLength/maxItems/maximum
// lowered or added, minLength/minItems/minimum raised or added; additionalProperties flipped to
// false; a union variant (a discriminated object or const) removed.
// Not breaking: a new optional property, a new enum value or union variant, a bound relaxed or
// dropped, descriptions and examples.

type Schema = { readonly [key: string]: unknown };

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const asSchema = (v: unknown): Schema => (v === false ? { not: {} } : isObject(v) ? v : {});
const show = (v: unknown) => JSON.stringify(v);
/** JSON with sorted keys: two schemas are the same whatever order their keywords were written in. */
const canonical = (v: unknown): string =>
  isObject(v)
    ? `{${Object.keys(v)
        .sort()
        .map((k) => `${show(k)}:${canonical(v[k])}`)
        .join(',')}}`
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : show(v);

/** The ways `next` would break a reader or writer of `previous`; [] when it is compatible. */
export function breakingChanges(previous: unknown, next: unknown): string[] {
  const out: string[] = [];
  compare(asSchema(previous), asSchema(next), '', out);
  return out;
}

const where = (path: string) => (path ? `property "${path}"` : 'the schema');
const child = (path: string, key: string) => (path ? `${path}.${key}` : key);

function variants(s: Schema): Schema[] {
  const union = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : null;
  return union ? union.map(asSchema).flatMap(variants) : [s];
}

/** A variant's identity inside a union: its type, or its const, or its object discriminator. */
function label(s: Schema): string {
  if ('const' in s) return `const ${show(s.const)}`;
  if (isObject(s.properties)) {
    const tag = Object.entries(s.properties).find(([, p]) => isObject(p) && 'const' in p);
    if (tag) return `object with ${tag[0]} ${show((tag[1] as Schema).const)}`;
  }
  if (s.type !== undefined) return [s.type].flat().map(String).sort().join('|');
  return Array.isArray(s.enum) ? 'enum' : 'any';
}

const isTagged = (l: string) => l.startsWith('const ') || l.startsWith('object with ');
const describe = (vs: Schema[]) => vs.map(label).join(' | ');

function compare(prev: Schema, next: Schema, path: string, out: string[]): void {
  const pv = variants(prev);
  const nv = variants(next);
  if (pv.length === 1 && nv.length === 1) {
    compareOne(pv[0] as Schema, nv[0] as Schema, path, out);
    return;
  }
  const plain = (vs: Schema[]) => [...new Set(vs.map(label).filter((l) => !isTagged(l)))].sort().join(' | ');
  if (plain(pv) !== plain(nv)) {
    out.push(`${where(path)}: type changed from ${describe(pv)} to ${describe(nv)}`);
    return;
  }
  const unmatched = [...nv];
  for (const p of pv) {
    const i = unmatched.findIndex((n) => label(n) === label(p));
    if (i < 0) {
      out.push(`${where(path)}: ${label(p)} was removed from the union`);
      continue;
    }
    compareOne(p, unmatched[i] as Schema, path, out);
    unmatched.splice(i, 1);
  }
}

const typeOf = (s: Schema): string | null => (s.type === undefined ? null : [s.type].flat().map(String).sort().join('|'));

const UPPER_BOUNDS = ['maxLength', 'maxItems', 'maxProperties', 'maximum', 'exclusiveMaximum'] as const;
const LOWER_BOUNDS = ['minLength', 'minItems', 'minProperties', 'minimum', 'exclusiveMinimum'] as const;

function compareOne(prev: Schema, next: Schema, path: string, out: string[]): void {
  const at = where(path);
  const [pt, nt] = [typeOf(prev), typeOf(next)];
  if (pt !== nt && nt !== null) {
    out.push(`${at}: type changed from ${pt ?? 'any'} to ${nt}`);
    return;
  }
  if ('const' in next && (!('const' in prev) || show(prev.const) !== show(next.const))) {
    out.push(`${at}: ${'const' in prev ? `value changed from ${show(prev.const)}` : 'restricted'} to ${show(next.const)}`);
  }
  if (Array.isArray(next.enum)) {
    const allowed = new Set(next.enum.map(show));
    if (Array.isArray(prev.enum)) {
      const removed = prev.enum.filter((v) => !allowed.has(show(v)));
      if (removed.length > 0) out.push(`${at}: enum value${removed.length > 1 ? 's' : ''} ${removed.map(show).join(', ')} removed`);
    } else if (!('const' in prev && allowed.has(show(prev.const)))) {
      out.push(`${at}: restricted to the values ${next.enum.map(show).join(', ')}`);
    }
  }
  for (const key of ['pattern', 'format'] as const) {
    if (next[key] !== undefined && next[key] !== prev[key]) {
      out.push(
        `${at}: ${key} ${prev[key] === undefined ? `${show(next[key])} added` : `changed from ${show(prev[key])} to ${show(next[key])}`}`,
      );
    }
  }
  for (const [keys, stricter] of [
    [UPPER_BOUNDS, (p: number, n: number) => n < p],
    [LOWER_BOUNDS, (p: number, n: number) => n > p],
  ] as const) {
    for (const key of keys) {
      const [p, n] = [prev[key], next[key]];
      if (typeof n !== 'number') continue;
      if (typeof p !== 'number') out.push(`${at}: ${key} ${n} added`);
      else if (stricter(p, n)) out.push(`${at}: ${key} tightened from ${p} to ${n}`);
    }
  }
  if (typeof next.multipleOf === 'number' && (typeof prev.multipleOf !== 'number' || prev.multipleOf % next.multipleOf !== 0)) {
    out.push(`${at}: multipleOf ${next.multipleOf} is stricter than ${prev.multipleOf ?? 'none'}`);
  }
  if (next.uniqueItems === true && prev.uniqueItems !== true) out.push(`${at}: uniqueItems added`);
  compareObject(prev, next, path, out);
  if (next.items !== undefined && next.items !== true) {
    if (prev.items === undefined || prev.items === true) out.push(`${at}: items restricted`);
    else compare(asSchema(prev.items), asSchema(next.items), `${path}[]`, out);
  }
}

function compareObject(prev: Schema, next: Schema, path: string, out: string[]): void {
  const pp = isObject(prev.properties) ? prev.properties : {};
  const np = isObject(next.properties) ? next.properties : {};
  for (const [key, schema] of Object.entries(pp)) {
    if (key in np) compare(asSchema(schema), asSchema(np[key]), child(path, key), out);
    else out.push(`${where(child(path, key))}: removed`);
  }
  const wasRequired = new Set(Array.isArray(prev.required) ? prev.required : []);
  for (const key of Array.isArray(next.required) ? next.required : []) {
    if (wasRequired.has(key)) continue;
    out.push(`${where(child(path, String(key)))}: ${key in pp ? 'was optional and is now required' : 'is new and required'}`);
  }
  const [pa, na] = [prev.additionalProperties, next.additionalProperties];
  if (na === false && pa !== false) out.push(`${where(path)}: additionalProperties flipped to false`);
  else if (isObject(na) && isObject(pa)) compare(pa, na, `${path}{*}`, out);
}

// ---------------------------------------------------------------------------------------------
// The catalog against its snapshots.

export interface VersionedSchema {
  name: string;
  version: number;
  schema: unknown;
}

export interface CurrentSchema extends VersionedSchema {
  /** An older event version: stored events were written with it, so it may not change at all. */
  frozen: boolean;
}

export interface SnapshotComparison {
  /** One line per break, each naming the schema, its version and the reason. */
  breaking: string[];
  /** Published name+versions that have no snapshot yet (new schemas and versions: allowed). */
  unsnapshotted: string[];
}

const key = (s: VersionedSchema) => `${s.name}.v${s.version}`;

export function compareWithSnapshots(snapshots: readonly VersionedSchema[], current: readonly CurrentSchema[]): SnapshotComparison {
  const now = new Map(current.map((c) => [key(c), c]));
  const breaking: string[] = [];
  for (const snap of snapshots) {
    const label = `${snap.name} v${snap.version}`;
    const cur = now.get(key(snap));
    if (!cur) {
      const versions = current.filter((c) => c.name === snap.name).length;
      breaking.push(
        versions > 0
          ? `${label}: version ${snap.version} disappeared (the catalog has versions 1 to ${versions}); stored data and clients still use it`
          : `${label}: the schema disappeared from the catalog; stored data and clients still use it`,
      );
      continue;
    }
    const changes = breakingChanges(snap.schema, cur.schema).map((c) => `${label}: ${c}`);
    if (cur.frozen && canonical(snap.schema) !== canonical(cur.schema)) {
      breaking.push(
        `${label}: an older event version is frozen (stored events and its upcaster depend on it) but its schema changed` +
          (changes.length > 0 ? `: ${changes.map((c) => c.slice(label.length + 2)).join('; ')}` : ''),
      );
    } else breaking.push(...changes);
  }
  const snapped = new Set(snapshots.map(key));
  return { breaking, unsnapshotted: current.filter((c) => !snapped.has(key(c))).map(key) };
}
