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
