// The drafts store (issue #5). Layout under <dataDir>/drafts/:
//   items/<id>.json        one file per draft, written atomically: the truth
//   blobs/<aa>/<sha256>    files dropped into drafts, content-addressed and shared between drafts
//   index.json             snapshot cache: id -> { fingerprint, summary, blob hashes }
//   index.journal.jsonl    append-only changes since the snapshot, so a save never rewrites the whole index
//   trash/<id>@<ms>.json   deleted drafts, restorable until purged
//   quarantine/            unreadable item files, set aside with a .reason.json beside each
//   session.json           which drafts were open
// The index is only a cache: on the first load in a process every item file is stat()ed and any file whose
// (size, mtime, inode) differs from the index is re-read, so a crash between writing an item and its journal
// line, an edit by another process, or a lost index never shows stale data.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  appendFile,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  truncate,
  unlink,
} from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import {
  draftSessionSchema,
  type Draft,
  type DraftFile,
  type DraftFileStatus,
  type DraftKind,
  type DraftSession,
  type DraftStoreProblem,
  type DraftSummary,
} from '../../preload/contract';
import {
  compareSummaries,
  draftFiles,
  draftSummary,
  matchesDraftQuery,
  MAX_DRAFT_FILE_BYTES,
  MAX_DRAFT_JSON_BYTES,
  newDraft,
  normalizeDraft,
  parseDraftJson,
} from '../core/drafts';
import { appError, EngagementError, fail } from '../core/errors';
import { isAtomicTempName, removeStaleTemps, sha256File, syncDirectory, writeFileAtomic } from '../platform/atomic-file';

export interface DraftsStoreOptions {
  dataDir: string;
  now?: () => Date;
  /** Deleted drafts older than this are purged (default 30 days). */
  trashRetentionMs?: number;
  /** At most this many deleted drafts are kept (default 500). */
  trashMaxEntries?: number;
  /** Unreferenced blobs younger than this survive garbage collection: a file may be added before its draft saves. */
  blobGraceMs?: number;
  /** Journal lines beyond max(this, number of drafts) trigger compaction into index.json (default 2000). */
  compactAfterLines?: number;
}

interface IndexEntry {
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

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** blobs/tmp/<pid>-<hex>.tmp (older versions: <hex>.tmp), the pid as in atomicTempName. */
const BLOB_TEMP = /^(?:\d+-)?[0-9a-f]{16}\.tmp$/;

export class DraftsStore {
  readonly root: string;
  readonly itemsDir: string;
  readonly blobsDir: string;
  readonly trashDir: string;
  readonly quarantineDir: string;
  private readonly indexPath: string;
  private readonly journalPath: string;
  private readonly sessionPath: string;
  private readonly now: () => Date;
  private readonly options: Required<Omit<DraftsStoreOptions, 'dataDir' | 'now'>>;

  private entries = new Map<string, IndexEntry>();
  private loaded = false;
  private indexFp = '';
  private journalOffset = 0;
  private journalLines = 0;
  private readonly locks = new Map<string, Promise<unknown>>();
  private loading: Promise<void> | undefined;
  private verifying: Promise<void> | undefined;

  private constructor(options: DraftsStoreOptions) {
    this.root = join(options.dataDir, 'drafts');
    this.itemsDir = join(this.root, 'items');
    this.blobsDir = join(this.root, 'blobs');
    this.trashDir = join(this.root, 'trash');
    this.quarantineDir = join(this.root, 'quarantine');
    this.indexPath = join(this.root, 'index.json');
    this.journalPath = join(this.root, 'index.journal.jsonl');
    this.sessionPath = join(this.root, 'session.json');
    this.now = options.now ?? (() => new Date());
    this.options = {
      trashRetentionMs: options.trashRetentionMs ?? 30 * 24 * 3600 * 1000,
      trashMaxEntries: options.trashMaxEntries ?? 500,
      blobGraceMs: options.blobGraceMs ?? 3600 * 1000,
      compactAfterLines: options.compactAfterLines ?? 2000,
    };
  }

