// Base URLs, endpoint paths and the transport warning. A profile's base URL includes any context root
// (https://host:8443/vpns); every API path is appended to it, with ids URL-encoded as opaque strings.
import type { ServerKind } from '../../preload/contract';
import { appError, EngagementError } from './errors';

/**
 * The app id as one URL path segment or query value. Encoding keeps "/", "?", "#" and "%" inside the segment, but
 * "", "." and ".." encode to themselves and would change the path (…/applications/../windows is POST /api/v1/windows),
 * so they throw here whoever calls; the senders refuse every other bad id first (appIdProblem).
 */
function appIdInUrl(appId: string): string {
  if (appId === '' || appId === '.' || appId === '..') {
    throw new EngagementError(appError('validation', `${appIdProblem(appId) ?? 'Enter the application ID.'} Nothing was sent.`));
  }
  return encodeURIComponent(appId);
}

export const API_PATHS = {
  windowsCertificate: (appId: string) => `/api/v1/applications/${appIdInUrl(appId)}/windows`,
  downloadWindowsCertificate: (appId: string) => `/api/v1/applications/downloadwindowscert?appId=${appIdInUrl(appId)}`,
  passImportUpdate: () => '/api/v1/message/pass/import/update',
  healthCheck: () => '/api/v1/healthcheck/json',
} as const;

/** Real application IDs are about 20 characters (20096-6548262167); a longer one is a paste of something else. */
export const MAX_APP_ID_LENGTH = 100;

const APP_ID_RULE =
  'Application IDs have only letters, digits, "-", "_" and "." ' +
  "(for example 20096-6548262167): copy the ID from the app's page in the Engagement console.";

/** The ID as a message shows it: control characters escaped, a long paste cut short. */
function shownAppId(appId: string): string {
  // eslint-disable-next-line no-control-regex
  const inert = appId.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return inert.length > 40 ? `${inert.slice(0, 40)}…` : inert;
}

/**
 * Why an application ID cannot be right, or undefined. The docs type it "alphanumeric" and real ones look like
 * 20096-6548262167 or AppForAll1. The ID is one segment of the upload's URL path, so anything else would reach
 * another endpoint: "." or ".." (…/applications/../windows is POST /api/v1/windows), a slash, "?", "#" or "%";
 * a space or a non-ASCII letter is a paste mistake that would reach the server as an unknown app.
 */
export function appIdProblem(appId: string): string | undefined {
  if (appId === '') return 'Enter the application ID.';
  if (appId.length > MAX_APP_ID_LENGTH) {
    return `The application ID "${shownAppId(appId)}" is ${appId.length.toLocaleString('en')} characters long; application IDs have at most ${MAX_APP_ID_LENGTH}. ${APP_ID_RULE}`;
  }
  if (appId === '.' || appId === '..') {
    return `The application ID "${appId}" is not an ID: in a URL it names a folder, so the request would go to another endpoint. ${APP_ID_RULE}`;
  }
  const bad = [...appId].find((ch) => !/[A-Za-z0-9._-]/.test(ch));
  if (bad === undefined) return undefined;
  const code = bad.codePointAt(0) ?? 0;
  const what = /\s/.test(bad) && code >= 0x20
    ? 'a space'
    : bad === '/' || bad === '\\'
      ? `a slash (${bad})`
      : code < 0x20 || (code >= 0x7f && code <= 0x9f)
        ? `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`
        : code > 0x7e
          ? `"${bad}", which is not a plain ASCII letter`
          : `"${bad}"`;
  return `The application ID "${shownAppId(appId)}" contains ${what}. ${APP_ID_RULE}`;
}

/** How a send's endpoint is named in the history, with the app id as a placeholder. */
export const ENDPOINT_LABELS = {
  'cert-upload': 'POST /api/v1/applications/{appId}/windows',
  'pass-update': `POST ${API_PATHS.passImportUpdate()}`,
} as const;

export const DEFAULT_LOGIN_PATH = '/authService/accounts/login';

