// Atomic writes and streaming hashes. A crash (or SIGKILL) during a write must never leave a half-written file at
// the final path: Bruno lost users' collections to blank files after crashes (usebruno/bruno#3420).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { basename, dirname, join } from 'node:path';
import { windowsNameProblem } from '../core/content-disposition';
import { fail } from '../core/errors';

export interface WriteAtomicOptions {
  /** File mode for a newly created file (default 0o600: drafts and history are the user's private data). */
  mode?: number;
  /** Skip the fsyncs (tests of throughput only; never for user data). */
  noSync?: boolean;
}

/**
 * Write `data` to `path` so that readers (and a crash) see either the old content or the new, never a mix:
 * temp file in the same folder (same file system, so rename is atomic), write, fsync, rename, fsync the folder.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteAtomicOptions = {},
): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, atomicTempName(basename(path)));
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temp, 'wx', options.mode ?? 0o600);
    await handle.writeFile(data);
    if (!options.noSync) await handle.sync();
    await handle.close();
    handle = undefined;
    await renameRetrying(temp, path);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  if (!options.noSync) await syncDirectory(dir);
}

// On Windows an antivirus scanner, the search indexer or a backup tool opens a new file for a moment, and a rename
// onto or from it fails with EPERM, EBUSY or EACCES until they let go (npm's graceful-fs retries for the same
// reason: isaacs/node-graceful-fs#42). There those codes are retried for about two seconds before they count.
const WINDOWS_HELD = new Set(['EPERM', 'EBUSY', 'EACCES']);
/** Waits between tries, in ms: about 2 s in all. */
export const RENAME_RETRY_DELAYS_MS: readonly number[] = [10, 20, 40, 80, 160, 250, 250, 250, 250, 250, 250, 250];

function heldOnWindows(error: unknown): boolean {
  return process.platform === 'win32' && WINDOWS_HELD.has((error as NodeJS.ErrnoException).code ?? '');
}

/** fs.rename, retried while Windows reports the file held by another process (see WINDOWS_HELD). */
export async function renameRetrying(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const delay = RENAME_RETRY_DELAYS_MS[attempt];
      if (delay === undefined || !heldOnWindows(error)) throw error;
      await sleep(delay);
    }
  }
}

/** renameRetrying for synchronous callers: the wait blocks the thread, as the synchronous write already does. */
export function renameRetryingSync(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(from, to);
      return;
    } catch (error) {
      const delay = RENAME_RETRY_DELAYS_MS[attempt];
      if (delay === undefined || !heldOnWindows(error)) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delay);
    }
  }
}

/**
 * Refuses, on Windows, a destination the user named whose last part Windows cannot hold (see windowsNameProblem),
 * before anything is sent or written. Elsewhere such names are ordinary files.
 */
export function assertWindowsFileName(path: string): void {
  if (process.platform !== 'win32') return;
  const problem = windowsNameProblem(basename(path));
  if (problem) fail('validation', problem);
}

/**
 * `.name.<pid>-<12 hex>.tmp`: the writer's pid lets a later process remove what a killed writer left behind (a
 * temp whose writer is gone can never be renamed into place) without racing a live writer in another process.
 */
