import { useCallback, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { ToastContext } from './toast';

interface Toast {
  id: number;
  message: string;
}

const toastLifetimeMs = 6000;
let nextId = 0;

/**
 * ToastProvider shows toasts (a success said in passing) in a live region,
 * each for a few seconds. The region is a popover, in the browser's top
 * layer, and put back on top of it at each toast: a toast shown while a
 * dialog is open is above the dialog's backdrop, not dimmed behind it.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ReadonlyArray<Toast>>([]);
  const region = useRef<HTMLDivElement>(null);

  const show = useCallback((message: string) => {
    const id = nextId++;
    setToasts((shown) => [...shown, { id, message }]);
    setTimeout(() => setToasts((shown) => shown.filter((t) => t.id !== id)), toastLifetimeMs);
  }, []);

  useLayoutEffect(() => {
    const element = region.current;
    if (!element || typeof element.showPopover !== 'function') return;
    // Shown again, it goes on top of whatever opened since.
    element.hidePopover();
    element.showPopover();
  }, [toasts]);

  return (
    <ToastContext value={show}>
      {children}
      <div ref={region} popover="manual" className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <p key={t.id} className="toast">
            {t.message}
          </p>
        ))}
      </div>
    </ToastContext>
  );
}
