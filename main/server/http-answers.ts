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
  return httpStatusError(statusCode, '', serverMessageFromBody(text, headerValue(headers['content-type'])));
}

/** statusErrorOf for a streamed answer whose body is still unread. */
export async function statusErrorOfResponse(response: Dispatcher.ResponseData): Promise<ReturnType<typeof httpStatusError>> {
  const text = await readLimited(response.body, MAX_ERROR_BODY).catch(() => '');
  return statusErrorOf(response.statusCode, response.headers, text);
}
