// Dead letters: a commit a consumer group cannot process is copied, with the error and its original
// stream sequence, to the namespace's DLQ stream. The event itself stays in the event stream
// (which cannot be purged); `blotter dlq replay` retries it after a fix.
import { headers, type JsMsg } from 'nats';
import type { EventStore } from '@blotter/eventstore';

export async function deadLetter(store: EventStore, group: string, msg: JsMsg, error: unknown): Promise<void> {
  const h = headers();
  h.set('Blotter-Original-Seq', String(msg.seq));
  h.set('Blotter-Original-Subject', msg.subject);
  h.set('Blotter-Consumer', group);
  h.set(
    'Blotter-Error',
    String(error instanceof Error ? error.message : error)
      .slice(0, 1000)
      .replace(/[\r\n]+/g, ' '),
  );
  h.set('Blotter-Failed-At', new Date().toISOString());
  await store.js.publish(store.subjects.deadLetters(group), msg.data, {
    headers: h,
    // The same message dead-lettered twice (a crash before its ack) is stored once.
    msgID: `${group}:${msg.seq}`,
  });
}
