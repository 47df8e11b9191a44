// Filling a namespace's event stream with a workload through Blotter's own EventStore.append
// (commit encoding, hash chain, Nats-Msg-Id and expected subject sequence), many orders in flight.
import type { EventStore } from '@blotter/eventstore';
import { parseEventSubject } from '@blotter/schemas';
import { pool } from './stats.ts';
import type { WorkCommit, WorkOrder } from './workload.ts';

/** The last stream sequence written to each partition (a runner is caught up when it reaches them). */
export type PartitionHeads = Map<number, number>;

export async function appendCommit(store: EventStore, c: WorkCommit, expectedSeq: number, prevHash: string | null, heads: PartitionHeads) {
  const ack = await store.append(
    { commitId: c.commitId, subject: c.subject, aggregateId: c.aggregateId, userId: c.userId, occurredAt: c.occurredAt },
    c.events,
    expectedSeq,
    prevHash,
  );
  const p = parseEventSubject(c.subject)?.partition ?? -1;
  heads.set(p, Math.max(heads.get(p) ?? 0, ack.seq));
  return ack;
}

/** Both commits of an order, the second expecting the first's sequence. */
export async function appendOrder(store: EventStore, o: WorkOrder, heads: PartitionHeads): Promise<void> {
  const first = await appendCommit(store, o.commits[0], 0, null, heads);
  await appendCommit(store, o.commits[1], first.seq, first.hash, heads);
}

export async function prefill(
  store: EventStore,
  w: { accounts: WorkCommit[]; orders: WorkOrder[] },
  heads: PartitionHeads,
  onProgress: (done: number) => void,
  inFlight = 256,
): Promise<void> {
  let done = 0;
  await pool(w.accounts, inFlight, async (c) => {
    await appendCommit(store, c, 0, null, heads);
    done++;
  });
  await pool(w.orders, inFlight, async (o) => {
    await appendOrder(store, o, heads);
    done += 2;
    if (done % 1000 < 2) onProgress(done);
  });
  onProgress(done);
}
