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
