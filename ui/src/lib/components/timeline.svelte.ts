import type { OrderEventRow } from '@blotter/schemas';
import type { ApiResult } from '$lib/api.ts';

/** An order's timeline as loaded with the page, until `refresh` fetches it again (for EventTimeline). */
export class Timeline {
  events: OrderEventRow[] = $state([]);
  error: string | null = $state(null);
  refreshing = $state(false);
  readonly #load: () => Promise<ApiResult<{ events: OrderEventRow[] }>>;

  constructor(events: OrderEventRow[], error: string | null, load: () => Promise<ApiResult<{ events: OrderEventRow[] }>>) {
    this.events = events;
    this.error = error;
    this.#load = load;
  }

  refresh = async (): Promise<void> => {
    this.refreshing = true;
    const res = await this.#load();
    this.refreshing = false;
    if (res.ok) {
      this.events = res.value.events;
      this.error = null;
    } else this.error = res.error.message;
  };
}
