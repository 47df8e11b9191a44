// Rebuild and verify work on every partition at once, as the live projector does: one partition's
// stream reads and Postgres round trips overlap with another's decoding and folding. (One
// partition after the other left the thread and Postgres each waiting on the other.)

type Progress = (seq: number, last: number) => void;

/**
 * Runs `work` for partitions 0..count-1 side by side. Each gets its own progress callback; the
 * caller's `onProgress` sees the slowest unfinished partition's sequence, so it never moves back.
 * Throws the first failure once every partition has settled.
 */
export async function forEachPartition<T>(
  count: number,
  onProgress: Progress | undefined,
  work: (partition: number, onProgress: Progress | undefined) => Promise<T>,
): Promise<T[]> {
  const at = new Map<number, number>();
  let last = 0;
  let reported = 0;
  const report = () => {
    if (!onProgress || at.size === 0) return;
    const slowest = Math.min(...at.values());
    if (slowest <= reported) return;
    reported = slowest;
    onProgress(slowest, last);
  };
  // Settled, not Promise.all: when one partition fails, the others still finish (or fail) before
  // the caller cleans up what they write to.
  const results = await Promise.allSettled(
    Array.from({ length: count }, async (_, partition) => {
      at.set(partition, 0);
      try {
        return await work(
          partition,
          onProgress &&
            ((seq, lastSeq) => {
              at.set(partition, seq);
              last = Math.max(last, lastSeq);
              report();
            }),
        );
      } finally {
        at.delete(partition);
        report();
      }
    }),
  );
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