  static async open(options: DraftsStoreOptions): Promise<DraftsStore> {
    const store = new DraftsStore(options);
    for (const dir of [store.itemsDir, store.blobsDir, join(store.blobsDir, 'tmp'), store.trashDir, store.quarantineDir]) {
      await mkdir(dir, { recursive: true });
    }
    // What writers killed mid-write left behind (their temp files can never be renamed into place).
    for (const dir of [store.root, store.itemsDir, store.quarantineDir]) await removeStaleTemps(dir);
    await removeStaleTemps(join(store.blobsDir, 'tmp'), { isTemp: (name) => BLOB_TEMP.test(name) });
    await store.purgeTrash();
    return store;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Listing

  /** Summaries, newest first. Never throws for one bad draft: it is quarantined and listed in `problems`. */
  async list(
    filter: { query?: string; kind?: DraftKind; profileNames?: ReadonlyMap<string, string> } = {},
  ): Promise<{ drafts: DraftSummary[]; problems: DraftStoreProblem[] }> {
    await this.refresh();
    const drafts: DraftSummary[] = [];
    for (const entry of this.entries.values()) {
      if (filter.kind && entry.s.kind !== filter.kind) continue;
      if (!matchesDraftQuery(entry.s, filter.query, filter.profileNames)) continue;
      drafts.push(entry.s);
    }
    drafts.sort(compareSummaries);
    return { drafts, problems: await this.problems() };
  }

  /** Forget the in-memory index and verify every item file again (what a new process does). */
  async rescan(): Promise<void> {
    this.loaded = false;
    await this.refresh();
  }

  /** Unreadable files set aside so far (they stay in quarantine/ until the user deals with them). */
  async problems(): Promise<DraftStoreProblem[]> {
    const names = await readdir(this.quarantineDir).catch(() => [] as string[]);
    const problems: DraftStoreProblem[] = [];
    for (const name of names) {
      if (!name.endsWith('.reason.json')) continue;
      try {
        const reason = JSON.parse(await readFile(join(this.quarantineDir, name), 'utf8')) as DraftStoreProblem;
        problems.push({ file: String(reason.file), message: String(reason.message), at: String(reason.at) });
      } catch {
        problems.push({ file: join(this.quarantineDir, name.replace(/\.reason\.json$/, '')), message: 'Unreadable draft.', at: '' });
      }
    }
    return problems.sort((a, b) => (a.at < b.at ? 1 : -1));
  }

  // -------------------------------------------------------------------------------------------------------------
  // One draft

  async get(id: string): Promise<Draft> {
    const path = this.itemPath(id);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') fail('not-found', `No draft with id ${id}.`);
      throw error;
    }
    try {
      const draft = parseDraftJson(text);
      if (draft.id !== id) throw new Error(`The file holds draft ${draft.id}, not ${id}.`);
      return draft;
    } catch (error) {
      await this.withLock(id, () => this.quarantine(id, (error as Error).message));
      fail('file', `The draft ${id} could not be read and was set aside: ${(error as Error).message}`);
    }
  }

  async exists(id: string): Promise<boolean> {
    await this.refresh();
    return this.entries.has(id);
  }

  async create(input: { kind: DraftKind; name?: string; profileId?: string; appId?: string }): Promise<Draft> {
    const draft = newDraft({ ...input, id: randomUUID() }, this.now().toISOString());
    return this.save(draft);
  }

  /**
   * Save `draft`, which must carry the revision it was edited from (0 for a new draft). A stale revision means
   * another window or process saved in between: refused with detail 'revision-conflict' instead of overwriting.
   */
  async save(draft: Draft): Promise<Draft> {
    this.checkId(draft.id);
    return this.withLock(draft.id, async () => {
      const found = await this.readRevision(draft.id);
      // A damaged file (already set aside) is replaced by the editor's copy: the best version there is.
      const current = found === 'damaged' ? draft.revision : (found ?? 0);
      if (current !== draft.revision || (found === undefined && draft.revision > 0)) {
        throw new EngagementError(
          appError(
            'validation',
            found === undefined
              ? `The draft "${draft.name}" no longer exists (deleted elsewhere?).`
              : `The draft "${draft.name}" was changed elsewhere (revision ${current}, this copy is based on ${draft.revision}). Reload it.`,
            { detail: 'revision-conflict' },
          ),
        );
      }
      const next = normalizeDraft({ ...draft, revision: draft.revision + 1, updatedAt: this.laterThan(draft.updatedAt) });
      await this.writeItem(next);
      return next;
    });
  }

  async rename(id: string, name: string): Promise<DraftSummary> {
    const trimmed = name.trim();
    if (!trimmed) fail('validation', 'Give the draft a name.');
    const draft = await this.get(id);
    const saved = await this.save({ ...draft, name: trimmed.slice(0, 200) });
    return draftSummary(saved);
  }

