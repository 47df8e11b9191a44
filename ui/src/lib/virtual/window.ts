// Which rows of a long list are worth putting in the DOM: those in the scroll box's view, plus a few
// either side so a quick scroll does not show blank space. Framework-free (tested on its own); the
// table component measures, this decides.

export interface RowWindow {
  /** First row rendered (inclusive). */
  start: number;
  /** Row after the last one rendered (exclusive). */
  end: number;
  /** Height standing in for the rows above `start`, and below `end`. */
  padTop: number;
  padBottom: number;
}

/**
 * The rows to render for a box scrolled to `scrollTop`, `viewport` px tall, over `total` rows of
 * about `rowHeight` px each. The count rendered is bounded by the box's height, whatever `total` is.
 */
export function rowWindow(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): RowWindow {
  const h = Math.max(1, rowHeight);
  const first = Math.floor(Math.max(0, scrollTop) / h);
  const visible = Math.ceil(Math.max(0, viewport) / h) + 1;
  const start = Math.max(0, Math.min(total, first - overscan));
  const end = Math.max(start, Math.min(total, first + visible + overscan));
  return { start, end, padTop: start * h, padBottom: (total - end) * h };
}

/** Whether the view is close enough to the end of what is loaded to fetch the next page. */
export function nearEnd(win: Pick<RowWindow, 'end'>, total: number, margin = 40): boolean {
  return total - win.end <= margin;
}
