// Stateless randomness: every draw is a hash of (seed, purpose, indices), so any instant of any
// symbol's history can be recomputed on demand, in any order, with the same result.
const TWO_32 = 4_294_967_296;

const mix = (h: number, word: number): number => {
  let k = Math.imul(word | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  const x = h ^ k;
  return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe6546b64) | 0;
};

const finish = (h0: number): number => {
  let h = h0 ^ (h0 >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

export const hashString = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

/** A keyed random source; `key` is fixed per (seed, symbol). */
export class Rng {
  constructor(private readonly key: number) {}

  /** Uniform in [0, 1) for the given indices (non-negative integers below 2^53). */
  uniform(...parts: number[]): number {
    let h = this.key;
    for (const p of parts) {
      h = mix(h, p % TWO_32);
      h = mix(h, Math.floor(p / TWO_32));
    }
    return finish(h) / TWO_32;
  }

  /** Standard normal (Box-Muller over two independent uniforms). */
  normal(...parts: number[]): number {
    const u1 = Math.max(this.uniform(...parts, 1), 1e-12);
    const u2 = this.uniform(...parts, 2);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
