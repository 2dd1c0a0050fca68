import { createContext, useContext } from 'react';

/**
 * ShowToast announces a success in passing ("Settings saved."). Errors are
 * never toasts: they show in the form or dialog they concern (graphql/formErrors).
 */
export type ShowToast = (message: string) => void;

export const ToastContext = createContext<ShowToast>(() => {});

/** useToast returns the function that shows a toast. */
export function useToast(): ShowToast {
  return useContext(ToastContext);
}