/** Parses and normalises a profile's base URL, or throws a validation error that says what to fix. */
export function normaliseBaseUrl(raw: string): string {
  const text = raw.trim();
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) && /^[^\s/:]+(:\d+)?(\/|$)/.test(text)) {
    throw new EngagementError(
      appError('validation', `"${text}" has no http:// or https:// at the start. Enter the full server URL, for example https://${text}.`),
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EngagementError(
      appError('validation', `"${text}" is not a URL. Enter the server address, for example https://host:8443/vpns.`),
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EngagementError(appError('validation', `The server URL must start with http:// or https:// (got ${url.protocol}).`));
  }
  if (url.username || url.password) {
    throw new EngagementError(
      appError('validation', 'Do not put credentials in the server URL; enter them in the profile, where they go to the keychain.'),
    );
  }
  if (url.search || url.hash) {
    throw new EngagementError(appError('validation', 'The server URL must not have a query (?) or fragment (#).'));
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return `${url.origin}${path}`;
}

/**
 * Parses a configured claims-token login URL, or throws a validation error that names the problem. The password is
 * posted to it, so it may carry no user name or password of its own and no query (an `?apikey=` would sit in plain
 * config.json and in every log that shows the URL).
 */
export function normaliseLoginUrl(raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EngagementError(
      appError('validation', `The login URL "${shownUrl(text)}" is not a URL. Enter it in full, for example https://accounts.auth.voltmxcloud.com/login.`),
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EngagementError(appError('validation', `The login URL must start with https:// (got ${url.protocol}).`));
  }
  if (url.username || url.password) {
    throw new EngagementError(
      appError('validation', 'The login URL contains a user name or password (user:password@host). Remove it: the password goes to the keychain, the user name to the profile.'),
    );
  }
  if (url.search || url.hash) {
    throw new EngagementError(
      appError('validation', 'The login URL has a query (?…) or fragment (#…). Remove it: a key in the URL would be saved in plain text; the login needs only the address.'),
    );
  }
  return url.toString();
}

/** A URL as a message shows it: never its user-info (a password typed into it), cut short. */
function shownUrl(text: string): string {
  const cut = text.replace(/\/\/[^/@\s]*@/, '//…@');
  return cut.length > 100 ? `${cut.slice(0, 100)}…` : cut;
}

/**
 * Why a URL that credentials travel to needs the user's confirmation, or undefined: plain http to anything but
 * this machine sends the password or token readable by anyone on the way.
 */
export function plainHttpProblem(url: string, what: 'server URL' | 'login URL'): string | undefined {
  if (!isInsecureTransport(url)) return undefined;
  return `The ${what} ${shownUrl(url)} uses plain http: the credentials would cross the network unencrypted. Use https://, or confirm plain http (the app's "Allow plain http" box, the CLI's --allow-http).`;
}

export function endpointUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/** The cloud identity services (engagement-api.md section E, decision 8): a cloud tenant logs in there, not on its own host. */
export const CLOUD_LOGIN_URLS: Record<Exclude<ServerKind, 'on-premises'>, string> = {
  'voltmx-cloud': 'https://accounts.auth.voltmxcloud.com/login',
  'kony-cloud': 'https://accounts.auth.konycloud.com/login',
};


/** The context roots real on-premises servers use: Volt MX /vpns, Kony era /kpns; cloud tenants use none. */
export const KNOWN_CONTEXT_ROOTS = ['/vpns', '/kpns', ''] as const;

/** The kind of server a base URL names: a host under *.messaging.voltmxcloud.com or *.messaging.konycloud.com is a
 * cloud tenant, anything else is on-premises. */
export function serverKindOf(baseUrl: string): ServerKind {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return 'on-premises';
  }
  if (host.endsWith('.messaging.voltmxcloud.com')) return 'voltmx-cloud';
  if (host.endsWith('.messaging.konycloud.com')) return 'kony-cloud';
  return 'on-premises';
}

/** The kind as the profile form and the CLI name it, with the context root of an on-premises server. */
export function serverKindLabel(baseUrl: string): string {
  const kind = serverKindOf(baseUrl);
  if (kind === 'voltmx-cloud') return 'Volt MX Cloud';
  if (kind === 'kony-cloud') return 'Kony Cloud';
  let root = '';
  try {
    root = new URL(baseUrl).pathname.replace(/\/+$/, '');
  } catch {
    // An unparsable URL is refused when saved; here it is only labelled.
  }
  return `On-premises (${root === '' ? 'no context root' : root})`;
}

/** The claims-token login URL: a configured one, else the cloud identity service for a cloud tenant, else the
 * Foundry identity path on the server's origin. */
export function loginUrlFor(baseUrl: string, configured?: string): string {
  if (configured && configured.trim() !== '') return configured.trim();
  const kind = serverKindOf(baseUrl);
  if (kind !== 'on-premises') return CLOUD_LOGIN_URLS[kind];
  return `${new URL(baseUrl).origin}${DEFAULT_LOGIN_PATH}`;
}

/** True when credentials would cross the network in clear text (loopback is exempt: it never leaves the host). */
export function isInsecureTransport(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:') return false;
    return !isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
