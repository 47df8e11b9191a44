// `make dev` with a port already taken says so in one line and exits non-zero, before it migrates
// or starts anything (a service that cannot bind would otherwise crash and be restarted forever).
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { freePort } from '@blotter/test-kit';
import t from 'tap';
import { run } from '../src/run.ts';

t.test("the gateway's port is taken", async (t) => {
  const taken = net.createServer();
  await new Promise<void>((r) => taken.listen({ port: 0, host: '127.0.0.1' }, r));
  t.teardown(() => taken.close());
  const address = taken.address();
  const port = String(typeof address === 'object' && address ? address.port : 0);
  const r = await run(process.execPath, ['infra/bin/dev.mjs'], {
    PORT: port,
    UI_PORT: String(await freePort()),
    SIM_PORT: String(await freePort()),
    // Given, so dev.mjs writes no .env into the clone.
    JWT_SECRET: randomBytes(32).toString('hex'),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SIM_ADMIN_TOKEN: randomBytes(16).toString('hex'),
    NATS_URL: 'nats://127.0.0.1:1',
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
  });
  t.not(r.code, 0, 'exits non-zero');
  t.equal(r.stdout, '', 'nothing started');
  t.equal(
    r.stderr,
    `[dev] port ${port} (PORT, the gateway) is already in use: stop what listens there (ss -ltnp 'sport = :${port}') or set another PORT in .env\n`,
  );
});
