// Deleted drafts: trash/<id>@<ms>.json, restorable until purged by age or count.
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { draftFiles, parseDraftJson } from '../core/drafts';
import { renameRetrying } from '../platform/atomic-file';

const TRASHED = /@\d+\.json$/;

export class DraftTrash {
  constructor(
    readonly dir: string,
    private readonly now: () => Date,
    private readonly limits: { retentionMs: number; maxEntries: number },
  ) {}

  /** Move an item file in; false when there was no such file. */
  async put(itemPath: string, id: string): Promise<boolean> {
    try {
      await renameRetrying(itemPath, join(this.dir, `${id}@${this.now().getTime()}.json`));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** The most recently deleted copy of a draft, if any is left. */
  async latest(id: string): Promise<string | undefined> {
    const candidates = (await readdir(this.dir)).filter((name) => name.startsWith(`${id}@`) && name.endsWith('.json'));
    const latest = candidates.sort((a, b) => trashTime(b) - trashTime(a))[0];
    return latest === undefined ? undefined : join(this.dir, latest);
  }

  /** Drafts in the trash, newest deletion first. */
  async list(): Promise<Array<{ id: string; deletedAt: string }>> {
    const names = (await readdir(this.dir)).filter((name) => TRASHED.test(name));
    return names
      .map((name) => ({ id: name.slice(0, name.lastIndexOf('@')), deletedAt: new Date(trashTime(name)).toISOString() }))
      .sort((a, b) => (a.deletedAt < b.deletedAt ? 1 : -1));
  }

  async purge(): Promise<number> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((name) => TRASHED.test(name));
    names.sort((a, b) => trashTime(b) - trashTime(a));
    const cutoff = this.now().getTime() - this.limits.retentionMs;
    let purged = 0;
    for (const [index, name] of names.entries()) {
      if (index >= this.limits.maxEntries || trashTime(name) < cutoff) {
        await unlink(join(this.dir, name)).catch(() => undefined);
        purged++;
      }
    }
    return purged;
  }

  /** Blob hashes the trashed drafts hold: a restore must find its files. */
  async referencedBlobs(into: Set<string>): Promise<void> {
    for (const name of await readdir(this.dir)) {
      try {
        const draft = parseDraftJson(await readFile(join(this.dir, name), 'utf8'));
        for (const { file } of draftFiles(draft)) into.add(file.sha256);
      } catch {
        // An unreadable trashed draft holds nothing restorable.
      }
    }
  }
}

function trashTime(name: string): number {
  const match = /@(\d+)\.json$/.exec(name);
  return match ? Number(match[1]) : 0;
}
