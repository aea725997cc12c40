// The one place that turns failures (HTTP statuses, undici and socket errors, fs errors, keychain errors,
// schema errors) into AppError data. Everything that crosses IPC or reaches the CLI goes through toAppError.
import type { AppError, ErrorCode, ErrorReason } from '../../preload/contract';
import { assertNever } from './assert-never';

export { assertNever } from './assert-never';

/** An AppError thrown inside main; handlers catch it and return it as Result data. */
export class EngagementError extends Error {
  readonly appError: AppError;
  constructor(appError: AppError, options?: { cause?: unknown }) {
    super(appError.message, options);
    this.name = 'EngagementError';
    this.appError = appError;
  }
}

export function appError(
  code: ErrorCode,
  message: string,
  extra: { httpStatus?: number; reason?: ErrorReason; detail?: string; retryable?: boolean } = {},
): AppError {
  const result: AppError = { code, message, retryable: extra.retryable ?? isRetryable(code) };
  if (extra.httpStatus !== undefined) result.httpStatus = extra.httpStatus;
  if (extra.reason !== undefined) result.reason = extra.reason;
  if (extra.detail !== undefined) result.detail = extra.detail;
  return result;
}

export function fail(code: ErrorCode, message: string, extra?: Parameters<typeof appError>[2]): never {
  throw new EngagementError(appError(code, message, extra));
}

export function isRetryable(code: ErrorCode): boolean {
  switch (code) {
    case 'server-error':
    case 'network':
    case 'timeout':
    case 'cancelled':
    case 'keychain-unavailable':
      return true;
    case 'auth-missing':
    case 'auth-rejected':
    case 'bad-request':
    case 'client-error':
    case 'tls':
    case 'unexpected-response':
    case 'validation':
    case 'file':
    case 'not-found':
    case 'internal':
      return false;
    default:
      return assertNever(code);
  }
}

/**
 * The server's own message from an error body: `message` of the `{id,message}` house style or of the Foundry
 * envelope `{domain,code,mfcode,message,details}`, else the first line of a text body (HTML is not a message).
 */
export function serverMessageFromBody(body: string, contentType: string | undefined): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  const looksJson = /json/i.test(contentType ?? '') || text.startsWith('{');
  if (looksJson) {
    try {
      const parsed: unknown = JSON.parse(text);
      const found = findMessage(parsed);
      if (found) return found;
    } catch {
      // Not JSON after all: fall through to the text rules.
    }
  }
  if (/html/i.test(contentType ?? '') || /^<(!doctype|html)/i.test(text)) {
    const title = /<title>([^<]{1,200})<\/title>/i.exec(text)?.[1]?.trim();
    return title || undefined;
  }
  const firstLine = text.split(/\r?\n/, 1)[0]?.trim();
  return firstLine ? firstLine.slice(0, 500) : undefined;
}

function findMessage(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ['message', 'description', 'errmsg', 'error_description']) {
    const candidate = record[key];
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
  }
  // Nested envelopes: {"subscriptionResponse":{...,"message":..}}, {"details":{"errmsg":..}}, {"error":{...}}
  for (const nested of Object.values(record)) {
    if (typeof nested === 'object' && nested !== null) {
      const found = findMessage(nested);
      if (found) return found;
    }
  }
  return undefined;
}

/** AppError for a non-2xx HTTP answer. */
export function httpStatusError(status: number, statusText: string, serverMessage: string | undefined): AppError {
  // A servlet container's error page title ("HTTP Status 401 – Unauthorized") only repeats the status line.
  if (serverMessage && new RegExp(`^(HTTP\\s*(Status)?\\s*)?${status}\\b[\\s\\p{P}]*[\\p{L} ]{0,40}$`, 'iu').test(serverMessage)) {
    serverMessage = undefined;
  }
  const said = serverMessage ? `: ${serverMessage}` : '';
  const line = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const extra = { httpStatus: status, ...(serverMessage ? { detail: serverMessage } : {}) };
  if (status === 401 || status === 403) {
    return appError(
      'auth-rejected',
      `The server refused the credentials (${line})${said}. Check the user name, password or API key in the profile.`,
      extra,
    );
  }
  if (status === 400) {
    return appError('bad-request', `The server rejected the request (${line})${said}.`, extra);
  }
  if (status >= 400 && status < 500) {
    const hint = status === 404 ? ' Check the server URL and its context root (for example /vpns).' : '';
    return appError('client-error', `The server answered ${line}${said}.${hint}`, extra);
  }
  if (status >= 500) {
    return appError('server-error', `The server failed to process the request (${line})${said}. Try again later.`, extra);
  }
  return appError('unexpected-response', `The server answered ${line}${said}.`, extra);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);
/** OS/undici codes raised before a connection exists, so before any byte of the request was written. */
export const NOT_SENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
]);

/** The reason a network or timeout failure carries when it tells whether the request left this machine. */
function connectionReason(code: string): { reason: ErrorReason } | Record<string, never> {
  if (NOT_SENT_NETWORK_CODES.has(code)) return { reason: 'connect-failed' };
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { reason: 'connect-timeout' };
  if (code === 'ETIMEDOUT') return { reason: 'socket-timeout' };
  return {};
}

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** A non-empty string field (`code`, `syscall`) of the error or of the first `cause` in its chain that has one. */
function fieldInChain(error: unknown, field: 'code' | 'syscall'): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const value = (current as Record<string, unknown>)[field];
    if (typeof value === 'string' && value !== '') return value;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Map anything thrown to an AppError. Never includes secrets: callers never put secrets into errors. */
