// Seeded generators of hostile input for the fuzz suites. Everything is drawn from one PRNG
// (mulberry32), so a seed reproduces a run's requests exactly: FUZZ_SEED=<n> tap <file>.

export interface Rng {
  readonly seed: number;
  next(): number;
  int(n: number): number;
  range(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight: [[weight, value], ...]. */
  weighted<T>(items: readonly (readonly [number, T])[]): T;
}

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    range: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]) => items[int(items.length)] as T,
    weighted: <T>(items: readonly (readonly [number, T])[]) => {
      const total = items.reduce((s, [w]) => s + w, 0);
      let x = next() * total;
      for (const [w, v] of items) {
        x -= w;
        if (x < 0) return v;
      }
      return (items.at(-1) as readonly [number, T])[1];
    },
  };
}

/** The seed of this run: FUZZ_SEED if set, else a fresh one (always printed by the suites). */
export const fuzzSeed = (): number => {
  const env = process.env.FUZZ_SEED;
  return env && /^[0-9]+$/.test(env) ? Number(env) : Math.floor(Math.random() * 2 ** 31);
};

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const alnum = (r: Rng, n: number) => Array.from({ length: n }, () => ALNUM[r.int(ALNUM.length)]).join('');

/** Strings that have broken parsers, loggers, databases and subject names before. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\u00a0',
  '\u2028\u2029',
  '\u0000',
  'a\u0000b',
  '\u0007\u0008\u001b[31mred\u001b[0m',
  '\u202eRTL override',
  '\u200b\u200c\u200d\ufeff',
  'e\u0301\u0301\u0301',
  '🚀💸🔥',
  '👨‍👩‍👧‍👦',
  '\ud800',
  '\udfff\ud800',
  '中文字符',
  '١٢٣٤',
  '１２３',
  'ВТСUSDT',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-Infinity',
  '[]',
  '{}',
  '{"a":1}',
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  '$(reboot)',
  '`id`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style lookup, on purpose
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '..%2f..%2f',
  '%00',
  '%ff%fe',
  '%',
  '%%',
  '+',
  '&',
  '=',
  '?',
  '#',
  '/',
  '\\',
  '*',
  '>',
  'a.b.c',
  'a.*.>',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'BTCUSDT',
  'btcusdt',
  'DOGEUSDT',
  'ADMIN',
  'auditor',
  'trader',
];

export const NASTY_NUMBERS: readonly number[] = [
  0,
  -0,
  1,
  -1,
  0.1,
  1.5,
  -1.5,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
  1e-7,
  123456789.12345679,
];

/** Decimal-looking strings the contract refuses (and a few edge ones it accepts). */
export const NASTY_DECIMALS: readonly string[] = [
  '-1',
  '-0',
  '+1',
  '-0.001',
  '1e5',
  '1E5',
  '1e-7',
  '1e+3',
  '1e309',
  ' 1',
  '1 ',
  ' 1 ',
  '\t1',
  '1\n',
  '\u00a01',
  '1\u0000',
  '1.',
  '.5',
  '1..2',
  '1.2.3',
  '1,5',
  '1_000',
  '0x10',
  '0b1',
  '0o7',
  '١',
  '１',
  '½',
  'Infinity',
  'NaN',
  '',
  '.',
  '-',
  '0',
  '0.0',
  '00.1',
  '000000000000000000001',
  '1'.repeat(21),
  '1'.repeat(20),
  `1.${'0'.repeat(18)}1`,
  `0.${'0'.repeat(17)}1`,
  '99999999999999999999.999999999999999999',
  '99999999999999999999',
  '0.000000000000000001',
  '1'.repeat(40),
  '9'.repeat(400),
  `0.${'1'.repeat(300)}`,
];

/** ISO-ish times, including ones a format check accepts but `new Date` does not (leap seconds). */
export const NASTY_TIMES: readonly string[] = [
  '2026-11-24T12:00:00.000Z',
  '2026-11-24T12:00:00Z',
  '1970-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:59:60Z',
  '2016-12-31T23:59:60Z',
  '2026-06-30T23:59:60+00:00',
  '2026-13-01T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-01-01T25:00:00Z',
  '2026-01-01t00:00:00z',
  '2026-01-01T00:00:00+99:99',
  '2026-01-01',
  '2026-13-45T99:99:99Z',
  '2026-01-01T::::Z',
  '2026-01-01T1Z',
  '+275760-09-13T00:00:00Z',
  'yesterday',
  '0',
  '-1',
  '99999999999999999999',
  '1e3',
];

