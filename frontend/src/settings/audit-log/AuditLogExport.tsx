import { Link } from 'react-router';
import type { AuditEventFilter } from '../../gql/graphql';

/** exportPath is where the export of filter in format downloads from (server/auditexport). */
export function exportPath(filter: AuditEventFilter, format: 'csv' | 'ndjson'): string {
  const params = new URLSearchParams({ format });
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  return `/api/audit-log/export?${params.toString()}`;
}

/**
 * AuditLogExport downloads exactly the events the current filter shows, as
 * CSV or NDJSON, streamed by the server whatever their number; the export is
 * itself recorded in the log. It also leads to the log streams, which send
 * the log to a SIEM as it grows.
 */
export function AuditLogExport({ filter }: { filter: AuditEventFilter }) {
  return (
    <div className="audit-export" role="group" aria-label="Export and streams">
      <span className="muted">Export the events shown:</span>
      <a className="button-like" href={exportPath(filter, 'csv')} download>
        Export CSV
      </a>
      <a className="button-like" href={exportPath(filter, 'ndjson')} download>
        Export NDJSON
      </a>
      <Link className="audit-streams-link" to="/settings/audit-log/streams">
        Log streams
      </Link>
    </div>
  );
}
