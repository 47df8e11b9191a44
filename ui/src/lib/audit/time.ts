// Times in the audit area are UTC, like every time on screen. A `datetime-local` input has no zone:
// its value is read as UTC, and ISO instants are shown in it as UTC.
const LOCAL = /^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,3}))?)?$/;
const ZONED = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/**
 * An ISO instant ("…Z") for what a user typed or a URL carried: a `datetime-local` value read as
 * UTC ("2026-11-24T13:10", with optional seconds and milliseconds) or an ISO time with a zone.
 * Null for anything else (including impossible dates like February 30th).
 */
export function utcInputToIso(value: string): string | null {
  const v = value.trim();
  const m = LOCAL.exec(v);
  let date: Date;
  if (m) {
    const ms = (m[4] ?? '').padEnd(3, '0') || '000';
    const text = `${m[1]}T${m[2]}:${m[3] ?? '00'}.${ms}Z`;
    date = new Date(text);
    if (Number.isNaN(date.getTime()) || date.toISOString() !== text) return null;
    return text;
  }
  if (!ZONED.test(v)) return null;
  date = new Date(v);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The `datetime-local` value (UTC) of an ISO instant, with milliseconds when there are any. */
export function isoToUtcInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const s = d.toISOString(); // 2026-11-24T13:10:00.491Z
  return s.endsWith('.000Z') ? s.slice(0, 19) : s.slice(0, 23);
}

/** "2026-11-24 13:10:00.491": for event times, where the milliseconds tell neighbours apart. */
export function formatTimeMs(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toISOString().replace('T', ' ').replace('Z', '');
}
