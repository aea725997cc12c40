// The certificate download, from the server's answer to a file on disk. The body streams into a temp file beside
// the destination, named by the platform's atomicTempName (so removeStaleTemps recognises one that a killed
// process left behind), is fsynced, then renamed into place: a failed or cancelled download leaves nothing at the
// destination and no temp file behind.
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Dispatcher } from 'undici';
import type { CertDownloadResult } from '../../preload/contract';
import { appError, downloadCutOff, EngagementError, fail, serverMessageFromBody, toAppError } from '../core/errors';
import { atomicTempName } from '../platform/atomic-file';
import { headerValue, MAX_ERROR_BODY, readLimited } from './http-answers';
import { PROGRESS_INTERVAL_BYTES, type TransferOptions } from './transfer-options';

const WRITE_BATCH_BYTES = 1024 * 1024;

/** Checked before the request goes out: answers true when the destination is a folder to save into. */
export async function checkDestination(destination: string): Promise<boolean> {
  const info = await stat(destination).catch(() => undefined);
  if (info?.isDirectory()) return true;
  const folder = await stat(dirname(destination)).catch(() => undefined);
  if (!folder?.isDirectory()) {
    fail('file', `The folder ${dirname(destination)} does not exist. Choose another place to save the certificate.`);
  }
  return false;
}

/** A 200 whose body is a JSON message or a web page (an expired session's login page) is not the certificate. */
export async function refuseMessageInsteadOfFile(response: Dispatcher.ResponseData): Promise<void> {
  const contentType = headerValue(response.headers['content-type']);
  if (!/json|html/i.test(contentType ?? '')) return;
  const text = await readLimited(response.body, MAX_ERROR_BODY);
  const said = serverMessageFromBody(text, contentType);
  throw new EngagementError(
    appError('unexpected-response', `The server sent ${/html/i.test(contentType ?? '') ? 'a web page' : 'a JSON message'} instead of the certificate${said ? `: ${said}` : '.'}`, {
      httpStatus: 200,
      ...(said ? { detail: said } : {}),
    }),
  );
}

/** `name`, or `name (1).ext`, `name (2).ext`... whichever does not exist yet in `folder`. */
export async function freeName(folder: string, name: string): Promise<string> {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let n = 0; n < 1000; n++) {
    const candidate = join(folder, n === 0 ? name : `${stem} (${n})${ext}`);
    if (!(await stat(candidate).catch(() => undefined))) return candidate;
  }
  return fail('file', `Too many files named like ${name} in ${folder}. Choose another folder.`);
}

/**
 * Streams the answer's body to `target`. The SHA-256 is read back from the file as written, during the fsync; the
 * file is renamed into place (and `onSaved` called) as soon as it is durable, without waiting for the hash, which
 * the result then carries. `host` names the server in errors.
 */
