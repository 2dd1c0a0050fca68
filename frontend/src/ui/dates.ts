/** endOfDay is the last moment of a yyyy-mm-dd date in the viewer's time zone, as an ISO instant. */
export function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59.999`).toISOString();
}

/** dateInputValue is the yyyy-mm-dd date, in the viewer's time zone, of an ISO instant (for <input type="date">). */
export function dateInputValue(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** isFutureDate tells whether a yyyy-mm-dd date (empty: none) ends after now. */
export function isFutureDate(date: string): boolean {
  return !date || new Date(endOfDay(date)) > new Date();
}

const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');

/**
 * localInstant writes date as an RFC 3339 instant in the viewer's time zone,
 * with its offset ("2026-11-03T09:30:00.000+01:00"), so that a URL holding it
 * reads in the viewer's time and still names one instant for anyone.
 */
export function localInstant(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/**
 * lastMicrosecondBefore is the inclusive end of a range that ends at end
 * (exclusive), as the API's inclusive `to` takes it: the last microsecond
 * before end, which the database keeps and a Date cannot hold.
 */
export function lastMicrosecondBefore(end: Date): string {
  return localInstant(new Date(end.getTime() - 1)).replace(/\.(\d{3})/, '.$1999');
}

/** dateTimeInputValue is an instant as <input type="datetime-local"> shows it, in the viewer's time zone ("" for none). */
export function dateTimeInputValue(iso: string): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '';
  return localInstant(new Date(iso)).slice(0, 16);
}
