import type { Stack } from '@blotter/test-kit';
import { Context, main } from '../src/index.ts';

/** Runs `blotter ...argv` in-process against a stack; returns exit code and everything printed. */
export async function blotter(stack: Stack, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = new Context(
    {
      NATS_URL: stack.natsUrl,
      DATABASE_URL: stack.databaseUrl,
      BLOTTER_NAMESPACE: stack.namespace,
      KEY_ENCRYPTION_KEY: stack.config.KEY_ENCRYPTION_KEY,
    },
    { write: (s) => void out.push(s) },
    { write: (s) => void err.push(s) },
  );
  const code = await main(argv, ctx);
  return { code, out: out.join(''), err: err.join('') };
}
