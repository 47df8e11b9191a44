// Rebuilds read models from the streams while the projector keeps serving. With --reset, read models
// built from another stream (recreated, or another clone's: the projector refuses to start on them)
// are replaced by ones built from this stack's stream.
import { allReadModels, rebuildReadModels, StreamMismatchError } from '@blotter/read-models';
import type { Command } from '../command.ts';
import { UsageError } from '../context.ts';

export const rebuild: Command = {
  name: 'rebuild',
  summary: 'rebuild live read models from the streams (blue/green, no downtime)',
  usage: `rebuild [--projection ${allReadModels.map((m) => m.name).join('|')}] [--reset] [--json]`,
  options: { projection: { type: 'string' }, reset: { type: 'boolean' }, json: { type: 'boolean' } },
  help: {
    projection: `only this read model (${allReadModels.map((m) => m.name).join(', ')}); all of them when left out`,
    reset: "read models built from another stream: replace all of them (and their checkpoints) with ones built from this stack's stream",
    json: 'print the report as JSON',
  },
  async run(ctx, v) {
    if (v.reset && typeof v.projection === 'string') throw new UsageError('--reset rebuilds every read model: leave out --projection');
    const names = typeof v.projection === 'string' ? [v.projection] : allReadModels.map((m) => m.name);
    if (!names.every((n) => allReadModels.some((m) => m.name === n))) throw new UsageError(`unknown projection ${String(v.projection)}`);
    let report: Awaited<ReturnType<typeof rebuildReadModels>>;
    try {
      report = await rebuildReadModels(await ctx.store(), ctx.db(), ctx.readSchema, names, {
        onProgress: (s, last) => ctx.progress(s, last, 'rebuilding'),
        reset: v.reset === true,
      });
    } catch (err) {
      if (!(err instanceof StreamMismatchError)) throw err;
      ctx.err.write(`blotter rebuild: ${err.message}\n`);
      return 1;
    }
    if (v.json) ctx.json(report);
    else
      ctx.print(
        `rebuilt ${report.projections.join(', ')} from ${report.commits} commits${report.reset ? ' of this stream (reset)' : ''}; swapped in ${report.swapMs} ms`,
      );
    return 0;
  },
};
