// The CLI's NATS connection. A service waits for NATS forever (it must survive a restart); a command
// someone just typed fails within seconds instead, and names the URL it tried.
import { connect, type NatsConnection } from 'nats';

export class NatsConnectError extends Error {
  override readonly name = 'NatsConnectError';
  constructor(
    readonly url: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot reach NATS at ${url}: ${reason}`, options);
  }
}

export async function connectOnce(url: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url.split(','), name: 'blotter-cli', timeout: 3000, maxReconnectAttempts: 2 });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new NatsConnectError(url, e?.code ?? e?.message ?? String(err), { cause: err });
  }
}
