// Base URLs, endpoint paths and the transport warning. A profile's base URL includes any context root
// (https://host:8443/vpns); every API path is appended to it, with ids URL-encoded as opaque strings.
import { appError, EngagementError } from './errors';

export const API_PATHS = {
  windowsCertificate: (appId: string) => `/api/v1/applications/${encodeURIComponent(appId)}/windows`,
  downloadWindowsCertificate: (appId: string) =>
    `/api/v1/applications/downloadwindowscert?appId=${encodeURIComponent(appId)}`,
  passImportUpdate: () => '/api/v1/message/pass/import/update',
  healthCheck: () => '/api/v1/healthcheck/json',
} as const;

/**
 * Why an application ID cannot be right, or undefined. The docs type it "alphanumeric" and real ones look like
 * 20096-6548262167 or AppForAll1; a space, a slash or a non-ASCII letter is a paste mistake that would otherwise
 * reach the server as a different path or an unknown app.
 */
export function appIdProblem(appId: string): string | undefined {
  const bad = [...appId].find((ch) => !/[A-Za-z0-9._-]/.test(ch));
  if (bad === undefined) return undefined;
  const what = /\s/.test(bad)
    ? 'a space'
    : bad === '/' || bad === '\\'
      ? `a slash (${bad})`
      : bad.charCodeAt(0) > 0x7e
        ? `"${bad}", which is not a plain ASCII letter`
        : `"${bad}"`;
  return (
    `The application ID "${appId}" contains ${what}. Application IDs have only letters, digits, "-", "_" and "." ` +
    "(for example 20096-6548262167): copy the ID from the app's page in the Engagement console."
  );
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

export function endpointUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/** The claims-token login URL: a configured one, else the Foundry identity path on the server's origin. */
export function loginUrlFor(baseUrl: string, configured?: string): string {
  if (configured && configured.trim() !== '') return configured.trim();
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
