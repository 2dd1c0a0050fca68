import { useEffect, useRef } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { errorMessage } from '../../graphql/errors';
import { Dialog } from '../../ui/Dialog';

const TestConnectorMutation = graphql(`
  mutation TestConnector($input: TestConnectorInput!) {
    testConnector(input: $input) {
      supported
      ok
      message
      durationMs
    }
  }
`);

interface ConnectorTestDialogProps {
  connector: { id: string; name: string; typeLabel: string };
  /** onTested runs once the test has a result, which the connector keeps as its last test. */
  onTested: () => void;
  onClose: () => void;
}

/** ConnectorTestDialog connects to a connector's data source with its stored settings and says what happened. */
export function ConnectorTestDialog({ connector, onTested, onClose }: ConnectorTestDialogProps) {
  const [{ data, error }, test] = useMutation(TestConnectorMutation);
  const asked = useRef(false);

  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    void test({ input: { id: connector.id } }).then((result) => {
      if (result.data?.testConnector.supported) onTested();
    });
  }, [connector.id, test, onTested]);

  const result = data?.testConnector;
  let body;
  if (error) {
    body = (
      <p role="alert" className="callout callout-error">
        The test could not run. {errorMessage(error)}
      </p>
    );
  } else if (!result) {
    body = <p role="status">Connecting to {connector.name}…</p>;
  } else if (!result.supported) {
    body = (
      <p role="status" className="callout">
        Testing {connector.typeLabel} connectors is not supported yet. The settings were checked when they were saved.
      </p>
    );
  } else if (result.ok) {
    body = (
      <div role="status" className="callout callout-success">
        <p>
          <strong>Connection succeeded</strong> in {result.durationMs} ms.
        </p>
        <p>{result.message}</p>
      </div>
    );
  } else {
    body = (
      <div role="alert" className="callout callout-error">
        <p>
          <strong>Connection failed</strong> after {result.durationMs} ms.
        </p>
        <p>{result.message}</p>
      </div>
    );
  }

  return (
    <Dialog title={`Test connection: ${connector.name}`} onClose={onClose}>
      {body}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
