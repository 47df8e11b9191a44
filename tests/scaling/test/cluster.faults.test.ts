// One NATS node SIGKILLed under load on a 3-node cluster with R3 streams (`make test-cluster`, also
// in `make test-faults`). The cluster is private to this file (infra/nats/cluster/node-N.conf on free
// ports, temp stores); the event stream is created by EventStore.open with 3 replicas, as
// `make cluster` creates it. While the stream's leader is killed, kept down and started again:
//   - order load: concurrent writers each place orders (OrderPlaced at expected sequence 0, then
//     OrderAccepted at the placed commit's sequence). An append without a definite answer (timeout,
//     no responders, cluster unavailable) is retried with the same commit id and expected sequence,
//     exactly as a client must; afterwards every acknowledged commit must be in the stream at its
//     acknowledged sequence, and no commit id may be stored twice;
//   - optimistic concurrency: rounds of WRITERS concurrent appends to one order subject with the
//     same expected sequence (retried the same way): exactly one is acknowledged per round and the
//     others get "wrong last sequence", before, during and after the outage; the subject's commits
//     are afterwards exactly the winners' chain.
// Printed: appends, retries, rounds per phase, time from the kill to the stream's new leader and to
// the first acknowledged append, and the restarted node's catch-up.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import {
  connectNats,
  defaultStreamOptions,
  EventStore,
  isWrongLastSequence,
  jsErrorCode,
  type StoredCommit,
  uuidv7,
} from '@blotter/eventstore';
import { type DomainEvent, streamNames } from '@blotter/schemas';
import { NatsCluster } from '../src/nats-cluster.ts';
import { sleep, eventually } from '@blotter/test-kit';

const LOAD_WRITERS = 16;
const WRITERS = 8;
const BEFORE_MS = 4000;
const DOWN_MS = 4000;
const AFTER_MS = 4000;
/** A writer that gets no definite answer for this long fails the test. */
const ANSWER_DEADLINE_MS = 45_000;

const cluster = await NatsCluster.start(3);
let failed = false;
t.afterEach((t) => {
  if (!t.passing()) failed = true;
});
t.teardown(async () => {
  if (nc && !nc.isClosed()) await nc.close().catch(() => {});
  await cluster.close(failed);
});
const nc = await connectNats(cluster.url, 'scaling-cluster-test');
const namespace = `clu${randomBytes(4).toString('hex')}`;
const store = await EventStore.open(nc, { ...defaultStreamOptions(namespace), partitions: 4, replicas: 3 });

type Outcome = { kind: 'acked'; seq: number; duplicate: boolean; hash: string; tries: number } | { kind: 'conflict'; tries: number };
const stats = { retries: 0, errors: new Map<string, number>() };

/**
 * One append carried to a definite answer: acknowledged (possibly as a duplicate of an earlier try
 * that was stored without its ack reaching us) or refused for a wrong last sequence. Anything else
 * is retried with the same commit id and expected sequence.
 */
async function appendUntilAnswered(
  meta: Parameters<EventStore['append']>[0],
  events: DomainEvent[],
  expectedSeq: number,
  prevHash: string | null,
): Promise<Outcome> {
  const deadline = Date.now() + ANSWER_DEADLINE_MS;
  for (let tries = 1; ; tries++) {
    try {
      const r = await store.append(meta, events, expectedSeq, prevHash);
      return { kind: 'acked', seq: r.seq, duplicate: r.duplicate, hash: r.hash, tries };
    } catch (err) {
      if (isWrongLastSequence(err)) return { kind: 'conflict', tries };
      const key = jsErrorCode(err) ? `api ${jsErrorCode(err)}` : ((err as { code?: string }).code ?? (err as Error).message);
      stats.errors.set(key, (stats.errors.get(key) ?? 0) + 1);
      stats.retries++;
      if (Date.now() > deadline) throw new Error(`no definite answer for ${meta.commitId} within ${ANSWER_DEADLINE_MS} ms: ${String(err)}`);
      await sleep(50);
    }
  }
}