export async function saveDownload(
  response: Dispatcher.ResponseData,
  target: string,
  host: string,
  transfer: TransferOptions,
): Promise<CertDownloadResult> {
  const totalHeader = Number(headerValue(response.headers['content-length']));
  const total = Number.isFinite(totalHeader) && totalHeader >= 0 ? totalHeader : undefined;
  const temp = join(dirname(target), atomicTempName(basename(target)));
  let transferred = 0;
  let reported = 0;
  const report = () => transfer.onProgress?.({ direction: 'download', transferred, ...(total !== undefined ? { total } : {}) });
  let handle: FileHandle | undefined;
  let writing: Promise<unknown> = Promise.resolve();
  let hashing: Promise<string> | undefined;
  try {
    handle = await open(temp, 'wx+', 0o600);
    // Chunks are written in batches of about 1 MB (one writev each): far fewer trips to the file-system thread
    // pool than a write per socket chunk. One batch is written while the next one fills, so the disk and the
    // network work at the same time; memory stays bounded by two batches. (Opened for reading too: see below.)
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for await (const chunk of response.body) {
      const bytes = chunk as Buffer;
      batch.push(bytes);
      batchBytes += bytes.length;
      transferred += bytes.length;
      if (batchBytes >= WRITE_BATCH_BYTES) {
        const full = batch;
        batch = [];
        batchBytes = 0;
        await writing;
        writing = writeAll(handle, full);
        writing.catch(() => undefined); // handled: awaited with the next batch, or settled in the catch below
      }
      if (transferred - reported >= PROGRESS_INTERVAL_BYTES) {
        reported = transferred;
        report();
      }
    }
    if (transfer.signal?.aborted) throw transfer.signal.reason;
    await writing;
    await writeAll(handle, batch);
    if (total !== undefined && transferred !== total) {
      throw new EngagementError(downloadCutOff(transferred, total));
    }
    // The SHA-256 is taken from the file as written, starting while the disk flushes it: hashing costs about
    // 150 ms of CPU per 256 MB, which overlaps the fsync's wait instead of slowing the transfer, and does not
    // hold back the rename. The handle stays open until the hash is read (libuv opens files with
    // FILE_SHARE_DELETE on Windows, so the rename of an open file works there too).
    hashing = sha256OfFile(handle, transferred);
    hashing.catch(() => undefined); // handled: awaited below, or settled in the catch
    await handle.sync();
    await rename(temp, target);
  } catch (error) {
    // Destroying an unread body emits 'error' (RequestAbortedError); without a listener that kills the process.
    response.body.once('error', () => undefined);
    response.body.destroy();
    await writing.catch(() => undefined);
    await hashing?.catch(() => undefined); // its reads must end before the handle is closed
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    if (transfer.signal?.aborted) throw new EngagementError(appError('cancelled', 'Download cancelled. Nothing was saved.'));
    const mapped = toAppError(error, { host, path: target });
    // A connection lost mid-body is a cut-off download, not a server that never answered.
    const failure = mapped.code === 'network' && handle !== undefined ? downloadCutOff(transferred, total, mapped.detail ?? 'ECONNRESET') : mapped;
    const saidNothingSaved = failure.code === 'file' || failure.code === 'timeout';
    throw new EngagementError(saidNothingSaved ? { ...failure, message: `${failure.message} Nothing was saved.` } : failure, { cause: error });
  }
  report();
  transfer.onSaved?.({ path: target, bytes: transferred });
  try {
    return { path: target, bytes: transferred, sha256: await hashing };
  } catch (error) {
    // The file is saved and stays: only its read-back failed.
    const mapped = toAppError(error, { path: target });
    throw new EngagementError({ ...mapped, message: `Saved ${target}, but reading it back for its SHA-256 failed: ${mapped.message}` }, { cause: error });
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** writev may write less than asked (as write may); loop until every byte of the batch is on disk. */
async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  let pending = buffers;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending);
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const buffer of pending) {
      if (skip >= buffer.length) {
        skip -= buffer.length;
      } else {
        rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
        skip = 0;
      }
    }
    pending = rest;
  }
}

/**
 * SHA-256 of the first `size` bytes of an open file, read in 1 MB steps; the next step is read while the last one
 * is hashed.
 */
async function sha256OfFile(handle: FileHandle, size: number): Promise<string> {
  const hash = createHash('sha256');
  const step = Math.max(1, Math.min(size, WRITE_BATCH_BYTES));
  const readAt = async (position: number, buffer: Buffer): Promise<Buffer> => {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(step, size - position), position);
    if (bytesRead === 0) fail('file', 'the file became shorter while it was read (another program may have changed it).');
    return buffer.subarray(0, bytesRead);
  };
  const spare = [Buffer.allocUnsafe(step), Buffer.allocUnsafe(step)];
  let position = 0;
  let next = size > 0 ? readAt(0, spare[0]!) : undefined;
  for (let turn = 1; next; turn++) {
    const chunk = await next;
    position += chunk.length;
    next = position < size ? readAt(position, spare[turn % 2]!) : undefined;
    hash.update(chunk);
  }
  return hash.digest('hex');
}
