// An MPNS certificate removal draft opened from the Drafts page, the Outbox or a restored session (issue #17,
// bullet 7): the removal card for the draft's app, with its backup choice saved into the draft as it changes.
// A draft's backup is not a file picked now: it is downloaded into the backups folder of Engagement Desk's data when
// the removal is actually sent (main/drafts/draft-sender.ts), and if it fails nothing is removed. Send goes through
// draftsSend after a confirmation that names the app: one history record, progress and Cancel, the Outbox offline.
import { useState } from 'react';
import { UntrustedText } from '../../components/untrusted-text';
import { ProgressBar } from '../../components/progress-bar';
import type { OpenDraft } from '../drafts/draft-session';
import { OpenDraftSection } from '../drafts/open-draft-section';
import { DraftSendOutcomeView } from '../drafts/send-outcome';
import { useDraftEditor } from '../drafts/use-draft-editor';
import { useDraftSend } from '../drafts/use-draft-send';
import { useSelectedProfile } from '../profiles/profiles-context';
import { MPNS_RETIRED } from './reading-age';

export function RemovalDraftCard({ open, active, onOpenOutbox }: { open: OpenDraft; active: boolean; onOpenOutbox: () => void }) {
  const profile = useSelectedProfile();
  const editor = useDraftEditor('cert-remove', { draftId: open.id, profileId: profile?.id });
  const { draft, change } = editor;
  const [confirming, setConfirming] = useState(false);
  const sender = useDraftSend();
  const { operation, outcome } = sender;
  const { appId, backup } = draft.payload;

  const remove = async () => {
    setConfirming(false);
    if (!profile) return;
    await sender.send({ profileId: profile.id, flush: editor.flush, retry: () => void remove() });
  };

  return (
    <OpenDraftSection label="Open draft: certificate removal" testId="removal-draft" editor={editor} active={active} profile={profile}>
      <div className="card" data-testid="removal-draft-card" data-app-id={appId}>
        <h2>
          Stored MPNS certificate of <span className="mono"><UntrustedText text={appId} /></span>
        </h2>
        <p className="note warn-note">{MPNS_RETIRED}</p>
        <label className="check">
          <input
            type="checkbox"
            checked={backup}
            disabled={operation.running || editor.loading}
            onChange={(e) => change((d) => ({ ...d, payload: { ...d.payload, backup: e.target.checked } }))}
            data-testid="removal-backup"
          />{' '}
          Save a backup copy first (recommended): into the backups folder of Engagement Desk&apos;s data, when the removal is sent
        </label>
        {confirming ? (
          <RemovalConfirm
            appId={appId}
            note={backup ? 'A backup is downloaded first; nothing is removed if that fails.' : 'No backup will be kept.'}
            busy={operation.running}
            onRemove={() => void remove()}
            onKeep={() => setConfirming(false)}
          />
        ) : operation.running || outcome?.result?.status === 'sent' ? null : (
          <div className="actions">
            <button type="button" className="button" disabled={!profile || editor.loading || appId.trim() === ''} onClick={() => setConfirming(true)} data-testid="removal-start">
              Remove certificate…
            </button>
          </div>
        )}
        {operation.running ? (
          <ProgressBar label={backup ? 'Backing up and removing' : 'Removing'} progress={operation.progress} onCancel={sender.cancel} cancelling={operation.cancelling} />
        ) : null}
        <DraftSendOutcomeView
          outcome={outcome}
          onOutcome={sender.setOutcome}
          what="The removal"
          testId="removal-result"
          sent={(result) => <UntrustedText text={result.message} />}
          cancelled="Removal cancelled. The draft is unchanged; remove again when ready."
          onOpenOutbox={onOpenOutbox}
        />
      </div>
    </OpenDraftSection>
  );
}

/** The confirmation of a removal, naming the app (also for a removal draft). */
export function RemovalConfirm({ appId, note, busy, onRemove, onKeep }: { appId: string; note: string; busy: boolean; onRemove: () => void; onKeep: () => void }) {
  return (
    <div className="status warn" role="alertdialog" aria-label="Confirm removal" data-testid="removal-confirm">
      <p>
        Remove the MPNS certificate of <strong className="mono"><UntrustedText text={appId} /></strong> from the server? {note}
      </p>
      <div className="actions">
        <button type="button" className="button danger" disabled={busy} onClick={onRemove} data-testid="removal-confirm-button">
          Remove certificate of <UntrustedText text={appId} />
        </button>
        <button type="button" className="button" disabled={busy} onClick={onKeep}>
          Keep it
        </button>
      </div>
    </div>
  );
}
