// Upload a Windows (MPNS) push certificate: app ID, a .p12/.pfx, its passphrase. The form is a draft (issue #5):
// every change autosaves, the dropped file is copied into the draft, and Send goes through draftsSend, which
// sends, or queues in the Outbox when the server is unreachable. The passphrase is never part of the draft: it
// stays in this window's memory, or in the OS keychain when the user asks to remember it.
import { useEffect, useState } from 'react';
import type { DraftFile, SecretStorage } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { ChosenFileRow } from '../../components/chosen-file';
import { DropZone } from '../../components/drop-zone';
import { AppIdPicker } from '../../components/app-id-picker';
import { Field } from '../../components/field';
import { OutcomeRegion } from '../../components/outcome-region';
import { ProgressBar } from '../../components/progress-bar';
import { SecretInput } from '../../components/secret-input';
import { useClearOnChange } from '../../lib/use-clear-on-change';
import { useFileCheck } from '../../lib/use-file-check';
import { CheckReportView } from '../checks/check-report-view';
import { LegacyCopy } from './legacy-copy';
import { MpnsRetiredNote } from './mpns-note';
import { DraftBar, OriginalFileNote } from '../drafts/draft-bar';
import { useDraftSession } from '../drafts/draft-session';
import { NotSentOutcome } from '../drafts/send-outcome';
import { useDraftSend } from '../drafts/use-draft-send';
import { AUTOSAVE_DELAY_MS, useDraftEditor } from '../drafts/use-draft-editor';
import { useSelectedProfile } from '../profiles/profiles-context';
import { UntrustedText } from '../../components/untrusted-text';

const CERT_EXTENSIONS = ['.p12', '.pfx'] as const;

export function CertificateUpload({ active, onOpenOutbox, onOpenApps }: { active: boolean; onOpenOutbox: () => void; onOpenApps: () => void }) {
  const session = useDraftSession();
  if (!session.ready) return <p className="muted">Loading drafts…</p>;
  const open = session.open['cert-upload'];
  return <CertificateUploadForm key={open.instance} draftId={open.id} active={active} onOpenOutbox={onOpenOutbox} onOpenApps={onOpenApps} />;
}

