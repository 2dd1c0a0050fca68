import { useQuery } from 'urql';
import { graphql } from '../../gql';

const AuditQueryCheckQuery = graphql(`
  query AuditQueryCheck($query: String!, $timeZone: String) {
    auditQueryCheck(query: $query, timeZone: $timeZone) {
      error {
        message
        token
        start
        end
      }
      clauses {
        key
        negated
        value
      }
    }
  }
`);

/** QueryError is what the server's grammar refuses in a search, and where (code points). */
export interface QueryError {
  message: string;
  token: string;
  start: number;
  end: number;
}

/** QueryCheck is the server's verdict on a search: checking, valid, or refused with its error. */
export type QueryCheck = { state: 'checking' } | { state: 'valid' } | { state: 'refused'; error: QueryError };

/**
 * useQueryCheck asks the server whether text is a search its grammar
 * accepts (Query.auditQueryCheck: the server's parser is the only one, so
 * the page never disagrees with the API). The empty search is valid without
 * asking; answers are cached, so a text is checked once.
 */
export function useQueryCheck(text: string, timeZone: string): QueryCheck {
  const [{ data, error, operation }] = useQuery({
    query: AuditQueryCheckQuery,
    variables: { query: text, timeZone },
    pause: text.trim() === '',
  });
  if (text.trim() === '') return { state: 'valid' };
  // While a new text is asked about, urql still holds the previous text's
  // answer: it says nothing about this one.
  if (operation?.variables.query !== text) return { state: 'checking' };
  if (error) return { state: 'refused', error: { message: error.message, token: text, start: 0, end: [...text].length } };
  if (!data) return { state: 'checking' };
  const refusal = data.auditQueryCheck.error;
  return refusal ? { state: 'refused', error: refusal } : { state: 'valid' };
}
