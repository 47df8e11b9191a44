import { verifyReadModels } from '@blotter/read-models';
import type { Command } from '../command.ts';

export const verify: Command = {
  name: 'verify',
  summary: 'rebuild every projection from the streams and compare; check every hash chain',
  usage: 'verify [--json]',
  options: { json: { type: 'boolean' } },
  help: { json: 'print the whole report as JSON' },
  async run(ctx, v) {
    const report = await verifyReadModels(await ctx.store(), ctx.db(), ctx.readSchema, {
      onProgress: (s, last) => ctx.progress(s, last, 'verifying'),
    });
    if (v.json) ctx.json(report);
    else {
      ctx.print(
        `${report.commits} commits read; checkpoints ${report.checkpoints.map((c) => `${c.projection}/p${c.partition}@${c.seq}`).join(' ')}`,
      );
      for (const t of report.tables)
        ctx.print(
          `  ${t.table.padEnd(10)} live ${String(t.liveRows).padStart(7)}  rebuilt ${String(t.rebuiltRows).padStart(7)}  differences ${t.differences}`,
        );
      for (const d of report.differences) {
        ctx.print(`  DIFF ${d.table} ${d.key}: ${d.kind}`);
        for (const c of d.columns ?? [])
          ctx.print(`       ${c.column}: live ${JSON.stringify(c.live)} ≠ rebuilt ${JSON.stringify(c.rebuilt)}`);
      }
      for (const u of report.undecodable) ctx.print(`  UNDECODABLE ${u.subject} at sequence ${u.seq} (dead-lettered, skipped): ${u.error}`);
      ctx.print(`  chains: ${report.chain.subjects} aggregates, ${report.chain.brokenLinks.length} broken`);
      if (!report.stream.matches)
        ctx.print(
          `  STREAM: the read models were built from ${report.stream.builtFrom.join(', ') || 'an earlier stream'}, not from ${report.stream.current}: ${report.stream.hint}`,
        );
      for (const b of report.chain.brokenLinks) ctx.print(`  BROKEN ${b.subject} at sequence ${b.seq}: ${b.reason}`);
      ctx.print(report.ok ? 'OK: the read models match the events and every chain is intact' : 'FAILED: see the differences above');
    }
    return report.ok ? 0 : 1;
  },
};
