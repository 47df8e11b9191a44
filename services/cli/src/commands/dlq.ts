// Dead letters: commits a consumer could not process. `list` shows them with their original
// sequence and error. `replay` is for after a fix: it checks each one now decodes, rebuilds the
// read models from the streams (so the formerly failing commits are applied in their proper order,
// not bolted on out of order), and then removes the entries from the dead-letter stream.
import { decodeCommit } from '@blotter/eventstore';
import { allReadModels, rebuildReadModels } from '@blotter/read-models';
import type { JsMsg } from 'nats';
import type { Command } from '../command.ts';
import type { Context } from '../context.ts';

interface DeadLetter {
  dlqSeq: number;
  originalSeq: number;
  subject: string;
  consumer: string;
  error: string;
  failedAt: string;
  data: Uint8Array;
}

async function deadLetters(ctx: Context): Promise<DeadLetter[]> {
  const store = await ctx.store();
  const info = await store.jsm.streams.info(store.streams.deadLetters);
  if (info.state.messages === 0) return [];
  const consumer = await store.js.consumers.get(store.streams.deadLetters);
  const out: DeadLetter[] = [];
  const messages = await consumer.consume();
  for await (const m of messages as AsyncIterable<JsMsg>) {
    out.push({
      dlqSeq: m.seq,
      originalSeq: Number(m.headers?.get('Blotter-Original-Seq') ?? 0),
      subject: m.headers?.get('Blotter-Original-Subject') ?? m.subject,
      consumer: m.headers?.get('Blotter-Consumer') ?? '',
      error: m.headers?.get('Blotter-Error') ?? '',
      failedAt: m.headers?.get('Blotter-Failed-At') ?? '',
      data: m.data,
    });
    if (m.info.pending === 0) break;
  }
  messages.stop();
  return out;
}

export const dlqList: Command = {
  name: 'dlq list',
  summary: 'list dead-lettered commits with their original sequence and error',
  usage: 'dlq list [--json]',
  options: { json: { type: 'boolean' } },
  help: { json: 'print JSON instead of the list' },
  async run(ctx, v) {
    const list = await deadLetters(ctx);
    if (v.json) ctx.json(list.map(({ data: _d, ...rest }) => rest));
    else if (list.length === 0) ctx.print('no dead letters');
    else
      for (const d of list)
        ctx.print(`${String(d.originalSeq).padStart(8)}  ${d.failedAt}  ${d.consumer.padEnd(10)} ${d.subject}\n          ${d.error}`);
    return 0;
  },
};

export const dlqReplay: Command = {
  name: 'dlq replay',
  summary: 'after a fix: rebuild the read models through the dead-lettered commits and clear them',
  usage: 'dlq replay',
  options: {},
  async run(ctx) {
    const store = await ctx.store();
    const list = await deadLetters(ctx);
    if (list.length === 0) {
      ctx.print('no dead letters');
      return 0;
    }
    const stillBad = list.filter((d) => {
      try {
        decodeCommit(d.originalSeq, d.subject, new Date(), d.data);
        return false;
      } catch {
        return true;
      }
    });
    for (const d of stillBad) ctx.print(`still undecodable: ${d.originalSeq} ${d.subject} — left in the dead-letter stream`);
    const report = await rebuildReadModels(
      store,
      ctx.db(),
      ctx.readSchema,
      allReadModels.map((m) => m.name),
      {
        onProgress: (s, last) => ctx.progress(s, last, 'rebuilding'),
      },
    );
    const fixed = list.filter((d) => !stillBad.includes(d));
    for (const d of fixed) await store.jsm.streams.deleteMessage(store.streams.deadLetters, d.dlqSeq);
    ctx.print(`rebuilt ${report.projections.join(', ')} from ${report.commits} commits; cleared ${fixed.length} dead letter(s)`);
    return stillBad.length === 0 ? 0 : 1;
  },
};
