// Download the Windows push certificate an application has on the server. The server is asked first whether the
// application exists and stores one (its details answer), so an unknown ID or an app without a certificate is
// answered beside the button before any Save As dialog (issue #21); then Save As, a streamed download with
// progress, and where it went, how big it is and its SHA-256 so it can be compared.
import { useCallback, useState } from 'react';
import type { AppError, CertDownloadResult } from '../../../../preload/contract';
import { appIdProblem } from '../../../../main/core/server-url';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { CopyButton } from '../../components/copy-button';
import { AppIdPicker } from '../../components/app-id-picker';
import { Field } from '../../components/field';
import { OutcomeRegion } from '../../components/outcome-region';
import { ProgressBar } from '../../components/progress-bar';
import { UntrustedText } from '../../components/untrusted-text';
import { formatBytes } from '../../lib/format';
import { useClearOnChange } from '../../lib/use-clear-on-change';
import { useOperation } from '../../lib/use-operation';
import { useSelectedProfile } from '../profiles/profiles-context';
import { MpnsRetiredNote } from './mpns-note';
import './certificate.css';

export function CertificateDownload({ onOpenApps }: { onOpenApps: () => void }) {
  const reportError = useReportError();
  const profile = useSelectedProfile();
  const [appId, setAppId] = useState('');
  const [touched, setTouched] = useState(false);
  const [outcome, setOutcome] = useState<{ result?: CertDownloadResult; cancelled?: boolean; refused?: string } | undefined>(undefined);
  const [asking, setAsking] = useState(false);
  const operation = useOperation();
  const clearOutcome = useCallback(() => setOutcome(undefined), []);
  useClearOnChange(`${profile?.id ?? ''}\n${appId.trim()}`, clearOutcome);

  /** A failure is answered beside the button; missing or refused credentials go to the error region's Open profile. */
  const refuse = (error: AppError, retry: () => void) => {
    if (error.code === 'auth-missing' || error.code === 'auth-rejected') reportError(error, retry, { profileId: profile?.id });
    else setOutcome({ refused: error.message });
  };

  // The same rule main applies (issue #21): a malformed ID is named before the Save As dialog, not after it.
  const appIdError = appIdProblem(appId.trim());

  const download = async (destination: string) => {
    if (!profile) return;
    const profileId = profile.id;
    const result = await operation.run((operationId) =>
      api.certDownload({ operationId, profileId, appId: appId.trim(), destination }),
    );
    if (result.ok) setOutcome({ result: result.value });
    else if (result.error.code === 'cancelled') setOutcome({ cancelled: true });
    else refuse(result.error, () => void download(destination));
  };

  const saveAs = async () => {
    setTouched(true);
    if (appIdError || !profile || asking) return;
    setOutcome(undefined);
    const id = appId.trim();
    setAsking(true);
    const details = await api.appDetails({ profileId: profile.id, appId: id });
    setAsking(false);
    if (!details.ok) {
      refuse(details.error, () => void saveAs());
      return;
    }
    if (!details.value.mpns.stored) {
      setOutcome({
        refused: `The server stores no Windows MPNS certificate for “${id}”, so there is nothing to save. Upload one on Certificate upload, or give WNS credentials on Applications.`,
      });
      return;
    }
    const chosen = await api.dialogSaveFile({ kind: 'p12', defaultName: `${appId.trim()}-mpns.p12` });
    if (!chosen.ok) {
      reportError(chosen.error, () => void saveAs());
      return;
    }
    if (!chosen.value.path) return; // the user closed the dialog
    await download(chosen.value.path);
  };

  const showInFolder = async (path: string) => {
    const result = await api.shellShowInFolder({ path });
    if (!result.ok) reportError(result.error, () => void showInFolder(path));
  };

  return (
    <div className="page">
      <header className="page-header">
        <h1>Download certificate</h1>
        <p className="page-intro">
          Save the Windows push certificate stored on <strong>{profile?.name ?? 'the selected server'}</strong> for an
          application.
        </p>
        <MpnsRetiredNote onOpenApps={onOpenApps} backupHint />
      </header>
      <form
        className="card"
        aria-label="Download certificate"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void saveAs();
        }}
      >
        <fieldset className="plain" disabled={operation.running}>
          <Field label="Application ID" error={touched ? appIdError : undefined}>
            {(props) => (
              <AppIdPicker fieldProps={props} value={appId} onChange={setAppId} profileId={profile?.id} testId="download-app-id" />
            )}
          </Field>
        </fieldset>
        {operation.running ? (
          <ProgressBar label="Downloading certificate" progress={operation.progress} onCancel={() => void operation.cancel()} cancelling={operation.cancelling} />
        ) : (
          <div className="actions">
            <button type="submit" className="button primary" disabled={!profile || asking} data-testid="download-submit" data-menu-action="save-as send">
              Save as…
            </button>
            {asking ? (
              <span className="muted" role="status" data-testid="download-asking">
                Asking the server whether “{appId.trim()}” has a certificate…
              </span>
            ) : null}
          </div>
        )}
        <OutcomeRegion outcome={outcome} testId="download-outcome">
          {outcome?.refused !== undefined ? (
            <p className="status error" role="alert" data-testid="download-refused">
              <strong>Not saved.</strong> <UntrustedText text={outcome.refused} />
            </p>
          ) : null}
          {outcome?.result ? (
            <div className={`status ${outcome.result.warning ? 'warn' : 'ok'} result-card`} role="status" data-testid="download-result">
              {/* A body not shaped like PKCS#12 was kept as sent: the warning is read before "Saved." */}
              {outcome.result.warning ? <p data-testid="download-warning">{outcome.result.warning}</p> : null}
              <strong>Saved.</strong>
              <dl className="facts">
                <dt>File</dt>
                <dd className="mono" data-testid="download-path">{outcome.result.path}</dd>
                <dt>Size</dt>
                <dd data-testid="download-size">
                  {formatBytes(outcome.result.bytes)} ({outcome.result.bytes.toLocaleString()} bytes)
                </dd>
                <dt>SHA-256</dt>
                <dd className="mono hash">
                  <span data-testid="download-sha256">{outcome.result.sha256}</span> <CopyButton text={outcome.result.sha256} />
                </dd>
              </dl>
              <div className="actions">
                <button type="button" className="button" onClick={() => void showInFolder(outcome.result!.path)}>
                  Show in folder
                </button>
              </div>
            </div>
          ) : null}
          {outcome?.cancelled ? (
            <p className="status info" role="status" data-testid="download-result">
              Download cancelled. Nothing was left at the chosen location.
            </p>
          ) : null}
        </OutcomeRegion>
      </form>
    </div>
  );
}
