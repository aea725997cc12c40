// The Outbox as the whole window sees it: loaded once, then kept live by the outbox push event, so the sidebar
// badge and the Outbox page never poll.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { OutboxEntry, OutboxView } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';

interface OutboxContextValue {
  view: OutboxView;
  loaded: boolean;
  /** Entries that still need the server or the user (everything but sent). */
  pending: number;
  refresh(): Promise<void>;
  /** Take a view a call answered (pause, resume) without waiting for the push. */
  accept(view: OutboxView): void;
}

const OutboxContext = createContext<OutboxContextValue | null>(null);

export function needsAttention(entry: OutboxEntry): boolean {
  return entry.state !== 'sent';
}

export function OutboxProvider({ children }: { children: ReactNode }) {
  const reportError = useReportError();
  const [view, setView] = useState<OutboxView>({ entries: [], paused: false });
  const [loaded, setLoaded] = useState(false);

  const refresh = useCallback(async () => {
    const result = await api.outboxList({});
    if (!result.ok) {
      reportError(result.error, () => void refresh());
      return;
    }
    setView(result.value);
    setLoaded(true);
  }, [reportError]);

  useEffect(() => {
    const unsubscribe = api.onOutbox((next) => {
      setView(next);
      setLoaded(true);
    });
    void refresh();
    return unsubscribe;
  }, [refresh]);

  const pending = view.entries.filter(needsAttention).length;
  const value = useMemo(() => ({ view, loaded, pending, refresh, accept: setView }), [view, loaded, pending, refresh]);
  return <OutboxContext.Provider value={value}>{children}</OutboxContext.Provider>;
}

export function useOutbox(): OutboxContextValue {
  const value = useContext(OutboxContext);
  if (!value) throw new Error('useOutbox() needs an <OutboxProvider> above it.');
  return value;
}
