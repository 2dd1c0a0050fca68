import { useState } from 'react';
import { Link } from 'react-router';
import { graphql } from '../../../gql';
import { useTabQuery } from '../../../graphql/useTabQuery';
import { ListTable } from '../../../ui/ListTable';
import { PageSection } from '../../../ui/PageSection';
import { QueryContent } from '../../../ui/QueryContent';
import { useHasPermission } from '../../../viewer/permissions';
import { LogStreamFormDialog } from './LogStreamFormDialog';
import { LogStreamRow } from './LogStreamRow';

const LogStreamsPageQuery = graphql(`
  query LogStreamsPage {
    logStreams {
      id
      ...LogStreamRow_LogStream
    }
    logStreamDestinations {
      ...LogStreamFormDialog_Destination
    }
    auditCategories {
      ...LogStreamFormDialog_Category
    }
  }
`);

/**
 * LogStreamsPage is Settings › Audit Log › Streams: where the organization's
 * audit log is sent as it grows (a SIEM, a webhook, object storage), each
 * stream's state, lag and last error, and its actions.
 */
export function LogStreamsPage() {
  const canWrite = useHasPermission('organization:write');
  const [{ data, error }, refetch] = useTabQuery({ query: LogStreamsPageQuery });
  const [creating, setCreating] = useState(false);

  return (
    <PageSection
      headingId="log-streams-heading"
      title="Log streams"
      description={
        <>
          <Link to="/settings/audit-log">Audit Log</Link> › Streams. Every event, in order, sent as it is recorded to
          your SIEM or storage; a receiver that is down gets the backlog when it is back (up to 7 days).
        </>
      }
      action={
        canWrite &&
        data && (
          <button type="button" onClick={() => setCreating(true)}>
            Add stream
          </button>
        )
      }
    >
      <QueryContent data={data} error={error} what="log streams" onRetry={refetch}>
        {(data) => (
          <ListTable
            label="Log streams"
            columns={['Name', 'Destination', 'State', 'Lag', 'Last delivery', 'Last error']}
            items={data.logStreams}
            actionsColumn={canWrite}
            empty={<p className="callout">No log streams yet.</p>}
          >
            {(stream) => (
              <LogStreamRow
                key={stream.id}
                stream={stream}
                destinations={data.logStreamDestinations}
                categories={data.auditCategories}
                canWrite={canWrite}
                onChanged={refetch}
              />
            )}
          </ListTable>
        )}
      </QueryContent>
      {creating && data && (
        <LogStreamFormDialog
          destinations={data.logStreamDestinations}
          categories={data.auditCategories}
          onClose={() => setCreating(false)}
          onSaved={refetch}
        />
      )}
    </PageSection>
  );
}
