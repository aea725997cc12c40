// Streaming multipart/form-data reader: every file part goes straight to a temp file while being hashed, so
// memory stays flat whatever the upload size. Text parts are small and kept in memory.
import busboy from 'busboy';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Exchange } from './http-io';
import { BadRequestError, ClientGoneError } from './http-io';
import type { RecordedPart } from './records';

export interface ReceivedFile {
  /** Position among all parts, in arrival order. */
  index: number;
  field: string;
  filename: string | undefined;
  contentType: string;
  size: number;
  sha256: string;
  /** Where the bytes are on disk (the caller moves or deletes the file); '' when the part was only hashed. */
  tempPath: string;
}

export interface ReceivedField {
  /** Position among all parts, in arrival order. */
  index: number;
  name: string;
  value: string;
  truncated: boolean;
  contentType: string;
}

export interface MultipartBody {
  files: ReceivedFile[];
  fields: ReceivedField[];
}

export const REDACTED = '<redacted>';

/** Text parts larger than this are flagged as truncated (busboy keeps text parts in memory). */
const FIELD_SIZE_LIMIT = 16 * 1024 * 1024;

export function isMultipart(ex: Exchange): boolean {
  return /^multipart\/form-data\s*(;|$)/i.test(ex.req.headers['content-type'] ?? '');
}

/**
 * Reads the whole multipart body. File parts are written to `tempDir` (fsynced when `durable`), text parts are
 * returned; every part is appended to the request record in arrival order. On failure the temp files are removed
 * and a BadRequestError (malformed body) or ClientGoneError (aborted upload) is thrown.
 */
export function receiveMultipart(
  ex: Exchange,
  options: {
    tempDir: string;
    durable: boolean;
    redactedFields: ReadonlySet<string>;
    /** false: file parts are hashed and counted while they stream, then dropped (nothing is written). */
    keepFiles?: boolean;
    /** How a text part without a charset is decoded: UTF-8, or ISO-8859-1 as a Java servlet container may. */
    textCharsetDefault?: 'utf8' | 'latin1';
  },
): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: ex.req.headers,
        defParamCharset: 'utf8',
        defCharset: options.textCharsetDefault ?? 'utf8',
        limits: { fieldSize: FIELD_SIZE_LIMIT, fieldNameSize: 1024 },
      });
    } catch (error) {
      reject(new BadRequestError(`Malformed multipart request: ${(error as Error).message}`));
      return;
    }
    const files: (ReceivedFile | undefined)[] = [];
    const fields: ReceivedField[] = [];
    const tempPaths: string[] = [];
    const writes: Promise<void>[] = [];
    /** File part streams still open: a failure ends them, or their writes would never settle. */
    const openParts = new Set<Readable>();
    let settled = false;
    let partCount = 0;

    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      ex.req.off('close', onRequestClose);
      ex.body.off('error', onBodyError);
      ex.body.unpipe(parser);
      parser.destroy(error);
      for (const part of openParts) part.destroy(error);
      void Promise.allSettled(writes)
        .then(() => Promise.all(tempPaths.map((path) => rm(path, { force: true }))))
        .finally(() => reject(error));
    };
    const onRequestClose = (): void => {
      if (!ex.req.complete) fail(new ClientGoneError());
    };
    // A body cut off by a reset fault errors even when the request itself had fully arrived ('close' then looks
    // normal), and pipe() does not pass errors on to the parser: without this the handler would wait forever.
    const onBodyError = (): void => fail(new ClientGoneError());

    parser.on('file', (rawName, stream, info) => {
      const name = rawName ?? ''; // a part without a name still has to be reported, as ""
      const part: RecordedPart = { name, size: 0, sha256: '' };
      if (info.filename !== undefined) part.filename = info.filename;
      part.contentType = info.mimeType;
      ex.record.parts.push(part);
      const order = partCount++;
      const index = files.push(undefined) - 1;
      if (settled) {
        stream.resume();
        return;
      }
      openParts.add(stream);
      stream.once('close', () => openParts.delete(stream));
      const keep = options.keepFiles !== false;
      const tempPath = keep ? join(options.tempDir, `.part-${randomUUID()}.tmp`) : '';
      if (keep) tempPaths.push(tempPath);
      const hash = createHash('sha256');
      let size = 0;
      const count = (chunk: Buffer): void => {
        hash.update(chunk);
        size += chunk.length;
      };
      // A part that is only hashed needs no stream pipeline: listening to its chunks is a fraction of the cost.
      const write = (keep ? pipeline(stream, hashing(count), createWriteStream(tempPath, { flush: options.durable })) : drain(stream, count)).then(() => {
        part.size = size;
        part.sha256 = hash.digest('hex');
        files[index] = {
          index: order,
          field: name,
          filename: info.filename,
          contentType: info.mimeType,
          size,
          sha256: part.sha256,
          tempPath,
        };
      });
      writes.push(write);
      write.catch((error: Error) => fail(ex.req.complete ? error : new ClientGoneError()));
    });

    parser.on('field', (rawName, value, info) => {
      const name = rawName ?? '';
      const redacted = options.redactedFields.has(name);
      const bytes = Buffer.byteLength(value, 'utf8');
      ex.record.parts.push({
        name,
        contentType: info.mimeType,
        size: bytes,
        // A hash of a short passphrase is as good as the passphrase to anyone with a word list.
        sha256: redacted ? REDACTED : createHash('sha256').update(value, 'utf8').digest('hex'),
        text: redacted ? REDACTED : value,
      });
      fields.push({ index: partCount++, name, value, truncated: info.valueTruncated, contentType: info.mimeType });
    });

    parser.once('error', (error: Error) => fail(new BadRequestError(`Malformed multipart body: ${error.message}`)));
    parser.once('close', () => {
      if (settled) return;
      Promise.all(writes).then(
        () => {
          if (settled) return;
          settled = true;
          ex.req.off('close', onRequestClose);
          ex.body.off('error', onBodyError);
          resolve({ files: files.filter((f): f is ReceivedFile => f !== undefined), fields });
        },
        (error: Error) => fail(error),
      );
    });

    ex.req.once('close', onRequestClose);
    ex.body.once('error', onBodyError);
    // The body may have been cut off before this handler got to it (the reset fault acts as data arrives).
    if (ex.body.destroyed || ex.body.errored) {
      fail(new ClientGoneError());
      return;
    }
    ex.body.pipe(parser);
  });
}

function hashing(count: (chunk: Buffer) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      count(chunk);
      callback(null, chunk);
    },
  });
}

/** Reads a part to its end, handing each chunk to `count`; rejects when the part errors or is cut off. */
function drain(stream: Readable, count: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('data', count);
    stream.once('end', () => resolve());
    stream.once('error', reject);
    stream.once('close', () => {
      if (!stream.readableEnded) reject(new ClientGoneError());
    });
  });
}

export async function removeFiles(files: readonly ReceivedFile[]): Promise<void> {
  await Promise.all(files.filter((file) => file.tempPath !== '').map((file) => rm(file.tempPath, { force: true })));
}
