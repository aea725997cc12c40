// One HTTP exchange whose answer is a small text (JSON) body, straight on undici's dispatcher: the response is
// collected into one buffer from the handler callbacks, without the Readable stream and async iterator that
// undici's request() builds for every response. In a batch of a thousand sends that machinery was about a third of
// our CPU per request. Large or streamed answers (the certificate download) keep using request().
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** A request body: in memory, a stream, or an async iterable (a streamed multipart body, see multipart.ts). */
export type RequestBody = Buffer | Readable | AsyncIterable<Uint8Array>;

export interface TextExchange {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: RequestBody;
  signal?: AbortSignal;
}

export interface TextAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8, cut at `limit` bytes (then `truncated` is true and the connection was closed). */
  text: string;
  truncated: boolean;
}

class AnswerTooLarge extends Error {}

/** Where a request goes, as the dispatcher takes it: `https://host:port` and `/path?query`. */
export interface RequestTarget {
  origin: string;
  path: string;
}

export function requestTarget(url: string): RequestTarget {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

const abortWatchers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `onAbort` when `signal` aborts, until the returned function is called. One listener per signal, however
 * many requests share it (a batch's thousand sends share one), instead of adding and removing an EventTarget
 * listener for every request, which showed in a cold batch's profile.
 */
function watchAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let watchers = abortWatchers.get(signal);
  if (!watchers) {
    const current = new Set<() => void>();
    watchers = current;
    abortWatchers.set(signal, current);
    signal.addEventListener('abort', () => {
      for (const watcher of [...current]) watcher();
      current.clear();
    }, { once: true });
  }
  const registered = watchers;
  registered.add(onAbort);
  return () => void registered.delete(onAbort);
}

/** Sends one request and resolves with its whole (bounded) answer; rejects with undici's own errors. */
export function exchangeText(dispatcher: Dispatcher, target: RequestTarget, request: TextExchange, limit: number): Promise<TextAnswer> {
  const { signal } = request;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<TextAnswer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let statusCode = 0;
    let headers: IncomingHttpHeaders = {};
    let controller: Dispatcher.DispatchController | undefined;
    let abortReason: unknown;
    // The raw dispatcher has no signal option (request() adds it): abort through the controller it hands us.
    const onAbort = () => {
      abortReason = signal?.reason;
      controller?.abort(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const settle = signal ? watchAbort(signal, onAbort) : () => undefined;
    const answer = (truncated: boolean): TextAnswer => ({ statusCode, headers, text: Buffer.concat(chunks, Math.min(size, limit)).toString('utf8'), truncated });

    dispatcher.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: request.method,
        headers: request.headers,
        // undici takes an async iterable body at run time (core/request.js); its DispatchOptions type omits it.
        ...(request.body !== undefined ? { body: request.body as Dispatcher.DispatchOptions['body'] } : {}),
      },
      {
        onRequestStart(started) {
          controller = started;
          if (signal?.aborted) onAbort();
        },
        onResponseStart(_controller, status, responseHeaders) {
          statusCode = status;
          headers = responseHeaders;
        },
        onResponseData(current, chunk) {
          size += chunk.length;
          if (size > limit) {
            const room = limit - (size - chunk.length);
            if (room > 0) chunks.push(chunk.subarray(0, room));
            current.abort(new AnswerTooLarge());
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd() {
          settle();
          resolve(answer(false));
        },
        onResponseError(_controller, error) {
          settle();
          if (error instanceof AnswerTooLarge) resolve(answer(true));
          else reject(abortReason ?? error);
        },
      },
    );
  });
}
