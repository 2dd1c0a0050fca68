import { useEffect, useRef } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../../gql';
import { errorMessage } from '../../../graphql/errors';
import { Dialog } from '../../../ui/Dialog';

const TestLogStreamMutation = graphql(`
  mutation TestLogStream($input: TestLogStreamInput!) {
    testLogStream(input: $input) {
      ok
      message
      durationMs
    }
  }
`);

/** LogStreamTestDialog sends a test event through a stream as it is configured and says what happened. */
export function LogStreamTestDialog({ stream, onClose }: { stream: { id: string; name: string }; onClose: () => void }) {
  const [{ data, error }, test] = useMutation(TestLogStreamMutation);
  const asked = useRef(false);

  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    void test({ input: { id: stream.id } });
  }, [stream.id, test]);

  const result = data?.testLogStream;
  let body;
  if (error) {
    body = (
      <p role="alert" className="callout callout-error">
        The test event could not be sent. {errorMessage(error)}
      </p>
    );
  } else if (!result) {
    body = <p role="status">Sending a test event to {stream.name}…</p>;
  } else if (result.ok) {
    body = (
      <div role="status" className="callout callout-success">
        <p>
          <strong>Test event delivered</strong> in {result.durationMs} ms.
        </p>
        <p>{result.message}</p>
      </div>
    );
  } else {
    body = (
      <div role="alert" className="callout callout-error">
        <p>
          <strong>Test event not delivered</strong> after {result.durationMs} ms.
        </p>
        <p>{result.message}</p>
      </div>
    );
  }

  return (
    <Dialog title={`Send test event: ${stream.name}`} onClose={onClose}>
      {body}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
