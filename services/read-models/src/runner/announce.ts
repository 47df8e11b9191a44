// Publishes each committed change on `<ns>.changes.<userId>` (core NATS, fire and forget). A lost
// notice is detected by the client from the prevVersion chain, which makes it resubscribe.
import type { NatsConnection } from 'nats';
import { namespaceSubjects } from '@blotter/schemas';
import type { ChannelChange } from './apply-batch.ts';

export function changeAnnouncer(nc: NatsConnection, namespace: string): (changes: ChannelChange[]) => void {
  const subject = namespaceSubjects(namespace).changes;
  const encoder = new TextEncoder();
  return (changes) => {
    for (const change of changes) nc.publish(subject(change.userId), encoder.encode(JSON.stringify(change)));
  };
}