function CertificateUploadForm({
  draftId,
  active,
  onOpenOutbox,
  onOpenApps,
}: {
  draftId: string | undefined;
  active: boolean;
  onOpenOutbox: () => void;
  onOpenApps: () => void;
}) {
  const reportError = useReportError();
  const session = useDraftSession();
  const profile = useSelectedProfile();
  const editor = useDraftEditor('cert-upload', { draftId, profileId: profile?.id });
  const { draft, change } = editor;
  const [passphrase, setPassphrase] = useState('');
  const [keychain, setKeychain] = useState<SecretStorage>('none');
  const [adding, setAdding] = useState(false);
  const [touched, setTouched] = useState(false);
  const sender = useDraftSend();
  const { operation, outcome, setOutcome } = sender;

  const appId = draft.payload.appId;
  const file = draft.payload.cert;
  const remember = draft.payload.rememberPassphrase;
  const fileStatus = file ? editor.view?.files.find((f) => f.role === 'cert' && f.file.sha256 === file.sha256)?.originalStatus : undefined;
  // The check reads the original; once it moved or changed, the draft's copy is what counts and is not re-checked.
  const checkable = file && (fileStatus === undefined || fileStatus === 'unchanged');
  const check = useFileCheck(
    checkable ? { path: file.originalPath, kind: 'p12', ...(passphrase !== '' ? { passphrase } : {}) } : undefined,
    400,
  );

  useEffect(() => {
    if (editor.view) setKeychain(editor.view.passphraseStorage);
  }, [editor.view]);

  // The form sends with the profile chosen in the header while it is on screen.
  useEffect(() => {
    if (!active || editor.loading || !profile || draft.profileId === profile.id) return;
    change((d) => ({ ...d, profileId: profile.id }), { quiet: true });
  }, [active, editor.loading, profile, draft.profileId, change]);

  // A remembered passphrase goes to the keychain (debounced like the draft), never into the draft.
  useEffect(() => {
    if (!remember || passphrase === '') return;
    const timer = setTimeout(async () => {
      const id = await editor.ensureId();
      if (!id) return;
      const result = await api.draftsSetPassphrase({ id, passphrase, remember: true });
      if (result.ok) setKeychain(result.value.storage);
      else reportError(result.error);
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [remember, passphrase, editor.ensureId, reportError]);

  const setRemember = async (value: boolean) => {
    change((d) => ({ ...d, payload: { ...d.payload, rememberPassphrase: value } }));
    if (!value) {
      const id = await editor.ensureId();
      if (!id) return;
      const result = await api.draftsSetPassphrase({ id, remember: false });
      if (result.ok) setKeychain(result.value.storage);
      else reportError(result.error);
    }
  };

  const addFile = async (path: string) => {
    setOutcome(undefined);
    setAdding(true);
    try {
      const id = await editor.ensureId();
      if (!id) return;
      const added = await api.draftsAddFile({ id, path });
      if (!added.ok) {
        reportError(added.error, () => void addFile(path));
        return;
      }
      const cert: DraftFile = added.value;
      change((d) => ({ ...d, payload: { ...d.payload, cert } }));
    } finally {
      setAdding(false);
    }
  };

  useClearOnChange(`${appId}\n${file?.sha256 ?? ''}\n${file?.originalPath ?? ''}\n${passphrase}`, () => setOutcome(undefined));

  const remembered = remember && keychain !== 'none';
  const appIdError = appId.trim() === '' ? 'Enter the application ID.' : undefined;
  const fileError = file ? undefined : 'Choose the .p12 or .pfx certificate.';
  const canUpload = !operation.running && !adding && profile !== undefined && !check.blocking;
  // What the check card and the line beside Upload name as still missing (an empty passphrase is allowed: a
  // .p12 may have none, but then the certificate could not be checked).
  const notReady = [
    ...(appId.trim() === '' ? ['enter the application ID'] : []),
    ...(profile ? [] : ['choose a server profile']),
    ...(passphrase === '' && !remembered && check.report?.issues.some((i) => i.code === 'p12-passphrase-needed')
      ? ['enter the passphrase to check the certificate (leave it empty only if it has none)']
      : []),
  ];

  const upload = async () => {
    setTouched(true);
    if (appIdError || fileError || !profile || check.blocking || adding) return;
    // A passphrase typed now wins; an empty field with a remembered one lets main read the keychain.
    const typed = passphrase !== '' || !remembered ? passphrase : undefined;
    await sender.send({
      profileId: profile.id,
      flush: editor.flush,
      ...(typed !== undefined ? { passphrase: typed } : {}),
      retry: () => void upload(),
    });
  };

  return (
    <div className="page">
      <header className="page-header">
        <h1>Windows push certificate</h1>
        <p className="page-intro">
          Upload the MPNS certificate of an application to <strong>{profile?.name ?? 'the selected server'}</strong>.
        </p>
        <MpnsRetiredNote onOpenApps={onOpenApps} />
      </header>
      <DraftBar
        name={draft.name}
        save={editor.save}
        onLoadStored={editor.loadStored}
        onKeepMine={editor.keepMine}
        onNew={() => session.startNew('cert-upload')}
      />
      <form
        className="card"
        aria-label="Upload certificate"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void upload();
        }}
      >
        <fieldset className="plain" disabled={operation.running || editor.loading}>
          <Field label="Application ID" hint="As shown in the Engagement console, for example 20096-6548262167" error={touched ? appIdError : undefined}>
            {(props) => (
              <AppIdPicker
                fieldProps={props}
                value={appId}
                onChange={(value) => change((d) => ({ ...d, payload: { ...d.payload, appId: value } }))}
                profileId={profile?.id}
                testId="upload-app-id"
              />
            )}
          </Field>
          <div className={`field wide${touched && fileError ? ' has-error' : ''}`}>
            <span className="label">Certificate file</span>
            {file ? (
              <>
                <ChosenFileRow
                  name={file.name}
                  path={file.originalPath}
                  size={file.size}
                  onRemove={() => change((d) => ({ ...d, payload: { ...d.payload, cert: undefined } }))}
                  removeLabel={`Remove ${file.name}`}
                />
                <OriginalFileNote file={file} status={fileStatus} onUseNew={() => void addFile(file.originalPath)} />
              </>
            ) : (
              <DropZone
                kind="p12"
                extensions={CERT_EXTENSIONS}
                label="Certificate file"
                disabled={adding}
                onFiles={(files) => {
                  const first = files[0];
                  if (first) void addFile(first.path);
                }}
                testId="p12-drop"
              >
                {adding ? 'Copying the certificate into the draft…' : 'Drop the .p12 or .pfx certificate'}
              </DropZone>
            )}
            {touched && fileError ? <p className="field-error">{fileError}</p> : null}
          </div>
          <Field
            label="Passphrase"
            hint={
              remembered
                ? keychain === 'session'
                  ? 'Remembered for this session only: the OS keychain is not available. Type it to change it.'
                  : 'Remembered in the OS keychain for this draft. Type it to change it.'
                : 'The certificate\'s export password. It is sent to the server and is not stored unless you ask below.'
            }
          >
            {(props) => (
              <SecretInput
                {...props}
                what="passphrase"
                value={passphrase}
                placeholder={remembered ? '•••••••• (remembered)' : ''}
                onChange={(e) => setPassphrase(e.target.value)}
                data-testid="upload-passphrase"
              />
            )}
          </Field>
          <label className="check-row">
            <input
              type="checkbox"
              checked={remember}
              onChange={(e) => void setRemember(e.target.checked)}
              data-testid="remember-passphrase"
            />
            Remember the passphrase in the OS keychain for this draft
          </label>
          {file && checkable ? (
            <div className="check-slot" aria-busy={check.checking} data-testid="p12-check">
              {check.checking && !check.report ? <p className="muted small">Checking the certificate…</p> : null}
              {check.report ? <CheckReportView report={check.report} notReady={notReady} /> : null}
              {check.report?.kind === 'p12' && check.report.details?.modernEncryption ? (
                <LegacyCopy note={check.report.details.modernEncryption} source={file.originalPath} passphrase={passphrase} />
              ) : null}
            </div>
          ) : null}
        </fieldset>
        {operation.running ? (
          <ProgressBar
            label="Uploading certificate"
            progress={operation.progress}
            onCancel={sender.cancel}
            cancelling={operation.cancelling}
          />
        ) : (
          <div className="actions">
            <button type="submit" className="button primary" disabled={!canUpload} data-testid="upload-submit" data-menu-action="send">
              Upload
            </button>
            {check.report && !check.report.ok ? (
              <span className="muted small">Fix the errors in the check above to upload.</span>
            ) : check.checking && file ? (
              <span className="muted small">Checking…</span>
            ) : notReady.length > 0 || fileError ? (
              <span className="muted small" data-testid="upload-not-ready">
                To upload: {[...(fileError ? ['choose the certificate'] : []), ...notReady].join(', ')}.
              </span>
            ) : null}
          </div>
        )}
        <OutcomeRegion outcome={outcome}>
          {outcome?.result?.status === 'sent' ? (
            <div className="status ok" role="status" data-testid="upload-result">
              <strong>Uploaded.</strong> The server said: “<UntrustedText text={outcome.result.message} />”
            </div>
          ) : outcome?.result ? (
            <NotSentOutcome
              result={outcome.result}
              cancelled={outcome.cancelled === true}
              what="Upload"
              testId="upload-result"
              passphrase={passphrase}
              onOpenOutbox={onOpenOutbox}
              onResult={(result) => setOutcome({ result })}
            />
          ) : null}
          {outcome?.cancelled && !outcome.result ? (
            <p className="status info" role="status" data-testid="upload-result">
              Upload cancelled. The file and fields are unchanged; upload again when ready.
            </p>
          ) : null}
        </OutcomeRegion>
      </form>
    </div>
  );
}
