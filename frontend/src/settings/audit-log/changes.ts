/** Change is one field an update changed, as recorded in details.changes. */
export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** changesOf reads details.changes ({field: {from, to}}) when the event has it. */
export function changesOf(details: Record<string, unknown>): Change[] {
  const changes = details.changes;
  if (!isRecord(changes)) return [];
  return Object.entries(changes).flatMap(([field, change]) =>
    isRecord(change) ? [{ field, from: change.from, to: change.to }] : [],
  );
}

/** formatValue shows a changed value: strings as they are, anything else as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** ListItem is an element of a changed list, and whether the change removed or added it. */
export interface ListItem {
  text: string;
  status: 'kept' | 'removed' | 'added';
}

/**
 * listDiff compares two lists element by element (permissions, sign-in
 * methods): the before list with what was removed, and the after list with
 * what was added. Null when either side is not a list.
 */
export function listDiff(from: unknown, to: unknown): { before: ListItem[]; after: ListItem[] } | null {
  if (!Array.isArray(from) && !Array.isArray(to)) return null;
  if ((from != null && !Array.isArray(from)) || (to != null && !Array.isArray(to))) return null;
  const a = ((from ?? []) as unknown[]).map(formatValue);
  const b = ((to ?? []) as unknown[]).map(formatValue);
  return {
    before: a.map((text) => ({ text, status: b.includes(text) ? 'kept' : 'removed' })),
    after: b.map((text) => ({ text, status: a.includes(text) ? 'kept' : 'added' })),
  };
}
