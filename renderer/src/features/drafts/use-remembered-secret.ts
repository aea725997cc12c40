// The secret a draft's send needs but the draft never holds (a certificate passphrase, a WNS client secret): while
// "remember" is on, what is typed goes to the OS keychain under the draft's own entry (debounced like the draft);
// turning it off forgets the stored one. Answers where it is kept now.
import { useCallback, useEffect, useState } from 'react';
import type { DraftView, SecretStorage } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { AUTOSAVE_DELAY_MS } from './use-draft-editor';

export function useRememberedSecret(
  editor: { view: DraftView | undefined; ensureId: () => Promise<string | undefined> },
  secret: string,
  remember: boolean,
) {
  const reportError = useReportError();
  const [storage, setStorage] = useState<SecretStorage>('none');
  const { view, ensureId } = editor;

  useEffect(() => {
    if (view) setStorage(view.passphraseStorage);
  }, [view]);

  useEffect(() => {
    if (!remember || secret === '') return;
    const timer = setTimeout(async () => {
      const id = await ensureId();
      if (!id) return;
      const result = await api.draftsSetPassphrase({ id, passphrase: secret, remember: true });
      if (result.ok) setStorage(result.value.storage);
      else reportError(result.error);
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [remember, secret, ensureId, reportError]);

  /** Remember off: the stored secret is deleted. */
  const forget = useCallback(async () => {
    const id = await ensureId();
    if (!id) return;
    const result = await api.draftsSetPassphrase({ id, remember: false });
    if (result.ok) setStorage(result.value.storage);
    else reportError(result.error);
  }, [ensureId, reportError]);

  return { storage, remembered: remember && storage !== 'none', forget };
}
