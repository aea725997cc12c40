// Runs the local checks (checkFile) on a chosen file, debounced, and keeps only the newest answer.
import { useEffect, useRef, useState } from 'react';
import type { CheckReport } from '../../../preload/contract';
import { api } from '../bridge';
import { useReportError } from '../components/app-error';

export interface FileCheckInput {
  path: string;
  kind: 'p12' | 'pkpass' | 'image';
  passphrase?: string;
  role?: string;
}

export function useFileCheck(input: FileCheckInput | undefined, delayMs = 300) {
  const reportError = useReportError();
  const [report, setReport] = useState<CheckReport | undefined>(undefined);
  const [checking, setChecking] = useState(false);
  const generation = useRef(0);
  const key = input ? JSON.stringify(input) : '';

  useEffect(() => {
    const mine = ++generation.current;
    if (!input) {
      setReport(undefined);
      setChecking(false);
      return;
    }
    setChecking(true);
    const run = async () => {
      const result = await api.checkFile(input);
      if (mine !== generation.current) return; // a newer file or passphrase superseded this check
      setChecking(false);
      if (!result.ok) {
        setReport(undefined);
        reportError(result.error, () => void run());
        return;
      }
      setReport(result.value);
    };
    const timer = setTimeout(() => void run(), delayMs);
    return () => clearTimeout(timer);
    // `key` stands for `input`: callers build a new object on every render.
  }, [key, delayMs, reportError]);

  // While a newer check is pending, the old report still says what we know, but must not unblock sending.
  const blocking = checking || (report !== undefined && !report.ok);
  return { report, checking, blocking };
}
