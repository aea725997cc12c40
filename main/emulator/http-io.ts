// Request/response plumbing for the emulator: JSON answers, streamed bodies, and the byte-level faults
// (throttling, socket resets) that have to sit between a body and the socket.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable, Transform, pipeline } from 'node:stream';
import { pipeline as pipelinePromise } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { Fault, RecordedRequest } from './records';

/** One request being handled, with everything the route handlers need. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** The request body to read: the request itself, or a counting stream when a reset fault is armed. */
  body: Readable;
  hasBody: boolean;
  url: URL;
  record: RecordedRequest;
  fault: Fault | undefined;
  /** Whether the request carried a valid credential (checked up front, before any body is read). */
  authorised: boolean;
  /** Aborted when the client goes away or the emulator closes. */
  signal: AbortSignal;
}

export const JSON_TYPE = 'application/json';

/** Thrown when the client went away mid-request; there is nobody left to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('The client closed the connection');
    this.name = 'ClientGoneError';
  }
}

/** Thrown for a request the emulator refuses with 400 `{"id":"-1","message":...}`. */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

export function hasRequestBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

export async function sendJson(ex: Exchange, status: number, value: unknown, recordAs?: unknown): Promise<void> {
  const text = JSON.stringify(value);
  ex.record.responseBody = recordAs === undefined ? text : JSON.stringify(recordAs);
  await sendBody(ex, status, { 'content-type': JSON_TYPE }, Buffer.from(text, 'utf8'));
}

export function sendError(ex: Exchange, status: number, message: string): Promise<void> {
  return sendJson(ex, status, { id: '-1', message });
}

/**
 * Writes status, headers and body, applying the request's fault (bytesPerSecond, and resetAfterBytes when the
 * request itself had no body). Without a byte-level fault a stream is piped straight to the socket.
 */
export async function sendBody(
  ex: Exchange,
  status: number,
  headers: OutgoingHttpHeaders,
  body: Buffer | Readable,
  length?: number,
): Promise<void> {
  const { res, fault } = ex;
  if (res.destroyed) {
    if (!Buffer.isBuffer(body)) body.destroy();
    throw new ClientGoneError();
  }
  const size = Buffer.isBuffer(body) ? body.length : length;
  ex.record.status = status;
  res.writeHead(status, size === undefined ? headers : { ...headers, 'content-length': size });
  const bytesPerSecond = fault?.bytesPerSecond;
  const resetAfter = ex.hasBody ? undefined : fault?.resetAfterBytes;
  if (bytesPerSecond === undefined && resetAfter === undefined) {
    if (Buffer.isBuffer(body)) {
      res.end(body);
      return;
    }
    try {
      await pipelinePromise(body, res);
    } catch {
      throw new ClientGoneError();
    }
    return;
  }
  await pumpWithFaults(ex, Buffer.isBuffer(body) ? Readable.from([body]) : body, bytesPerSecond, resetAfter);
}

async function pumpWithFaults(
  ex: Exchange,
  source: Readable,
  bytesPerSecond: number | undefined,
  resetAfter: number | undefined,
): Promise<void> {
  const { res } = ex;
  // Small slices keep the throttled rate smooth instead of bursting one 64 KiB read at a time.
  const slice = bytesPerSecond === undefined ? 64 * 1024 : Math.max(1, Math.min(64 * 1024, Math.floor(bytesPerSecond / 20)));
  const startedAt = Date.now();
  let sent = 0;
  try {
    if (resetAfter === 0) {
      res.flushHeaders();
      await resetAfterFlush(res);
      return;
    }
    for await (const chunk of source) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      for (let offset = 0; offset < buffer.length; offset += slice) {
        let piece = buffer.subarray(offset, Math.min(buffer.length, offset + slice));
        if (bytesPerSecond !== undefined) {
          const due = startedAt + (sent / bytesPerSecond) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await delay(wait, undefined, { signal: ex.signal });
        }
        if (res.destroyed) throw new ClientGoneError();
        if (resetAfter !== undefined && sent + piece.length >= resetAfter) {
          piece = piece.subarray(0, resetAfter - sent);
          await writeFlushed(res, piece);
          await resetAfterFlush(res);
          return;
        }
        if (!res.write(piece)) await drained(res);
        sent += piece.length;
      }
    }
    res.end();
  } catch (error) {
    if (error instanceof ClientGoneError || ex.signal.aborted || res.destroyed) throw new ClientGoneError();
    throw error;
  } finally {
    source.destroy();
  }
}

function writeFlushed(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (chunk.length === 0) resolve();
    else res.write(chunk, () => resolve());
  });
}

/** Destroys the socket once everything written so far has left it, so the client sees exactly the bytes promised. */
function resetAfterFlush(res: ServerResponse): Promise<void> {
  const socket = res.socket;
  return new Promise((resolve) => {
    if (!socket || socket.destroyed) {
      resolve();
      return;
    }
    // A zero-length write completes only after every earlier write on this socket has been handed to the OS.
    socket.write(Buffer.alloc(0), () => {
      socket.destroy();
      resolve();
    });
  });
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      res.off('drain', onDrain);
      reject(new ClientGoneError());
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/**
 * Passes the request body through, and destroys the connection once `limit` bytes have been read: the
 * "network dropped mid-upload" fault. The handler sees a body that stops and a client that is gone.
 */
export function limitRequestBody(req: IncomingMessage, limit: number): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (seen + chunk.length < limit) {
        seen += chunk.length;
        callback(null, chunk);
        return;
      }
      const allowed = chunk.subarray(0, limit - seen);
      seen = limit;
      if (allowed.length > 0) this.push(allowed);
      req.socket.destroy();
      // End the body with an error: nothing after the limit may reach the handler, and a handler whose request
      // had already fully arrived (so 'close' looks like a normal end) must not wait for more forever.
      callback(new ClientGoneError());
    },
  });
  pipeline(req, counter, () => {
    // Errors surface to the handler through the request's 'close'; the pipeline only needs a callback.
  });
  return counter;
}

/** Reads a small body (login, control API) into memory, refusing anything over `limit` bytes. */
export function readSmallBody(ex: Exchange, limit: number): Promise<Buffer> {
  // Not `for await`: leaving that loop early destroys the request, and with it the socket the 400 must go out on.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      if (size > limit) reject(new BadRequestError(`Request body is larger than ${limit} bytes`));
      else resolve(Buffer.concat(chunks));
    };
    const onClose = (): void => {
      if (ex.req.complete) return;
      cleanup();
      reject(new ClientGoneError());
    };
    // A body cut off by a reset fault errors even after the whole request arrived.
    const onError = (): void => {
      cleanup();
      reject(new ClientGoneError());
    };
    const cleanup = (): void => {
      ex.body.off('data', onData);
      ex.body.off('end', onEnd);
      ex.body.off('error', onError);
      ex.req.off('close', onClose);
    };
    if (ex.body.destroyed || ex.body.errored) {
      reject(new ClientGoneError());
      return;
    }
    ex.body.on('data', onData);
    ex.body.once('end', onEnd);
    ex.body.once('error', onError);
    ex.req.once('close', onClose);
  });
}

/** `Content-Disposition: attachment` with an ASCII `filename` and, when needed, the exact name as `filename*`. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (ascii === fileName) return `attachment; filename="${fileName}"`;
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