export function atomicTempName(name: string): string {
  const suffix = `.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  // A long name is shortened (on a code point boundary) so that its temp still fits 255 bytes, the file systems' limit.
  let stem = name;
  const room = 255 - 1 - Buffer.byteLength(suffix, 'utf8');
  if (Buffer.byteLength(stem, 'utf8') > room) {
    stem = '';
    for (const char of name) {
      if (Buffer.byteLength(stem + char, 'utf8') > room) break;
      stem += char;
    }
  }
  return `.${stem}${suffix}`;
}

/** Make a rename durable. Windows cannot open a directory for fsync, so it is skipped there. */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems (network mounts) refuse fsync on a directory; the rename itself already happened.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** SHA-256 (lower-case hex) of a file, streamed so large files never sit in memory. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** writeFileAtomic for synchronous callers (the settings store, which electron-store and conf read synchronously). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: { mode?: number } = {}): void {
  const dir = dirname(path);
  const temp = join(dir, atomicTempName(basename(path)));
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', options.mode ?? 0o600);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameRetryingSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
    throw error;
  }
  syncDirectorySync(dir);
}

/** syncDirectory for synchronous writers (the settings store). */
export function syncDirectorySync(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // As in syncDirectory: a file system that refuses a directory fsync still did the rename.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** True when `name` looks like a temp file left by an interrupted writeFileAtomic (with or without a pid). */
export function isAtomicTempName(name: string): boolean {
  return /^\..+\.(?:\d+-)?[0-9a-f]{12}\.tmp$/.test(name);
}

/** The pid in a temp name from atomicTempName or the blob store (undefined for older names without one). */
export function tempWriterPid(name: string): number | undefined {
  const match = /(?:^|\.)(\d+)-[0-9a-f]{12,16}\.tmp$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Whether a process with this pid exists (EPERM: it does, and belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temp files younger than this are left alone whatever their pid says (a reused pid, a slow network drive). */
export const STALE_TEMP_MS = 10 * 60 * 1000;

/**
 * Delete temp files a killed writer left in `dir`: those whose writer process is gone, and any older than
 * `olderThanMs`. `isTemp` recognises the temp names (default: writeFileAtomic's). Returns how many were removed.
 */
export async function removeStaleTemps(
  dir: string,
  options: { isTemp?: (name: string) => boolean; olderThanMs?: number; now?: number } = {},
): Promise<number> {
  const isTemp = options.isTemp ?? isAtomicTempName;
  const cutoff = (options.now ?? Date.now()) - (options.olderThanMs ?? STALE_TEMP_MS);
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    if (!isTemp(name)) continue;
    const pid = tempWriterPid(name);
    const orphan = pid !== undefined && pid !== process.pid && !isProcessAlive(pid);
    if (!orphan) {
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (!info || info.mtimeMs > cutoff) continue;
    }
    await unlink(join(dir, name)).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
}

// -------------------------------------------------------------------------------------------------------------
// Downloads in progress. A download's temp sits in the user's folder, not in the data folder that the stores sweep:
// a download ended by SIGKILL (or a crash) would leave it there forever. So each download notes its folder in the
// data folder before its temp is created, and clears the note when it ends; the next start sweeps the folders of
// notes whose process is gone (issue #18 point 7).

const JOURNAL_ENTRY = /^(\d+)-[0-9a-f]{12}\.json$/;

/** The notes of downloads in progress, one small file per download in `dir` (so concurrent downloads never race). */
export class DownloadJournal {
  constructor(readonly dir: string) {}

  /** Notes that a download into `folder` is starting; call the returned function when it has ended, however it ended. */
  async begin(folder: string): Promise<() => Promise<void>> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const entry = join(this.dir, `${process.pid}-${randomBytes(6).toString('hex')}.json`);
    await writeFileAtomic(entry, JSON.stringify({ folder }));
    return () => unlink(entry).catch(() => undefined);
  }

  /**
   * Removes the temps that dead processes left in the folders of their notes (only temps whose writer pid is gone:
   * a live download in another window keeps its temp), then the notes. Returns how many temps were removed.
   */
  async sweep(): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const match = JOURNAL_ENTRY.exec(name);
      if (!match) continue;
      const pid = Number(match[1]);
      if (pid === process.pid || isProcessAlive(pid)) continue;
      const entry = join(this.dir, name);
      const folder = await readFile(entry, 'utf8')
        .then((text) => (JSON.parse(text) as { folder?: unknown }).folder)
        .catch(() => undefined); // unreadable or damaged: only the note goes
      if (typeof folder === 'string') removed += await removeStaleTemps(folder, { olderThanMs: Number.POSITIVE_INFINITY });
      await unlink(entry).catch(() => undefined);
    }
    await removeStaleTemps(this.dir);
    return removed;
  }
}
