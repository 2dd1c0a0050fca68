import { type AnyVariables, type DocumentInput, useMutation } from 'urql';
import { useToast } from '../ui/toast';
import { errorMessage } from './errors';

/**
 * useConfirmedMutation runs a mutation as ConfirmDialog's onConfirm wants it:
 * on failure it answers the message to show (the dialog stays open); on
 * success it says so in a toast (success, see changeMessage), calls onDone
 * and answers null.
 */
export function useConfirmedMutation<Data, Variables extends AnyVariables>(
  mutation: DocumentInput<Data, Variables>,
  onDone: () => void,
  success?: string,
) {
  const [, execute] = useMutation(mutation);
  const toast = useToast();
  return async (variables: Variables): Promise<string | null> => {
    const result = await execute(variables);
    if (result.error) return errorMessage(result.error);
    if (success) toast(success);
    onDone();
    return null;
  };
}
