// Long histories: the live channel holds the newest rows (a bounded snapshot plus updates); older
// ones are paged from the REST API with its `before` cursor as the trader scrolls. This merges the
// two into one newest-first list without duplicates, the live copy of a row winning (it is newer).

export interface PageState<T> {
  /** Rows fetched from the API, older than the live ones, oldest last. */
  older: T[];
  /** The API said there is nothing older. */
  done: boolean;
}

/** The live rows then the older pages, each key once, newest first by `at` then key. */
export function mergeHistory<T>(live: readonly T[], older: readonly T[], key: (row: T) => string, at: (row: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const row of [...live, ...older]) {
    const k = key(row);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(row);
  }
  return out.sort((a, b) => {
    const byTime = at(b).localeCompare(at(a));
    return byTime !== 0 ? byTime : key(b).localeCompare(key(a));
  });
}

/** The state after a page of `limit` arrived: appended, and done when it came back short. */
export function withPage<T>(state: PageState<T>, page: readonly T[], limit: number): PageState<T> {
  return { older: [...state.older, ...page], done: page.length < limit };
}
