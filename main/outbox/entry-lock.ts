// Several processes (the app, the CLI) may share one outbox: an entry is claimed with an exclusive lock file
// (<id>.lock, created O_EXCL with the owner's pid) for the whole send, so it is never sent twice in parallel.
import { link, open, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fail } from '../core/errors';
import { atomicTempName, isProcessAlive } from '../platform/atomic-file';
import { ENTRY_ID, type OutboxQueue } from './outbox-queue';

export class EntryLocks {
  constructor(
    private readonly queue: OutboxQueue,
    private readonly now: () => Date,
  ) {}

  /** Exclusive claim across processes: O_EXCL lock file holding our pid; a dead owner's lock is broken. */
  async claim(id: string): Promise<(() => Promise<void>) | undefined> {
    const lockPath = this.lockPath(id);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await createLockFile(lockPath, JSON.stringify({ pid: process.pid, at: this.now().toISOString() }))) {
        return () => unlink(lockPath).catch(() => undefined);
      }
      const owner = await lockOwner(lockPath);
      if (owner !== undefined && (owner === process.pid || isProcessAlive(owner))) return undefined;
      // The owner died (crash, kill -9) while holding the entry: if it was sending, the outcome is unknown.
      await this.queue.markAbandoned(id);
      await unlink(lockPath).catch(() => undefined);
    }
    return undefined;
  }

  /**
   * Locks whose owner was killed: the entry it was sending (already marked outcome-unknown by reload) is settled,
   * so the lock only blocks nothing and would pile up, one per kill, for entries that are later discarded.
   */
  async removeDead(): Promise<void> {
    const names = await readdir(this.queue.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith('.lock')) continue;
      const id = name.slice(0, -'.lock'.length);
      if (!ENTRY_ID.test(id)) continue;
      const owner = await lockOwner(join(this.queue.dir, name));
      if (owner === undefined || owner === process.pid || isProcessAlive(owner)) continue;
      await this.queue.markAbandoned(id);
      await unlink(join(this.queue.dir, name)).catch(() => undefined);
    }
  }

  private lockPath(id: string): string {
    if (!ENTRY_ID.test(id)) fail('validation', 'Invalid outbox entry id.');
    return join(this.queue.dir, `${id}.lock`);
  }
}

async function lockOwner(path: string): Promise<number | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown };
    return typeof value.pid === 'number' ? value.pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Create `path` holding `content`, or answer false when it exists. The content is written under a temp name and
 * hard-linked into place (link fails with EEXIST like O_EXCL), so a kill can never leave an empty, ownerless lock.
 */
async function createLockFile(path: string, content: string): Promise<boolean> {
  const temp = join(dirname(path), atomicTempName(basename(path)));
  try {
    await writeFile(temp, content, { mode: 0o600, flag: 'wx' });
    await link(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    // A file system without hard links (FAT, some network shares): O_EXCL create, then write.
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(content);
      await handle.close();
      return true;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
