// A copied .env.example must not start anything: every service that holds a secret refuses at start
// with one line naming the variable, before it connects anywhere (the URLs below lead nowhere, so a
// service that got past its configuration would fail differently).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import t from 'tap';
import { repoRoot, run } from '../src/run.ts';

const example = parseEnv(readFileSync(join(repoRoot, '.env.example'), 'utf8'));
const nowhere = { NATS_URL: 'nats://127.0.0.1:1', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };

t.test('.env.example gives every secret the placeholder', async (t) => {
  for (const name of ['JWT_SECRET', 'KEY_ENCRYPTION_KEY', 'SIM_ADMIN_TOKEN']) t.equal(example[name], 'change-me', name);
});

for (const [service, entry, secret] of [
  ['gateway', 'services/gateway/src/server.ts', 'JWT_SECRET'],
  ['executor', 'services/executor/src/server.ts', 'KEY_ENCRYPTION_KEY'],
  ['exchange-sim', 'services/exchange-sim/src/server.ts', 'SIM_ADMIN_TOKEN'],
] as const) {
  t.test(`${service} refuses a copied .env.example in one line`, async (t) => {
    const { code, stderr, stdout } = await run(process.execPath, ['--import', '@blotter/ts-loader/register', entry], {
      ...example,
      ...nowhere,
    });
    t.equal(code, 1);
    t.equal(stdout, '');
    t.equal(stderr.trimEnd().split('\n').length, 1, `one line: ${stderr}`);
    t.match(stderr, new RegExp(`^${service}: ${secret} is still the placeholder from \\.env\\.example: .*make dev`));
  });
}
