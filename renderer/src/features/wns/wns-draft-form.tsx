// A WNS credentials draft opened from the Drafts page, the Outbox or a restored session (issue #17, bullet 7): the
// same fields as the app's WNS form, filled from the draft and saved into it as they change. The client secret is
// never in the draft: typed for this send, or kept in the OS keychain under the draft's entry when "remember" is
// on (as a certificate draft's passphrase). Send goes through draftsSend: one history record, progress and
// Cancel, the Outbox when the server cannot be reached.
import { useEffect, useRef, useState } from 'react';
import { clientSecretProblem, packageSidProblem } from '../../../../main/core/admin-answers';
import { AppIdPicker } from '../../components/app-id-picker';
import { Field } from '../../components/field';
import { ProgressBar } from '../../components/progress-bar';
import { UntrustedText } from '../../components/untrusted-text';
import { useClearOnChange } from '../../lib/use-clear-on-change';
import type { OpenDraft } from '../drafts/draft-session';
import { OpenDraftSection } from '../drafts/open-draft-section';
import { DraftSendOutcomeView } from '../drafts/send-outcome';
import { useDraftEditor } from '../drafts/use-draft-editor';
import { useDraftSend } from '../drafts/use-draft-send';
import { useRememberedSecret } from '../drafts/use-remembered-secret';
import { useSelectedProfile } from '../profiles/profiles-context';
import { WnsFields } from './wns-form';

export function WnsDraftForm({ open, active, onOpenOutbox }: { open: OpenDraft; active: boolean; onOpenOutbox: () => void }) {
  const profile = useSelectedProfile();
  const editor = useDraftEditor('wns-credentials', { draftId: open.id, profileId: profile?.id });
  const { draft, change } = editor;
  const [secret, setSecret] = useState('');
  const [touched, setTouched] = useState(false);
  const sender = useDraftSend();
  const { operation, outcome, setOutcome } = sender;
  const { appId, packageSid, rememberSecret } = draft.payload;
  const keychain = useRememberedSecret(editor, secret, rememberSecret);

  // An edit clears the last outcome (the secret too, but not its clearing once sent, below).
  useClearOnChange(`${appId}\n${packageSid}`, () => setOutcome(undefined));
  const typeSecret = (value: string) => {
    setSecret(value);
    setOutcome(undefined);
  };

  const appIdError = appId.trim() === '' ? 'Enter the application ID.' : undefined;
  const sidError = packageSidProblem(packageSid);
  // A remembered secret may be left empty: main reads it from the keychain.
  const secretError = secret === '' && keychain.remembered ? undefined : clientSecretProblem(secret);
  const asked = open.askSecret === true && secret === '' && !keychain.remembered;

  const setRemember = (value: boolean) => {
    change((d) => ({ ...d, payload: { ...d.payload, rememberSecret: value } }));
    if (!value) void keychain.forget();
  };

  const send = async () => {
    setTouched(true);
    if (appIdError || sidError || secretError || !profile) return;
    await sender.send({
      profileId: profile.id,
      flush: editor.flush,
      ...(secret !== '' ? { passphrase: secret } : {}),
      retry: () => void send(),
    });
  };

  // Opened to ask for the secret: focus its field once the draft has loaded (the fieldset is disabled until then).
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (open.askSecret && !editor.loading) formRef.current?.querySelector<HTMLInputElement>('[data-testid="wns-draft-secret"]')?.focus();
  }, [open.askSecret, editor.loading]);

  // Sent: the typed secret has done its job and is dropped from this window.
  useEffect(() => {
    if (outcome?.result?.status !== 'sent') return;
    setSecret('');
    setTouched(false);
  }, [outcome]);

  return (
    <OpenDraftSection label="Open draft: WNS credentials" testId="wns-draft" editor={editor} active={active} profile={profile}>
      <form
        ref={formRef}
        className="card"
        aria-label="WNS draft"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <h2>
          WNS credentials{appId.trim() ? <> of <span className="mono"><UntrustedText text={appId} /></span></> : null}
        </h2>
        {asked ? (
          <p className="status warn" role="status" data-testid="wns-draft-ask">
            Enter the client secret to send “{draft.name}”. It is not stored unless you ask below.
          </p>
        ) : null}
        <fieldset className="plain" disabled={operation.running || editor.loading}>
          <Field label="Application ID" error={touched ? appIdError : undefined}>
            {(props) => (
              <AppIdPicker
                fieldProps={props}
                value={appId}
                onChange={(value) => change((d) => ({ ...d, payload: { ...d.payload, appId: value } }))}
                profileId={profile?.id}
                testId="wns-draft-app-id"
              />
            )}
          </Field>
          <WnsFields
            packageSid={packageSid}
            onPackageSid={(value) => change((d) => ({ ...d, payload: { ...d.payload, packageSid: value } }))}
            sidError={touched ? sidError : undefined}
            secret={secret}
            onSecret={typeSecret}
            secretError={touched || asked ? secretError : undefined}
            secretHint={
              keychain.remembered
                ? keychain.storage === 'session'
                  ? 'Remembered for this session only: the OS keychain is not available. Type it to change it.'
                  : 'Remembered in the OS keychain for this draft. Type it to change it.'
                : 'Sent to the server only; not stored unless you ask below.'
            }
            {...(keychain.remembered ? { secretPlaceholder: '•••••••• (remembered)' } : {})}
            testId="wns-draft"
          />
          <label className="check-row">
            <input type="checkbox" checked={rememberSecret} onChange={(e) => setRemember(e.target.checked)} data-testid="wns-draft-remember" />
            Remember the client secret in the OS keychain for this draft
          </label>
        </fieldset>
        {operation.running ? (
          <ProgressBar label="Sending WNS credentials" progress={operation.progress} onCancel={sender.cancel} cancelling={operation.cancelling} />
        ) : (
          <div className="actions">
            <button type="submit" className="button primary" disabled={!profile || editor.loading} data-testid="wns-draft-send" data-menu-action="send">
              Send credentials
            </button>
          </div>
        )}
        <DraftSendOutcomeView
          outcome={outcome}
          onOutcome={setOutcome}
          what="WNS credentials"
          testId="wns-draft-result"
          sent={(result) => (
            <>
              <strong>Sent.</strong> The server said: “<UntrustedText text={result.message} />”
            </>
          )}
          cancelled="Cancelled. The fields are unchanged; send again when ready."
          passphrase={secret}
          onOpenOutbox={onOpenOutbox}
        />
      </form>
    </OpenDraftSection>
  );
}
