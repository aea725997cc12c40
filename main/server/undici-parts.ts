// The parts of undici the client uses, each imported from its own file. The package's index loads all of undici
// (fetch, WebSocket, EventSource, caches, cookies, mocks: 84 more modules, and with them Node's zlib, DNS, web
// streams, worker and performance modules) on every CLI start, and the client needs only an Agent, request() and
// the connector. These paths are undici's files rather than its documented entry point: a unit test checks that
// they are the very objects the package exports, so an upgrade that moves them fails in the tests, not for users.
import type { Dispatcher as DispatcherType } from 'undici';
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import dispatchRequest from 'undici/lib/api/api-request.js';
import buildConnector from 'undici/lib/core/connect.js';

// What undici's index does for every dispatcher (there with stream, pipeline, upgrade and connect too, which the
// client never calls): Agent#request.
if (!Object.prototype.hasOwnProperty.call(Dispatcher.prototype, 'request')) {
  Object.defineProperty(Dispatcher.prototype, 'request', { value: dispatchRequest, writable: true, configurable: true, enumerable: true });
}

export { Agent, buildConnector };

/** undici's request options over a given dispatcher; the body may also be an async iterable, which undici takes at
 * run time (core/request.js) though its types omit it. */
export type RequestOptions = Omit<DispatcherType.RequestOptions, 'origin' | 'path' | 'method' | 'body'> & {
  dispatcher: DispatcherType;
  method?: DispatcherType.HttpMethod;
  body?: DispatcherType.RequestOptions['body'] | AsyncIterable<Uint8Array>;
};

/**
 * undici's request(url, options) over the given dispatcher: the URL split into origin and path as undici's own
 * request() does (the path keeps its query; GET unless a body is sent, then PUT).
 */
export function request(url: string | URL, options: RequestOptions): Promise<DispatcherType.ResponseData> {
  const { dispatcher, ...rest } = options;
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return dispatcher.request({
    ...rest,
    body: rest.body as DispatcherType.RequestOptions['body'],
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: options.method ?? (options.body ? 'PUT' : 'GET'),
  });
}
