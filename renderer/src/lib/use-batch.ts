// A batch send (issue #6): one operation id per run, the pushed item events counted into a progress tally, and Stop
// through operationCancel (main starts nothing new; the sends in flight finish). The call's own Result is the
// truth afterwards: events that arrive after it are ignored.
import { useCallback, useEffect, useRef, useState } from 'react';
import { addToTally, emptyTally, type BatchTally } from '../../../main/core/batch-results';
import { api } from '../bridge';
import { newOperationId } from './ids';

export interface BatchState {
  running: boolean;
  stopping: boolean;
  tally: BatchTally;
}

export function useBatch() {
  const [state, setState] = useState<BatchState>({ running: false, stopping: false, tally: emptyTally(0) });
  const current = useRef<string | undefined>(undefined);

  useEffect(
    () =>
      api.onBatch((event) => {
        if (event.operationId !== current.current) return;
        setState((s) => (s.running ? { ...s, tally: addToTally(s.tally, event) } : s));
      }),
    [],
  );

  /** Runs `call` with a fresh operation id over `total` items; the tally counts them as they finish. */
  const run = useCallback(async <T,>(total: number, call: (operationId: string) => Promise<T>): Promise<T> => {
    const operationId = newOperationId();
    current.current = operationId;
    setState({ running: true, stopping: false, tally: emptyTally(total) });
    try {
      return await call(operationId);
    } finally {
      if (current.current === operationId) current.current = undefined;
      setState((s) => ({ ...s, running: false, stopping: false }));
    }
  }, []);

  const stop = useCallback(async () => {
    const operationId = current.current;
    if (!operationId) return;
    setState((s) => ({ ...s, stopping: true }));
    await api.operationCancel({ operationId });
  }, []);

  return { ...state, run, stop };
}
