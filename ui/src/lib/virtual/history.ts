// Long histories: the live channel holds the newest rows (a bounded snapshot plus updates); older
// ones are paged from the REST API with its `before` cursor as the trader scrolls. This merges the
// two into one newest-first list without duplicates, the live copy of a row winning (it is newer).

export interface PageState<T> {
  /** Rows fetched from the API, older than the live ones, oldest last. */
  older: T[];
  /** The API said there is nothing older. */
  done: boolean;
}

/**
 * The live rows then the older pages, each key once, newest first by `at` then key. Each page is
 * already newest first and older than the last, so only the live rows (a few hundred) are sorted
 * in; tens of thousands of paged rows are not re-sorted on every page (it would stall scrolling).
 */
export function mergeHistory<T>(live: readonly T[], older: readonly T[], key: (row: T) => string, at: (row: T) => string): T[] {
  const liveKeys = new Set(live.map(key));
  const newer = (a: T, b: T) => {
    const byTime = at(b).localeCompare(at(a));
    return byTime !== 0 ? byTime : key(b).localeCompare(key(a));
  };
  const head = [...live].sort(newer);
  const tail = older.filter((row) => !liveKeys.has(key(row)));
  // Paged rows as new as the oldest live row (a live update racing a page) are sorted in with it.
  const oldestLive = head.at(-1);
  let split = 0;
  while (split < tail.length && oldestLive && newer(oldestLive, tail[split] as T) >= 0) split++;
  return split === 0 ? [...head, ...tail] : [...head, ...tail.slice(0, split)].sort(newer).concat(tail.slice(split));
}

/** The state after a page of `limit` arrived: appended, and done when it came back short. */
export function withPage<T>(state: PageState<T>, page: readonly T[], limit: number): PageState<T> {
  return { older: [...state.older, ...page], done: page.length < limit };
}
