// Which alert changes deserve a toast, and what it says. Pure; every tab's live client feeds it
// the alert rows an update changed, so a trigger shows in every open tab without a reload.
import type { AlertRow } from '../live/channels.ts';
import type { AlertChange } from '../live/reducer.ts';
import type { ToastSpec } from '../trading/toasts.ts';

export const describeAlert = (a: Pick<AlertRow, 'symbol' | 'condition' | 'price'>) =>
  `${a.symbol} ${a.condition === 'ABOVE' ? '≥' : '≤'} ${a.price}`;

/** A toast for an alert that just triggered; null for any other change (set, cancelled, a repeat). */
export function alertToast({ prev, next }: AlertChange): ToastSpec | null {
  if (next.status !== 'TRIGGERED' || prev?.status === 'TRIGGERED') return null;
  const at = next.triggerPrice ? `: ${next.symbol} at ${next.triggerPrice}` : '';
  return { kind: 'info', title: 'Price alert', body: `${describeAlert(next)}${at}${next.note ? ` — ${next.note}` : ''}` };
}

/** Shows a toast for every trigger the tab's live client receives; returns the stop function. */
export function watchAlerts(
  live: { onAlertChanges(fn: (changes: AlertChange[]) => void): () => void },
  toasts: { push(spec: ToastSpec): void },
): () => void {
  return live.onAlertChanges((changes) => {
    for (const change of changes) {
      const spec = alertToast(change);
      if (spec) toasts.push(spec);
    }
  });
}

/** Active alerts first (newest first), then the closed ones (newest first). */
export const sortForDisplay = (alerts: readonly AlertRow[]): AlertRow[] =>
  [...alerts].sort((a, b) => Number(b.status === 'ACTIVE') - Number(a.status === 'ACTIVE') || b.createdAt.localeCompare(a.createdAt));
