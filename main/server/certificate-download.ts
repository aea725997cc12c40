// The certificate download, from the server's answer to a file on disk. The body streams into a temp file beside
// the destination, named by the platform's atomicTempName (so removeStaleTemps recognises one that a killed
// process left behind), is fsynced, then renamed into place: a failed or cancelled download leaves nothing at the
// destination and no temp file behind. A hostile server is bounded (issue #18): the body may be at most
// MAX_CERTIFICATE_DOWNLOAD_BYTES, never compressed, and must arrive within the download's deadline; only a regular
// file (or a new name) is ever replaced; a body that is not shaped like PKCS#12 is kept, with a warning.
import { lstat, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Dispatcher } from 'undici';
import type { CertDownloadResult } from '../../preload/contract';
import { appError, downloadCutOff, EngagementError, fail, serverMessageFromBody, toAppError } from '../core/errors';
import { looksLikePkcs12, PKCS12_HEAD_BYTES } from '../core/p12-shape';
import { assertWindowsFileName, atomicTempName, renameRetrying, type DownloadJournal } from '../platform/atomic-file';
import { headerValue, MAX_ERROR_BODY, readLimited } from './http-answers';
import { PROGRESS_INTERVAL_BYTES, type TransferOptions } from './transfer-options';

const WRITE_BATCH_BYTES = 1024 * 1024;

/** A .p12 is a few KB; the local checks refuse one over 1 MiB (MAX_P12_BYTES), and so does the download. */
export const MAX_CERTIFICATE_DOWNLOAD_BYTES = 1024 * 1024;

/** The warning a saved body that is not shaped like a PKCS#12 file carries (shown before "Saved"). */
export const NOT_PKCS12_WARNING =
  'The server\'s file does not look like a PKCS#12 certificate (.p12): it was saved as sent, but it may not be the certificate. Open it with its passphrase (Check a file) before you use it, or ask the server\'s administrator.';

function kindOf(info: Stats): string | undefined {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a folder';
  return info.isFile() ? undefined : 'not a regular file';
}

/**
 * Refuses a destination that is anything but a regular file, a link to one or a free name (issue #18 point 2): a
 * named pipe, a device such as /dev/null, a socket, or a link to one would otherwise be replaced by the rename.
 */
export async function assertReplaceable(target: string): Promise<void> {
  const info = await lstat(target).catch(() => undefined);
  if (!info || info.isFile()) return;
  let kind = kindOf(info);
  if (info.isSymbolicLink()) {
    const pointed = await stat(target).catch(() => undefined);
    const pointedKind = pointed ? kindOf(pointed) : undefined;
    kind = pointedKind ? `a link to ${pointedKind}` : undefined;
  }
  if (kind) {
    fail('file', `${target} is ${kind}, not a file: Engagement Desk only replaces regular files. Choose another name or folder.`);
  }
}

/** Checked before the request goes out: answers true when the destination is a folder to save into. */
export async function checkDestination(destination: string): Promise<boolean> {
  const info = await stat(destination).catch(() => undefined);
  if (info?.isDirectory()) return true;
  assertWindowsFileName(destination);
  const folder = await stat(dirname(destination)).catch(() => undefined);
  if (!folder?.isDirectory()) {
    fail('file', `The folder ${dirname(destination)} does not exist. Choose another place to save the certificate.`);
  }
  await assertReplaceable(destination);
  return false;
}

/**
 * Refuses, before anything is written, a body that would not be bounded by its size: one sent compressed (undici
 * does not decode it, so a gzip bomb would be saved as the certificate) or one announced as too big.
 */
export function refuseUnboundedBody(response: Dispatcher.ResponseData, host: string, maxBytes = MAX_CERTIFICATE_DOWNLOAD_BYTES): void {
  const encoding = headerValue(response.headers['content-encoding'])?.trim().toLowerCase();
  const length = Number(headerValue(response.headers['content-length']));
  let problem: string | undefined;
  if (encoding && encoding !== 'identity') {
    problem = `${host} sent the certificate compressed (Content-Encoding: ${encoding.slice(0, 40)}), which Engagement Desk does not accept for a certificate. Nothing was saved; ask the server's administrator.`;
  } else if (Number.isFinite(length) && length > maxBytes) {
    problem = tooBig(host, `${length} bytes`, maxBytes);
  }
  if (!problem) return;
  response.body.once('error', () => undefined);
  response.body.destroy();
  throw new EngagementError(appError('unexpected-response', problem, { httpStatus: 200 }));
}

