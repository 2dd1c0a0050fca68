import { useQuery } from 'urql';
import { graphql } from '../../gql';

const AuditEventProofQuery = graphql(`
  query AuditEventProof($id: ID!) {
    auditEvent(id: $id) {
      id
      sequence
      inclusionProof {
        treeSize
      }
    }
  }
`);

/**
 * AuditEventProof shows where an event stands in the organization's
 * verifiable log: its sequence number, and whether a signed checkpoint
 * proves it is included. It renders the two rows of a description list.
 */
export function AuditEventProof({ eventId }: { eventId: string }) {
  const [{ data, error }] = useQuery({ query: AuditEventProofQuery, variables: { id: eventId } });
  const event = data?.auditEvent;
  let sequence = '…';
  let proof = 'Checking…';
  if (error) {
    sequence = '—';
    proof = 'The proof could not be loaded.';
  } else if (event) {
    sequence = event.sequence == null ? 'Not yet sequenced' : event.sequence.toLocaleString();
    proof = event.inclusionProof
      ? `Included in the signed log of ${event.inclusionProof.treeSize.toLocaleString()} events`
      : 'Not in a signed checkpoint yet: the next one, within seconds, covers it';
  }
  return (
    <>
      <dt>Log sequence</dt>
      <dd>{sequence}</dd>
      <dt>Proof</dt>
      <dd>{proof}</dd>
    </>
  );
}