  async duplicate(id: string): Promise<Draft> {
    const draft = await this.get(id);
    const now = this.now().toISOString();
    // Files are shared by hash, so a copy costs one small JSON file.
    const copy: Draft = { ...draft, id: randomUUID(), name: `${draft.name} (copy)`.slice(0, 200), createdAt: now, updatedAt: now, revision: 0 };
    return this.save(copy);
  }

  /** Move to the trash; `restore(id)` is the undo. */
  async delete(id: string): Promise<boolean> {
    this.checkId(id);
    return this.withLock(id, async () => {
      const from = this.itemPath(id);
      const to = join(this.trashDir, `${id}@${this.now().getTime()}.json`);
      try {
        await rename(from, to);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
      await syncDirectory(this.itemsDir);
      await this.journal({ id, del: true });
      this.entries.delete(id);
      return true;
    });
  }

  async restore(id: string): Promise<Draft> {
    this.checkId(id);
    return this.withLock(id, async () => {
      const candidates = (await readdir(this.trashDir)).filter((name) => name.startsWith(`${id}@`) && name.endsWith('.json'));
      const latest = candidates.sort((a, b) => trashTime(b) - trashTime(a))[0];
      if (!latest) fail('not-found', 'That draft is no longer in the trash.');
      const target = this.itemPath(id);
      if (await exists(target)) fail('validation', 'A draft with that id already exists.');
      await rename(join(this.trashDir, latest), target);
      await syncDirectory(this.itemsDir);
      const draft = parseDraftJson(await readFile(target, 'utf8'));
      await this.index(draft);
      return draft;
    });
  }

  /** Drafts in the trash, newest deletion first. */
  async trash(): Promise<Array<{ id: string; deletedAt: string }>> {
    const names = (await readdir(this.trashDir)).filter((name) => /@\d+\.json$/.test(name));
    return names
      .map((name) => ({ id: name.slice(0, name.lastIndexOf('@')), deletedAt: new Date(trashTime(name)).toISOString() }))
      .sort((a, b) => (a.deletedAt < b.deletedAt ? 1 : -1));
  }

  async purgeTrash(): Promise<number> {
    const names = (await readdir(this.trashDir).catch(() => [] as string[])).filter((name) => /@\d+\.json$/.test(name));
    names.sort((a, b) => trashTime(b) - trashTime(a));
    const cutoff = this.now().getTime() - this.options.trashRetentionMs;
    let purged = 0;
    for (const [index, name] of names.entries()) {
      if (index >= this.options.trashMaxEntries || trashTime(name) < cutoff) {
        await unlink(join(this.trashDir, name)).catch(() => undefined);
        purged++;
      }
    }
    return purged;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Files

  /** Where a blob lives. Sends read from here, so they work after the original is moved or deleted. */
  blobPath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) fail('validation', 'Invalid file hash.');
    return join(this.blobsDir, sha256.slice(0, 2), sha256);
  }

  /** Copy a file into the draft storage and describe it. The draft itself changes when the caller saves it. */
  async addFile(draftId: string, path: string): Promise<DraftFile> {
    this.checkId(draftId);
    const source = resolve(path);
    let before;
    try {
      before = await stat(source);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') fail('file', `File not found: ${source}.`);
      throw error;
    }
    if (!before.isFile()) fail('file', `${source} is not a regular file.`);
    if (before.size > MAX_DRAFT_FILE_BYTES) {
      fail('validation', `${basename(source)} is too large for a draft (${before.size} bytes; the limit is ${MAX_DRAFT_FILE_BYTES}).`);
    }
    const blob = await this.putBlob(createReadStream(source));
    const after = await stat(source);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || blob.size !== before.size) {
      fail('file', `${basename(source)} changed while it was being copied. Add it again.`);
    }
    return {
      sha256: blob.sha256,
      size: blob.size,
      name: basename(source).slice(0, 255),
      originalPath: source,
      originalMtimeMs: before.mtimeMs,
      addedAt: this.now().toISOString(),
    };
  }

