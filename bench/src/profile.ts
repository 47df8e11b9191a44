// CPU profiles taken in-process with the inspector (main thread only: the system under test, not the
// load generator, which runs in a worker), saved as .cpuprofile and summarized by self time.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTimeRow {
  fn: string;
  /** file:line (1-based), relative to the repository when inside it. */
  where: string;
  selfMs: number;
  selfPct: number;
}

export async function startProfiling(): Promise<() => Promise<CpuProfile>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    await session.post('Profiler.disable');
    session.disconnect();
    return profile;
  };
}

export function saveProfile(profile: CpuProfile, file: string): void {
  writeFileSync(file, JSON.stringify(profile));
}

const repoRoot = new URL('../../', import.meta.url).pathname;

/** file:line of a frame, mapped back to the TypeScript source when the process has its source map
 * (profile-run.ts runs with --enable-source-maps; without it the frames point at the transpiled files). */
function location(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return '(native)';
  let url = frame.url;
  let line = frame.lineNumber + 1;
  try {
    const entry = findSourceMap(url)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry && 'originalSource' in entry) {
      url = entry.originalSource;
      line = entry.originalLine + 1;
    }
  } catch {
    // no map: keep the generated position
  }
  let path = url.replace(/^file:\/\//, '');
  if (path.startsWith(repoRoot)) path = relative(repoRoot, path);
  path = path.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
  return `${path}:${line}`;
}

const SERVICE = /\/(services\/[a-z-]+|schemas)\/src\/(.*)$/;

export interface OwnerRow {
  owner: string;
  selfMs: number;
  selfPct: number;
}

/**
 * Samples attributed to the outermost Blotter source file on their stack (the component whose code
 * started the work: the gateway's route, the projector's batch, the executor's submit...), so that
 * library time (kysely, pg, nats, fastify) is charged to the component that caused it.
 */
export function byOwner(profile: CpuProfile, depth: 'package' | 'file' = 'package', limit = 15): OwnerRow[] {
  const stack = stackOf(profile);
  const { totals, total } = timeByKey(profile, (id) => {
    const frames = stack(id);
    let found = '';
    for (const node of frames) {
      const m = SERVICE.exec(node.callFrame.url);
      if (m) found = depth === 'package' ? (m[1] as string) : `${m[1]}/src/${m[2]}`;
    }
    const leaf = frames[0]?.callFrame.functionName ?? '';
    return [found || (leaf.startsWith('(') ? leaf : '(libraries, node internals, no Blotter frame)')];
  });
  return [...totals.entries()]
    .map(([o, us]) => ({ owner: o, selfMs: us / 1000, selfPct: (100 * us) / (total || 1) }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, limit);
}

/**
 * Blotter functions by inclusive time: every sample counts for each Blotter function on its stack
 * (synchronous part only: the continuation after an await is a stack of its own).
 */
export function inclusiveBlotter(profile: CpuProfile, limit = 20): SelfTimeRow[] {
  const stack = stackOf(profile);
  const { totals, total } = timeByKey(profile, (id) => {
    const out = new Set<string>();
    for (const node of stack(id)) {
      if (SERVICE.test(node.callFrame.url)) out.add(`${node.callFrame.functionName || '(anonymous)'}\t${location(node.callFrame)}`);
    }
    return [...out];
  });
  return [...totals.entries()]
    .map(([k, us]) => {
      const [fn = '', where = ''] = k.split('\t');
      return { fn, where, selfMs: us / 1000, selfPct: (100 * us) / (total || 1) };
    })
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, limit);
}

/** A node's stack, from the node itself out to the root. */
function stackOf(profile: CpuProfile): (id: number) => ProfileNode[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  return (id) => {
    const frames: ProfileNode[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node) frames.push(node);
    }
    return frames;
  };
}

/**
 * Sampled time (µs) per key: each sample counts once for every key `keysOf` gives its node
 * (computed once per node). `total` is all sampled time, keyed or not.
 */
function timeByKey(profile: CpuProfile, keysOf: (id: number) => readonly string[]): { totals: Map<string, number>; total: number } {
  const memo = new Map<number, readonly string[]>();
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    const us = Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0);
    let keys = memo.get(id);
    if (!keys) {
      keys = keysOf(id);
      memo.set(id, keys);
    }
    total += us;
    for (const k of keys) totals.set(k, (totals.get(k) ?? 0) + us);
  }
  return { totals, total };
}

export function formatOwners(rows: readonly OwnerRow[]): string {
  return rows.map((r) => `  ${r.selfPct.toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(7)} ms  ${r.owner}`).join('\n');
}

/** Self time per function (same name and location merged), largest first. */
export function topSelfTime(profile: CpuProfile, limit = 20): SelfTimeRow[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    for (let i = 0; i < samples.length; i++) {
      const id = samples[i] as number;
      selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0));
    }
  } else {
    const per =
      (profile.endTime - profile.startTime) /
      Math.max(
        1,
        profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0),
      );
    for (const n of profile.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * per);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const merged = new Map<string, SelfTimeRow>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const fn = node.callFrame.functionName || '(anonymous)';
    const where = location(node.callFrame);
    const key = `${fn}@${where}`;
    const row = merged.get(key) ?? { fn, where, selfMs: 0, selfPct: 0 };
    row.selfMs += us / 1000;
    merged.set(key, row);
  }
  return [...merged.values()]
    .map((r) => ({ ...r, selfPct: (100 * r.selfMs * 1000) / total }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, limit);
}

export function formatTop(rows: readonly SelfTimeRow[]): string {
  return rows
    .map(
      (r, i) =>
        `${String(i + 1).padStart(2)}. ${r.selfPct.toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(7)} ms  ${r.fn}  ${r.where}`,
    )
    .join('\n');
}

/** The stacks (innermost callers first, `depth` frames) under which `fn` spent its self time. */
export function callersOf(profile: CpuProfile, fn: string, depth = 8, limit = 10): { selfMs: number; stack: string[] }[] {
  const stack = stackOf(profile);
  const { totals } = timeByKey(profile, (id) => {
    const [leaf, ...callers] = stack(id);
    if (leaf?.callFrame.functionName !== fn) return [];
    return [
      callers
        .slice(0, depth)
        .map((n) => `${n.callFrame.functionName || '(anonymous)'} ${location(n.callFrame)}`)
        .join('\n'),
    ];
  });
  return [...totals.entries()]
    .map(([k, us]) => ({ selfMs: us / 1000, stack: k.split('\n') }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, limit);
}
