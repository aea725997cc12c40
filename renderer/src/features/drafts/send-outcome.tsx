// What a draft send that did not simply succeed left behind: queued in the Outbox (server unreachable), or an
// outcome nobody knows (the connection dropped after the request went out). The latter is never resent by
// itself; "Send again" sends the Outbox entry only after the user confirms.
import { useState, type ReactNode } from 'react';
import type { DraftSendResult, OutboxEntry } from '../../../../preload/contract';
import { assertNever } from '../../../../main/core/assert-never';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { OutcomeRegion } from '../../components/outcome-region';
import { UntrustedText } from '../../components/untrusted-text';
import type { DraftSendOutcome as Outcome } from './use-draft-send';

export const OUTCOME_UNKNOWN_ADVICE = 'The request may have reached the server. Check the server before sending again.';

/** An Outbox entry after a manual send, read as the result of a draft send. */
export function resultFromEntry(entry: OutboxEntry): DraftSendResult | undefined {
  const base = { outboxId: entry.id, ...(entry.historyId ? { historyId: entry.historyId } : {}) };
  switch (entry.state) {
    case 'sent':
      return { status: 'sent', message: entry.message ?? '', ...(entry.requestId ? { requestId: entry.requestId } : {}), ...base };
    case 'outcome-unknown':
      return { status: 'outcome-unknown', message: entry.lastError?.message ?? '', ...base };
    case 'queued':
    case 'paused':
    case 'sending':
      return { status: 'queued', message: entry.lastError?.message ?? 'Waiting for the server.', ...base };
    case 'failed':
      return undefined;
    default:
      return assertNever(entry.state, 'outbox state');
  }
}

export function NotSentOutcome({
  result,
  cancelled,
  what,
  testId,
  passphrase,
  onOpenOutbox,
  onResult,
}: {
  result: DraftSendResult;
  /** The user pressed Cancel after the request had started to go out. */
  cancelled: boolean;
  /** "Upload", "Pass update": how the send is named in the message. */
  what: string;
  testId: string;
  /** A passphrase typed in the form, for a resend of a certificate. */
  passphrase?: string | undefined;
  onOpenOutbox: () => void;
  onResult: (result: DraftSendResult) => void;
}) {
  const reportError = useReportError();
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);

  const sendAgain = async () => {
    if (!result.outboxId) return;
    setSending(true);
    const sent = await api.outboxSendNow({
      id: result.outboxId,
      confirmResend: true,
      ...(passphrase ? { passphrase } : {}),
    });
    setSending(false);
    setConfirming(false);
    if (!sent.ok) {
      reportError(sent.error);
      return;
    }
    const next = resultFromEntry(sent.value);
    if (next) onResult(next);
    else if (sent.value.lastError) reportError(sent.value.lastError, () => void sendAgain());
  };

  if (result.status === 'queued') {
    return (
      <div className="status info" role="status" data-testid={testId} data-outcome="queued">
        <strong>In the Outbox.</strong> The server could not be reached, so nothing was sent. {what} is queued and goes
        out by itself when the server is reachable again.
        <div className="actions outcome-actions">
          <button type="button" className="button small" onClick={onOpenOutbox}>
            Open Outbox
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="status warn" role="status" data-testid={testId} data-outcome="outcome-unknown">
      <strong>{cancelled ? `${what} cancelled after the request went out: outcome unknown.` : 'Outcome unknown.'}</strong>{' '}
      {cancelled ? '' : <UntrustedText text={result.message} />} {OUTCOME_UNKNOWN_ADVICE} It is in the Outbox and will not be sent again unless
      you say so.
      <div className="actions outcome-actions">
        <button type="button" className="button small" onClick={onOpenOutbox}>
          Open Outbox
        </button>
        {confirming ? (
          <span className="confirm" role="group" aria-label="Confirm sending again">
            <span>Send it again? The server may end up with it twice.</span>
            <button type="button" className="button small danger" disabled={sending} onClick={() => void sendAgain()}>
              {sending ? 'Sending…' : 'Yes, send again'}
            </button>
            <button type="button" className="button small ghost" disabled={sending} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : result.outboxId ? (
          <button type="button" className="button small" onClick={() => setConfirming(true)}>
            Send again…
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** The outcome of a form's draft send, in its live region: sent (the form says how), in the Outbox or outcome
 * unknown, or cancelled before it went out. Every status line carries `testId` and, but for a cancel, data-outcome. */
export function DraftSendOutcomeView({
  outcome,
  onOutcome,
  what,
  testId,
  sent,
  cancelled,
  passphrase,
  onOpenOutbox,
}: {
  outcome: Outcome | undefined;
  onOutcome: (outcome: Outcome) => void;
  what: string;
  testId: string;
  /** What a sent draft shows, inside the status line. */
  sent: (result: DraftSendResult) => ReactNode;
  /** The line shown when Cancel stopped the send before it went out. */
  cancelled: string;
  passphrase?: string;
  onOpenOutbox: () => void;
}) {
  return (
    <OutcomeRegion outcome={outcome}>
      {outcome?.result?.status === 'sent' ? (
        <div className="status ok" role="status" data-testid={testId} data-outcome="sent">
          {sent(outcome.result)}
        </div>
      ) : outcome?.result ? (
        <NotSentOutcome
          result={outcome.result}
          cancelled={outcome.cancelled === true}
          what={what}
          testId={testId}
          passphrase={passphrase}
          onOpenOutbox={onOpenOutbox}
          onResult={(result) => onOutcome({ result })}
        />
      ) : null}
      {outcome?.cancelled && !outcome.result ? (
        <p className="status info" role="status" data-testid={testId}>
          {cancelled}
        </p>
      ) : null}
    </OutcomeRegion>
  );
}
