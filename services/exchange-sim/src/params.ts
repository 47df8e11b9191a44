// Request parameters as Binance reads them: one flat map from the query string and the form body
// together (a name in both: the query string wins, as rest-api.md says), with Binance's own
// complaints for duplicated, missing and malformed values.
import { Big } from './decimal.ts';
import { DECIMAL_RANGE, errors } from './errors.ts';

const DECIMAL_RE = new RegExp(DECIMAL_RANGE);
const INTEGER_RE = /^[0-9]{1,20}$/;

export class Params {
  private constructor(private readonly map: ReadonlyMap<string, string>) {}

  static fromPairs(pairs: Iterable<[string, string]>): Params {
    const map = new Map<string, string>();
    for (const [k, v] of pairs) {
      if (map.has(k)) throw errors.duplicateParam();
      map.set(k, v);
    }
    return new Params(map);
  }

  /** Query string and body of one request; each may repeat no name, the query wins between them. */
  static fromSources(query: Iterable<[string, string]>, body: Iterable<[string, string]>): Params {
    const fromQuery = Params.fromPairs(query).map;
    const merged = new Map(Params.fromPairs(body).map);
    for (const [k, v] of fromQuery) merged.set(k, v);
    return new Params(merged);
  }

  static fromObject(obj: Record<string, unknown>): Params {
    const pairs: [string, string][] = [];
    for (const [k, v] of Object.entries(obj)) {
      if (v === undefined || v === null) continue;
      pairs.push([k, Array.isArray(v) ? JSON.stringify(v) : String(v)]);
    }
    return Params.fromPairs(pairs);
  }

  /** Present and not empty: Binance treats `price=` like a missing price. */
  has(name: string): boolean {
    const v = this.map.get(name);
    return v !== undefined && v !== '';
  }

  string(name: string): string | undefined {
    return this.has(name) ? this.map.get(name) : undefined;
  }

  required(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw errors.mandatory(name);
    return v;
  }

  decimal(name: string): Big | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!DECIMAL_RE.test(v)) throw errors.illegalChars(name, DECIMAL_RANGE);
    return new Big(v);
  }

  /** The literal text, for precision checks that must see "0.100" as three decimals. */
  raw(name: string): string | undefined {
    return this.string(name);
  }

  integer(name: string): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!INTEGER_RE.test(v)) throw errors.illegalChars(name, '^[0-9]{1,20}$');
    return Number(v);
  }

  limit(name: string, fallback: number, max: number): number {
    const v = this.integer(name) ?? fallback;
    if (v < 1 || v > max) throw errors.invalidParam(name);
    return v;
  }

  enumOf<T extends string>(name: string, allowed: readonly T[], invalid: () => Error): T | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const found = allowed.find((a) => a === v);
    if (found === undefined) throw invalid();
    return found;
  }

  /** true / false as Binance spells them; anything else is -1100. */
  boolean(name: string): boolean | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const lower = v.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw errors.illegalChars(name, 'true, false');
    return lower === 'true';
  }

  /** A timestamp in milliseconds; Binance also takes microseconds (16 digits). */
  millis(name: string): number | undefined {
    const v = this.integer(name);
    if (v === undefined) return undefined;
    return v >= 1e14 ? Math.floor(v / 1000) : v;
  }

  keys(): string[] {
    return [...this.map.keys()];
  }

  /** A copy without the named parameters. */
  without(...names: string[]): Params {
    const map = new Map(this.map);
    for (const n of names) map.delete(n);
    return new Params(map);
  }
}