const userId = uuidv7();
const placedEvent = (orderId: string): DomainEvent => ({
  type: 'OrderPlaced',
  data: {
    orderId,
    userId,
    clientOrderId: null,
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '0.01',
    price: '60000',
    stopPrice: null,
    venue: 'paper',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    reserved: { asset: 'USDT', amount: '600.6' },
  },
});
const meta = (orderId: string) => ({
  commitId: uuidv7(),
  subject: store.subjects.order(userId, orderId),
  aggregateId: orderId,
  userId,
  occurredAt: new Date().toISOString(),
});

// ---- phases ------------------------------------------------------------------------------------
let killAt = Number.POSITIVE_INFINITY;
let restartAt = Number.POSITIVE_INFINITY;
const phaseOf = (startedAt: number, endedAt: number) => (endedAt < killAt ? 'before' : startedAt > restartAt ? 'after' : 'during');

// ---- order load ---------------------------------------------------------------------------------
interface Acked {
  commitId: string;
  subject: string;
  seq: number;
  at: number;
}
const acked: Acked[] = [];
const anomalies: string[] = [];
let loadRunning = true;

async function loadWriter(): Promise<void> {
  while (loadRunning) {
    const orderId = uuidv7();
    const m1 = meta(orderId);
    const placed = await appendUntilAnswered(m1, [placedEvent(orderId)], 0, null);
    if (placed.kind !== 'acked') {
      anomalies.push(`new order ${orderId}: conflict on its first commit (after ${placed.tries} tries)`);
      continue;
    }
    acked.push({ commitId: m1.commitId, subject: m1.subject, seq: placed.seq, at: Date.now() });
    const m2 = meta(orderId);
    const accepted = await appendUntilAnswered(
      m2,
      [{ type: 'OrderAccepted', data: { orderId, venueOrderId: String(placed.seq), acceptedAt: new Date().toISOString() } }],
      placed.seq,
      placed.hash,
    );
    if (accepted.kind !== 'acked') {
      anomalies.push(`order ${orderId}: conflict on OrderAccepted (after ${accepted.tries} tries) with no other writer`);
      continue;
    }
    acked.push({ commitId: m2.commitId, subject: m2.subject, seq: accepted.seq, at: Date.now() });
  }
}

// ---- optimistic concurrency rounds ----------------------------------------------------------------
interface Round {
  n: number;
  phase: string;
  winners: number;
  conflicts: number;
  expected: number;
  winnerSeq: number | null;
  winnerCommit: string | null;
  tries: number;
  ms: number;
}
const rounds: Round[] = [];
const occOrder = uuidv7();
let roundsRunning = true;

async function occRounds(): Promise<void> {
  const first = meta(occOrder);
  const opened = await appendUntilAnswered(first, [placedEvent(occOrder)], 0, null);
  if (opened.kind !== 'acked') throw new Error('could not open the contended order');
  let expected = opened.seq;
  let prevHash: string | null = opened.hash;
  while (roundsRunning) {
    const startedAt = Date.now();
    const metas = Array.from({ length: WRITERS }, () => meta(occOrder));
    const outcomes = await Promise.all(
      metas.map((m, w) =>
        appendUntilAnswered(
          m,
          [
            {
              type: 'OrderCancelRequested',
              data: { orderId: occOrder, requestedBy: `00000000-0000-7000-8000-${String(w).padStart(12, '0')}` },
            },
          ],
          expected,
          prevHash,
        ),
      ),
    );
    const endedAt = Date.now();
    const wins = outcomes.flatMap((o, i) => (o.kind === 'acked' ? [{ o, m: metas[i] }] : []));
    const winner = wins[0];
    rounds.push({
      n: rounds.length + 1,
      phase: phaseOf(startedAt, endedAt),
      winners: wins.length,
      conflicts: outcomes.filter((o) => o.kind === 'conflict').length,
      expected,
      winnerSeq: winner?.o.kind === 'acked' ? winner.o.seq : null,
      winnerCommit: winner?.m?.commitId ?? null,
      tries: outcomes.reduce((a, o) => a + o.tries, 0),
      ms: endedAt - startedAt,
    });
    if (wins.length !== 1 || winner?.o.kind !== 'acked') {
      // No agreed winner: read where the subject is now and go on from there (the test fails below).
      const last = await store.last(store.subjects.order(userId, occOrder));
      expected = last?.seq ?? expected;
      prevHash = last?.hash ?? prevHash;
      continue;
    }
    expected = winner.o.seq;
    prevHash = winner.o.hash;
  }
}

