// The outbox on disk: one JSON file per entry under <dataDir>/outbox/ (<id>.json, written atomically) holding a
// copy of the draft as it was queued, and state.json for the global pause. The files are the truth, shared by
// every process; `reload` brings this process's view up to date.
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Draft, OutboxEntry, OutboxView } from '../../preload/contract';
import { appError, fail } from '../core/errors';
import { isProcessAlive, writeFileAtomic } from '../platform/atomic-file';

export interface StoredEntry extends OutboxEntry {
  draft: Draft;
  ownerPid?: number;
}

export const ENTRY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class OutboxQueue {
  private readonly statePath: string;
  private entries = new Map<string, StoredEntry>();
  private pausedFlag = false;

  constructor(
    readonly dir: string,
    private readonly now: () => Date,
    /** Sent entries stay visible this long, then only the history has them. */
    private readonly keepSentMs: number,
  ) {
    this.statePath = join(dir, 'state.json');
  }

  /** Whether automatic sending is paused (as of the last reload or change). */
  get paused(): boolean {
    return this.pausedFlag;
  }

  async setPaused(paused: boolean): Promise<void> {
    this.pausedFlag = paused;
    await writeFileAtomic(this.statePath, JSON.stringify({ paused }));
  }

  /** The entry as of the last reload or write. */
  get(id: string): StoredEntry | undefined {
    return this.entries.get(id);
  }

  values(): IterableIterator<StoredEntry> {
    return this.entries.values();
  }

  /** Re-read every entry file: drop sent entries past their time, settle those whose sender died. */
  async reload(): Promise<void> {
    try {
      const state = JSON.parse(await readFile(this.statePath, 'utf8')) as { paused?: unknown };
      this.pausedFlag = state.paused === true;
    } catch {
      // No state file yet: not paused.
    }
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const next = new Map<string, StoredEntry>();
    const nowMs = this.now().getTime();
    for (const name of names) {
      if (!name.endsWith('.json') || name === 'state.json' || name.startsWith('.')) continue;
      const id = name.slice(0, -5);
      if (!ENTRY_ID.test(id)) continue;
      const entry = await this.read(id);
      if (!entry) continue;
      if (entry.state === 'sent' && nowMs - Date.parse(entry.updatedAt) > this.keepSentMs) {
        await unlink(this.entryPath(id)).catch(() => undefined);
        continue;
      }
      if (entry.state === 'sending' && entry.ownerPid !== process.pid && !(entry.ownerPid && isProcessAlive(entry.ownerPid))) {
        await this.markAbandoned(id);
        const updated = await this.read(id);
        if (updated) next.set(id, updated);
        continue;
      }
      next.set(id, entry);
    }
    this.entries = next;
  }

  /** The entry as it is on disk now (undefined when gone or unreadable). */
  async read(id: string): Promise<StoredEntry | undefined> {
    try {
      const value = JSON.parse(await readFile(this.entryPath(id), 'utf8')) as StoredEntry;
      if (typeof value?.id !== 'string' || typeof value.state !== 'string' || typeof value.draft !== 'object') return undefined;
      return value;
    } catch {
      return undefined;
    }
  }

  /** Read, change and write back one entry, stamping updatedAt. */
  async update(id: string, change: (entry: StoredEntry) => void): Promise<void> {
    const entry = await this.read(id);
    if (!entry) fail('not-found', 'That outbox entry no longer exists.');
    change(entry);
    entry.updatedAt = this.now().toISOString();
    await this.write(entry);
  }

  async write(entry: StoredEntry): Promise<void> {
    await writeFileAtomic(this.entryPath(entry.id), JSON.stringify(entry));
    this.entries.set(entry.id, entry);
  }

  /** Keep what was just read from disk as this process's view of the entry. */
  remember(entry: StoredEntry): void {
    this.entries.set(entry.id, entry);
  }

  async remove(id: string): Promise<void> {
    await unlink(this.entryPath(id)).catch(() => undefined);
    this.entries.delete(id);
  }

  /** The process sending this entry died (crash, kill -9): whether the server got it is unknown. */
  async markAbandoned(id: string): Promise<void> {
    const entry = await this.read(id);
    if (entry?.state === 'sending') {
      entry.state = 'outcome-unknown';
      delete entry.ownerPid;
      entry.updatedAt = this.now().toISOString();
      entry.lastError = appError('network', 'The app stopped while this was being sent, so whether the server got it is unknown.', {
        retryable: false,
        reason: 'interrupted',
      });
      await this.write(entry);
    }
  }

  view(): OutboxView {
    return { entries: [...this.entries.values()].sort(byCreated).map(publicEntry), paused: this.pausedFlag };
  }

  private entryPath(id: string): string {
    if (!ENTRY_ID.test(id)) fail('validation', 'Invalid outbox entry id.');
    return join(this.dir, `${id}.json`);
  }
}

/** What the renderer and the CLI see: no draft copy, no owner pid. */
export function publicEntry(entry: StoredEntry): OutboxEntry {
  const { draft: _draft, ownerPid: _owner, ...rest } = entry;
  return { ...rest };
}

export function byCreated(a: OutboxEntry, b: OutboxEntry): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
}
