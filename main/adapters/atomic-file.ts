// Atomic writes and streaming hashes. A crash (or SIGKILL) during a write must never leave a half-written file at
// the final path: Bruno lost users' collections to blank files after crashes (usebruno/bruno#3420).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temp, 'wx', options.mode ?? 0o600);
    await handle.writeFile(data);
    if (!options.noSync) await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  if (!options.noSync) await syncDirectory(dir);
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

/** True when `name` looks like a temp file left by an interrupted writeFileAtomic. */
export function isAtomicTempName(name: string): boolean {
  return /^\..+\.[0-9a-f]{12}\.tmp$/.test(name);
}
