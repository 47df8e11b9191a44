// Group commit in the consume loop: every item applied once, in order; batches grow only while an
// apply is running; the last, partial batch is applied without another push; failures surface.
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { Batcher } from '../src/runner/batcher.ts';

const tick = () => new Promise<void>((r) => setImmediate(r));

function recorder(delay: () => Promise<void> = tick) {
  const batches: number[][] = [];
  const apply = async (b: number[]) => {
    batches.push(b);
    await delay();
  };
  return { batches, apply };
}

t.test('idle: an item is applied at once, alone', async (t) => {
  const { batches, apply } = recorder();
  const b = new Batcher(10, apply);
  await b.push(1);
  t.same(batches, [[1]], 'applied before push returned (no timer, no waiting for more)');
  await b.drain();
});

t.test('a burst: the first item alone, then everything that arrived meanwhile, capped at max', async (t) => {
  let release: () => void = () => {};
  const gate = () => new Promise<void>((r) => (release = r));
  const { batches, apply } = recorder(gate);
  const b = new Batcher(4, apply);
  await b.push(0);
  for (let i = 1; i <= 6; i++) {
    const pushed = b.push(i);
    if (i < 4)
      await pushed; // the buffer is not full: push returns while the apply is held
    else void pushed;
  }
  t.same(batches, [[0]], 'only the first item is being applied');
  while (batches.length < 3) {
    release();
    await tick();
  }
  release();
  await b.drain();
  t.same(batches, [[0], [1, 2, 3, 4], [5, 6]], 'in order, at most 4 per batch, the tail without a further push');
});

t.test('every item exactly once, in order, under a long random stream', async (t) => {
  const { batches, apply } = recorder(() => sleep(Math.random() * 2));
  const b = new Batcher(16, apply);
  for (let i = 0; i < 2_000; i++) {
    await b.push(i);
    if (i % 97 === 0) await sleep(3);
  }
  await b.drain();
  t.same(
    batches.flat(),
    Array.from({ length: 2_000 }, (_, i) => i),
  );
  t.ok(
    batches.every((x) => x.length <= 16),
    'no batch above max',
  );
  t.ok(batches.length < 2_000, `batched (${batches.length} batches)`);
});

t.test('a failed apply is thrown to the next push and to drain; nothing after it is applied', async (t) => {
  const applied: number[] = [];
  const b = new Batcher<number>(2, async (batch) => {
    await tick();
    if (batch.includes(3)) throw new Error('boom');
    applied.push(...batch);
  });
  await b.push(1); // applying [1]
  await b.push(2);
  // [2, 3] fills the buffer: this push waits for the applies, and [2, 3] fails.
  await t.rejects(b.push(3), /boom/);
  await t.rejects(b.drain(), /boom/);
  await t.rejects(b.push(4), /boom/);
  t.same(applied, [1], 'the failing batch and everything after it stay unapplied (unacked)');
});

t.test('stop: the batch in flight finishes, the buffered rest is dropped', async (t) => {
  let release: () => void = () => {};
  const { batches, apply } = recorder(() => new Promise<void>((r) => (release = r)));
  const b = new Batcher(10, apply);
  await b.push(1);
  await b.push(2);
  b.stop();
  await b.push(3);
  release();
  await b.drain();
  t.same(batches, [[1]]);
});
