// Listens, and closes gracefully on SIGTERM/SIGINT: stops accepting, lets in-flight requests
// finish, closes sockets, drains NATS and the database pool.
import { buildApp } from './app.ts';
import { configOrExit } from '@blotter/schemas';
import { loadGatewayConfig } from './config.ts';

const config = configOrExit('gateway', () => loadGatewayConfig());
const app = await buildApp(config);
await app.listen({ port: config.PORT, host: config.HOST });

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing gateway');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    // close() waits for every connection to end; a kept-alive one only ends when the server drops
    // it, so idle ones are closed as soon as their in-flight request has been answered.
    const idle = setInterval(() => app.server.closeIdleConnections(), 100);
    idle.unref();
    await app.close();
    process.exit(0);
  });
}