// ---- write probe --------------------------------------------------------------------------------
// EventStore.append resends an unanswered commit every 2 s (same msgID), so the load's first ack
// after the kill is up to that much later than the election. A probe publishing every 50 ms with a 500 ms timeout (outside the order
// subjects, never read as a commit) shows when the stream takes writes again.
const probeAcks: { sentAt: number; at: number }[] = [];
let probing = true;
async function probe(): Promise<void> {
  const subject = `${namespace}.evt.probe`;
  while (probing) {
    const sentAt = Date.now();
    try {
      await store.js.publish(subject, new TextEncoder().encode('probe'), { timeout: 500 });
      probeAcks.push({ sentAt, at: Date.now() });
    } catch {}
    await sleep(50);
  }
}

// ---- the run ------------------------------------------------------------------------------------
async function streamLeader(): Promise<string | undefined> {
  const info = await store.jsm.streams.info(store.streams.events);
  return info.cluster?.leader;
}
/** A leader and two current replicas; with `idle`, also no lag at all (only once writes stopped). */
async function replicasCurrent(idle = true): Promise<boolean> {
  const info = await store.jsm.streams.info(store.streams.events);
  const replicas = info.cluster?.replicas ?? [];
  return (
    Boolean(info.cluster?.leader) &&
    replicas.length === 2 &&
    replicas.every((r) => r.current && !r.offline && (!idle || (r.lag ?? 0) === 0))
  );
}

await eventually(() => replicasCurrent(), 30_000, 'the R3 event stream to have a leader and two current replicas');
const info0 = await store.jsm.streams.info(store.streams.events);

const t0 = Date.now();
const loaders = Array.from({ length: LOAD_WRITERS }, () => loadWriter());
const contender = occRounds();
const prober = probe();
await sleep(BEFORE_MS);

const victimName = await streamLeader();
if (!victimName) throw new Error('the event stream has no leader');
const victim = cluster.node(victimName);
const ackedBeforeKill = acked.length;
killAt = Date.now();
await victim.proc.kill();
const killedAt = Date.now();
// The survivors elect a new leader for the stream; the first append acknowledged after the kill
// shows when writers are served again.
const newLeader = await eventually(
  async () => {
    const l = await streamLeader().catch(() => undefined);
    return l && l !== victimName ? l : undefined;
  },
  30_000,
  'a new stream leader',
  50,
);
const leaderMs = Date.now() - killAt;
const firstAckAfterKill = await eventually(() => acked.find((a) => a.at > killedAt), 30_000, 'an append acknowledged after the kill', 10);
const firstAckMs = firstAckAfterKill.at - killAt;
const probeBack = await eventually(
  () => probeAcks.find((a) => a.sentAt > killedAt),
  30_000,
  'a probe write acknowledged after the kill',
  10,
);
const probeMs = probeBack.at - killAt;
await sleep(Math.max(0, killAt + DOWN_MS - Date.now()));

restartAt = Date.now();
const restartReadyMs = await cluster.restart(victim);
await eventually(() => replicasCurrent(false), 60_000, 'the restarted node to catch up (every replica current)', 50);
const catchUpMs = Date.now() - restartAt;
await sleep(AFTER_MS);

roundsRunning = false;
loadRunning = false;
probing = false;
await Promise.all([...loaders, contender, prober]);
const loadMs = Date.now() - t0;
await eventually(() => replicasCurrent(), 60_000, 'every replica current with no lag before the checks', 50);

// ---- checks -------------------------------------------------------------------------------------
t.test('no acknowledged append is lost or stored twice', async (t) => {
  const stored = new Map<string, { seq: number; subject: string }>();
  const twice: string[] = [];
  for await (const c of store.read({ filter: store.subjects.allOrderEvents })) {
    if (stored.has(c.commitId)) twice.push(c.commitId);
    stored.set(c.commitId, { seq: c.seq, subject: c.subject });
  }
  const lost = acked.filter((a) => stored.get(a.commitId)?.seq !== a.seq || stored.get(a.commitId)?.subject !== a.subject);
  t.equal(lost.length, 0, `all ${acked.length} acknowledged load commits are in the stream at their acknowledged sequence`, {
    lost: lost.slice(0, 10),
  });
  t.equal(twice.length, 0, 'no commit id stored twice (retries were deduplicated)', { twice: twice.slice(0, 10) });
  t.same(anomalies, [], 'no writer was refused on a subject only it writes to');
  // Direct get (served by any current replica, the restarted one included) agrees, for a sample.
  const sample = acked.filter((_, i) => i % Math.max(1, Math.floor(acked.length / 200)) === 0);
  let agree = 0;
  for (const a of sample) if ((await store.get(a.seq))?.commitId === a.commitId) agree++;
  t.equal(agree, sample.length, `direct get returns ${sample.length} sampled commits`);
  t.ok(acked.length - ackedBeforeKill > 0, `appends were acknowledged after the kill (${acked.length - ackedBeforeKill})`);
});

