// The Outbox page: drafts waiting for their server, live. Queued entries go out by themselves when the server is
// reachable (unless paused); "Send now" sends one by hand. An entry whose outcome is unknown is explained and
// only sent again after an explicit confirmation (the server may already have it).
import { useState } from 'react';
import type { OutboxEntry } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { CopyButton } from '../../components/copy-button';
import { SecretInput } from '../../components/secret-input';
import { hasForm, useDraftSession } from '../drafts/draft-session';
import { formatWhen, OUTBOX_STATE_LABELS, sendKindLabel } from '../drafts/draft-text';
import { OUTCOME_UNKNOWN_ADVICE } from '../drafts/send-outcome';
import { useProfiles } from '../profiles/profiles-context';
import { useOutbox } from './outbox-context';
import './outbox.css';
import { UntrustedText } from '../../components/untrusted-text';

export function OutboxPage() {
  const reportError = useReportError();
  const { view, loaded, accept, refresh } = useOutbox();
  const [flushing, setFlushing] = useState(false);
  const queued = view.entries.filter((e) => e.state === 'queued').length;

  const togglePause = async () => {
    const result = view.paused ? await api.outboxResume({}) : await api.outboxPause({});
    if (result.ok) accept(result.value);
    else reportError(result.error);
  };
  const flush = async () => {
    setFlushing(true);
    const result = await api.outboxFlush({});
    setFlushing(false);
    if (!result.ok) reportError(result.error, () => void flush());
    await refresh();
  };

  return (
    <div className="page" data-testid="outbox-page">
      <header className="page-header">
        <h1>Outbox</h1>
        <p className="page-intro">
          Drafts wait here when their server cannot be reached, and are sent automatically once it is back.
        </p>
      </header>
      <div className="toolbar">
        <button type="button" className="button" onClick={() => void togglePause()} data-testid="outbox-pause-all">
          {view.paused ? 'Resume automatic sending' : 'Pause automatic sending'}
        </button>
        <button
          type="button"
          className="button primary"
          disabled={queued === 0 || flushing}
          onClick={() => void flush()}
          data-testid="outbox-flush"
          data-menu-action="send"
        >
          {flushing ? 'Sending…' : `Send all queued now${queued > 0 ? ` (${queued})` : ''}`}
        </button>
      </div>
      {view.paused ? (
        <p className="warn-note wide" role="status" data-testid="outbox-paused">
          Automatic sending is paused: nothing leaves the Outbox until you resume it or send an entry by hand.
        </p>
      ) : null}
      {!loaded ? (
        <p className="muted">Loading the Outbox…</p>
      ) : view.entries.length === 0 ? (
        <div className="empty-state card" data-testid="outbox-empty">
          <strong>The Outbox is empty.</strong>
          <span className="muted">When a draft is sent while its server is unreachable, it waits here.</span>
        </div>
      ) : (
        <ul className="outbox-list" aria-label="Outbox entries">
          {view.entries.map((entry) => (
            <OutboxRow key={entry.id} entry={entry} />
          ))}
        </ul>
      )}
    </div>
  );
}

