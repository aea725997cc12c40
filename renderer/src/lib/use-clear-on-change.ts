// Clears a shown outcome once the form it answered changes (issue #21): "Uploaded." must not stay under a form
// whose file was removed and whose fields now say something else. `key` sums up the form.
import { useEffect, useRef } from 'react';

export function useClearOnChange(key: string, clear: () => void): void {
  const last = useRef(key);
  useEffect(() => {
    if (last.current === key) return;
    last.current = key;
    clear();
  }, [key, clear]);
}
