// The profile editor's form state and its mapping to the contract's ProfileInput (pure, unit-tested).
import {
  DEFAULT_API_KEY_HEADERS,
  DEFAULT_TOKEN_HEADERS,
  profileInputSchema,
  type AuthMode,
  type ProfileInput,
  type ProfileView,
} from '../../../../preload/contract';
import { isInsecureTransport, loginUrlFor, serverKindLabel } from '../../../../main/core/server-url';

export interface ProfileDraft {
  id?: string;
  name: string;
  baseUrl: string;
  authMode: AuthMode;
  username: string;
  /** Comma-separated header names; empty means the defaults for the auth mode. */
  tokenHeaders: string;
  loginUrl: string;
  /** The user confirmed plain http to a server off this machine. */
  allowHttp: boolean;
  /** Write-only: empty keeps whatever secret is stored. */
  secret: string;
}

export function emptyDraft(): ProfileDraft {
  return { name: '', baseUrl: 'https://', authMode: 'basic', username: '', tokenHeaders: '', loginUrl: '', allowHttp: false, secret: '' };
}

export function defaultHeadersFor(mode: AuthMode): readonly string[] {
  return mode === 'apikey' ? DEFAULT_API_KEY_HEADERS : mode === 'token' ? DEFAULT_TOKEN_HEADERS : [];
}

export function draftFromView(view: ProfileView): ProfileDraft {
  const defaults = defaultHeadersFor(view.authMode);
  const same = view.tokenHeaders.length === defaults.length && view.tokenHeaders.every((h, i) => h === defaults[i]);
  return {
    id: view.id,
    name: view.name,
    baseUrl: view.baseUrl,
    authMode: view.authMode,
    username: view.username ?? '',
    tokenHeaders: same || view.authMode === 'basic' ? '' : view.tokenHeaders.join(', '),
    loginUrl: view.loginUrl ?? '',
    allowHttp: view.allowHttp === true,
    secret: '',
  };
}

export function sameDraft(a: ProfileDraft, b: ProfileDraft): boolean {
  return (
    a.name === b.name &&
    a.baseUrl === b.baseUrl &&
    a.authMode === b.authMode &&
    a.username === b.username &&
    a.tokenHeaders === b.tokenHeaders &&
    a.loginUrl === b.loginUrl &&
    a.allowHttp === b.allowHttp &&
    a.secret === b.secret
  );
}

export type DraftErrors = Partial<Record<keyof ProfileInput | 'secret', string>>;

/** The ProfileInput to save, or the message per field that stops it. */
export function draftToInput(draft: ProfileDraft): { input?: ProfileInput; errors: DraftErrors } {
  const headers = draft.tokenHeaders
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  const candidate: ProfileInput = {
    name: draft.name,
    baseUrl: draft.baseUrl,
    authMode: draft.authMode,
  };
  if (draft.id) candidate.id = draft.id;
  if (draft.authMode !== 'apikey' && draft.username.trim() !== '') candidate.username = draft.username;
  if (draft.authMode !== 'basic' && headers.length > 0) candidate.tokenHeaders = headers;
  if (draft.authMode === 'token' && draft.loginUrl.trim() !== '') candidate.loginUrl = draft.loginUrl;
  if (draft.allowHttp) candidate.allowHttp = true;

  const errors: DraftErrors = {};
  const parsed = profileInputSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof ProfileInput | undefined;
      if (key && !errors[key]) errors[key] = issue.message;
    }
  }
  const url = urlProblem(draft.baseUrl);
  if (url && !errors.baseUrl) errors.baseUrl = url;
  if (draft.authMode === 'token' && draft.loginUrl.trim() !== '') {
    const login = urlProblem(draft.loginUrl);
    if (login && !errors.loginUrl) errors.loginUrl = login;
  }
  if (!draft.allowHttp && !errors.baseUrl && isInsecureUrl(draft.baseUrl)) {
    errors.baseUrl = 'This URL uses plain http: credentials would cross the network unencrypted. Use https://, or tick "Allow plain http".';
  }
  if (!draft.allowHttp && draft.authMode === 'token' && !errors.loginUrl && !errors.baseUrl && isInsecureUrl(loginUrlFor(draft.baseUrl.trim(), draft.loginUrl))) {
    errors.loginUrl = 'This login URL uses plain http: the password would cross the network unencrypted. Use https://, or tick "Allow plain http".';
  }
  if (draft.authMode !== 'apikey' && draft.username.trim() === '' && !errors.username) {
    errors.username = 'Enter the user name.';
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { input: parsed.success ? parsed.data : candidate, errors };
}

function urlProblem(text: string): string | undefined {
  const value = text.trim();
  if (value === '' || value === 'https://' || value === 'http://') return 'Enter the server URL, for example https://host:8443/vpns.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'This is not a URL. Example: https://host:8443/vpns';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Use an http:// or https:// URL.';
  if (url.username || url.password) return 'Leave out user:password@: the user name has its own field and the password goes to the keychain.';
  if (url.search || url.hash) return 'Leave out ?query and #fragment: the app adds the API paths itself.';
  return undefined;
}

/** What the form shows while the URL is typed: the kind of server and, for tokens, where the login goes. */
export function serverSummary(draft: ProfileDraft): { kind: string; loginUrl?: string } | undefined {
  const base = draft.baseUrl.trim();
  if (urlProblem(base) !== undefined) return undefined;
  const login = draft.loginUrl.trim();
  let loginUrl: string | undefined;
  if (draft.authMode === 'token') {
    try {
      loginUrl = loginUrlFor(base, login !== '' && urlProblem(login) === undefined ? login : undefined);
    } catch {
      loginUrl = undefined;
    }
  }
  return { kind: serverKindLabel(base), ...(loginUrl ? { loginUrl } : {}) };
}

/** Live version of ProfileView.insecureTransport while the URL is being typed (same rule as main's). */
export function isInsecureUrl(text: string): boolean {
  return isInsecureTransport(text.trim());
}

/**
 * Why the stored secret must be typed again before this edit can be saved, or undefined: a secret goes only to the
 * server origin (and, for claims tokens, the login URL) it was entered for, and main refuses the edit otherwise.
 */
export function secretNeededFor(draft: ProfileDraft, saved: ProfileView): string | undefined {
  if (!saved.hasSecret || saved.builtIn || draft.secret !== '') return undefined;
  const what = draft.authMode === 'apikey' ? 'App API key' : 'password';
  const origin = originOf(draft.baseUrl);
  if (origin === undefined) return undefined; // the URL field says what is wrong with it
  if (origin !== originOf(saved.baseUrl)) {
    return `The server changes to ${origin}: enter the ${what} again. A ${what} is sent only to the server it was entered for.`;
  }
  if (draft.authMode === 'token') {
    const login = draft.loginUrl.trim();
    if (login !== '' && originOf(login) === undefined) return undefined; // the login URL field says what is wrong
    // Compared as main stores them (URL-normalised), with the default login URL spelt out.
    const next = new URL(loginUrlFor(draft.baseUrl, login)).toString();
    if (next !== new URL(loginUrlFor(saved.baseUrl, saved.loginUrl)).toString()) {
      return `The login URL changes to ${next}: enter the ${what} again. A ${what} is sent only where it was entered for.`;
    }
  }
  return undefined;
}

function originOf(text: string): string | undefined {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
