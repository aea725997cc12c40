// The outcome of a pass update sent to each recipient separately (issue #6): a summary, the failed ids to copy or
// send again, and one row per recipient with its requestId or the reason it was not sent.
import { useEffect, useRef } from 'react';
import type { BatchItemStatus, PassBatchResult } from '../../../../preload/contract';
import { CopyButton, RequestIdCell } from '../../components/copy-button';
import { UntrustedText } from '../../components/untrusted-text';

/** Rendering 100,000 rows would freeze the page; the counts and the copy/retry buttons still cover every item. */
const MAX_ROWS = 1000;

const STATUS_TEXT: Record<BatchItemStatus, { text: string; badge: string }> = {
  done: { text: 'Sent', badge: 'sent' },
  failed: { text: 'Failed', badge: 'failed' },
  skipped: { text: 'Not sent', badge: 'paused' },
};

export function PassBatchResults({
  result,
  onRetry,
  disabled,
}: {
  result: PassBatchResult;
  onRetry: (recipientIds: string[]) => void;
  disabled: boolean;
}) {
  const { summary, results } = result;
  const failedIds = results.filter((r) => r.status === 'failed').map((r) => r.recipientId);
  const skippedIds = results.filter((r) => r.status === 'skipped').map((r) => r.recipientId);
  // Problems first: with thousands of rows, the ones needing attention must not hide below the fold.
  const order = { failed: 0, skipped: 1, done: 2 } as const;
  const rows = results
    .map((r, index) => ({ ...r, index }))
    .sort((a, b) => order[a.status] - order[b.status] || a.index - b.index)
    .slice(0, MAX_ROWS);
  const allSent = summary.failed === 0 && summary.skipped === 0;
  // A batch's outcome, like every send's (issue #21): its summary is brought into view when it arrives, not left
  // below the fold under a tall form. The summary is the live region; the table is not read out row by row.
  // Aligned to the top (below the sticky header, by its scroll margin) so the first rows show under the summary.
  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    sectionRef.current?.scrollIntoView({ block: 'start' });
  }, [result]);
  return (
    <section ref={sectionRef} className="batch-results" aria-label="Results per recipient" data-testid="batch-results">
      <div className={`status ${allSent ? 'ok' : 'warn'}`} role="status" data-testid="batch-summary">
        <strong>
          Sent {summary.sent.toLocaleString('en')} of {results.length.toLocaleString('en')}.
        </strong>{' '}
        {summary.failed > 0 ? `${summary.failed.toLocaleString('en')} failed. ` : ''}
        {summary.skipped > 0 ? `${summary.skipped.toLocaleString('en')} not sent because the batch was stopped. ` : ''}
        {allSent ? 'Each recipient got its own request.' : 'Every sent update is in the History.'}
      </div>
      {failedIds.length > 0 || skippedIds.length > 0 ? (
        <div className="actions">
          {failedIds.length > 0 ? (
            <>
              <button type="button" className="button primary" onClick={() => onRetry(failedIds)} disabled={disabled} data-testid="batch-retry-failed">
                Retry failed ({failedIds.length.toLocaleString('en')})
              </button>
              <CopyButton text={failedIds.join('\n')} label="Copy failed ids" />
            </>
          ) : null}
          {skippedIds.length > 0 ? (
            <button type="button" className="button" onClick={() => onRetry(skippedIds)} disabled={disabled} data-testid="batch-send-rest">
              Send the {skippedIds.length.toLocaleString('en')} not sent
            </button>
          ) : null}
        </div>
      ) : null}
      <div className="table-wrap batch-table-wrap">
        <table className="data-table batch-table" data-testid="batch-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              <th scope="col">Recipient</th>
              <th scope="col">Result</th>
              <th scope="col">Request ID</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.index} data-testid="batch-row" data-status={row.status}>
                <td className="num muted">{row.index + 1}</td>
                <td className="mono" data-testid="batch-recipient">
                  {row.recipientId}
                </td>
                <td>
                  <span className={`state-badge ${STATUS_TEXT[row.status].badge}`}>{STATUS_TEXT[row.status].text}</span>
                </td>
                <td className="nowrap">
                  <RequestIdCell requestId={row.requestId} testId="batch-request-id" />
                </td>
                <td className="batch-error">
                  {row.error ? (
                    <>
                      {row.error.httpStatus !== undefined && !row.error.message.includes(`HTTP ${row.error.httpStatus}`) ? (
                        <span className="muted">HTTP {row.error.httpStatus} · </span>
                      ) : null}
                      <UntrustedText text={row.error.message} />
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {results.length > MAX_ROWS ? (
        <p className="muted small">
          Showing {MAX_ROWS.toLocaleString('en')} of {results.length.toLocaleString('en')} rows (problems first). The History has every
          sent update.
        </p>
      ) : null}
    </section>
  );
}
