// Ceilings of the JetStream server and client, without any Blotter code on top:
//  1a. js.publish with Nats-Msg-Id and Nats-Expected-Last-Subject-Sequence (what every Blotter
//      append is), over many subjects, many publishes in flight; each subject's publishes are
//      sequential (the next one states the sequence the previous ack returned), as for an aggregate.
//  1b. a durable pull consumer with explicit acks reading the same stream back (what the projector
//      and the executor use), `consume()` with batches like the runner's.
// The stream is created with Blotter's own configuration (file storage, dedup window, direct get).
import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import { openBenchStore } from '../infra.ts';
import type { Metric, ScenarioContext } from '../report.ts';
import { loopUntil, median } from '../stats.ts';
import { encodeCommit } from '@blotter/eventstore';
import { makeWorkload } from '../workload.ts';

export async function ceilingJetStream(ctx: ScenarioContext): Promise<Metric[]> {
  const { rounds, sizes, progress } = ctx;
  const bench = await openBenchStore('bjs');
  const { js, jsm, namespace, store } = { ...bench, js: bench.store.js, jsm: bench.store.jsm };
  // A real commit (OrderPlaced, about 1 KiB) as the payload of every message.
  const sample = makeWorkload(store.subjects, 1, 1).orders[0]?.commits[0];
  if (!sample) throw new Error('no sample commit');
  const payload = encodeCommit(sample, sample.events, null).bytes;
  const publishRates: number[] = [];
  const consumeRates: number[] = [];
  let published = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      // Each round: fresh subjects, `publishPerSubject` sequential publishes on each, `publishInFlight`
      // subjects at a time, for `roundSeconds`; only publishes acknowledged in that window count.
      let acked = 0;
      const started = performance.now();
      const deadline = started + sizes.roundSeconds * 1000;
      const ticker = setInterval(() => progress.set(`publish round ${r + 1}/${rounds}: ${acked} acked`), 500);
      await loopUntil(sizes.publishInFlight, deadline, async (i) => {
        const subject = `${namespace}.evt.${i % 4}.r${r}.order.s${i}`;
        let last = 0;
        for (let k = 0; k < sizes.publishPerSubject && performance.now() < deadline; k++) {
          const ack = await js.publish(subject, payload, {
            msgID: `r${r}-${i}-${k}`,
            expect: { lastSubjectSequence: last, streamName: store.streams.events },
            timeout: 30_000,
          });
          last = ack.seq;
          if (performance.now() <= deadline) acked++;
        }
      });
      clearInterval(ticker);
      const rate = acked / sizes.roundSeconds;
      publishRates.push(rate);
      published += acked;
      progress.log(`  publish round ${r + 1}: ${rate.toFixed(0)} msgs/s`);
    }
    const total = (await jsm.streams.info(store.streams.events)).state.messages;
    for (let r = 0; r < rounds; r++) {
      const name = `bench-consume-${r}`;
      await jsm.consumers.add(store.streams.events, {
        durable_name: name,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(60_000),
        max_ack_pending: sizes.batchSize * 4,
      });
      const consumer = await js.consumers.get(store.streams.events, name);
      const started = performance.now();
      const messages = await consumer.consume({ max_messages: sizes.batchSize });
      const deadline = started + sizes.roundSeconds * 1000;
      let n = 0;
      for await (const msg of messages) {
        n++;
        if (n === total || performance.now() >= deadline) {
          // The last ack waits for the server's confirmation; earlier acks precede it on the connection.
          await msg.ackAck();
          break;
        }
        msg.ack();
        if (n % 5000 === 0) progress.set(`consume round ${r + 1}/${rounds}: ${n}/${total}`);
      }
      const rate = n / ((performance.now() - started) / 1000);
      messages.stop();
      const info = await consumer.info();
      if (n === total && info.num_ack_pending !== 0) progress.log(`  warning: ${info.num_ack_pending} acks pending after consume round`);
      await jsm.consumers.delete(store.streams.events, name);
      consumeRates.push(rate);
      progress.log(`  consume round ${r + 1}: ${rate.toFixed(0)} msgs/s (${n} of ${total} msgs)`);
    }
  } finally {
    await bench.close();
  }
  return [
    {
      id: 'ceiling.publish',
      label: 'JetStream publish, msgID + expected subject seq',
      unit: 'msgs/s',
      rounds: publishRates,
      value: median(publishRates),
      detail: `${sizes.roundSeconds} s/round, ${sizes.publishPerSubject} sequential publishes per subject, ${sizes.publishInFlight} subjects in flight, ${payload.length} B payload`,
    },
    {
      id: 'ceiling.consume',
      label: 'JetStream durable pull consume, explicit ack',
      unit: 'msgs/s',
      rounds: consumeRates,
      value: median(consumeRates),
      detail: `from seq 1, whole stream (${published} msgs) or ${sizes.roundSeconds} s per round, consume({max_messages: ${sizes.batchSize}})`,
    },
  ];
}
