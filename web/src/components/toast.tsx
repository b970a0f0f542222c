import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Toast } from 'radix-ui';

interface ToastMessage {
  id: number;
  title: string;
  description?: string;
  tone: 'info' | 'error';
}

interface Toaster {
  /** Shows a short notice; screen readers hear it through Radix's live region. */
  notify(message: Omit<ToastMessage, 'id' | 'tone'> & { tone?: ToastMessage['tone'] }): void;
}

const ToastContext = createContext<Toaster | null>(null);

/** Radix Toast: announced to screen readers, dismissible by keyboard and swipe, paused on hover. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<ToastMessage[]>([]);
  const notify = useCallback<Toaster['notify']>((message) => {
    setMessages((current) => [...current.slice(-2), { tone: 'info', ...message, id: Date.now() + Math.random() }]);
  }, []);
  const value = useMemo(() => ({ notify }), [notify]);
  return (
    <ToastContext.Provider value={value}>
      <Toast.Provider duration={5000}>
        {children}
        {messages.map((message) => (
          <Toast.Root
            key={message.id}
            className={`toast toast-${message.tone}`}
            onOpenChange={(open) => {
              if (!open) setMessages((current) => current.filter((m) => m.id !== message.id));
            }}
          >
            <Toast.Title className="toast-title">{message.title}</Toast.Title>
            {message.description && <Toast.Description className="toast-description">{message.description}</Toast.Description>}
            <Toast.Close className="toast-close" aria-label="Dismiss">
              ×
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="toast-viewport" />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}

export function useToaster(): Toaster {
  const toaster = useContext(ToastContext);
  if (!toaster) throw new Error('useToaster outside ToastProvider');
  return toaster;
}
