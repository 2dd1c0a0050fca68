import { createContext, useContext } from 'react';

/** ShowToast announces a short message, e.g. a server error not tied to a form field. */
export type ShowToast = (message: string) => void;

export const ToastContext = createContext<ShowToast>(() => {});

/** useToast returns the function that shows a toast. */
export function useToast(): ShowToast {
  return useContext(ToastContext);
}
