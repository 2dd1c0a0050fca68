import { type AnyVariables, type UseQueryArgs, useQuery } from 'urql';

/**
 * useTabQuery loads a Settings tab's data. A tab opened again shows what it
 * had at once, then what the server has now; refetch asks the server again,
 * after a change or to retry.
 */
export function useTabQuery<Data, Variables extends AnyVariables>(args: UseQueryArgs<Variables, Data>) {
  const [result, reexecute] = useQuery<Data, Variables>({ requestPolicy: 'cache-and-network', ...args });
  const refetch = () => reexecute({ requestPolicy: 'network-only' });
  return [result, refetch] as const;
}
