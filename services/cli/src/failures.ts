// A command that cannot reach NATS or Postgres says so in one line with what to run: on a fresh
// shell the usual cause is a stack that is not up, not a bug worth a stack trace.
import { NatsConnectError } from './nats-connect.ts';

const UP = 'is the stack up? run `make up` (or `make dev`)';

const redact = (url: string | undefined) => (url ?? '').replace(/:[^:@/]*@/, ':***@');

/** The one line for a failure to reach the infrastructure, or null for anything else. */
export function infraFailure(err: unknown, env: Record<string, string | undefined>): string | null {
  if (err instanceof NatsConnectError) return `cannot reach NATS at ${err.url} (${err.reason}): ${UP}`;
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  const db = redact(env.DATABASE_URL);
  if (code === '3D000') return `the database of ${db} does not exist: run \`make up\`, which creates it`;
  if (code === '28P01' || code === '28000') return `Postgres refused the credentials of ${db}: fix DATABASE_URL in .env`;
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', '57P03'].includes(code) ||
    /timeout exceeded when trying to connect|Connection terminated unexpectedly/i.test(e?.message ?? '')
  )
    return `cannot reach Postgres at ${db} (${code || e?.message}): ${UP}`;
  return null;
}
