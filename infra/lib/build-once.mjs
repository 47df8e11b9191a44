// Builds something at most once among processes that start together (test files in parallel, a
// test's stack starting five services): a lock directory (mkdir is atomic) lets one process build
// while the others wait and then find the result current. A lock older than `staleMs` was left by
// a process that died while building, and is taken over.
import { mkdirSync, rmSync, statSync } from 'node:fs';

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const lockAge = (lock) => {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
};

/** Runs `build` unless `isCurrent()`, holding `lock` (a directory path) while it builds. */
export function buildOnce({ lock, isCurrent, build, what, staleMs, giveUpMs }) {
  const giveUpAt = Date.now() + giveUpMs;
  for (;;) {
    if (isCurrent()) return;
    try {
      mkdirSync(lock);
    } catch {
      if (lockAge(lock) > staleMs) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > giveUpAt) throw new Error(`timed out waiting for another process to build ${what}`);
      sleepSync(200);
      continue;
    }
    try {
      if (!isCurrent()) build();
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
