import { type AnyVariables, type DocumentInput, useMutation } from 'urql';
import { errorMessage } from './errors';

/**
 * useConfirmedMutation runs a mutation as ConfirmDialog's onConfirm wants it:
 * on failure it answers the message to show (the dialog stays open); on
 * success it calls onDone and answers null.
 */
export function useConfirmedMutation<Data, Variables extends AnyVariables>(
  mutation: DocumentInput<Data, Variables>,
  onDone: () => void,
) {
  const [, execute] = useMutation(mutation);
  return async (variables: Variables): Promise<string | null> => {
    const result = await execute(variables);
    if (result.error) return errorMessage(result.error);
    onDone();
    return null;
  };
}