  /**
   * Stream bytes into the blob store: hashed while written to a temp file, fsynced, then renamed to its
   * content address (an existing blob of the right size is reused). `expected` refuses bytes that do not match.
   */
  async putBlob(stream: Readable, expected?: { sha256: string; size: number }): Promise<{ sha256: string; size: number }> {
    const temp = join(this.blobsDir, 'tmp', `${process.pid}-${randomBytes(8).toString('hex')}.tmp`);
    const hash = createHash('sha256');
    let size = 0;
    const handle = await open(temp, 'wx', 0o600);
    try {
      try {
        for await (const chunk of stream) {
          const bytes = chunk as Buffer;
          size += bytes.length;
          if (size > MAX_DRAFT_FILE_BYTES || (expected && size > expected.size)) {
            fail('validation', expected ? 'A file is larger than its manifest says.' : 'The file is too large for a draft.');
          }
          hash.update(bytes);
          await handle.write(bytes);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      if (expected && (expected.sha256 !== sha256 || expected.size !== size)) {
        fail('validation', 'A file does not match its SHA-256 in the manifest: the export was changed or damaged.');
      }
      const target = this.blobPath(sha256);
      const existing = await stat(target).catch(() => undefined);
      if (existing?.size === size) {
        await unlink(temp);
      } else {
        await mkdir(join(this.blobsDir, sha256.slice(0, 2)), { recursive: true });
        await rename(temp, target);
        await syncDirectory(join(this.blobsDir, sha256.slice(0, 2)));
      }
      return { sha256, size };
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  /** Re-hash a blob: catches disk corruption before a send. */
  async verifyBlob(file: Pick<DraftFile, 'sha256' | 'size' | 'name'>): Promise<string> {
    const path = this.blobPath(file.sha256);
    const info = await stat(path).catch(() => undefined);
    if (!info) fail('file', `The stored copy of ${file.name} is missing from the draft storage. Add the file again.`);
    if (info.size !== file.size || (await sha256File(path)) !== file.sha256) {
      fail('file', `The stored copy of ${file.name} is damaged. Add the file again.`);
    }
    return path;
  }

  /** Has the original file changed since it was added? A warning only: the draft sends its own copy. */
  async fileStatus(file: DraftFile): Promise<DraftFileStatus> {
    const info = await stat(file.originalPath).catch(() => undefined);
    if (!info || !info.isFile()) return 'missing';
    if (info.size !== file.size) return 'changed';
    if (info.mtimeMs === file.originalMtimeMs) return 'unchanged';
    // Touched but maybe not changed (copied back, re-saved): the hash decides.
    const sha = await sha256File(file.originalPath).catch(() => undefined);
    return sha === file.sha256 ? 'unchanged' : 'changed';
  }

  /** Delete blobs no draft (nor trashed draft) references, sparing recent ones that an unsaved edit may hold. */
  async collectGarbage(): Promise<{ removed: number; kept: number }> {
    await this.refresh();
    const referenced = new Set<string>();
    for (const entry of this.entries.values()) for (const sha of entry.b) referenced.add(sha);
    for (const name of await readdir(this.trashDir)) {
      try {
        const draft = parseDraftJson(await readFile(join(this.trashDir, name), 'utf8'));
        for (const { file } of draftFiles(draft)) referenced.add(file.sha256);
      } catch {
        // An unreadable trashed draft holds nothing restorable.
      }
    }
    const cutoff = this.now().getTime() - this.options.blobGraceMs;
    let removed = 0;
    let kept = 0;
    for (const prefix of await readdir(this.blobsDir)) {
      const dir = join(this.blobsDir, prefix);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        const path = join(dir, name);
        const info = await stat(path).catch(() => undefined);
        if (!info) continue;
        const unreferenced = prefix === 'tmp' || !referenced.has(name);
        if (unreferenced && info.mtimeMs < cutoff) {
          await unlink(path).catch(() => undefined);
          removed++;
        } else kept++;
      }
    }
    return { removed, kept };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Session: which drafts were open, so opening the app brings them back

  async getSession(): Promise<DraftSession> {
    try {
      const parsed = draftSessionSchema.safeParse(JSON.parse(await readFile(this.sessionPath, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // Missing or damaged: start with nothing open.
    }
    return { openDraftIds: [] };
  }

  async setSession(session: DraftSession): Promise<DraftSession> {
    const clean = draftSessionSchema.parse(session);
    await writeFileAtomic(this.sessionPath, JSON.stringify(clean));
    return clean;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Internals

  private itemPath(id: string): string {
    this.checkId(id);
    return join(this.itemsDir, `${id}.json`);
  }

  private checkId(id: string): void {
    if (!ID_PATTERN.test(id)) fail('validation', 'Invalid draft id.');
  }

  /** updatedAt strictly increases per draft even if the clock steps back, so "last change" sorts sensibly. */
  private laterThan(previous: string): string {
    const now = this.now().toISOString();
    return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
  }

  private async readRevision(id: string): Promise<number | 'damaged' | undefined> {
    try {
      return parseDraftJson(await readFile(this.itemPath(id), 'utf8')).revision;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      // A damaged file is replaced by the save, but kept aside first so nothing the user had is destroyed.
      await this.quarantine(id, (error as Error).message);
      return 'damaged';
    }
  }

  private async writeItem(draft: Draft): Promise<void> {
    const text = JSON.stringify(draft);
    if (Buffer.byteLength(text) > MAX_DRAFT_JSON_BYTES) {
      fail('validation', `The draft is too large to save (over ${MAX_DRAFT_JSON_BYTES / 1024 / 1024} MB of pass content).`);
    }
    const entry = { s: draftSummary(draft), b: draftFiles(draft).map((f) => f.file.sha256) };
    await this.journal({ id: draft.id, put: entry });
    await writeFileAtomic(this.itemPath(draft.id), text);
    await this.commit(draft.id, entry);
  }

  /** Record an item file that is now on disk: commit line with its fingerprint (O(1)), and memory. */
  private async commit(id: string, entry: Omit<IndexEntry, 'fp'>): Promise<void> {
    const fp = fingerprint(await stat(this.itemPath(id)));
    await this.journal({ id, fp });
    if (this.loaded) this.entries.set(id, { ...entry, fp });
  }

  /** Journal intent + commit for a file that reached items/ by rename (restore). */
  private async index(draft: Draft): Promise<void> {
    const entry = { s: draftSummary(draft), b: draftFiles(draft).map((f) => f.file.sha256) };
    await this.journal({ id: draft.id, put: entry });
    await this.commit(draft.id, entry);
  }

  private async journal(line: JournalLine): Promise<void> {
    // The leading newline terminates any torn line a crash left, so this record always parses on its own.
    const text = `\n${JSON.stringify(line)}\n`;
    // journalOffset is not advanced: the next refresh re-reads from it, which also picks up lines another process
    // appended before ours (re-applying our own line is harmless, lines apply in file order).
    await appendFile(this.journalPath, text, { mode: 0o600 });
  }

  private async quarantine(id: string, message: string): Promise<void> {
    const from = this.itemPath(id);
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const target = join(this.quarantineDir, `${id}.${stamp}.${randomBytes(3).toString('hex')}.json`);
    try {
      await rename(from, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const problem: DraftStoreProblem = { file: target, message: `Draft ${id}: ${message}`, at: this.now().toISOString() };
    await writeFileAtomic(`${target}.reason.json`, JSON.stringify(problem));
    this.entries.delete(id);
    await this.journal({ id, del: true });
  }

  /** Bring the in-memory index up to date with disk: full verification the first time, journal tail after. */
  private async refresh(): Promise<void> {
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
    await removeStaleTemps(this.itemsDir);
    for (const name of await readdir(this.itemsDir)) {
      if (isAtomicTempName(name)) continue;
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -'.json'.length);
      if (ID_PATTERN.test(id)) onDisk.add(id);
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

  /** Waits for the background check of every item file started by the last full load. */
  async settled(): Promise<void> {
    await this.verifying;
  }

  /** stat() every item file and re-read those whose fingerprint differs from the index. */
  private async verifyAll(): Promise<void> {
    const names = await readdir(this.itemsDir);
    const stale: string[] = [];
    await mapLimit(names, 32, async (name) => {
      if (!name.endsWith('.json') || isAtomicTempName(name)) return;
      const id = name.slice(0, -'.json'.length);
      if (!ID_PATTERN.test(id)) return;
      const info = await stat(join(this.itemsDir, name)).catch(() => undefined);
      if (info && this.entries.get(id)?.fp !== fingerprint(info)) stale.push(id);
    });
    for (const id of stale) await this.withLock(id, () => this.reindex(id));
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
      await this.quarantine(id, (error as Error).message).catch(() => undefined);
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

  private async withLock<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.catch(() => undefined);
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
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
    (s.kind === 'cert-upload' || s.kind === 'pass-update') &&
    typeof s.updatedAt === 'string' &&
    typeof s.revision === 'number' &&
    Array.isArray(s.problems) &&
    Array.isArray(s.fileNames)
  );
}

function trashTime(name: string): number {
  const match = /@(\d+)\.json$/.exec(name);
  return match ? Number(match[1]) : 0;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
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