export function nastyString(r: Rng): string {
  return r.weighted<() => string>([
    [10, () => r.pick(NASTY_STRINGS)],
    [3, () => r.pick(NASTY_DECIMALS)],
    [2, () => r.pick(NASTY_TIMES)],
    [3, () => alnum(r, r.range(1, 40))],
    [2, () => String.fromCharCode(...Array.from({ length: r.range(1, 30) }, () => r.int(0x250)))],
    [1, () => 'A'.repeat(r.pick([64, 65, 100, 101, 255, 256, 257, 1000, 4097]))],
    [1, () => r.pick(['x', '🚀', '\u0000', 'é']).repeat(r.pick([2000, 10_000, 30_000]))],
  ])();
}

export function junk(r: Rng, depth = 0): unknown {
  const leaf: readonly (readonly [number, () => unknown])[] = [
    [8, () => nastyString(r)],
    [4, () => r.pick(NASTY_NUMBERS)],
    [1, () => r.chance(0.5)],
    [1, () => null],
  ];
  const branch: readonly (readonly [number, () => unknown])[] =
    depth >= 4
      ? []
      : [
          [2, () => Array.from({ length: r.int(5) }, () => junk(r, depth + 1))],
          [2, () => Object.fromEntries(Array.from({ length: r.int(5) }, () => [nastyKey(r), junk(r, depth + 1)]))],
        ];
  return r.weighted([...leaf, ...branch])();
}

export function nastyKey(r: Rng): string {
  return r.weighted<() => string>([
    [4, () => r.pick(['extra', 'admin', 'roles', 'userId', 'isAdmin', 'id', 'status', 'venue', 'price', 'quantity'])],
    [2, () => r.pick(['__proto__', 'constructor', 'prototype'])],
    [3, () => nastyString(r).slice(0, 200)],
  ])();
}

/** A value of the wrong JSON type for a field that wants a string. */
export function wrongType(r: Rng): unknown {
  return r.weighted<() => unknown>([
    [3, () => r.pick(NASTY_NUMBERS)],
    [1, () => r.chance(0.5)],
    [1, () => null],
    [1, () => []],
    [1, () => ['BTCUSDT']],
    [1, () => ({})],
    [1, () => ({ value: '1' })],
    [1, () => [[[[[]]]]]],
  ])();
}

export type Json = Record<string, unknown>;

