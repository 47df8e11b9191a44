// Toast notifications: fills, rejections, denials, cancels, failed requests.
import { getContext, setContext } from 'svelte';
import type { ToastSpec } from './trading/toasts.ts';

export interface Toast extends ToastSpec {
  id: number;
}

const KEY = Symbol('toasts');
const LIFETIME_MS = 6000;
const MAX_VISIBLE = 5;

export class Toasts {
  items: Toast[] = $state([]);
  #next = 1;

  push(spec: ToastSpec): void {
    const id = this.#next++;
    this.items = [...this.items, { ...spec, id }].slice(-MAX_VISIBLE);
    setTimeout(
      () => this.dismiss(id),
      spec.kind === 'error' || spec.kind === 'reject' || spec.kind === 'deny' ? LIFETIME_MS * 2 : LIFETIME_MS,
    );
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const setToasts = (t: Toasts) => setContext(KEY, t);
export const getToasts = (): Toasts => getContext<Toasts>(KEY);
