// A history row's details (issue #21, point 9): the request, the files, the server's answer and the times, in a
// modal dialog (Escape closes it, focus returns to the row). A pass update or issue that the server queued offers
// "Delivery status" (issue #17): the passes the request made and each channel's status, read again with backoff
// (2 s doubling to a minute) until every channel is final or the dialog is closed. Each read is noted by main as
// the request's last known status, shown here and in the row.
import { useEffect, useRef, useState } from 'react';
import type { HistoryPassStatus, HistoryRecord, PassRequestStatus, ServerReading } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { CopyButton } from '../../components/copy-button';
import { UntrustedText } from '../../components/untrusted-text';
import { formatBytes } from '../../lib/format';
import { PassStatusTable } from '../apps/pass-status-page';
import { ReadingAge } from '../apps/reading-age';
import { formatDuration, HISTORY_STATUS_LABELS, historyKindLabel } from '../drafts/draft-text';

/** "Delivered 3 of 4, 1 rejected — as of 7 Dec 2026, 02:13" */
export function passStatusText(status: HistoryPassStatus): string {
  const parts = [`Delivered ${status.delivered} of ${status.channels}`];
  if (status.rejected > 0) parts.push(`${status.rejected} rejected`);
  if (status.undelivered > 0) parts.push(`${status.undelivered} undelivered`);
  const waiting = status.channels - status.final;
  if (waiting > 0) parts.push(`${waiting} not final yet`);
  return `${parts.join(', ')} — as of ${new Date(status.at).toLocaleString()}`;
}

/** Whether the row is a queued pass request whose delivery can be tracked. */
export function tracksDelivery(record: HistoryRecord): boolean {
  return record.kind === 'pass-update' && record.status === 'sent' && Boolean(record.requestId);
}

export function HistoryDetails({ record, onClose, onStatusRead }: { record: HistoryRecord; onClose: () => void; onStatusRead: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const headingId = `history-details-${record.id}`;
  return (
    <dialog ref={dialog} className="history-details card" aria-labelledby={headingId} onClose={onClose} data-testid="history-details">
      <div className="history-details-head">
        <h2 id={headingId}>{historyKindLabel(record)} · {HISTORY_STATUS_LABELS[record.status]}</h2>
        <button type="button" className="button ghost small" onClick={() => dialog.current?.close()} data-testid="history-details-close">
          Close
        </button>
      </div>
      <section aria-label="Request">
        <h3>Request</h3>
        <dl className="history-facts">
          <dt>Endpoint</dt>
          <dd className="mono">
            <UntrustedText text={record.endpoint} />
          </dd>
          <dt>Profile</dt>
          <dd>
            <UntrustedText text={record.profileName || record.profileId} />
          </dd>
          {record.appId !== undefined ? (
            <>
              <dt>App ID</dt>
              <dd>
                <UntrustedText text={record.appId} />
              </dd>
            </>
          ) : null}
          {record.draftName ? (
            <>
              <dt>Draft</dt>
              <dd>
                <UntrustedText text={record.draftName} />
              </dd>
            </>
          ) : null}
          <dt>Sent from</dt>
          <dd>{record.source === 'outbox' ? 'the Outbox' : record.source === 'cli' ? 'the command line' : 'the app'}</dd>
        </dl>
      </section>
      <section aria-label="Files">
        <h3>Files</h3>
        {record.files.length === 0 ? (
          <p className="muted">No files.</p>
        ) : (
          <ul className="history-files" data-testid="history-details-files">
            {record.files.map((file) => (
              <li key={`${file.role}:${file.sha256}`}>
                <UntrustedText className="file-fact-name" text={file.name} /> <span className="muted">({formatBytes(file.size)})</span>
                <div className="mono small sha">
                  SHA-256 {file.sha256} <CopyButton text={file.sha256} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label="Answer">
        <h3>Server's answer</h3>
        <dl className="history-facts">
          <dt>Status</dt>
          <dd>
            {HISTORY_STATUS_LABELS[record.status]}
            {record.httpStatus !== undefined ? ` (HTTP ${record.httpStatus})` : ''}
          </dd>
          {record.serverMessage !== undefined ? (
            <>
              <dt>Message</dt>
              <dd data-testid="history-details-message">
                <UntrustedText text={record.serverMessage} />
              </dd>
            </>
          ) : null}
          {record.requestId ? (
            <>
              <dt>Request ID</dt>
              <dd>
                <UntrustedText className="mono" text={record.requestId} /> <CopyButton text={record.requestId} />
              </dd>
            </>
          ) : null}
          <dt>Sent</dt>
          <dd>{new Date(record.at).toLocaleString()}</dd>
          <dt>Took</dt>
          <dd>{formatDuration(record.durationMs)}</dd>
        </dl>
      </section>
      {tracksDelivery(record) ? <DeliveryStatus record={record} onRead={onStatusRead} /> : null}
    </dialog>
  );
}

function DeliveryStatus({ record, onRead }: { record: HistoryRecord; onRead: () => void }) {
  const reportError = useReportError();
  const [reading, setReading] = useState<ServerReading<PassRequestStatus> | undefined>(undefined);
  const [watching, setWatching] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const alive = useRef(true);
  useEffect(() => {
    // Set here too, as React's strict mode runs the cleanup once before the dialog is really closed.
    alive.current = true;
    return () => {
      alive.current = false;
      clearTimeout(timer.current);
    };
  }, []);

  const look = async (delay: number) => {
    const result = await api.passStatus({ profileId: record.profileId, requestId: record.requestId ?? '' });
    if (!alive.current) return;
    if (!result.ok) {
      setWatching(false);
      reportError(result.error, () => void look(2_000), { profileId: record.profileId });
      return;
    }
    setReading(result.value);
    // Main noted it as the last known status: the history is read again to show it.
    if (!result.value.offline) onRead();
    if (result.value.value.settled || result.value.offline) {
      setWatching(false);
      return;
    }
    timer.current = setTimeout(() => void look(Math.min(60_000, delay * 2)), delay);
  };

  const start = () => {
    clearTimeout(timer.current);
    setWatching(true);
    void look(2_000);
  };
  const stop = () => {
    clearTimeout(timer.current);
    setWatching(false);
  };

  const status = reading?.value;
  return (
    <section aria-label="Delivery status">
      <h3>Delivery status</h3>
      {record.lastStatus ? (
        <p data-testid="history-details-last-status">Last known: {passStatusText(record.lastStatus)}</p>
      ) : (
        <p className="muted">Not read yet.</p>
      )}
      <div className="actions">
        <button type="button" className="button primary" onClick={start} disabled={watching} data-testid="history-delivery-status">
          {watching ? 'Watching…' : 'Delivery status'}
        </button>
        {watching ? (
          <button type="button" className="button" onClick={stop} data-testid="history-delivery-stop">
            Stop watching
          </button>
        ) : null}
      </div>
      {reading ? <ReadingAge reading={reading} /> : null}
      {status ? (
        <>
          <p className={`status ${status.settled ? 'ok' : 'info'}`} role="status" data-testid="history-delivery-summary">
            {status.total} pass{status.total === 1 ? '' : 'es'}; {status.settled ? 'every channel is final.' : watching ? 'watching for changes…' : 'not every channel is final yet.'}
          </p>
          <PassStatusTable status={status} />
        </>
      ) : null}
    </section>
  );
}
