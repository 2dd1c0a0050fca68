import { useCallback, useState, type ReactNode } from 'react';
import { ToastContext } from './toast';

interface Toast {
  id: number;
  message: string;
}

const toastLifetimeMs = 6000;
let nextId = 0;

/** ToastProvider shows toasts in a live region, each for a few seconds. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ReadonlyArray<Toast>>([]);

  const show = useCallback((message: string) => {
    const id = nextId++;
    setToasts((shown) => [...shown, { id, message }]);
    setTimeout(() => setToasts((shown) => shown.filter((t) => t.id !== id)), toastLifetimeMs);
  }, []);

  return (
    <ToastContext value={show}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <p key={t.id} className="toast">
            {t.message}
          </p>
        ))}
      </div>
    </ToastContext>
  );
}