t.test('optimistic concurrency: exactly one writer wins each round, before, during and after the kill', async (t) => {
  const byPhase = (p: string) => rounds.filter((r) => r.phase === p);
  for (const phase of ['before', 'during', 'after']) t.ok(byPhase(phase).length > 0, `${byPhase(phase).length} rounds ${phase} the outage`);
  const bad = rounds.filter((r) => r.winners !== 1 || r.conflicts !== WRITERS - 1);
  t.equal(bad.length, 0, `each of ${rounds.length} rounds: 1 acknowledged, ${WRITERS - 1} wrong-last-sequence`, { bad: bad.slice(0, 10) });
  const chain: StoredCommit[] = [];
  for await (const c of store.read({ filter: store.subjects.order(userId, occOrder) })) chain.push(c);
  t.same(
    chain.slice(1).map((c) => [c.seq, c.commitId]),
    rounds.map((r) => [r.winnerSeq, r.winnerCommit]),
    "the contended order's commits are exactly the winners, one per round, in order",
  );
  t.ok(
    chain.every((c, i) => i === 0 || c.prevHash === chain[i - 1]?.hash),
    'each commit chains to the previous one',
  );
});

t.test('the partition lease bucket is replicated like the stream and works after the kill', async (t) => {
  const bucket = streamNames(namespace).leasesBucket;
  const info = await store.jsm.streams.info(`KV_${bucket}`);
  t.equal(info.config.num_replicas, 3, `KV_${bucket} has 3 replicas`);
  const kv = await store.js.views.kv(bucket);
  const rev = await kv.put('projector.p0', new TextEncoder().encode('scaling-test'));
  // KV reads are direct gets that any replica may serve, so a read right after a write can come
  // from a follower that has not applied it yet. Leases only rely on the leader's compare-and-set
  // (a stale read there just fails the CAS); the write must become visible everywhere soon.
  const seen = await eventually(async () => ((await kv.get('projector.p0'))?.revision === rev ? true : null), 5_000, 'the lease write', 50);
  t.ok(seen, 'a lease written after the failover reads back');
});

const phaseLine = (p: string) => {
  const rs = rounds.filter((r) => r.phase === p);
  return `${p}: ${rs.length} rounds, ${rs.reduce((a, r) => a + r.tries, 0)} tries, slowest ${Math.max(0, ...rs.map((r) => r.ms))} ms`;
};
// On stderr: the base reporter of `make test-cluster` does not show comments of passing tests.
process.stderr.write(
  `${[
    `R${info0.config.num_replicas} stream ${store.streams.events} on ${cluster.nodes.map((n) => n.name).join(', ')}; leader ${victimName} SIGKILLed after ${BEFORE_MS} ms of load, down ${restartAt - killAt} ms`,
    `appends acknowledged: ${acked.length} in ${loadMs} ms (${Math.round((acked.length / loadMs) * 1000)}/s, ${LOAD_WRITERS} writers; ${ackedBeforeKill} before the kill)`,
    `retries without a definite answer: ${stats.retries} (${[...stats.errors].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none'})`,
    `failover: probe writes (500 ms timeout) acknowledged again ${probeMs} ms after the kill; first load append acknowledged ${firstAckMs} ms after it` +
      `; stream info named the new leader ${newLeader} after ${leaderMs} ms`,
    `restart: node healthy ${restartReadyMs} ms after start, replicas current ${catchUpMs} ms after restart`,
    `OCC rounds (${WRITERS} writers each): ${['before', 'during', 'after'].map(phaseLine).join('; ')}`,
  ]
    .map((l) => `[cluster test] ${l}`)
    .join('\n')}\n`,
);
