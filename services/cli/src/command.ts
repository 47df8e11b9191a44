import type { ParseArgsConfig } from 'node:util';
import type { Context } from './context.ts';

export interface Command {
  /** e.g. "events" or "users grant". */
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** What each option means, for `--help` (an option without an entry is listed by name only). */
  help?: Record<string, string>;
  /** Returns the process exit code. */
  run(ctx: Context, values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}