function OutboxRow({ entry }: { entry: OutboxEntry }) {
  const reportError = useReportError();
  const session = useDraftSession();
  const { profiles } = useProfiles();
  const { refresh } = useOutbox();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const profileName = profiles.find((p) => p.id === entry.profileId)?.name ?? entry.profileId;
  const needsPassphrase = entry.blockedReason === 'passphrase-needed';

  const act = async (call: () => Promise<{ ok: boolean; error?: Parameters<typeof reportError>[0] }>) => {
    setBusy(true);
    const result = await call();
    setBusy(false);
    if (!result.ok && result.error) reportError(result.error);
    await refresh();
  };
  const sendNow = async (confirmResend = false) => {
    setBusy(true);
    const result = await api.outboxSendNow({
      id: entry.id,
      ...(confirmResend ? { confirmResend: true } : {}),
      ...(passphrase ? { passphrase } : {}),
    });
    setBusy(false);
    setConfirming(false);
    if (!result.ok) reportError(result.error);
    else if (result.value.state === 'failed' && result.value.lastError) reportError(result.value.lastError);
    else setPassphrase('');
    await refresh();
  };

  const formKind = hasForm(entry.kind) ? entry.kind : undefined;
  /** The secret a send of this kind needs, never kept in the entry: asked when it is not remembered. */
  const secretLabel = entry.kind === 'cert-upload' ? 'Certificate passphrase' : entry.kind === 'wns-credentials' ? 'WNS client secret' : undefined;
  return (
    <li className={`outbox-entry state-${entry.state}`} data-testid="outbox-entry" data-state={entry.state} aria-label={entry.draftName}>
      <div className="outbox-entry-head">
        <span className={`state-badge ${entry.state}`} data-testid="outbox-state">
          {OUTBOX_STATE_LABELS[entry.state]}
        </span>
        <strong className="outbox-entry-name">{entry.draftName}</strong>
        <span className="muted">
          <span data-testid="outbox-entry-kind">{sendKindLabel(entry.kind, entry.issue)}</span> · {profileName}
        </span>
        <span className="muted small push-right">Queued {formatWhen(entry.createdAt)}</span>
      </div>
      <dl className="inline-facts">
        <div>
          <dt>Attempts</dt>
          <dd data-testid="outbox-attempts">{entry.attempts}</dd>
        </div>
        {entry.lastAttemptAt ? (
          <div>
            <dt>Last attempt</dt>
            <dd>{formatWhen(entry.lastAttemptAt)}</dd>
          </div>
        ) : null}
        {entry.nextAttemptAt && entry.state === 'queued' ? (
          <div>
            <dt>Next try</dt>
            <dd>{formatWhen(entry.nextAttemptAt)}</dd>
          </div>
        ) : null}
        {entry.requestId ? (
          <div>
            <dt>Request ID</dt>
            <dd className="mono">
              <UntrustedText text={entry.requestId} /> <CopyButton text={entry.requestId} />
            </dd>
          </div>
        ) : null}
      </dl>
      {entry.state === 'outcome-unknown' ? (
        <p className="inline-warning wide" data-testid="outcome-unknown-advice">
          <strong>{OUTCOME_UNKNOWN_ADVICE}</strong> It is never sent again automatically.
        </p>
      ) : null}
      {entry.lastError && entry.state !== 'sent' ? (
        <p className="outbox-error" data-testid="outbox-last-error">
          <span className="muted">Last error: </span>
          <UntrustedText text={entry.lastError.message} />
        </p>
      ) : null}
      {entry.state === 'sent' && entry.message ? <p className="muted">Server: “<UntrustedText text={entry.message} />”</p> : null}
      {needsPassphrase ? (
        <label className="outbox-passphrase">
          <span>{secretLabel} (needed to send, not stored)</span>
          <SecretInput
            what={entry.kind === 'wns-credentials' ? 'client secret' : 'certificate passphrase'}
            aria-label={secretLabel}
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoComplete="off"
          />
        </label>
      ) : null}
      <div className="actions">
        {entry.state === 'queued' || entry.state === 'paused' || entry.state === 'failed' ? (
          <button type="button" className="button small primary" disabled={busy} onClick={() => void sendNow()}>
            {entry.state === 'failed' ? 'Try again' : 'Send now'}
          </button>
        ) : null}
        {entry.state === 'outcome-unknown' ? (
          confirming ? (
            <span className="confirm-inline" role="group" aria-label="Confirm sending again">
              <span>Send it again? The server may end up with it twice.</span>
              {secretLabel ? (
                // The secret of an unknown send was not kept; a remembered one is read from the keychain.
                <SecretInput
                  what={entry.kind === 'wns-credentials' ? 'client secret' : 'certificate passphrase'}
                  className="inline-passphrase"
                  placeholder={entry.kind === 'wns-credentials' ? 'Client secret, unless remembered' : 'Passphrase, unless remembered'}
                  aria-label={secretLabel}
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.target.value)}
                  autoComplete="off"
                />
              ) : null}
              <button type="button" className="button small danger" disabled={busy} onClick={() => void sendNow(true)}>
                Yes, send again
              </button>
              <button type="button" className="button small ghost" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="button small" disabled={busy} onClick={() => setConfirming(true)}>
              Send again…
            </button>
          )
        ) : null}
        {entry.state === 'queued' ? (
          <button type="button" className="button small" disabled={busy} onClick={() => void act(() => api.outboxPause({ id: entry.id }))}>
            Pause
          </button>
        ) : null}
        {entry.state === 'paused' ? (
          <button type="button" className="button small" disabled={busy} onClick={() => void act(() => api.outboxResume({ id: entry.id }))}>
            Resume
          </button>
        ) : null}
        {entry.state === 'sending' ? <span className="muted small">Sending…</span> : null}
        <span className="push-right" />
        {entry.state !== 'sending' && formKind ? (
          <button type="button" className="button small ghost" onClick={() => session.openDraft(entry.draftId, formKind, entry.profileId)}>
            Open draft
          </button>
        ) : null}
        {entry.state !== 'sending' ? (
          <button
            type="button"
            className="button small ghost danger-text"
            disabled={busy}
            onClick={() => void act(() => api.outboxDiscard({ id: entry.id }))}
          >
            {entry.state === 'sent' ? 'Remove' : 'Discard'}
          </button>
        ) : null}
      </div>
    </li>
  );
}
