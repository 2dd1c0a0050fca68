import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { RelativeTime } from '../../ui/RelativeTime';

export const ConnectorLastTest_ConnectorFragment = graphql(`
  fragment ConnectorLastTest_Connector on Connector {
    lastTest {
      ok
      message
      testedAt
      durationMs
    }
  }
`);

interface ConnectorLastTestProps {
  connector: FragmentType<typeof ConnectorLastTest_ConnectorFragment>;
}

/**
 * ConnectorLastTest is how the connector's last "Test connection" went, as
 * the server keeps it: whether it connected, when, how long it took, and
 * what to check when it failed. A connector changed since shows none.
 */
export function ConnectorLastTest({ connector: connectorRef }: ConnectorLastTestProps) {
  const { lastTest } = getFragmentData(ConnectorLastTest_ConnectorFragment, connectorRef);
  if (!lastTest) return <span className="muted">Not tested</span>;
  return (
    <div className="connector-test">
      <strong className={lastTest.ok ? 'connector-test-ok' : 'connector-test-failed'}>
        {lastTest.ok ? 'Connected' : 'Failed'}
      </strong>
      <span className="muted">
        <RelativeTime iso={lastTest.testedAt} />, {lastTest.durationMs} ms
      </span>
      {!lastTest.ok && <span>{lastTest.message}</span>}
    </div>
  );
}
