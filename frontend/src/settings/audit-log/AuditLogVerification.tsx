import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AuditEventFilter } from '../../gql/graphql';
import { exactTime } from '../../ui/RelativeTime';

const AuditLogVerificationQuery = graphql(`
  query AuditLogVerification {
    auditLogCheckpoint {
      size
      createdAt
    }
  }
`);

/** bundlePath is where the verification bundle of filter downloads from (server/auditlog/http.go). */
export function bundlePath(filter: AuditEventFilter): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const query = params.toString();
  return '/api/audit-log/bundle' + (query ? `?${query}` : '');
}

/**
 * AuditLogVerification says how far the organization's log is covered by a
 * signed checkpoint, and offers the verification bundle of the events the
 * current filter shows, for `orgtrail verify` (docs/verifiable-log.md).
 */
export function AuditLogVerification({ filter }: { filter: AuditEventFilter }) {
  const [{ data, error }] = useQuery({ query: AuditLogVerificationQuery, requestPolicy: 'cache-and-network' });
  const checkpoint = data?.auditLogCheckpoint;
  let status = 'Checking the signed log…';
  if (error) status = 'The signed log could not be read.';
  else if (data && !checkpoint) status = 'No event is in the signed log yet.';
  return (
    <div className="audit-verification">
      <p aria-live="polite">
        {checkpoint ? (
          <>
            Verified through{' '}
            <time dateTime={checkpoint.createdAt}>{exactTime.format(new Date(checkpoint.createdAt))}</time> (
            {checkpoint.size.toLocaleString()} {checkpoint.size === 1 ? 'event' : 'events'})
          </>
        ) : (
          status
        )}
      </p>
      <a className="button-like" href={bundlePath(filter)} download>
        Download verification bundle
      </a>
    </div>
  );
}
