// An append-only file of JSON lines with group commit: appends are buffered in order, one writer
// writes whatever has accumulated and fdatasyncs it, then runs the callbacks of exactly those lines.
// So a caller told "durable" has its line on disk, and many requests share one fsync under load.
//
// Recovery contract: a crash can leave at most the last line torn (written but not synced, or cut
// off); readJournal drops such a tail. A bad line anywhere else means the file was damaged, and
// the boot stops with an error rather than guessing.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

export class JournalCorrupt extends Error {
  override name = 'JournalCorrupt';
}

interface Pending {
  line: string;
  seq: number;
  onDurable?: () => void;
}

export class Journal {
  private pending: Pending[] = [];
  private seq = 0;
  private durableSeq = 0;
  private writing: Promise<void> | undefined;
  private waiters: { seq: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private failure: unknown;
  /** While the file is being swapped for an empty one, appends wait in `pending`. */
  private truncating = false;
  /** Bytes in the file, for the compaction threshold. */
  size = 0;

  private constructor(
    private handle: FileHandle,
    readonly path: string,
    private readonly onFailure: (err: unknown) => void,
  ) {}

  static async open(path: string, onFailure: (err: unknown) => void): Promise<Journal> {
    const handle = await open(path, 'a');
    const j = new Journal(handle, path, onFailure);
    j.size = (await handle.stat()).size;
    return j;
  }

  append(line: string, onDurable?: () => void): void {
    if (this.failure) throw this.failure;
    this.seq += 1;
    this.pending.push({ line, seq: this.seq, ...(onDurable ? { onDurable } : {}) });
    if (!this.truncating) this.writing ??= this.writeLoop();
  }

  /** Resolves once every line appended so far is on disk. */
  flushed(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durableSeq >= this.seq) return Promise.resolve();
    const seq = this.seq;
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  /** Empties the file (after a snapshot made its lines redundant). Lines still buffered go to the new file. */
  async truncate(): Promise<void> {
    this.truncating = true;
    try {
      await this.writing;
      await this.handle.close();
      this.handle = await open(this.path, 'w');
      await this.handle.datasync();
      this.size = 0;
    } finally {
      this.truncating = false;
      if (this.pending.length > 0) this.writing ??= this.writeLoop();
    }
  }

  async close(): Promise<void> {
    await this.writing;
    await this.handle.close();
  }

  private async writeLoop(): Promise<void> {
    try {
      // A truncation stops the loop after the batch in flight: lines appended since the snapshot
      // must go to the emptied file, not to the one about to be emptied.
      while (this.pending.length > 0 && !this.truncating) {
        const batch = this.pending;
        this.pending = [];
        const text = `${batch.map((p) => p.line).join('\n')}\n`;
        await this.handle.write(text);
        await this.handle.datasync();
        this.size += Buffer.byteLength(text);
        this.durableSeq = (batch[batch.length - 1] as Pending).seq;
        for (const p of batch) p.onDurable?.();
        this.waiters = this.waiters.filter((w) => {
          if (w.seq > this.durableSeq) return true;
          w.resolve();
          return false;
        });
      }
    } catch (err) {
      this.failure = err;
      for (const w of this.waiters) w.reject(err);
      this.waiters = [];
      this.onFailure(err);
    } finally {
      this.writing = undefined;
    }
  }
}

/** The lines of a journal file; a torn last line (from a crash mid-write) is dropped. */
export function readJournal(path: string): unknown[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  if (complete) lines.pop();
  const out: unknown[] = [];
  lines.forEach((line, i) => {
    const last = i === lines.length - 1;
    try {
      out.push(JSON.parse(line));
    } catch {
      if (last && !complete) return;
      throw new JournalCorrupt(`${path}: line ${i + 1} is not a complete record`);
    }
  });
  return out;
}

/** fsyncs a directory so a rename in it survives a crash. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