export function toAppError(error: unknown, context?: { host?: string; path?: string }): AppError {
  if (error instanceof EngagementError) return error.appError;
  if (isAppError(error)) return error;
  const where = context?.host ? ` ${context.host}` : ' the server';
  const code = fieldInChain(error, 'code');
  const name = error instanceof Error ? error.name : '';

  if (name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') {
    return appError('cancelled', 'Cancelled.');
  }
  if (name === 'ZodError') {
    return appError('validation', `Invalid input: ${describe(error)}`);
  }
  if (code && TIMEOUT_CODES.has(code)) {
    const what =
      code === 'UND_ERR_CONNECT_TIMEOUT'
        ? 'connecting to'
        : code === 'UND_ERR_HEADERS_TIMEOUT'
          ? 'waiting for an answer from'
          : 'waiting for data from';
    return appError('timeout', `Timed out ${what}${where}. Check the network and try again.`, { ...connectionReason(code), detail: code });
  }
  if (code === 'ECONNREFUSED') {
    return appError('network', `Could not connect to${where}: the connection was refused. Is the server running and is the URL right?`, { ...connectionReason(code), detail: code });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return appError('network', `Could not find${where} (DNS lookup failed). Check the host name in the profile.`, { ...connectionReason(code), detail: code });
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
    return appError('network', `The connection to${where} was dropped before the server answered. Check the network and try again.`, { detail: code });
  }
  if (code && NETWORK_CODES.has(code)) {
    return appError('network', `Network error talking to${where} (${code}). Check the connection and try again.`, { ...connectionReason(code), detail: code });
  }
  // A connect that failed with an errno not listed above (Windows reports some as `UNKNOWN`) still failed to reach
  // the server, before any byte was sent: a network error, not an internal one.
  if (code && fieldInChain(error, 'syscall') === 'connect') {
    return appError('network', `Could not connect to${where} (${code}). Check the network and the server URL, then try again.`, {
      reason: 'connect-failed',
      detail: code,
    });
  }
  if (code && (/^ERR_TLS|^ERR_SSL|CERT|^DEPTH_ZERO|^SELF_SIGNED|^UNABLE_TO_/.test(code))) {
    return appError('tls', tlsMessage(code, where), { detail: code });
  }
  if (code === 'ENOENT' && context?.path) {
    return appError('file', `File not found: ${context.path}. It may have been moved or deleted.`, { detail: code });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return appError('file', `Permission denied${context?.path ? `: ${context.path}` : ''}. Choose another location or fix the permissions.`, { detail: code });
  }
  if (code === 'EROFS') {
    return appError('file', `Cannot write ${context?.path ?? 'the file'}: the disk or folder is read-only. Choose another folder.`, { detail: code });
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return appError('file', `There is not enough space on the disk for ${context?.path ?? 'the file'}. Free some space or choose another folder.`, { detail: code });
  }
  if (code === 'EFBIG') {
    return appError('file', `${context?.path ?? 'The file'} is larger than this disk or folder accepts. Choose another folder.`, { detail: code });
  }
  if (code && /^E[A-Z]+$/.test(code) && context?.path) {
    return appError('file', `Could not use ${context.path} (${code}): ${describe(error)}`, { detail: code });
  }
  return appError('internal', `Unexpected error: ${describe(error)}`, code ? { detail: code } : {});
}

/** A certificate problem in the user's words: what is wrong with the server's certificate and what to do. */
function tlsMessage(code: string, where: string): string {
  const why =
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN'
      ? "is not trusted: it is self-signed"
      : code === 'CERT_HAS_EXPIRED'
        ? 'has expired'
        : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? 'was issued for another host name'
          : /^UNABLE_TO_|CERT_UNTRUSTED|CERT_SIGNATURE/.test(code)
            ? 'is not trusted: it is not signed by a known certificate authority'
            : 'could not be verified';
  // What actually works (main/server/server-trust.ts): the app trusts the OS store; the CLI on Node 20 only trusts
  // Node's list plus NODE_EXTRA_CA_CERTS.
  return (
    `The certificate of${where} ${why}, so Engagement Desk did not connect and sent nothing. ` +
    "Ask the server's administrator for a certificate from a trusted certificate authority. If your company uses " +
    "its own authority, add its certificate to the system's trusted certificates (the desktop app trusts them); " +
    'for the command line, set NODE_EXTRA_CA_CERTS to that certificate (a PEM file).'
  );
}

/** A download whose body stopped early: nothing is kept, and the message says how far it got. */
export function downloadCutOff(transferred: number, total: number | undefined, code = 'ECONNRESET'): AppError {
  const expected = total !== undefined ? ` (${total} bytes expected)` : '';
  return appError('network', `The download was cut off before the whole file arrived${expected}. Nothing was saved; try again.`, {
    detail: `${transferred} bytes received (${code})`,
  });
}

function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AppError).code === 'string' &&
    typeof (value as AppError).message === 'string' &&
    typeof (value as AppError).retryable === 'boolean'
  );
}

/** CLI exit codes (issue #2): 0 ok, 2 usage/validation, 3 auth, 4 other 4xx, 5 server, 6 network/TLS/timeout, 1 else. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'validation':
    case 'file':
    case 'not-found':
      return 2;
    // A credential out of reach (keychain locked or absent) is, to a script, a missing one.
    case 'auth-missing':
    case 'auth-rejected':
    case 'keychain-unavailable':
      return 3;
    case 'bad-request':
    case 'client-error':
      return 4;
    case 'server-error':
      return 5;
    case 'network':
    case 'tls':
    case 'timeout':
      return 6;
    case 'cancelled':
    case 'unexpected-response':
    case 'internal':
      return 1;
    default:
      return assertNever(code);
  }
}
