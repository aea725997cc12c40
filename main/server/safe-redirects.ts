// Redirects, followed only where that is safe: GETs follow same-origin redirects with credentials and cross-origin
// ones without them; a redirected POST is an error (its streamed body cannot be replayed, and credentials must not
// follow it elsewhere).
import type { Readable } from 'node:stream';
import { request, type Agent, type Dispatcher } from 'undici';
import { fail } from '../core/errors';
import { sameOrigin } from '../core/server-url';
import { headerValue } from './http-answers';

export async function requestFollowingSafeRedirects(
  agent: Agent,
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: Readable | Buffer | undefined,
  signal: AbortSignal | undefined,
): Promise<Dispatcher.ResponseData> {
  let current = url;
  let currentHeaders = headers;
  for (let hop = 0; hop <= 5; hop++) {
    const response = await request(current, {
      dispatcher: agent,
      method,
      headers: currentHeaders,
      ...(body ? { body } : {}),
      ...(signal ? { signal } : {}),
    });
    const location = headerValue(response.headers.location);
    if (method !== 'GET' || response.statusCode < 300 || response.statusCode >= 400 || !location) return response;
    await response.body.dump().catch(() => undefined);
    const next = new URL(location, current).toString();
    if (!sameOrigin(next, current)) currentHeaders = withoutCredentials(currentHeaders);
    current = next;
    if (!sameOrigin(current, url)) {
      // Credentials never follow to another host, so its 401 says nothing about the profile's credentials.
      const elsewhere = await request(current, { dispatcher: agent, method, headers: currentHeaders, ...(signal ? { signal } : {}) });
      if (elsewhere.statusCode !== 401 && elsewhere.statusCode !== 403) return elsewhere;
      await elsewhere.body.dump().catch(() => undefined);
      fail(
        'unexpected-response',
        `The server redirected to ${new URL(current).host}, which asked for credentials. Engagement Desk does not send your credentials to another host; update the profile's URL to the final address.`,
        { httpStatus: elsewhere.statusCode },
      );
    }
  }
  fail('unexpected-response', 'The server redirected too many times. Check the profile URL.');
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !/^authorization$|authorization$|api-key$/i.test(name)),
  );
}
