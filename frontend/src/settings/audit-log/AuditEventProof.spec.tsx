import { render, screen } from '@testing-library/react';
import { Provider } from 'urql';
import { mockClient, type Answer } from '../../test/mockClient';
import { AuditEventProof } from './AuditEventProof';

function renderProof(answer: Answer) {
  const { client, calls } = mockClient({ AuditEventProof: () => answer });
  render(
    <Provider value={client}>
      <dl>
        <AuditEventProof eventId="event-1" />
      </dl>
    </Provider>,
  );
  return calls;
}

function valueOf(term: string) {
  return screen.getByText(term).nextElementSibling;
}

describe('AuditEventProof', () => {
  it('shows the event’s sequence number and the checkpoint that includes it', async () => {
    const calls = renderProof({
      data: { auditEvent: { id: 'event-1', sequence: 1233, inclusionProof: { treeSize: 10006 } } },
    });
    expect(await screen.findByText('1,233')).toBeInTheDocument();
    expect(valueOf('Proof')).toHaveTextContent('Included in the signed log of 10,006 events');
    expect(calls('AuditEventProof')).toEqual([{ id: 'event-1' }]);
  });

  it('says when the event waits for the log', async () => {
    renderProof({ data: { auditEvent: { id: 'event-1', sequence: null, inclusionProof: null } } });
    expect(await screen.findByText('Not yet sequenced')).toBeInTheDocument();
    expect(valueOf('Proof')).toHaveTextContent('Not in a signed checkpoint yet');
  });

  it('says when the proof could not be loaded', async () => {
    renderProof({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL' } }] });
    expect(await screen.findByText('The proof could not be loaded.')).toBeInTheDocument();
  });
});
