// Add, edit, remove and test server profiles. The secret is write-only: the page only ever learns whether one
// is stored and where (keychain or this session only).
import { useEffect, useId, useRef, useState } from 'react';
import { AUTH_MODES, type AuthMode, type ProfileView } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { Field } from '../../components/field';
import { SecretInput } from '../../components/secret-input';
import { UntrustedText } from '../../components/untrusted-text';
import { useProfiles } from './profiles-context';
import {
  defaultHeadersFor,
  draftFromView,
  draftToInput,
  serverSummary,
  emptyDraft,
  isInsecureUrl,
  sameDraft,
  secretNeededFor,
  type DraftErrors,
  type ProfileDraft,
} from './profile-draft';
import './profiles.css';

const AUTH_LABELS: Record<AuthMode, string> = {
  basic: 'User name and password (HTTP Basic)',
  token: 'Foundry identity login (claims token)',
  apikey: 'App API key',
};

export interface ProfileFocusRequest {
  profileId: string | undefined;
  /** Changes on every request, so asking twice for the same profile focuses again. */
  nonce: number;
}

export function ProfilesPage({ focusRequest }: { focusRequest: ProfileFocusRequest | undefined }) {
  const { profiles, refresh, select, selected, loaded } = useProfiles();
  const [editingId, setEditingId] = useState<string | undefined>(undefined);
  const [creating, setCreating] = useState(false);
  // Saving a new profile remounts the editor under its new id; the "Saved." notice must survive that.
  const [notice, setNotice] = useState<{ profileId: string; text: string } | undefined>(undefined);

  const editing = creating ? undefined : (profiles.find((p) => p.id === editingId) ?? selected);

  useEffect(() => {
    if (!focusRequest) return;
    setCreating(false);
    if (focusRequest.profileId) setEditingId(focusRequest.profileId);
  }, [focusRequest]);

  return (
    <div className="page profiles-page">
      <header className="page-header">
        <h1>Profiles</h1>
        <p className="page-intro">
          Each profile is one Engagement server and how to sign in to it. Secrets go to the OS keychain, never to a
          file.
        </p>
      </header>
      <div className="profiles-layout">
        <nav className="profile-list" aria-label="Saved profiles">
          <ul>
            {profiles.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className={`profile-item${!creating && editing?.id === p.id ? ' current' : ''}`}
                  aria-current={!creating && editing?.id === p.id ? 'true' : undefined}
                  onClick={() => {
                    setCreating(false);
                    setNotice(undefined);
                    setEditingId(p.id);
                  }}
                >
                  <span className="profile-item-name">
                    {p.name}
                    {p.builtIn ? <span className="badge">built-in</span> : null}
                    {p.id === selected?.id ? <span className="badge accent">in use</span> : null}
                  </span>
                  <span className="profile-item-url">{p.baseUrl}</span>
                </button>
              </li>
            ))}
          </ul>
          {loaded && profiles.length === 0 ? <p className="muted">No profiles yet.</p> : null}
          <button
            type="button" data-menu-action="new-profile"
            className="button primary full"
            onClick={() => {
              setCreating(true);
              setEditingId(undefined);
            }}
          >
            New profile
          </button>
        </nav>
        <ProfileEditor
          key={creating ? 'new' : (editing?.id ?? 'none')}
          view={editing}
          focusSecret={focusRequest && !creating && focusRequest.profileId === editing?.id ? focusRequest.nonce : undefined}
          notice={notice && notice.profileId === editing?.id && !creating ? notice.text : undefined}
          onSaved={async (view, text) => {
            setNotice({ profileId: view.id, text });
            await refresh();
            setCreating(false);
            setEditingId(view.id);
            if (!selected || selected.builtIn) select(view.id);
          }}
          onRemoved={async () => {
            await refresh();
            setEditingId(undefined);
          }}
          onUse={(id) => select(id)}
          inUse={editing !== undefined && editing.id === selected?.id}
        />
      </div>
    </div>
  );
}

