// Reading the server's answers: one header value, a bounded body, and the AppError a non-2xx answer stands for.
import type { Dispatcher } from 'undici';
import { appError, httpStatusError, serverMessageFromBody } from '../core/errors';

/** Error answers are read up to this much (enough for any server message). */
export const MAX_ERROR_BODY = 64 * 1024;
/** JSON answers are read up to this much. */
export const MAX_JSON_BODY = 1024 * 1024;

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The body as UTF-8, cut at `limit` bytes (the rest is not read: the connection is closed instead). */
export async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size > limit) {
      body.destroy();
      break;
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function statusErrorOf(statusCode: number, headers: Dispatcher.ResponseData['headers'], text: string): ReturnType<typeof httpStatusError> {
  if (statusCode >= 300 && statusCode < 400) {
    const location = headerValue(headers.location) ?? '(no location)';
    return appError(
      'unexpected-response',
      `The server redirected to ${location}. Engagement Desk does not follow redirects with your credentials; update the profile's URL to the final address.`,
      { httpStatus: statusCode },
    );
  }
  const said = serverMessageFromBody(text, headerValue(headers['content-type']));
  if (statusCode !== 401 && statusCode !== 403 && statusCode >= 400 && isAuthenticationFailure(said)) {
    return appError(
      'auth-rejected',
      `The server refused the credentials (HTTP ${statusCode}): ${said}. Check the user name, password or API key in the profile.`,
      { httpStatus: statusCode, ...(said ? { detail: said } : {}) },
    );
  }
  return httpStatusError(statusCode, '', said);
}

/** statusErrorOf for a streamed answer whose body is still unread. */
export async function statusErrorOfResponse(response: Dispatcher.ResponseData): Promise<ReturnType<typeof httpStatusError>> {
  const text = await readLimited(response.body, MAX_ERROR_BODY).catch(() => '');
  return statusErrorOf(response.statusCode, response.headers, text);
}

/** The words of a member that may be a JSON string, number or null, from a parsed body. */
function wordsOf(body: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = body[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 500);
  }
  return undefined;
}

/** An id member that says "failed" in the house style: "-1", -1 or null (the member present). */
function failedId(body: Record<string, unknown>, raw: string, member: string): boolean {
  if (!(member in body)) return false;
  const value = body[member];
  if (value === null) return true;
  // A 64-bit id may be a bare number beyond 2^53; only its raw text is exact (decision 7).
  const rawMember = new RegExp(`"${member}"\\s*:\\s*(?:"\\s*(-1)\\s*"|(-1)\\b)`).exec(raw);
  return rawMember !== null || value === '';
}

/**
 * The error a 2xx answer carries in its body, or undefined (engagement-api.md decision 9). The server answers
 * some failures with HTTP 200 and `requestId`/`requestid` "-1" or null plus a `description` ("Invalid
 * Subscribers"), and admin calls with `{"id":"-1","message":…}`: a client that trusts the status alone reports a
 * false success. Used for every JSON answer, so admin endpoints share it.
 */
export function errorInsideOk(raw: string, contentType?: string): ReturnType<typeof appError> | undefined {
  const text = raw.trim();
  if (!text.startsWith('{') && !/json/i.test(contentType ?? '')) return undefined;
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    body = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const failed = failedId(body, text, 'requestId') || failedId(body, text, 'requestid') || failedId(body, text, 'id');
  if (!failed) return undefined;
  const said = wordsOf(body, 'description', 'message');
  if (said !== undefined && isAuthenticationFailure(said)) {
    return appError('auth-rejected', `The server refused the credentials: ${said}. Check the user name, password or API key in the profile.`, { detail: said });
  }
  const words = said ? `: ${said.replace(/[.\s]+$/, '')}.` : ' (it answered with a failed request id and no description).';
  return appError('bad-request', `The server did not accept the request${words}${said ? hintFor(said) : ''}`, {
    ...(said ? { detail: said } : {}),
  });
}

/** What to do about the failures the real server is known to put in a 200 (engagement-api.md section E). */
function hintFor(said: string): string {
  if (/invalid\s+\S*\s*app\s*id|not published/i.test(said)) {
    return ' Check the app ID against the server\'s application list, and that the application is published in the Engagement console.';
  }
  return '';
}

/** Whether the server's words say the credentials were refused, whatever the status (decision 10: some servers
 * answer "Authentication fail, Invalid credentials" with 400). */
export function isAuthenticationFailure(said: string | undefined): boolean {
  return said !== undefined && /authentication\s+fail/i.test(said);
}
