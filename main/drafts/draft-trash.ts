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
      .map((name) => ({ id: trashedId(name), deletedAt: new Date(trashTime(name)).toISOString() }))
      .sort((a, b) => (a.deletedAt < b.deletedAt ? 1 : -1));
  }

  /**
   * Deletes trashed copies past the retention time or beyond the count. `release(id)` is asked first for each
   * draft whose last trashed copy would go (a draft deleted, restored and deleted again has several): false, or an
   * error, keeps that draft's copies for a later purge, so what it cleans up is never skipped.
   */
  async purge(release?: (draftId: string) => Promise<boolean>): Promise<number> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((name) => TRASHED.test(name));
    names.sort((a, b) => trashTime(b) - trashTime(a));
    const cutoff = this.now().getTime() - this.limits.retentionMs;
    const doomed: string[] = [];
    const kept = new Set<string>();
    for (const [index, name] of names.entries()) {
      if (index >= this.limits.maxEntries || trashTime(name) < cutoff) doomed.push(name);
      else kept.add(trashedId(name));
    }
    const settled = new Map<string, boolean>();
    let purged = 0;
    for (const name of doomed) {
      const id = trashedId(name);
      if (release && !kept.has(id) && !settled.has(id)) settled.set(id, await release(id).catch(() => false));
      if (settled.get(id) === false) continue;
      await unlink(join(this.dir, name)).catch(() => undefined);
      purged++;
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

function trashedId(name: string): string {
  return name.slice(0, name.lastIndexOf('@'));
}

function trashTime(name: string): number {
  const match = /@(\d+)\.json$/.exec(name);
  return match ? Number(match[1]) : 0;
}
