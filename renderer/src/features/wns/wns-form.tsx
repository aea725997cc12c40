// WNS credentials of one app: the Package SID and client secret, checked here first (the shape of the SID, a
// secret that is not empty), sent once, then tested by the server. The secret lives only in this form's state
// until it is sent; it is cleared after and never shown back. The send has progress and Cancel, and with the server
// unreachable it waits in the Outbox (the secret held in main's memory only), which the answer says.
import { useState } from 'react';
import type { AdminMessage, WnsSetResult } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { Field } from '../../components/field';
import { SecretInput } from '../../components/secret-input';
import { ProgressBar } from '../../components/progress-bar';
import { useOperation } from '../../lib/use-operation';
import { UntrustedText } from '../../components/untrusted-text';
import { clientSecretProblem, packageSidProblem } from '../../../../main/core/admin-answers';

export function WnsForm({ profileId, appId, packageSid: current, onChanged }: { profileId: string; appId: string; packageSid?: string; onChanged: () => void }) {
  const reportError = useReportError();
  const [packageSid, setPackageSid] = useState(current ?? '');
  const [secret, setSecret] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<AdminMessage | WnsSetResult | undefined>(undefined);
  const operation = useOperation();

  const sidError = packageSidProblem(packageSid);
  const secretError = clientSecretProblem(secret);

  const save = async () => {
    setTouched(true);
    if (sidError || secretError) return;
    setBusy(true);
    setAnswer(undefined);
    const result = await operation.run((operationId) => api.wnsSet({ profileId, appId, packageSid: packageSid.trim(), clientSecret: secret, operationId }));
    setBusy(false);
    if (!result.ok) {
      reportError(result.error, () => void save(), { profileId });
      return;
    }
    setSecret('');
    setTouched(false);
    setAnswer(result.value);
    onChanged();
  };

  const test = async () => {
    setBusy(true);
    setAnswer(undefined);
    const result = await api.wnsTest({ profileId, appId });
    setBusy(false);
    if (result.ok) setAnswer(result.value);
    else reportError(result.error, () => void test(), { profileId });
  };

  return (
    <form
      className="card"
      aria-label="WNS credentials"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h3>WNS credentials</h3>
      <fieldset className="plain" disabled={busy}>
        <WnsFields
          packageSid={packageSid}
          onPackageSid={setPackageSid}
          sidError={touched ? sidError : undefined}
          secret={secret}
          onSecret={setSecret}
          secretError={touched ? secretError : undefined}
          secretHint="Sent to the server only; never kept by Engagement Desk."
          testId="wns"
        />
      </fieldset>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy} data-testid="wns-save">
          Save credentials
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void test()} data-testid="wns-test">
          Test
        </button>
      </div>
      {operation.running ? (
        <ProgressBar label="Sending WNS credentials" progress={operation.progress} onCancel={() => void operation.cancel()} cancelling={operation.cancelling} />
      ) : null}
      {answer ? (
        <p className={`status ${'queued' in answer && answer.queued ? 'warn' : 'ok'}`} role="status" data-testid="wns-result">
          <UntrustedText text={answer.message} />
        </p>
      ) : null}
    </form>
  );
}

/** The Package SID and client secret fields, shared by the app's form and a WNS credentials draft's form. */
export function WnsFields({
  packageSid,
  onPackageSid,
  sidError,
  secret,
  onSecret,
  secretError,
  secretHint,
  secretPlaceholder,
  testId,
}: {
  packageSid: string;
  onPackageSid: (value: string) => void;
  sidError: string | undefined;
  secret: string;
  onSecret: (value: string) => void;
  secretError: string | undefined;
  secretHint: string;
  secretPlaceholder?: string;
  /** Prefix of the fields' test ids: `${testId}-sid`, `${testId}-secret`. */
  testId: string;
}) {
  return (
    <>
      <Field label="Package SID" hint="For example ms-app://s-1-15-2-…" error={sidError}>
        {(props) => <input {...props} value={packageSid} onChange={(e) => onPackageSid(e.target.value)} spellCheck={false} autoComplete="off" data-testid={`${testId}-sid`} />}
      </Field>
      <Field label="Client secret" hint={secretHint} error={secretError}>
        {(props) => (
          <SecretInput
            {...props}
            what="client secret"
            value={secret}
            placeholder={secretPlaceholder ?? ''}
            onChange={(e) => onSecret(e.target.value)}
            data-testid={`${testId}-secret`}
          />
        )}
      </Field>
    </>
  );
}
