import { allReadModels, rebuildReadModels } from '@blotter/read-models';
import type { Command } from '../command.ts';
import { UsageError } from '../context.ts';

export const rebuild: Command = {
  name: 'rebuild',
  summary: 'rebuild live read models from the streams (blue/green, no downtime)',
  usage: `rebuild [--projection ${allReadModels.map((m) => m.name).join('|')}] [--json]`,
  options: { projection: { type: 'string' }, json: { type: 'boolean' } },
  help: {
    projection: `only this read model (${allReadModels.map((m) => m.name).join(', ')}); all of them when left out`,
    json: 'print the report as JSON',
  },
  async run(ctx, v) {
    const names = typeof v.projection === 'string' ? [v.projection] : allReadModels.map((m) => m.name);
    if (!names.every((n) => allReadModels.some((m) => m.name === n))) throw new UsageError(`unknown projection ${String(v.projection)}`);
    const report = await rebuildReadModels(await ctx.store(), ctx.db(), ctx.readSchema, names, {
      onProgress: (s, last) => ctx.progress(s, last, 'rebuilding'),
    });
    if (v.json) ctx.json(report);
    else ctx.print(`rebuilt ${report.projections.join(', ')} from ${report.commits} commits; swapped in ${report.swapMs} ms`);
    return 0;
  },
};
