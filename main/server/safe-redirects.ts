// Redirects, followed only where that is safe: GETs follow same-origin redirects with credentials and cross-origin
// ones without them; a redirected POST is an error (its streamed body cannot be replayed, and credentials must not
// follow it elsewhere). A caller that must not accept an answer from another origin at all (the connection test:
// "Connected" would be a lie) refuses cross-origin redirects instead. A failure at a later hop names that hop's host.
import type { Agent, Dispatcher } from 'undici';
import { request } from './undici-parts';
import { EngagementError, fail, toAppError } from '../core/errors';
import { sameOrigin } from '../core/server-url';
import { headerValue } from './http-answers';
import type { RequestBody } from './http-text';

export async function requestFollowingSafeRedirects(
  agent: Agent,
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: RequestBody | undefined,
  signal: AbortSignal | undefined,
  options: { crossOrigin?: 'follow' | 'refuse' } = {},
): Promise<Dispatcher.ResponseData> {
  let current = url;
  let currentHeaders = headers;
  for (let hop = 0; hop <= 5; hop++) {
    const response = await hopRequest(current, hop, {
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
    if (options.crossOrigin === 'refuse' && !sameOrigin(next, url)) {
      const from = new URL(url).origin;
      const to = new URL(next).origin;
      fail(
        'unexpected-response',
        `The server at ${from} redirected to ${to}, another server, so the connection was not confirmed (Engagement Desk does not send your credentials there). If ${to} is your Engagement server, put its address in the profile; otherwise ask the server's administrator why it redirects.`,
        { httpStatus: response.statusCode, detail: `redirected to ${next}` },
      );
    }
    if (!sameOrigin(next, current)) currentHeaders = withoutCredentials(currentHeaders);
    current = next;
    if (!sameOrigin(current, url)) {
      // Credentials never follow to another host, so its 401 says nothing about the profile's credentials.
      const elsewhere = await hopRequest(current, hop + 1, { dispatcher: agent, method, headers: currentHeaders, ...(signal ? { signal } : {}) });
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

/** One request of the chain; a network failure after a redirect names the host that failed, not the first one. */
async function hopRequest(
  url: string,
  hop: number,
  options: { dispatcher: Agent; method: 'GET' | 'POST'; headers: Record<string, string>; body?: RequestBody; signal?: AbortSignal },
): Promise<Dispatcher.ResponseData> {
  try {
    return await request(url, options);
  } catch (error) {
    if (hop === 0 || options.signal?.aborted) throw error;
    throw new EngagementError(toAppError(error, { host: new URL(url).host }), { cause: error });
  }
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !/^authorization$|authorization$|api-key$/i.test(name)),
  );
}