/** A deeply nested array/object as raw JSON text, up to ~60 KiB. */
export function deepJson(r: Rng): string {
  const depth = r.pick([100, 1000, 5000, 20_000, 30_000]);
  return r.chance(0.5)
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(Math.min(depth, 10_000))}1${'}'.repeat(Math.min(depth, 10_000))}`;
}

/** Bodies that are not JSON, or are broken JSON, as raw text. */
export function brokenJson(r: Rng, valid: Json): string {
  const text = JSON.stringify(valid);
  return r.pick([
    () => text.slice(0, Math.max(1, r.int(text.length))),
    () => `${text.slice(0, -1)},}`,
    () => text.replaceAll('"', "'"),
    () => `\ufeff${text}`,
    () => `${text}${text}`,
    () => `${text} trailing`,
    () => `/* comment */ ${text}`,
    () => text.replace(/:"[^"]*"/, ':NaN'),
    () => text.replace(/:"[^"]*"/, ':1e999'),
    () => text.replace(/:"[^"]*"/, ':-'),
    () => text.replace('{', '{"symbol":"ETHUSDT",'),
    () => '{"__proto__":{"isAdmin":true,"roles":["auditor"]}}',
    () => `{"constructor":{"prototype":{"polluted":1}},${text.slice(1)}`,
    () => 'null',
    () => '""',
    () => '0',
    () => '[]',
    () => 'true',
    () => '{',
    () => '}',
    () => ' ',
    () => '\u0000',
    () => deepJson(r),
    () => `{"a":"${'\\ud800'.repeat(50)}"}`,
    () => `{"a":"\\u0000\\u001f"}`,
    () => '{"a":"\\x41"}',
    () => `${'{"a":1,'.repeat(2000)}"b":2${'}'.repeat(1)}`,
  ])();
}

/** Mutates a valid JSON object: drops, adds, retypes fields, or replaces it wholesale. */
export function mutate(r: Rng, valid: Json): unknown {
  const keys = Object.keys(valid);
  const copy: Json = { ...valid };
  return r.weighted<() => unknown>([
    [3, () => copy],
    [
      3,
      () => {
        if (keys.length) delete copy[r.pick(keys)];
        return copy;
      },
    ],
    [
      3,
      () => {
        copy[nastyKey(r)] = junk(r);
        return copy;
      },
    ],
    [
      6,
      () => {
        if (keys.length) copy[r.pick(keys)] = junk(r);
        return copy;
      },
    ],
    [
      3,
      () => {
        if (keys.length) copy[r.pick(keys)] = wrongType(r);
        return copy;
      },
    ],
    [
      3,
      () => {
        if (keys.length) copy[r.pick(keys)] = r.pick(NASTY_DECIMALS);
        return copy;
      },
    ],
    [
      1,
      () => {
        for (const k of keys) copy[k] = junk(r);
        return copy;
      },
    ],
    [1, () => [valid]],
    [1, () => ({ data: valid })],
    [1, () => ({})],
    [1, () => junk(r)],
    [1, () => Object.assign(JSON.parse('{"__proto__":{"roles":["auditor"]}}'), copy)],
  ])();
}

/** encodeURIComponent that also encodes lone surrogates (as their WTF-8 bytes: invalid UTF-8). */
export function enc(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0xd800 && c <= 0xdfff)
      out +=
        `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** A query string from known keys (valid or junk values), unknown keys, repeats and raw junk. */
export function queryString(r: Rng, spec: Record<string, () => string>): string {
  const keys = Object.keys(spec);
  const parts: string[] = [];
  const n = r.weighted([
    [3, 0],
    [4, 1],
    [3, 2],
    [1, 4],
  ]);
  for (let i = 0; i < n; i++) {
    const part = r.weighted<() => string>([
      [6, () => (keys.length ? ((k) => `${k}=${enc((spec[k] as () => string)())}`)(r.pick(keys)) : 'a=1')],
      [5, () => (keys.length ? `${r.pick(keys)}=${enc(nastyString(r).slice(0, 3000))}` : `a=${enc(nastyString(r))}`)],
      [2, () => `${enc(nastyKey(r))}=${enc(nastyString(r).slice(0, 200))}`],
      [1, () => (keys.length ? `${r.pick(keys)}[]=1` : 'a[]=1')],
      [1, () => (keys.length ? `${r.pick(keys)}` : 'a')],
      [1, () => r.pick(['%', '%zz', '%ff', '%00', '&&&', '==', 'a=b=c', '+', '%E0%A4%A', '__proto__[x]=1', 'constructor=1'])],
      [1, () => `x=${'q'.repeat(r.pick([1000, 8000]))}`],
    ])();
    parts.push(part);
    if (r.chance(0.15) && keys.length) parts.push(`${r.pick(keys)}=${enc((spec[r.pick(keys)] as () => string)())}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A path segment: percent-encoded junk, or deliberately broken encodings and overlong ids. */
export function pathSegment(r: Rng, valid: readonly string[]): string {
  return r.weighted<() => string>([
    [6, () => r.pick(valid)],
    [5, () => enc(nastyString(r).slice(0, 90)) || 'x'],
    [2, () => r.pick(['%zz', '%E0%A4%A', '%', '%ff', '%c0%af'])],
    [1, () => 'a'.repeat(r.pick([99, 100, 101, 200, 5000]))],
    [1, () => enc(r.pick(valid).toUpperCase())],
    [1, () => `${r.pick(valid)}%00`],
    [1, () => `{${r.pick(valid)}}`],
    [1, () => r.pick(['..', '%2e%2e', '.', '%2f', '~'])],
  ])();
}

export async function pool<T>(concurrency: number, items: readonly T[], fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
