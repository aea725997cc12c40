// A multipart/form-data body streamed from disk: the size is known up front (so the request carries a
// Content-Length and progress has a total), and files are read in chunks as the socket drains, never whole.
// A file that cannot be read, or that changes size while it is sent, fails the whole request.
import { open, readFile, stat } from 'node:fs/promises';
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
  /**
   * Yields the body; call once per attempt (each call re-reads the files). A file's full chunks are read into two
   * buffers that take turns (fileChunks): a consumer must be done with a chunk (have written or copied it) before it
   * asks for the one after next. undici, given this generator as the request body, is (see fileChunks).
   */
  stream(onBytes?: (n: number) => void): AsyncGenerator<Uint8Array>;
  /** The file parts of the last complete stream, with their SHA-256 (only when built with hashFiles). */
  sentFiles(): SentFile[];
  /** When every part is already in memory (text and preloaded files): the whole body as one buffer. */
  inMemory(): Buffer | undefined;
}

/** Bytes per chunk of a file streamed from disk. */
export const FILE_CHUNK_BYTES = 1024 * 1024;

/**
 * A file's bytes in chunks of FILE_CHUNK_BYTES, read into two buffers that take turns: the next read starts into the
 * other buffer as a chunk is handed out, and a buffer is read into again only after the consumer asked for the chunk
 * that followed its last one. undici writes an async-iterable body this way: it asks for the next chunk only when the
 * socket has taken all of the last one (a chunk bigger than the socket's buffer mark makes write() answer false, and
 * undici waits for 'drain' before it asks again). A chunk shorter than a buffer (a file's last) is handed out as a
 * copy, as the socket may still hold it when undici asks for more.
 *
 * The same two buffers rather than a new one per megabyte: a one-shot CLI upload spends most of its time on fresh
 * memory (page faults as each new buffer is filled, and the hash reading it), about 150 ms of a 100 MB upload here.
 */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  const buffers = [Buffer.allocUnsafeSlow(FILE_CHUNK_BYTES), Buffer.allocUnsafeSlow(FILE_CHUNK_BYTES)];
  const readInto = async (turn: number, position: number) => {
    const buffer = buffers[turn % 2]!;
    return buffer.subarray(0, (await handle.read(buffer, 0, buffer.length, position)).bytesRead);
  };
  let next: Promise<Buffer> | undefined = readInto(0, 0);
  try {
    let position = 0;
    for (let turn = 1; ; turn++) {
      const chunk: Buffer = await next;
      if (chunk.length === 0) return;
      position += chunk.length;
      next = readInto(turn, position);
      yield chunk.length < FILE_CHUNK_BYTES ? Buffer.from(chunk) : chunk;
    }
  } finally {
    // A consumer that stops early (a cancel, a file that grew) leaves a read under way: it ends before the close.
    await next?.catch(() => undefined);
    await handle.close();
  }
}

const CRLF = '\r\n';
const CRLF_BYTES = Buffer.from(CRLF, 'latin1');

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

/** A file read once for a batch: its bytes as they were when the batch started, and their SHA-256. */
export interface PreloadedFile {
  bytes: Buffer;
  sha256: string;
}

/**
 * The small files of a batch, read and hashed once, so a thousand requests with the same pass and images do not
 * open, read, hash and close each file a thousand times. The bodies built from it share one boundary, so each file
 * part (headers, bytes, line break) is encoded once too and only the text parts are new in each request.
 */
export class PreloadedFiles {
  readonly boundary = newBoundary();
  private readonly encoded = new Map<string, { fileName: string | undefined; contentType: string; part: Buffer }>();

  constructor(private readonly files: ReadonlyMap<string, PreloadedFile>) {}

  get size(): number {
    return this.files.size;
  }

  get(path: string): PreloadedFile | undefined {
    return this.files.get(path);
  }

  /** The whole part for this file under this set's boundary: built on first use, then reused. */
  encodedPart(field: Extract<MultipartField, { kind: 'file' }>, file: PreloadedFile): Buffer {
    const key = `${field.name}\0${field.path}`;
    const cached = this.encoded.get(key);
    if (cached && cached.fileName === field.fileName && cached.contentType === field.contentType) return cached.part;
    const part = Buffer.concat([
      Buffer.from(fileHead(this.boundary, field.name, field.fileName ?? basename(field.path), field.contentType), 'utf8'),
      file.bytes,
      CRLF_BYTES,
    ]);
    this.encoded.set(key, { fileName: field.fileName, contentType: field.contentType, part });
    return part;
  }
}

