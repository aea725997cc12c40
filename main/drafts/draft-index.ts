// The drafts index: a cache of every draft's summary, so the list never has to open 10,000 item files.
//   index.json             snapshot: id -> { fingerprint, summary, blob hashes }
//   index.journal.jsonl    append-only changes since the snapshot, so a save never rewrites the whole index
// The item files stay the truth: on the first load in a process every item file is stat()ed and any file whose
// (size, mtime, inode) differs from the index is re-read, so a crash between writing an item and its journal
// line, an edit by another process, or a lost index never shows stale data.
import { appendFile, open, readdir, readFile, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Draft, DraftSummary } from '../../preload/contract';
import { DRAFT_KINDS, draftFiles, draftSummary, parseDraftJson } from '../core/drafts';
import { isAtomicTempName, removeStaleTemps, writeFileAtomic } from '../platform/atomic-file';

/** A draft id, which is also its item file's name (items/<id>.json). */
export const DRAFT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface IndexEntry {
  /** `${size}:${mtimeMs}:${ino}` of the item file the summary was taken from. */
  fp: string;
  s: DraftSummary;
  /** SHA-256 of every blob the draft references (for garbage collection without opening every draft). */
  b: string[];
}

/**
 * Journal lines. A save appends an intent (the new summary) BEFORE writing the item and a commit (the written
 * file's fingerprint) after, so after a crash the only items that need reading are those with an intent but no
 * commit: loading never has to open or stat all 10,000 files before the list can show.
 */
type JournalLine =
  | { id: string; put: Omit<IndexEntry, 'fp'> }
  | { id: string; fp: string }
  | { id: string; del: true };

export interface DraftIndexOptions {
  root: string;
  itemsDir: string;
  /** Journal lines beyond max(this, number of drafts) trigger compaction into index.json. */
  compactAfterLines: number;
  /** Set aside an item file that cannot be read (it must also leave the index: see `remove`). */
  quarantine: (id: string, message: string) => Promise<void>;
  /** The store's per-draft lock, so a background re-read never races a save of the same draft. */
  withLock: <T>(id: string, task: () => Promise<T>) => Promise<T>;
}

export class DraftIndex {
  private readonly indexPath: string;
  private readonly journalPath: string;
  private entries = new Map<string, IndexEntry>();
  private loaded = false;
  private indexFp = '';
  private journalOffset = 0;
  private journalLines = 0;
  private loading: Promise<void> | undefined;
  private verifying: Promise<void> | undefined;

  constructor(private readonly options: DraftIndexOptions) {
    this.indexPath = join(options.root, 'index.json');
    this.journalPath = join(options.root, 'index.journal.jsonl');
  }

