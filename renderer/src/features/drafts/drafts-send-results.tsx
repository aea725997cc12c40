// The result of sending several drafts at once (issue #6): a summary and one row per draft.
import type { DraftBatchStatus, DraftsSendManyResult } from '../../../../preload/contract';
import { RequestIdCell } from '../../components/copy-button';
import { UntrustedText } from '../../components/untrusted-text';

const DRAFT_STATUS: Record<DraftBatchStatus, { text: string; badge: string }> = {
  sent: { text: 'Sent', badge: 'sent' },
  queued: { text: 'In the Outbox', badge: 'queued' },
  'outcome-unknown': { text: 'Outcome unknown', badge: 'outcome-unknown' },
  failed: { text: 'Failed', badge: 'failed' },
  skipped: { text: 'Not sent', badge: 'paused' },
};

export function DraftsSendResults({
  result,
  names,
  onDismiss,
  onAskSecret,
}: {
  result: DraftsSendManyResult;
  names: Map<string, string>;
  onDismiss: () => void;
  /** A draft was not sent for want of its secret (a passphrase, a WNS client secret): open it to type that. */
  onAskSecret: (id: string) => void;
}) {
  const { summary } = result;
  const clean = summary.failed === 0 && summary.skipped === 0 && summary.outcomeUnknown === 0;
  return (
    <section className="card batch-results" aria-label="Results per draft" data-testid="drafts-send-results">
      <div className={`status dismissible ${clean ? 'ok' : 'warn'}`} role="status" data-testid="drafts-send-summary">
        <span>
          <strong>
            Sent {summary.sent} of {result.results.length}.
          </strong>{' '}
          {summary.queued > 0 ? `${summary.queued} in the Outbox. ` : ''}
          {summary.outcomeUnknown > 0 ? `${summary.outcomeUnknown} with an unknown outcome (see the Outbox). ` : ''}
          {summary.failed > 0 ? `${summary.failed} failed and stay selected. ` : ''}
          {summary.skipped > 0 ? `${summary.skipped} not sent because you stopped. ` : ''}
        </span>
        <button type="button" className="button ghost small" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      </div>
      <div className="table-wrap batch-table-wrap">
        <table className="data-table batch-table" data-testid="drafts-send-table">
          <thead>
            <tr>
              <th scope="col">Draft</th>
              <th scope="col">Result</th>
              <th scope="col">Request ID</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {result.results.map((row) => (
              <tr key={row.id} data-testid="drafts-send-row" data-status={row.status}>
                <td>{names.get(row.id) ?? row.id}</td>
                <td>
                  <span className={`state-badge ${DRAFT_STATUS[row.status].badge}`}>{DRAFT_STATUS[row.status].text}</span>
                </td>
                <td className="nowrap">
                  <RequestIdCell requestId={row.requestId} testId="drafts-send-request-id" />
                </td>
                <td className="batch-error">
                  <UntrustedText text={row.message ?? ''} />
                  {row.status === 'failed' && row.error?.reason === 'passphrase-needed' ? (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="button small"
                        onClick={() => onAskSecret(row.id)}
                        aria-label={`Enter it in the form of ${names.get(row.id) ?? 'the draft'}`}
                        data-testid="drafts-send-ask-secret"
                      >
                        Enter it…
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
