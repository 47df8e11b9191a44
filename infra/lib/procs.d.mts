import type { ChildProcess } from 'node:child_process';

export function sleep(ms: number): Promise<void>;
/** Polls `check` until it returns something other than undefined, null or false (see procs.mjs). */
export function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs?: number,
  what?: string,
  everyMs?: number,
): Promise<T>;
export function freePort(): Promise<number>;
export function portOpen(port: number | string): Promise<boolean>;
export function httpReady(url: string, below?: number): () => Promise<boolean>;
export function logLine(pattern: RegExp): (p: Proc) => Promise<boolean>;
export function natsInfo(target: number | string, timeoutMs?: number): Promise<{ jetstream?: boolean; version?: string } | null>;
export function childEnv(extra?: Record<string, string>, base?: Record<string, string | undefined>): Record<string, string>;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** A pino line the process wrote at warn level or above. */
export interface LogEvent {
  at: number;
  level: number;
  msg: string;
  fields: Record<string, unknown>;
}

export interface ProcSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Where its output is appended (kept only in memory when absent). */
  logFile?: string;
  /** True once the process serves (checked after each start); absent: ready when started. */
  ready?: (p: Proc) => Promise<boolean>;
  /** Keep every line it writes in `lines`. */
  keepLines?: boolean;
  onLine?: (line: string, p: Proc) => void;
  onExit?: (exit: Exit, p: Proc) => void;
}

export class Proc {
  constructor(spec: ProcSpec);
  readonly spec: ProcSpec;
  child: ChildProcess | null;
  starts: number;
  kills: number;
  terms: number;
  readonly exits: Exit[];
  readonly events: LogEvent[];
  readonly lines: string[];
  startedAt: number;
  get name(): string;
  get pid(): number | undefined;
  get running(): boolean;
  output(): string;
  start(): void;
  waitReady(timeoutMs?: number): Promise<number>;
  stop(signal?: 'SIGKILL' | 'SIGTERM', graceMs?: number): Promise<Exit & { ms: number }>;
  kill(): Promise<Exit & { ms: number }>;
  restart(graceMs?: number, timeoutMs?: number): Promise<number>;
  rssKb(): number | null;
  freeze(on: boolean): void;
  close(): void;
}
