// An order event's data as readable lines for the timeline: "quantity: 0.01", nested values
// flattened with dots, decimals kept as the exact strings they are.
export interface EventLine {
  key: string;
  value: string;
}

const HIDDEN = new Set(['userId']);

export function eventLines(data: unknown, prefix = ''): EventLine[] {
  if (data === null || data === undefined) return prefix ? [{ key: prefix, value: '—' }] : [];
  if (Array.isArray(data)) {
    if (data.every((d) => d === null || typeof d !== 'object')) return [{ key: prefix || 'value', value: data.map(String).join(', ') }];
    return data.flatMap((d, i) => eventLines(d, `${prefix}[${i}]`));
  }
  if (typeof data === 'object') {
    return Object.entries(data).flatMap(([k, v]) => (HIDDEN.has(k) ? [] : eventLines(v, prefix ? `${prefix}.${k}` : k)));
  }
  return [{ key: prefix || 'value', value: String(data) }];
}

/** "OrderPartiallyFilled" → "Order partially filled". */
export function eventTitle(type: string): string {
  const base = type.includes('.') ? (type.split('.').at(-1) ?? type) : type;
  const words = base.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
