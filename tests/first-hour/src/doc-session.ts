// Runs a document's blocks as a reader pasting them in order into one new shell: one bash with
// `-euo pipefail`, nothing in its environment but PATH and HOME, its working directory the clone's
// root. Variables and functions one block defines are there for the next. A block that fails ends
// the session; the failure names the document, the block's line and what it wrote to stderr.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Block } from './doc-blocks.ts';

export interface BlockResult {
  line: number;
  /** Seconds it ran (until the next block began, or the session ended). */
  seconds: number;
  code: string;
  stdout: string;
  stderr: string;
}

export interface SessionResult {
  exit: number | null;
  blocks: BlockResult[];
  /** The block that failed (its exit was not 0), or null when all ended well. */
  failed: BlockResult | null;
  timedOut: boolean;
}

const MARK = '\u0001blotter-doc-block ';

/**
 * The first line of a script that must see what a new shell sees. tap's process tracking adds
 * NODE_OPTIONS and its own variables to every child it sees spawned, whatever env is given; this
 * drops everything but PATH and HOME.
 */
export const NEW_SHELL = 'for v in $(compgen -e); do case $v in PATH | HOME) ;; *) unset "$v" ;; esac; done';

/** The blocks to run: as they stand, or a long block's quick form. */
export function runnable(blocks: Block[]): { line: number; code: string }[] {
  return blocks
    .filter((b) => b.marker === 'run' || b.marker === 'long')
    .map((b) => ({ line: b.line, code: b.marker === 'long' ? `${b.quick}\n` : b.code }));
}

export function runSession(cwd: string, blocks: { line: number; code: string }[], timeoutMs: number): Promise<SessionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'blotter-doc-session-'));
  const script = [NEW_SHELL, 'set -euo pipefail'];
  for (const [i, b] of blocks.entries()) {
    const file = join(dir, `block-${i}.sh`);
    writeFileSync(file, b.code);
    // The mark goes to both streams so each stream's text can be cut per block.
    script.push(`printf '${MARK}%s %s\\n' ${b.line} "$EPOCHREALTIME"; printf '${MARK}%s\\n' ${b.line} >&2`, `source ${file}`);
  }
  script.push(`printf '${MARK}end %s\\n' "$EPOCHREALTIME"; printf '${MARK}end\\n' >&2`);
  return new Promise((done) => {
    const child = spawn('bash', ['-c', script.join('\n')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (exit) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      const stamps = new Map<string, number>();
      const outs = cut(out, stamps);
      const errs = cut(err);
      const started = [...outs.keys()];
      const results = blocks
        .filter((b) => outs.has(String(b.line)))
        .map((b) => {
          const i = started.indexOf(String(b.line));
          const end = started[i + 1] ? stamps.get(started[i + 1] as string) : Date.now() / 1000;
          return {
            line: b.line,
            seconds: Math.round(((end ?? 0) - (stamps.get(String(b.line)) ?? 0)) * 10) / 10,
            code: b.code,
            stdout: outs.get(String(b.line)) ?? '',
            stderr: errs.get(String(b.line)) ?? '',
          };
        });
      const finished = outs.has('end');
      done({ exit, blocks: results, failed: finished && exit === 0 ? null : (results.at(-1) ?? null), timedOut });
    });
  });
}

/** The text after each mark, by the mark's label (a stdout mark also carries the time it was written, into `stamps`). */
function cut(text: string, stamps?: Map<string, number>): Map<string, string> {
  const parts = new Map<string, string>();
  for (const piece of text.split(MARK).slice(1)) {
    const nl = piece.indexOf('\n');
    const [label = '', at] = piece.slice(0, nl).split(' ');
    if (at && stamps) stamps.set(label, Number(at));
    parts.set(label, piece.slice(nl + 1));
  }
  return parts;
}
