// Keyboard shortcuts of the trade page: B and S put the ticket on Buy or Sell, unless the trader
// is typing somewhere (a field, a select, an editable region) or holding a modifier.
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: { tagName?: string; isContentEditable?: boolean } | null;
}

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function shortcutSide(e: KeyLike): 'BUY' | 'SELL' | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const t = e.target;
  if (t && (t.isContentEditable || (t.tagName !== undefined && TYPING.has(t.tagName.toUpperCase())))) return null;
  if (e.key === 'b' || e.key === 'B') return 'BUY';
  if (e.key === 's' || e.key === 'S') return 'SELL';
  return null;
}