function tooBig(host: string, size: string, maxBytes: number): string {
  return `${host} sent ${size} for the certificate; a .p12 certificate file is only a few KB (at most ${Math.round(maxBytes / 1024)} KB here). Nothing was saved; ask the server's administrator.`;
}

/** What bounds one download: its deadline, its largest body, and the journal that notes it while it runs. */
export interface DownloadLimits {
  deadlineMs: number;
  maxBytes: number;
  journal?: DownloadJournal | undefined;
}

/** The whole body must arrive within this time, however steadily it trickles (the idle timeout resets on each byte). */
function deadlineError(host: string, transferred: number, deadlineMs: number): EngagementError {
  return new EngagementError(
    appError('timeout', `Timed out waiting for data from ${host}: the certificate did not arrive within ${Math.round(deadlineMs / 1000)} s (${transferred} bytes received). Nothing was saved; check the network and try again.`, {
      detail: 'download-deadline',
    }),
  );
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
  limits: DownloadLimits,
): Promise<CertDownloadResult> {
  refuseUnboundedBody(response, host, limits.maxBytes);
  const totalHeader = Number(headerValue(response.headers['content-length']));
  const total = Number.isFinite(totalHeader) && totalHeader >= 0 ? totalHeader : undefined;
  const temp = join(dirname(target), atomicTempName(basename(target)));
  let transferred = 0;
  let reported = 0;
  const report = () => transfer.onProgress?.({ direction: 'download', transferred, ...(total !== undefined ? { total } : {}) });
  let handle: FileHandle | undefined;
  let writing: Promise<unknown> = Promise.resolve();
  let hashing: Promise<string> | undefined;
  let head: Buffer = Buffer.alloc(0);
  let overdue: EngagementError | undefined;
  const deadline = setTimeout(() => {
    overdue = deadlineError(host, transferred, limits.deadlineMs);
    response.body.destroy(overdue);
  }, limits.deadlineMs);
  deadline.unref();
  let endJournal: (() => Promise<void>) | undefined;
  try {
    // Noted before the temp exists, so that a SIGKILL at any point leaves a note the next start sweeps by.
    endJournal = await limits.journal?.begin(dirname(target));
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
      if (head.length < PKCS12_HEAD_BYTES) head = Buffer.concat([head, bytes.subarray(0, PKCS12_HEAD_BYTES - head.length)]);
      if (transferred > limits.maxBytes) {
        throw new EngagementError(appError('unexpected-response', tooBig(host, `more than ${limits.maxBytes} bytes`, limits.maxBytes), { httpStatus: 200 }));
      }
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
    if (overdue) throw overdue;
    clearTimeout(deadline);
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
    // Checked again at the last moment: something other than a file may have been put there while the body came.
    await assertReplaceable(target);
    await renameRetrying(temp, target);
  } catch (error) {
    clearTimeout(deadline);
    // Destroying an unread body emits 'error' (RequestAbortedError); without a listener that kills the process.
    response.body.once('error', () => undefined);
    response.body.destroy();
    await writing.catch(() => undefined);
    await hashing?.catch(() => undefined); // its reads must end before the handle is closed
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    await endJournal?.();
    if (overdue) throw overdue;
    if (transfer.signal?.aborted) throw new EngagementError(appError('cancelled', 'Download cancelled. Nothing was saved.'));
    const mapped = toAppError(error, { host, path: target });
    // A connection lost mid-body is a cut-off download, not a server that never answered.
    const failure = mapped.code === 'network' && handle !== undefined ? downloadCutOff(transferred, total, mapped.detail ?? 'ECONNRESET') : mapped;
    const saidNothingSaved = failure.code === 'file' || failure.code === 'timeout';
    throw new EngagementError(saidNothingSaved ? { ...failure, message: `${failure.message} Nothing was saved.` } : failure, { cause: error });
  }
  await endJournal?.();
  report();
  const warning = looksLikePkcs12(head, transferred) ? undefined : NOT_PKCS12_WARNING;
  transfer.onSaved?.({ path: target, bytes: transferred, ...(warning ? { warning } : {}) });
  try {
    return { path: target, bytes: transferred, sha256: await hashing, ...(warning ? { warning } : {}) };
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
