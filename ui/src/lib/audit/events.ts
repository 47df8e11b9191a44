// One line that says what an event was about, for the stream browser's rows; the full data is
// one click away. Ids are left out (they have their own columns) and so are bookkeeping fields.
import { eventLines } from '../market/events.ts';

const SKIP = /(^|\.)(userId|orderId|auditorId|subjectUserId|eventId|correlationId)$/;

export function eventSummary(data: unknown, max = 4): string {
  const lines = eventLines(data).filter((l) => !SKIP.test(l.key));
  const shown = lines.slice(0, max).map((l) => `${l.key} ${l.value}`);
  return shown.join(' · ') + (lines.length > max ? ' …' : '');
}

/** "01a20dad…246a": enough of an id to tell rows apart, the whole one in a title. */
export const shortId = (id: string) => (id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id);
