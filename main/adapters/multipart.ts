// A multipart/form-data body streamed from disk: the size is known up front (so the request carries a
// Content-Length and progress has a total), and files are read in chunks as the socket drains, never whole.
// A file that cannot be read, or that changes size while it is sent, fails the whole request.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fail } from '../core/errors';

export type MultipartField =
  | { kind: 'text'; name: string; value: string; contentType?: string }
  | { kind: 'file'; name: string; path: string; fileName?: string; contentType: string };

export interface MultipartBody {
  contentType: string;
  length: number;
  /** Yields the body; call once per attempt (each call re-reads the files). */
  stream(onBytes?: (n: number) => void): AsyncGenerator<Uint8Array>;
}

const CRLF = '\r\n';

// HTML's multipart encoding: quote names, and escape the characters that would end the quoted string.
function quoteParam(value: string): string {
  return `"${value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')}"`;
}

export async function buildMultipart(fields: MultipartField[]): Promise<MultipartBody> {
  const boundary = `----EngagementDesk${randomBytes(12).toString('hex')}`;
  const parts: Array<{ head: Buffer; field: MultipartField; size: number; body?: Buffer }> = [];
  for (const field of fields) {
    let head = `--${boundary}${CRLF}Content-Disposition: form-data; name=${quoteParam(field.name)}`;
    if (field.kind === 'file') {
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

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    async *stream(onBytes) {
      const emit = (chunk: Uint8Array) => {
        onBytes?.(chunk.byteLength);
        return chunk;
      };
      for (const part of parts) {
        yield emit(part.head);
        if (part.body) {
          yield emit(part.body);
        } else if (part.field.kind === 'file') {
          let sent = 0;
          for await (const chunk of createReadStream(part.field.path, { highWaterMark: 256 * 1024 })) {
            const bytes = chunk as Buffer;
            sent += bytes.length;
            if (sent > part.size) break;
            yield emit(bytes);
          }
          if (sent !== part.size) {
            fail('file', `${part.field.path} changed while it was being sent (expected ${part.size} bytes, read ${sent}). Nothing was completed; send again.`);
          }
        }
        yield emit(crlf);
      }
      yield emit(tail);
    },
  };
}
