// Sending the draft behind a form: save it first, send it as one cancellable operation, and keep the outcome
// (sent, queued in the Outbox, outcome unknown, or cancelled) for the form to show. Real errors go to the one error
// surface with a Retry that sends exactly the same again, since every field and file stay as they are.
import { useCallback, useRef, useState } from 'react';
import type { DraftSendResult } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { useOperation } from '../../lib/use-operation';

export interface DraftSendOutcome {
  result?: DraftSendResult;
  /** Cancel was pressed (the send may still have finished first: then `result` is there too). */
  cancelled?: boolean;
}

export function useDraftSend() {
  const reportError = useReportError();
  const operation = useOperation();
  const [outcome, setOutcome] = useState<DraftSendOutcome | undefined>(undefined);
  const cancelPressed = useRef(false);

  const send = useCallback(
    async (options: {
      profileId: string;
      /** Saves the draft and answers it, or undefined when it could not be saved. */
      flush: () => Promise<{ id: string } | undefined>;
      passphrase?: string;
      retry: () => void;
    }) => {
      setOutcome(undefined);
      const saved = await options.flush();
      if (!saved) {
        reportError(
          { code: 'file', message: 'The draft could not be saved, so nothing was sent. See the message above the form.', retryable: true },
          options.retry,
        );
        return;
      }
      cancelPressed.current = false;
      const result = await operation.run((operationId) =>
        api.draftsSend({ id: saved.id, operationId, ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}) }),
      );
      if (result.ok) setOutcome({ result: result.value, cancelled: cancelPressed.current });
      else if (result.error.code === 'cancelled') setOutcome({ cancelled: true });
      else reportError(result.error, options.retry, { profileId: options.profileId });
    },
    [operation, reportError],
  );

  const cancel = useCallback(() => {
    cancelPressed.current = true;
    void operation.cancel();
  }, [operation]);

  return { operation, outcome, setOutcome, send, cancel };
}