  /** Every draft's entry as of the last refresh. */
  values(): IterableIterator<IndexEntry> {
    return this.entries.values();
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Forget what is in memory so the next refresh verifies every item file again (what a new process does). */
  forget(): void {
    this.loaded = false;
  }

  /** Waits for the background check of every item file started by the last full load. */
  async settled(): Promise<void> {
    await this.verifying;
  }

  /** Journal the intent, let `write` put the item file in place, then journal its fingerprint. */
  async record(draft: Draft, write: () => Promise<void> = async () => undefined): Promise<void> {
    const entry = { s: draftSummary(draft), b: draftFiles(draft).map((f) => f.file.sha256) };
    await this.journal({ id: draft.id, put: entry });
    await write();
    await this.commit(draft.id, entry);
  }

  /** The draft's item file is gone (trashed or set aside). */
  async remove(id: string): Promise<void> {
    this.entries.delete(id);
    await this.journal({ id, del: true });
  }

  /** Bring the in-memory index up to date with disk: full verification the first time, journal tail after. */
  async refresh(): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      try {
        const indexInfo = await stat(this.indexPath).catch(() => undefined);
        const indexFp = indexInfo ? fingerprint(indexInfo) : '';
        const journalInfo = await stat(this.journalPath).catch(() => undefined);
        const journalSize = journalInfo?.size ?? 0;
        if (!this.loaded || indexFp !== this.indexFp || journalSize < this.journalOffset) {
          await this.fullLoad();
        } else if (journalSize > this.journalOffset) {
          // Another process (the CLI, a second window) saved: apply its journal lines.
          const tail = await readRange(this.journalPath, this.journalOffset, journalSize);
          const complete = tail.lastIndexOf('\n') + 1;
          this.applyJournal(tail.slice(0, complete));
          this.journalOffset += Buffer.byteLength(tail.slice(0, complete));
        }
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private itemPath(id: string): string {
    return join(this.options.itemsDir, `${id}.json`);
  }

  /** Record an item file that is now on disk: commit line with its fingerprint (O(1)), and memory. */
  private async commit(id: string, entry: Omit<IndexEntry, 'fp'>): Promise<void> {
    const fp = fingerprint(await stat(this.itemPath(id)));
    await this.journal({ id, fp });
    if (this.loaded) this.entries.set(id, { ...entry, fp });
  }

  private async journal(line: JournalLine): Promise<void> {
    // The leading newline terminates any torn line a crash left, so this record always parses on its own.
    const text = `\n${JSON.stringify(line)}\n`;
    // journalOffset is not advanced: the next refresh re-reads from it, which also picks up lines another process
    // appended before ours (re-applying our own line is harmless, lines apply in file order).
    await appendFile(this.journalPath, text, { mode: 0o600 });
  }

  private async fullLoad(): Promise<void> {
    const entries = new Map<string, IndexEntry>();
    const indexInfo = await stat(this.indexPath).catch(() => undefined);
    if (indexInfo) {
      try {
        const snapshot = JSON.parse(await readFile(this.indexPath, 'utf8')) as { version?: number; entries?: Record<string, IndexEntry> };
        if (snapshot.version === 1 && snapshot.entries) {
          for (const [id, entry] of Object.entries(snapshot.entries)) if (isIndexEntry(entry)) entries.set(id, entry);
        }
      } catch {
        // The index is a cache: a damaged one is rebuilt from the item files below.
      }
    }
    this.entries = entries;
    const journalText = await readFile(this.journalPath, 'utf8').catch(() => '');
    const complete = journalText.lastIndexOf('\n') + 1;
    this.journalLines = 0;
    this.applyJournal(journalText.slice(0, complete));
    this.journalOffset = Buffer.byteLength(journalText.slice(0, complete));

    // Cheap reconciliation: files added or removed behind the index's back, and saves a crash left uncommitted.
    const onDisk = new Set<string>();
    // Left by writes that were killed; a live writer's temp (its pid alive, or young) is kept.
    await removeStaleTemps(this.options.itemsDir);
    for (const name of await readdir(this.options.itemsDir)) {
      if (isAtomicTempName(name)) continue;
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -'.json'.length);
      if (DRAFT_ID.test(id)) onDisk.add(id);
    }
    let changed = !indexInfo;
    for (const id of [...this.entries.keys()]) {
      if (!onDisk.has(id)) {
        this.entries.delete(id);
        changed = true;
      }
    }
    const toRead = [...onDisk].filter((id) => (this.entries.get(id)?.fp ?? '') === '');
    if (toRead.length > 0) changed = true;
    await mapLimit(toRead, 32, (id) => this.reindex(id));
    this.loaded = true;
    this.indexFp = indexInfo ? fingerprint(indexInfo) : '';
    if (changed || this.journalLines > Math.max(this.options.compactAfterLines, this.entries.size)) await this.compact();
    // Edits made outside the app (or lost by a compaction race) are caught by a full check, off the list's path.
    this.verifying = this.verifyAll().catch(() => undefined);
  }

  /** stat() every item file and re-read those whose fingerprint differs from the index. */
  private async verifyAll(): Promise<void> {
    const names = await readdir(this.options.itemsDir);
    const stale: string[] = [];
    await mapLimit(names, 32, async (name) => {
      if (!name.endsWith('.json') || isAtomicTempName(name)) return;
      const id = name.slice(0, -'.json'.length);
      if (!DRAFT_ID.test(id)) return;
      const info = await stat(join(this.options.itemsDir, name)).catch(() => undefined);
      if (info && this.entries.get(id)?.fp !== fingerprint(info)) stale.push(id);
    });
    for (const id of stale) await this.options.withLock(id, () => this.reindex(id));
    if (stale.length > 0) await this.compact();
  }

  /** Read one item file into the index, or quarantine it. */
  private async reindex(id: string): Promise<void> {
    const path = this.itemPath(id);
    try {
      const info = await stat(path);
      const draft = parseDraftJson(await readFile(path, 'utf8'));
      if (draft.id !== id) throw new Error(`The file holds draft ${draft.id}, not ${id}.`);
      this.entries.set(id, { fp: fingerprint(info), s: draftSummary(draft), b: draftFiles(draft).map((f) => f.file.sha256) });
    } catch (error) {
      this.entries.delete(id);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      await this.options.quarantine(id, (error as Error).message).catch(() => undefined);
    }
  }

  private applyJournal(text: string): void {
    for (const line of text.split('\n')) {
      if (!line) continue;
      this.journalLines++;
      let parsed: JournalLine;
      try {
        parsed = JSON.parse(line) as JournalLine;
      } catch {
        continue; // a torn line: its save was never committed, so the item is re-read
      }
      if (typeof parsed?.id !== 'string') continue;
      if ('del' in parsed) this.entries.delete(parsed.id);
      else if ('put' in parsed) {
        // Intent: fp '' until the commit line arrives; a missing commit makes the load read the file.
        if (isIndexEntry({ ...parsed.put, fp: '' })) this.entries.set(parsed.id, { ...parsed.put, fp: '' });
      } else if ('fp' in parsed && typeof parsed.fp === 'string') {
        const entry = this.entries.get(parsed.id);
        if (entry) entry.fp = parsed.fp;
      }
    }
  }

  /** Rewrite index.json from memory and empty the journal. O(drafts), so it runs on load, not per save. */
  private async compact(): Promise<void> {
    const snapshot = { version: 1, entries: Object.fromEntries(this.entries) };
    await writeFileAtomic(this.indexPath, JSON.stringify(snapshot));
    // A line another process appends between these two steps is lost from the journal, not from disk: every
    // process re-verifies item files when it sees index.json change.
    await truncate(this.journalPath, 0).catch(() => undefined);
    const info = await stat(this.indexPath);
    this.indexFp = fingerprint(info);
    this.journalOffset = 0;
    this.journalLines = 0;
  }
}

function fingerprint(info: { size: number; mtimeMs: number; ino: number }): string {
  return `${info.size}:${info.mtimeMs}:${info.ino}`;
}

/** A light shape check (not zod): it runs for every draft on load, and the index is only a cache anyway. */
function isIndexEntry(value: unknown): value is IndexEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as IndexEntry;
  const s = entry.s as Partial<DraftSummary> | undefined;
  return (
    typeof entry.fp === 'string' &&
    Array.isArray(entry.b) &&
    typeof s === 'object' &&
    s !== null &&
    typeof s.id === 'string' &&
    typeof s.name === 'string' &&
    (DRAFT_KINDS as readonly unknown[]).includes(s.kind) &&
    typeof s.updatedAt === 'string' &&
    typeof s.revision === 'number' &&
    Array.isArray(s.problems) &&
    Array.isArray(s.fileNames)
  );
}

async function readRange(path: string, start: number, end: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function mapLimit<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  });
  await Promise.all(workers);
}
