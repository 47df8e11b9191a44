// Small statistics helpers: medians of rounds and latency percentiles (nearest rank on a sorted copy).
import { readFileSync } from 'node:fs';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Nearest-rank percentile of an already sorted array (p in 0..100). */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const arr = Array.from(sorted);
  return {
    count: arr.length,
    p50: percentileSorted(arr, 50),
    p95: percentileSorted(arr, 95),
    p99: percentileSorted(arr, 99),
    max: arr.length ? (arr[arr.length - 1] as number) : Number.NaN,
  };
}

/** Per-field median of several rounds' latency summaries. */
export function medianSummary(rounds: readonly LatencySummary[]): LatencySummary {
  return {
    count: median(rounds.map((r) => r.count)),
    p50: median(rounds.map((r) => r.p50)),
    p95: median(rounds.map((r) => r.p95)),
    p99: median(rounds.map((r) => r.p99)),
    max: median(rounds.map((r) => r.max)),
  };
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A monotonic clock in ms that is comparable between the main thread and workers of one process. */
export const now = () => performance.timeOrigin + performance.now();

/**
 * Runs `limit` loops calling `fn(i)` (i counts up across loops) until `deadline` (performance.now()
 * ms); a loop also ends when its call returns false (nothing left to do).
 */
export async function loopUntil(limit: number, deadline: number, fn: (i: number) => Promise<undefined | boolean>): Promise<void> {
  let next = 0;
  const loop = async () => {
    while (performance.now() < deadline) if ((await fn(next++)) === false) return;
  };
  await Promise.all(Array.from({ length: limit }, loop));
}

/**
 * CPU time (user + system, ms) of this process's main thread so far, from /proc (Linux; NaN
 * elsewhere). Unlike wall time or a sampling profile, it does not grow when a busy machine
 * preempts the thread, so CPU per operation compares across runs on a shared machine.
 */
export function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), i.e. 11 and 12 after the state field.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}
