// A multipart/form-data body streamed from disk: the size is known up front (so the request carries a
// Content-Length and progress has a total), and files are read in chunks as the socket drains, never whole.
// A file that cannot be read, or that changes size while it is sent, fails the whole request.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { fail } from '../core/errors';

export type MultipartField =
  | { kind: 'text'; name: string; value: string; contentType?: string }
  | { kind: 'file'; name: string; path: string; fileName?: string; contentType: string };

/** A file part as it went out: hashed while streaming, so the history can name exactly what was sent. */
export interface SentFile {
  field: string;
  name: string;
  size: number;
  sha256: string;
}

export interface MultipartBody {
  contentType: string;
  length: number;
  /** Yields the body; call once per attempt (each call re-reads the files). */
  stream(onBytes?: (n: number) => void): AsyncGenerator<Uint8Array>;
  /** The file parts of the last complete stream, with their SHA-256 (only when built with hashFiles). */
  sentFiles(): SentFile[];
  /** When every part is already in memory (text and preloaded files): the whole body as one buffer. */
  inMemory(): Buffer | undefined;
}

const CRLF = '\r\n';

// A boundary must not occur in the body: 96 random bits per process plus a counter is as safe as fresh random bytes
// per request, without asking the OS for entropy a thousand times in a batch.
const BOUNDARY_PREFIX = randomBytes(12).toString('hex');
let boundaryCounter = 0;

// HTML's multipart encoding: quote names, and escape the characters that would end the quoted string.
function quoteParam(value: string): string {
  return `"${value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')}"`;
}

/** Files up to this size may be read once and reused across the requests of a batch. */
export const PRELOAD_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Reads small files once for a batch of sends, so a thousand requests with the same pass and images do not open,
 * read and close each file a thousand times. Larger files are left out and keep streaming from disk.
 */
export async function preloadSmallFiles(paths: readonly string[]): Promise<Map<string, Uint8Array>> {
  const loaded = new Map<string, Uint8Array>();
  for (const path of new Set(paths)) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile() && info.size <= PRELOAD_MAX_BYTES) loaded.set(path, await readFile(path));
  }
  return loaded;
}

export async function buildMultipart(
  fields: MultipartField[],
  options: { hashFiles?: boolean; preloaded?: ReadonlyMap<string, Uint8Array> } = {},
): Promise<MultipartBody> {
  const boundary = `----EngagementDesk${BOUNDARY_PREFIX}${(boundaryCounter++).toString(36)}`;
  const parts: Array<{ head: Buffer; field: MultipartField; size: number; body?: Buffer }> = [];
  for (const field of fields) {
    let head = `--${boundary}${CRLF}Content-Disposition: form-data; name=${quoteParam(field.name)}`;
    if (field.kind === 'file' && options.preloaded?.has(field.path)) {
      const loaded = options.preloaded.get(field.path)!;
      const body = Buffer.from(loaded.buffer, loaded.byteOffset, loaded.byteLength); // a view, not a copy
      head += `; filename=${quoteParam(field.fileName ?? basename(field.path))}${CRLF}Content-Type: ${field.contentType}${CRLF}${CRLF}`;
      parts.push({ head: Buffer.from(head, 'utf8'), field, size: body.length, body });
    } else if (field.kind === 'file') {
      const info = await stat(field.path).catch((error: unknown) => {
        const code = (error as { code?: string }).code;
        return fail('file', code === 'ENOENT'
          ? `File not found: ${field.path}. It may have been moved or deleted; choose it again.`
          : `Cannot read ${field.path} (${code ?? 'error'}).`);
      });
      if (!info.isFile()) fail('file', `${field.path} is not a regular file.`);
      head += `; filename=${quoteParam(field.fileName ?? basename(field.path))}${CRLF}Content-Type: ${field.contentType}${CRLF}${CRLF}`;
      parts.push({ head: Buffer.from(head, 'utf8'), field, size: info.size });
    } else {
      if (field.contentType) head += `${CRLF}Content-Type: ${field.contentType}`;
      head += `${CRLF}${CRLF}`;
      const body = Buffer.from(field.value, 'utf8');
      parts.push({ head: Buffer.from(head, 'utf8'), field, size: body.length, body });
    }
  }
  const tail = Buffer.from(`--${boundary}--${CRLF}`, 'utf8');
  const crlf = Buffer.from(CRLF, 'utf8');
  const length = parts.reduce((sum, p) => sum + p.head.length + p.size + crlf.length, 0) + tail.length;
  let sent: SentFile[] = [];

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    async *stream(onBytes) {
      const emit = (chunk: Uint8Array) => {
        onBytes?.(chunk.byteLength);
        return chunk;
      };
      const done: SentFile[] = [];
      for (const part of parts) {
        yield emit(part.head);
        if (part.body) {
          yield emit(part.body);
          if (part.field.kind === 'file') {
            done.push({
              field: part.field.name,
              name: part.field.fileName ?? basename(part.field.path),
              size: part.size,
              sha256: options.hashFiles ? createHash('sha256').update(part.body).digest('hex') : '',
            });
          }
        } else if (part.field.kind === 'file') {
          let read = 0;
          const hash = options.hashFiles ? createHash('sha256') : undefined;
          for await (const chunk of createReadStream(part.field.path, { highWaterMark: 1024 * 1024 })) {
            const bytes = chunk as Buffer;
            read += bytes.length;
            if (read > part.size) break;
            hash?.update(bytes);
            yield emit(bytes);
          }
          if (read !== part.size) {
            fail('file', `${part.field.path} changed while it was being sent (expected ${part.size} bytes, read ${read}). Nothing was completed; send again.`);
          }
          done.push({
            field: part.field.name,
            name: part.field.fileName ?? basename(part.field.path),
            size: part.size,
            sha256: hash?.digest('hex') ?? '',
          });
        }
        yield emit(crlf);
      }
      yield emit(tail);
      sent = done;
    },
    sentFiles: () => sent,
    inMemory() {
      if (!parts.every((part) => part.body)) return undefined;
      sent = parts
        .filter((part) => part.field.kind === 'file')
        .map((part) => ({
          field: part.field.name,
          name: part.field.kind === 'file' ? (part.field.fileName ?? basename(part.field.path)) : part.field.name,
          size: part.size,
          sha256: options.hashFiles ? createHash('sha256').update(part.body!).digest('hex') : '',
        }));
      return Buffer.concat([...parts.flatMap((part) => [part.head, part.body!, crlf]), tail]);
    },
  };
}
