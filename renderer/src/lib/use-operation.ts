// A long operation (upload, download, send): one operation id per run, progress events matched on it, Cancel
// through the operationCancel channel. The call itself still reports its own Result.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TransferProgress } from '../../../preload/contract';
import { api } from '../bridge';
import { newOperationId } from './ids';

export interface OperationState {
  running: boolean;
  progress?: TransferProgress;
  cancelling: boolean;
}

export function useOperation() {
  const [state, setState] = useState<OperationState>({ running: false, cancelling: false });
  const current = useRef<string | undefined>(undefined);

  useEffect(
    () =>
      api.onProgress((progress) => {
        if (progress.operationId !== current.current) return;
        setState((s) => (s.running ? { ...s, progress } : s));
      }),
    [],
  );

  /** Runs `call` with a fresh operation id and returns its result; progress shows while it runs. */
  const run = useCallback(async <T,>(call: (operationId: string) => Promise<T>): Promise<T> => {
    const operationId = newOperationId();
    current.current = operationId;
    setState({ running: true, cancelling: false });
    try {
      return await call(operationId);
    } finally {
      if (current.current === operationId) current.current = undefined;
      setState({ running: false, cancelling: false });
    }
  }, []);

  const cancel = useCallback(async () => {
    const operationId = current.current;
    if (!operationId) return;
    setState((s) => ({ ...s, cancelling: true }));
    await api.operationCancel({ operationId });
  }, []);

  return { ...state, run, cancel };
}
