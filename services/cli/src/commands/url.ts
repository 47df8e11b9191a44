// Where this clone's stack answers, from the same settings the services start with (the shell's
// environment, then .data/infra.env, then .env), so a script or a walkthrough reaches the stack
// `make dev` started even when its ports were moved in .env (two stacks side by side).
import type { Command } from '../command.ts';
import { UsageError } from '../context.ts';

/** The ports `make dev` uses when .env names none (infra/bin/dev.mjs). */
const defaults = { PORT: '3001', UI_PORT: '3000', SIM_PORT: '3002' } as const;

const urls: Record<string, (env: Record<string, string | undefined>) => string> = {
  api: (env) => env.GATEWAY_URL ?? `http://localhost:${env.PORT ?? defaults.PORT}`,
  ws: (env) => `${urls.api?.(env).replace(/^http/, 'ws')}/api/ws`,
  ui: (env) => `http://localhost:${env.UI_PORT ?? defaults.UI_PORT}`,
  sim: (env) => env.SIM_URL ?? `http://localhost:${env.SIM_PORT ?? defaults.SIM_PORT}`,
};

export const url: Command = {
  name: 'url',
  summary: 'print the URL of the gateway (api), WebSocket (ws), UI (ui) or simulator (sim)',
  usage: 'url api|ws|ui|sim',
  options: {},
  async run(ctx, _values, positionals) {
    const which = positionals[0] ?? 'api';
    const of = urls[which];
    if (!of || positionals.length > 1) throw new UsageError(`url takes one of ${Object.keys(urls).join(', ')}`);
    ctx.print(of(ctx.env));
    return 0;
  },
};
