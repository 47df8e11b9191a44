// `blotter sim`: the Binance-compatible exchange simulator on its own, for pointing any Binance
// client at it. It keeps its state in SIM_DATA_DIR (default .data/sim, shared with `make dev`'s
// simulator, so both see the same accounts — one at a time). Without SIM_ADMIN_TOKEN it makes one
// up for this run and prints it, since creating an account needs it.
import { randomBytes } from 'node:crypto';
import { describeSimulator, loadConfig, runSimulator } from '@blotter/exchange-sim';
import type { Command } from '../command.ts';
import { UsageError } from '../context.ts';

const PORT_RE = /^[0-9]{1,5}$/;

export const sim: Command = {
  name: 'sim',
  summary: 'run the Binance-compatible exchange simulator on its own',
  usage: 'sim [--port N] [--host ADDRESS] [--data-dir DIR]',
  options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' } },
  async run(ctx, v) {
    const port = typeof v.port === 'string' ? v.port : undefined;
    if (port !== undefined && (!PORT_RE.test(port) || Number(port) > 65535))
      throw new UsageError('--port must be a port number (0 = any free one)');
    const given = ctx.env.SIM_ADMIN_TOKEN;
    const adminToken = given || randomBytes(16).toString('hex');
    const config = loadConfig({
      ...ctx.env,
      SIM_ADMIN_TOKEN: adminToken,
      ...(port !== undefined ? { SIM_PORT: port } : {}),
      ...(typeof v.host === 'string' ? { SIM_HOST: v.host } : {}),
      ...(typeof v['data-dir'] === 'string' ? { SIM_DATA_DIR: v['data-dir'] } : {}),
    });
    const stopped = new Promise<string>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
    });
    const running = await runSimulator(config, (err) => {
      ctx.err.write(`blotter sim: cannot write the journal, stopping: ${String(err)}\n`);
      process.exit(1);
    });
    // A token from the environment is the user's secret and stays a variable in the example.
    const banner = describeSimulator(running.url, config);
    ctx.print(given ? banner : banner.replaceAll('$SIM_ADMIN_TOKEN', adminToken));
    if (!given) ctx.print(`  admin token       ${adminToken} (made up for this run; set SIM_ADMIN_TOKEN to keep one)`);
    ctx.print('  Ctrl-C stops it; accounts, orders and balances are kept for the next start.');
    const signal = await stopped;
    ctx.err.write(`blotter sim: ${signal}, closing\n`);
    await running.close();
    return 0;
  },
};
