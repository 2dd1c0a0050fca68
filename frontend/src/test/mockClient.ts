import { CombinedError, getOperationName, type Client, type GraphQLRequest, type OperationResult } from 'urql';
import { vi } from 'vitest';
import { concat, fromValue, map, never, type Source } from 'wonka';

/** Answer is what a mocked operation returns: data, GraphQL errors, or nothing yet (still loading). */
export type Answer =
  | { data: unknown }
  | { errors: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> }
  | 'pending';

/** A subscription's handler may answer with a stream of answers, which the test pushes into. */
type Handler = (variables: Record<string, unknown>) => Answer | Source<Answer>;

/**
 * mockClient answers operations by name, like the server would, and records
 * every operation it was asked for. A handler is called for each request, so
 * it can answer differently the second time.
 */
export function mockClient(handlers: Record<string, Handler>) {
  const respond = (request: GraphQLRequest) => {
    const name = getOperationName(request.query) ?? '';
    const handler = handlers[name];
    if (!handler) throw new Error(`mockClient: no handler for operation ${name}`);
    const answer = handler(request.variables as Record<string, unknown>);
    if (answer === 'pending') return never;
    const result = { operation: request, stale: false, hasNext: false } as unknown as OperationResult;
    const outcome = (answer: Exclude<Answer, 'pending'>) =>
      'errors' in answer
        ? { ...result, error: new CombinedError({ graphQLErrors: [...answer.errors] }) }
        : { ...result, data: answer.data };
    if (typeof answer === 'function') {
      // A stream's results say more may follow, as a subscription's do.
      return map((a: Answer) => ({ ...outcome(a === 'pending' ? { data: null } : a), hasNext: true }))(answer);
    }
    // Like a real client's, the source stays open after its result.
    return concat([fromValue(outcome(answer)), never]);
  };
  const executeQuery = vi.fn(respond);
  const executeMutation = vi.fn(respond);
  const executeSubscription = vi.fn(respond);
  const client = { executeQuery, executeMutation, executeSubscription } as unknown as Client;

  /** calls lists the variables of each request for operation name, in order. */
  function calls(name: string): Record<string, unknown>[] {
    return [...executeQuery.mock.calls, ...executeMutation.mock.calls, ...executeSubscription.mock.calls]
      .map(([request]) => request)
      .filter((request) => getOperationName(request.query) === name)
      .map((request) => request.variables as Record<string, unknown>);
  }
  return { client, calls };
}
