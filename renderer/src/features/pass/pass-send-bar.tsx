// The sticky bar under the pass update form: batch mode (one request per recipient, issue #6), Send with what still
// blocks it, the progress of a send, and its outcome.
import type { CheckReport } from '../../../../preload/contract';
import { BatchProgress } from '../../components/batch-progress';
import { CopyButton } from '../../components/copy-button';
import { OutcomeRegion } from '../../components/outcome-region';
import { ProgressBar } from '../../components/progress-bar';
import type { useBatch } from '../../lib/use-batch';
import { NotSentOutcome } from '../drafts/send-outcome';
import type { useDraftSend } from '../drafts/use-draft-send';
import { UntrustedText } from '../../components/untrusted-text';

export interface SendBlockersProps {
  pkpass: boolean;
  pkpassReport: CheckReport | undefined;
  checking: boolean;
  images: boolean;
  content: boolean;
  batch?: string | undefined;
}

export function PassSendBar({
  batch,
  sender,
  busy,
  separately,
  onSeparately,
  recipients,
  importNote,
  onImportRecipients,
  sendDisabled,
  blockers,
  onOpenOutbox,
}: {
  batch: ReturnType<typeof useBatch>;
  sender: ReturnType<typeof useDraftSend>;
  busy: boolean;
  separately: boolean;
  onSeparately: (separately: boolean) => void;
  recipients: string[];
  importNote: string | undefined;
  onImportRecipients: () => void;
  sendDisabled: boolean;
  blockers: SendBlockersProps;
  onOpenOutbox: () => void;
}) {
  const { operation } = sender;
  return (
    <section className="card send-bar" aria-label="Send">
      <div className="actions batch-mode">
        <label className="check-row">
          <input
            type="checkbox"
            checked={separately}
            disabled={busy}
            onChange={(e) => onSeparately(e.target.checked)}
            data-testid="send-separately"
          />
          Send to each recipient separately
        </label>
        <button type="button" className="button small" onClick={onImportRecipients} disabled={busy} data-testid="import-recipients">
          Import recipients from CSV…
        </button>
        <span className="muted small" data-testid="recipient-count">
          {recipients.length.toLocaleString('en')} {recipients.length === 1 ? 'recipient' : 'recipients'}
          {separately ? ', one request each' : ' in one request'}
        </span>
      </div>
      {importNote ? (
        <p className="status info" role="status" data-testid="import-note">
          {importNote}
        </p>
      ) : null}
      {batch.running ? (
        <BatchProgress label="Sending to each recipient" tally={batch.tally} onStop={() => void batch.stop()} stopping={batch.stopping} />
      ) : operation.running ? (
        <ProgressBar label="Sending pass update" progress={operation.progress} onCancel={sender.cancel} cancelling={operation.cancelling} />
      ) : (
        <div className="actions">
          <button type="submit" className="button primary" disabled={sendDisabled} data-testid="pass-send" data-menu-action="send">
            {separately ? `Send ${recipients.length.toLocaleString('en')} updates` : 'Send update'}
          </button>
          <SendBlockers {...blockers} />
        </div>
      )}
      <OutcomeRegion outcome={sender.outcome}>
        <PassSendOutcome sender={sender} onOpenOutbox={onOpenOutbox} />
      </OutcomeRegion>
    </section>
  );
}

function PassSendOutcome({ sender, onOpenOutbox }: { sender: ReturnType<typeof useDraftSend>; onOpenOutbox: () => void }) {
  const { outcome, setOutcome } = sender;
  return (
    <>
      {outcome?.result?.status === 'sent' ? (
        <div className="status ok" role="status" data-testid="pass-result">
          <strong>Queued.</strong> <UntrustedText text={outcome.result.message} />
          {outcome.result.requestId ? (
            <div className="request-id">
              <span>Request ID</span>
              <input
                className="mono"
                readOnly
                value={outcome.result.requestId}
                aria-label="Request ID"
                onFocus={(e) => e.target.select()}
                data-testid="pass-request-id"
              />
              <CopyButton text={outcome.result.requestId} />
            </div>
          ) : null}
        </div>
      ) : outcome?.result ? (
        <NotSentOutcome
          result={outcome.result}
          cancelled={outcome.cancelled === true}
          what="The pass update"
          testId="pass-result"
          onOpenOutbox={onOpenOutbox}
          onResult={(result) => setOutcome({ result })}
        />
      ) : null}
      {outcome?.cancelled && !outcome.result ? (
        <p className="status info" role="status" data-testid="pass-result">
          Sending cancelled. Everything you entered is still here.
        </p>
      ) : null}
    </>
  );
}

function SendBlockers(props: SendBlockersProps) {
  const reasons: string[] = [];
  if (!props.pkpass) reasons.push('choose the .pkpass');
  else if (props.checking) reasons.push('wait for the pass check');
  else if (props.pkpassReport && !props.pkpassReport.ok) reasons.push('fix the errors in the pass file');
  if (props.images) reasons.push('fix the image field names');
  if (props.content) reasons.push('fix the pass content');
  if (props.batch) reasons.push(props.batch);
  if (reasons.length === 0) return null;
  return <span className="muted small">To send: {reasons.join(', ')}.</span>;
}
