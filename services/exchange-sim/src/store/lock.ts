// One simulator per data directory: two writers appending to one journal would interleave records
// and corrupt both runs. The lock is a file holding the owner's pid and instance id, created
// exclusively; a lock whose process is gone (a crash) is taken over.
import { randomUUID } from 'node:crypto';
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLocked extends Error {
  override name = 'DataDirLocked';
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return err instanceof Error && 'code' in err && err.code === 'EPERM';
  }
};

export class DirLock {
  private constructor(
    private readonly path: string,
    private readonly token: string,
  ) {}

  static acquire(dir: string): DirLock {
    const path = join(dir, 'LOCK');
    const token = `${process.pid} ${randomUUID()}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, token);
        closeSync(fd);
        return new DirLock(path, token);
      } catch (err) {
        if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
        const owner = Number(readFileSync(path, 'utf8').split(' ')[0]);
        if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
          throw new DataDirLocked(`${dir} is in use by another simulator (pid ${owner}); stop it or use another SIM_DATA_DIR`);
        }
        rmSync(path, { force: true });
      }
    }
    throw new DataDirLocked(`could not lock ${dir}`);
  }

  release(): void {
    try {
      if (readFileSync(this.path, 'utf8') === this.token) rmSync(this.path, { force: true });
    } catch {
      // Already gone: nothing to release.
    }
  }
}
