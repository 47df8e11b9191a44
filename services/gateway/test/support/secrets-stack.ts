// A whole Blotter whose every log line is kept (the kit's launcher): the gateway runs as its own
// process (src/server.ts, the production entry point and logger, at LOG_LEVEL=trace) with every
// line it writes kept, and the in-process pieces (market feed, projector, executor) log through
// real pino loggers into memory. Also records every NATS message of the namespace.
import { type Stack, startStack } from '@blotter/test-kit';
import pino from 'pino';
import type { Test } from 'tap';

export interface Captured {
  /** Every line the gateway process wrote (stdout and stderr). */
  gateway: string[];
  /** Every line the in-process loggers wrote (feed, projector, executor). */
  inProcess: string[];
  /** Every message published on `<namespace>.>` while the stack ran, as `subject payload`. */
  nats: string[];
}

export async function startLoggedStack(t: Test): Promise<Stack & { captured: Captured }> {
  const inProcess: string[] = [];
  const sink = { write: (line: string) => void inProcess.push(line) };
  const stack = await startStack(t, {
    gateway: 'process',
    executor: 'in-process',
    testnetOnSim: true,
    env: { gateway: { LOG_LEVEL: 'trace' }, executor: { EXECUTOR_POLL_MS: '500' } },
    keepLines: ['gateway-a'],
    log: (piece) =>
      piece === 'executor'
        ? pino({ name: piece, level: 'trace', redact: ['*.apiKey', '*.apiSecret', '*.signature'] }, sink)
        : pino({ name: piece === 'market' ? 'market-feed' : piece, level: 'trace' }, sink),
  });
  const nats: string[] = [];
  const decoder = new TextDecoder();
  const tap = stack.nc.subscribe(`${stack.namespace}.>`, {
    callback: (_err, msg) => nats.push(`${msg.subject} ${decoder.decode(msg.data)}`),
  });
  t.teardown(() => tap.unsubscribe());
  const captured: Captured = { gateway: stack.proc('gateway-a').lines, inProcess, nats };
  return Object.assign(stack, { captured });
}
