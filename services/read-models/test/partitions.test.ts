import t from 'tap';
import { forEachPartition } from '../src/partitions.ts';

const tick = () => new Promise((r) => setImmediate(r));

t.test('runs every partition side by side and returns their results in partition order', async (t) => {
  let running = 0;
  let most = 0;
  const results = await forEachPartition(4, undefined, async (p) => {
    running++;
    most = Math.max(most, running);
    for (let i = 0; i < 3 - p; i++) await tick();
    running--;
    return p * 10;
  });
  t.same(results, [0, 10, 20, 30]);
  t.equal(most, 4, 'all four were running at once');
});

t.test('progress follows the slowest unfinished partition and never moves back', async (t) => {
  const seen: [number, number][] = [];
  await forEachPartition(
    2,
    (seq, last) => seen.push([seq, last]),
    async (p, onProgress) => {
      const seqs = p === 0 ? [1, 3, 5] : [2, 4, 6, 8, 10];
      for (const seq of seqs) {
        onProgress?.(seq, 10);
        await tick();
      }
    },
  );
  // Each step: the smaller of the two partitions' last reports (a partition that has not reported
  // counts as 0); once partition 0 is done at 5, partition 1 alone.
  t.same(
    seen.map(([s]) => s),
    [1, 2, 3, 4, 5, 6, 8, 10],
  );
  t.ok(
    seen.every(([, last]) => last === 10),
    'last is the highest last seen',
  );
});

t.test('a failure is thrown only after every partition has settled', async (t) => {
  let finished = 0;
  const run = forEachPartition(3, undefined, async (p) => {
    if (p === 0) throw new Error('partition 0 broke');
    for (let i = 0; i < 5; i++) await tick();
    finished++;
  });
  await t.rejects(run, /partition 0 broke/);
  t.equal(finished, 2, 'the other partitions ran to the end first');
});