function ProfileEditor({
  view,
  notice,
  focusSecret,
  onSaved,
  onRemoved,
  onUse,
  inUse,
}: {
  view: ProfileView | undefined;
  notice: string | undefined;
  focusSecret: number | undefined;
  onSaved: (view: ProfileView, notice: string) => Promise<void>;
  onRemoved: () => Promise<void>;
  onUse: (id: string) => void;
  inUse: boolean;
}) {
  const reportError = useReportError();
  const baseline = view ? draftFromView(view) : emptyDraft();
  const [draft, setDraft] = useState<ProfileDraft>(baseline);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState<'save' | 'test' | 'remove' | undefined>(undefined);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [status, setStatus] = useState<{ tone: 'ok' | 'info' | 'warn' | 'error'; text: string; suggestedBaseUrl?: string } | undefined>(
    notice ? { tone: 'ok', text: notice } : undefined,
  );
  const secretRef = useRef<HTMLInputElement>(null);
  const formId = useId();

  useEffect(() => {
    if (focusSecret !== undefined) secretRef.current?.focus();
  }, [focusSecret]);

  const readOnly = view?.builtIn === true;
  const dirty = !sameDraft(draft, baseline);
  const { errors } = draftToInput(draft);
  const shownErrors: DraftErrors = touched ? errors : {};
  const update = (patch: Partial<ProfileDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus(undefined);
  };
  const urlEdited = draft.baseUrl !== baseline.baseUrl;
  const insecure = urlEdited || !view ? isInsecureUrl(draft.baseUrl) : view.insecureTransport;
  const summary = serverSummary(draft);

  const secretNeeded = view ? secretNeededFor(draft, view) : undefined;

  const save = async () => {
    setTouched(true);
    const { input } = draftToInput(draft);
    if (!input) return;
    if (secretNeeded) {
      secretRef.current?.focus();
      return;
    }
    setBusy('save');
    const request = draft.secret !== '' ? { profile: input, secret: draft.secret } : { profile: input };
    const result = await api.profileSave(request);
    setBusy(undefined);
    if (!result.ok) {
      reportError(result.error, () => void save(), view ? { profileId: view.id } : undefined);
      return;
    }
    const text =
      result.value.secretStorage === 'session'
        ? 'Saved. The keychain is unavailable, so the secret is kept for this session only.'
        : 'Saved.';
    setDraft(draftFromView(result.value));
    setTouched(false);
    setStatus({ tone: 'ok', text });
    await onSaved(result.value, text);
  };

  const test = async () => {
    if (!view) return;
    setBusy('test');
    setStatus({ tone: 'info', text: `Connecting to ${view.baseUrl}…` });
    const result = await api.profileTest({ id: view.id });
    setBusy(undefined);
    if (!result.ok) {
      // Beside the button that asked, like its success (issue #21); pressing it again retries.
      setStatus({ tone: 'error', text: `Not connected: ${result.error.message}` });
      return;
    }
    const { suggestedBaseUrl } = result.value;
    setStatus(
      suggestedBaseUrl
        ? { tone: 'warn', text: result.value.message, suggestedBaseUrl }
        : { tone: 'ok', text: `Connected in ${result.value.latencyMs} ms: ${result.value.message}` },
    );
  };

  /** Puts the context root the test found into the form; saving it is the user's choice. */
  const applySuggestedUrl = (baseUrl: string) => {
    update({ baseUrl });
  };

  const remove = async () => {
    if (!view) return;
    setBusy('remove');
    const result = await api.profileRemove({ id: view.id });
    setBusy(undefined);
    setConfirmRemove(false);
    if (!result.ok) {
      reportError(result.error, () => void remove(), { profileId: view.id });
      return;
    }
    await onRemoved();
  };

  const secretLabel = draft.authMode === 'apikey' ? 'App API key' : 'Password';
  const storage = view?.hasSecret ? view.secretStorage : 'none';
  const defaults = defaultHeadersFor(draft.authMode);

  return (
    <form
      className="card profile-editor"
      aria-labelledby={`${formId}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      noValidate
    >
      <div className="card-title-row">
        <h2 id={`${formId}-title`}>{view ? view.name : 'New profile'}</h2>
        {view && !inUse ? (
          <button type="button" className="button ghost" onClick={() => onUse(view.id)}>
            Use this profile
          </button>
        ) : null}
      </div>
      {readOnly ? (
        <p className="note">
          The built-in Sandbox talks to an emulator running inside Engagement Desk. Use it to try every flow without a
          real server; it cannot be edited or removed.
        </p>
      ) : null}
      <fieldset disabled={readOnly || busy === 'save'} className="plain">
        <Field label="Name" error={shownErrors.name}>
          {(props) => (
            <input {...props} value={draft.name} onChange={(e) => update({ name: e.target.value })} autoComplete="off" />
          )}
        </Field>
        <Field
          label="Server URL"
          hint="Volt MX Cloud: https://tenant.messaging.voltmxcloud.com · Kony Cloud: https://tenant.messaging.konycloud.com · on-premises: include the context root, https://host:8443/vpns or /kpns"
          error={shownErrors.baseUrl}
        >
          {(props) => (
            <input
              {...props}
              type="url"
              value={draft.baseUrl}
              onChange={(e) => update({ baseUrl: e.target.value })}
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
        {summary && !readOnly ? (
          <p className="muted small" data-testid="server-kind">
            Server: {summary.kind}
            {summary.loginUrl ? <> · logs in at <code data-testid="login-url-in-use">{summary.loginUrl}</code></> : null}
          </p>
        ) : null}
        {(insecure || (summary?.loginUrl !== undefined && isInsecureUrl(summary.loginUrl))) && !readOnly ? (
          <div className="inline-warning" role="status" data-testid="insecure-warning">
            <p>
              This profile uses plain http: the {secretLabel.toLowerCase()} would travel unencrypted. Use https unless
              the server is on a trusted network.
            </p>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={draft.allowHttp}
                onChange={(e) => update({ allowHttp: e.target.checked })}
                data-testid="allow-http"
              />{' '}
              Allow plain http (insecure)
            </label>
          </div>
        ) : null}
        <Field label="Sign-in method">
          {(props) => (
            <select
              {...props}
              value={draft.authMode}
              onChange={(e) => update({ authMode: e.target.value as AuthMode, tokenHeaders: '' })}
            >
              {AUTH_MODES.map((mode) => (
                <option key={mode} value={mode}>
                  {AUTH_LABELS[mode]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {draft.authMode !== 'apikey' ? (
          <Field label="User name" error={shownErrors.username}>
            {(props) => (
              <input
                {...props}
                value={draft.username}
                onChange={(e) => update({ username: e.target.value })}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
        ) : null}
        <Field
          label={secretLabel}
          hint={
            storage === 'keychain'
              ? 'Stored in the keychain. Type a new one to replace it, or leave empty to keep it.'
              : storage === 'session'
                ? 'Kept for this session only: the keychain is unavailable.'
                : storage === 'built-in'
                  ? `Built in: the Sandbox's emulator runs inside Engagement Desk and signs in with its own ${secretLabel.toLowerCase()}, so there is nothing to type or store.`
                  : 'Not stored yet: type it and Save to keep it in the keychain.'
          }
          error={shownErrors.secret ?? secretNeeded}
        >
          {(props) => (
            <SecretInput
              {...props}
              what={draft.authMode === 'apikey' ? 'App API key' : 'password'}
              ref={secretRef}
              value={draft.secret}
              placeholder={storage === 'keychain' ? '•••••••• stored in the keychain' : storage === 'session' ? '•••••••• kept for this session only' : storage === 'built-in' ? 'built in' : ''}
              onChange={(e) => update({ secret: e.target.value })}
              autoComplete="new-password"
              data-testid="profile-secret"
            />
          )}
        </Field>
        {draft.authMode !== 'basic' ? (
          <Field
            label={draft.authMode === 'apikey' ? 'API key header names' : 'Token header names'}
            hint={`Comma-separated. Empty sends the default: ${defaults.join(', ')}`}
            error={shownErrors.tokenHeaders}
          >
            {(props) => (
              <input
                {...props}
                value={draft.tokenHeaders}
                placeholder={defaults.join(', ')}
                onChange={(e) => update({ tokenHeaders: e.target.value })}
                spellCheck={false}
              />
            )}
          </Field>
        ) : null}
        {draft.authMode === 'token' ? (
          <Field
            label="Login URL"
            hint="Empty uses the cloud's identity service (accounts.auth.voltmxcloud.com/login or accounts.auth.konycloud.com/login) for a cloud server, else <server origin>/authService/accounts/login"
            error={shownErrors.loginUrl}
          >
            {(props) => (
              <input
                {...props}
                type="url"
                value={draft.loginUrl}
                onChange={(e) => update({ loginUrl: e.target.value })}
                spellCheck={false}
              />
            )}
          </Field>
        ) : null}
      </fieldset>
      <div className="actions">
        {!readOnly ? (
          <button type="submit" className="button primary" disabled={busy !== undefined || (!dirty && view !== undefined)}>
            {busy === 'save' ? 'Saving…' : view ? 'Save changes' : 'Save profile'}
          </button>
        ) : null}
        {view ? (
          <button
            type="button"
            className="button"
            onClick={() => void test()}
            disabled={busy !== undefined} data-menu-action="test-connection"
            title={dirty ? 'Tests the saved settings: save your changes first' : undefined}
          >
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
        ) : null}
        {view && !readOnly ? (
          confirmRemove ? (
            <span className="confirm">
              <span>Remove “{view.name}” and its stored secret?</span>
              <button type="button" className="button danger" onClick={() => void remove()} disabled={busy !== undefined}>
                Remove
              </button>
              <button type="button" className="button ghost" onClick={() => setConfirmRemove(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="button ghost danger-text push-right" onClick={() => setConfirmRemove(true)}>
              Remove profile…
            </button>
          )
        ) : null}
      </div>
      {dirty && view && !readOnly ? <p className="muted small">Unsaved changes.</p> : null}
      {status ? (
        <p className={`status ${status.tone}`} role={status.tone === 'error' ? 'alert' : 'status'} data-testid="profile-status">
          <UntrustedText text={status.text} />
          {status.suggestedBaseUrl && !readOnly ? (
            <>
              {' '}
              <button
                type="button"
                className="button"
                onClick={() => applySuggestedUrl(status.suggestedBaseUrl ?? '')}
                data-testid="use-suggested-url"
              >
                Use {status.suggestedBaseUrl}
              </button>
            </>
          ) : null}
        </p>
      ) : null}
    </form>
  );
}