/** Reads (and hashes) the files up to PRELOAD_MAX_BYTES; larger ones are left out and keep streaming from disk. */
export async function preloadSmallFiles(paths: readonly string[]): Promise<PreloadedFiles> {
  const loaded = new Map<string, PreloadedFile>();
  for (const path of new Set(paths)) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile() && info.size <= PRELOAD_MAX_BYTES) {
      const bytes = await readFile(path);
      loaded.set(path, { bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  }
  return new PreloadedFiles(loaded);
}

function newBoundary(): string {
  return `----EngagementDesk${BOUNDARY_PREFIX}${(boundaryCounter++).toString(36)}`;
}

function fileHead(boundary: string, name: string, fileName: string, contentType: string): string {
  return `--${boundary}${CRLF}Content-Disposition: form-data; name=${quoteParam(name)}; filename=${quoteParam(fileName)}${CRLF}Content-Type: ${contentType}${CRLF}${CRLF}`;
}

function textHead(boundary: string, field: Extract<MultipartField, { kind: 'text' }>): string {
  const type = field.contentType ? `${CRLF}Content-Type: ${field.contentType}` : '';
  return `--${boundary}${CRLF}Content-Disposition: form-data; name=${quoteParam(field.name)}${type}${CRLF}${CRLF}`;
}

export async function buildMultipart(
  fields: MultipartField[],
  options: { hashFiles?: boolean; preloaded?: PreloadedFiles } = {},
): Promise<MultipartBody> {
  const { preloaded } = options;
  // A batch send whose files are all preloaded: one buffer from the batch's encoded parts.
  const whole = preloaded ? preloadedBody(fields, preloaded, options.hashFiles === true) : undefined;
  if (whole) return whole;
  const boundary = newBoundary();
  // A part is its head, its body (in memory, or a file streamed from disk) and a line break. `sha256` is known up
  // front for preloaded files.
  const parts: Array<{ field: MultipartField; size: number; head: Buffer; body?: Buffer; sha256?: string }> = [];
  for (const field of fields) {
    const file = field.kind === 'file' ? preloaded?.get(field.path) : undefined;
    if (field.kind === 'file' && file) {
      const head = Buffer.from(fileHead(boundary, field.name, field.fileName ?? basename(field.path), field.contentType), 'utf8');
      parts.push({ head, field, size: file.bytes.length, body: file.bytes, sha256: file.sha256 });
    } else if (field.kind === 'file') {
      const info = await stat(field.path).catch((error: unknown) => {
        const code = (error as { code?: string }).code;
        return fail('file', code === 'ENOENT'
          ? `File not found: ${field.path}. It may have been moved or deleted; choose it again.`
          : `Cannot read ${field.path} (${code ?? 'error'}).`);
      });
      if (!info.isFile()) fail('file', `${field.path} is not a regular file.`);
      const head = fileHead(boundary, field.name, field.fileName ?? basename(field.path), field.contentType);
      parts.push({ head: Buffer.from(head, 'utf8'), field, size: info.size });
    } else {
      const body = Buffer.from(field.value, 'utf8');
      parts.push({ head: Buffer.from(textHead(boundary, field), 'utf8'), field, size: body.length, body });
    }
  }
  const tail = Buffer.from(`--${boundary}--${CRLF}`, 'utf8');
  const length = parts.reduce((sum, p) => sum + p.head.length + p.size + CRLF_BYTES.length, 0) + tail.length;
  const sentFile = (part: (typeof parts)[number], sha256: string | undefined): SentFile => ({
    field: part.field.name,
    name: part.field.kind === 'file' ? (part.field.fileName ?? basename(part.field.path)) : part.field.name,
    size: part.size,
    sha256: options.hashFiles ? (sha256 ?? createHash('sha256').update(part.body!).digest('hex')) : '',
  });
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
          if (part.field.kind === 'file') done.push(sentFile(part, part.sha256));
        } else if (part.field.kind === 'file') {
          let read = 0;
          const hash = options.hashFiles ? createHash('sha256') : undefined;
          for await (const bytes of fileChunks(part.field.path)) {
            read += bytes.length;
            if (read > part.size) break;
            hash?.update(bytes);
            yield emit(bytes);
          }
          if (read !== part.size) {
            fail('file', `${part.field.path} changed while it was being sent (expected ${part.size} bytes, read ${read}). Nothing was completed; send again.`);
          }
          done.push(sentFile(part, hash?.digest('hex') ?? ''));
        }
        yield emit(CRLF_BYTES);
      }
      yield emit(tail);
      sent = done;
    },
    sentFiles: () => sent,
    inMemory() {
      if (!parts.every((part) => part.body)) return undefined;
      sent = parts.filter((part) => part.field.kind === 'file').map((part) => sentFile(part, part.sha256));
      return Buffer.concat([...parts.flatMap((part) => [part.head, part.body!, CRLF_BYTES]), tail], length);
    },
  };
}

/**
 * A batch send's body when every file was preloaded and no text contains the shared boundary: the encoded file
 * parts are reused, only the text parts are built, and the whole body is one buffer (undefined otherwise, and the
 * general builder takes over). The files sent are described only when asked for.
 */
function preloadedBody(fields: MultipartField[], preloaded: PreloadedFiles, hashFiles: boolean): MultipartBody | undefined {
  const { boundary } = preloaded;
  const pieces: Buffer[] = [];
  const files: Array<{ field: Extract<MultipartField, { kind: 'file' }>; file: PreloadedFile }> = [];
  let length = 0;
  for (const field of fields) {
    let piece: Buffer;
    if (field.kind === 'file') {
      const file = preloaded.get(field.path);
      if (!file) return undefined;
      files.push({ field, file });
      piece = preloaded.encodedPart(field, file);
    } else {
      if (field.value.includes(boundary)) return undefined;
      piece = Buffer.from(`${textHead(boundary, field)}${field.value}${CRLF}`, 'utf8');
    }
    pieces.push(piece);
    length += piece.length;
  }
  const tail = Buffer.from(`--${boundary}--${CRLF}`, 'latin1');
  pieces.push(tail);
  length += tail.length;
  const body = Buffer.concat(pieces, length);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    async *stream(onBytes) {
      onBytes?.(body.length);
      yield body;
    },
    sentFiles: () =>
      files.map(({ field, file }) => ({
        field: field.name,
        name: field.fileName ?? basename(field.path),
        size: file.bytes.length,
        sha256: hashFiles ? file.sha256 : '',
      })),
    inMemory: () => body,
  };
}
