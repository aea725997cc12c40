// The drafts store (issue #5). Layout under <dataDir>/drafts/:
//   items/<id>.json        one file per draft, written atomically: the truth
//   blobs/<aa>/<sha256>    files dropped into drafts, content-addressed and shared between drafts (draft-blobs.ts)
//   index.json             snapshot cache of every draft's summary, plus
//   index.journal.jsonl    its append-only changes (draft-index.ts)
//   trash/<id>@<ms>.json   deleted drafts, restorable until purged (draft-trash.ts)
//   quarantine/            unreadable item files, set aside with a .reason.json beside each (draft-quarantine.ts)
//   session.json           which drafts were open (draft-session.ts)
// This class owns the item files and their per-draft lock, and puts the parts together.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type {
  Draft,
  DraftFile,
  DraftFileStatus,
  DraftKind,
  DraftSession,
  DraftStoreProblem,
  DraftSummary,
} from '../../preload/contract';
import {
  compareSummaries,
  draftSummary,
  matchesDraftQuery,
  MAX_DRAFT_JSON_BYTES,
  newDraft,
  normalizeDraft,
  parseDraftJson,
} from '../core/drafts';
import { appError, EngagementError, fail } from '../core/errors';
import { removeStaleTemps, renameRetrying, syncDirectory, writeFileAtomic } from '../platform/atomic-file';
import { DraftBlobs } from './draft-blobs';
import { DRAFT_ID, DraftIndex } from './draft-index';
import { DraftQuarantine } from './draft-quarantine';
import { readDraftSession, writeDraftSession } from './draft-session';
import { DraftTrash } from './draft-trash';

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
  /** Purge the trash as the store opens (default true); the drafts services purge it themselves, see purgeTrash. */
  purgeTrashAtOpen?: boolean;
}

export class DraftsStore {
  readonly root: string;
  readonly itemsDir: string;
  readonly blobsDir: string;
  readonly trashDir: string;
  readonly quarantineDir: string;
  private readonly sessionPath: string;
  private readonly now: () => Date;
  private readonly index: DraftIndex;
  private readonly blobs: DraftBlobs;
  private readonly trashed: DraftTrash;
  private readonly quarantined: DraftQuarantine;
  private readonly locks = new Map<string, Promise<unknown>>();

  private constructor(options: DraftsStoreOptions) {
    this.root = join(options.dataDir, 'drafts');
    this.itemsDir = join(this.root, 'items');
    this.blobsDir = join(this.root, 'blobs');
    this.trashDir = join(this.root, 'trash');
    this.quarantineDir = join(this.root, 'quarantine');
    this.sessionPath = join(this.root, 'session.json');
    this.now = options.now ?? (() => new Date());
    this.index = new DraftIndex({
      root: this.root,
      itemsDir: this.itemsDir,
      compactAfterLines: options.compactAfterLines ?? 2000,
      quarantine: (id, message) => this.quarantine(id, message),
      withLock: (id, task) => this.withLock(id, task),
    });
    this.blobs = new DraftBlobs(this.blobsDir, this.now, options.blobGraceMs ?? 3600 * 1000);
    this.trashed = new DraftTrash(this.trashDir, this.now, {
      retentionMs: options.trashRetentionMs ?? 30 * 24 * 3600 * 1000,
      maxEntries: options.trashMaxEntries ?? 500,
    });
    this.quarantined = new DraftQuarantine(this.quarantineDir, this.now);
  }

  static async open(options: DraftsStoreOptions): Promise<DraftsStore> {
    const store = new DraftsStore(options);
    for (const dir of [store.itemsDir, store.blobsDir, join(store.blobsDir, 'tmp'), store.trashDir, store.quarantineDir]) {
      await mkdir(dir, { recursive: true });
    }
    // What writers killed mid-write left behind (their temp files can never be renamed into place).
    for (const dir of [store.root, store.itemsDir, store.quarantineDir]) await removeStaleTemps(dir);
    await store.blobs.removeStaleTemps();
    if (options.purgeTrashAtOpen !== false) await store.purgeTrash();
    return store;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Listing

  /** Summaries, newest first. Never throws for one bad draft: it is quarantined and listed in `problems`. */
  async list(
    filter: { query?: string; kind?: DraftKind; profileNames?: ReadonlyMap<string, string> } = {},
  ): Promise<{ drafts: DraftSummary[]; problems: DraftStoreProblem[] }> {
    await this.index.refresh();
    const drafts: DraftSummary[] = [];
    for (const entry of this.index.values()) {
      if (filter.kind && entry.s.kind !== filter.kind) continue;
      if (!matchesDraftQuery(entry.s, filter.query, filter.profileNames)) continue;
      drafts.push(entry.s);
    }
    drafts.sort(compareSummaries);
    return { drafts, problems: await this.problems() };
  }

  /** Forget the in-memory index and verify every item file again (what a new process does). */
  async rescan(): Promise<void> {
    this.index.forget();
    await this.index.refresh();
  }

  /** Unreadable files set aside so far (they stay in quarantine/ until the user deals with them). */
  problems(): Promise<DraftStoreProblem[]> {
    return this.quarantined.problems();
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
    await this.index.refresh();
    return this.index.has(id);
  }

  async create(input: { kind: DraftKind; name?: string; profileId?: string; appId?: string }): Promise<Draft> {
    const draft = newDraft({ ...input, id: randomUUID() }, this.now().toISOString());
    return this.save(draft);
  }

  /**
   * Save `draft`, which must carry the revision it was edited from (0 for a new draft). A stale revision means
   * another window or process saved in between: refused with reason 'revision-conflict' instead of overwriting.
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
            { reason: 'revision-conflict' },
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
      if (!(await this.trashed.put(this.itemPath(id), id))) return false;
      await syncDirectory(this.itemsDir);
      await this.index.remove(id);
      return true;
    });
  }

  async restore(id: string): Promise<Draft> {
    this.checkId(id);
    return this.withLock(id, async () => {
      const latest = await this.trashed.latest(id);
      if (!latest) fail('not-found', 'That draft is no longer in the trash.');
      const target = this.itemPath(id);
      if (await exists(target)) fail('validation', 'A draft with that id already exists.');
      await renameRetrying(latest, target);
      await syncDirectory(this.itemsDir);
      const draft = parseDraftJson(await readFile(target, 'utf8'));
      await this.index.record(draft);
      return draft;
    });
  }

  /** Drafts in the trash, newest deletion first. */
  trash(): Promise<Array<{ id: string; deletedAt: string }>> {
    return this.trashed.list();
  }

  /**
   * Deletes the trashed drafts past their time; answers how many copies went. `release(id)` is asked first about a
   * draft that would then be gone for good (not restored, no newer copy in the trash), to remove what is kept about
   * it elsewhere, such as its remembered secret: false (or an error) keeps the draft in the trash until a later purge.
   */
  purgeTrash(release?: (draftId: string) => Promise<boolean>): Promise<number> {
    if (!release) return this.trashed.purge();
    return this.trashed.purge(async (id) => (await exists(this.itemPath(id))) || release(id));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Files

  /** Where a blob lives. Sends read from here, so they work after the original is moved or deleted. */
  blobPath(sha256: string): string {
    return this.blobs.path(sha256);
  }

  /** Copy a file into the draft storage and describe it. The draft itself changes when the caller saves it. */
  async addFile(draftId: string, path: string): Promise<DraftFile> {
    this.checkId(draftId);
    return this.blobs.addFile(path);
  }

  /**
   * Stream bytes into the blob store: hashed while written to a temp file, fsynced, then renamed to its
   * content address (an existing blob of the right size is reused). `expected` refuses bytes that do not match.
   */
  putBlob(stream: Readable, expected?: { sha256: string; size: number }): Promise<{ sha256: string; size: number }> {
    return this.blobs.put(stream, expected);
  }

  /** Re-hash a blob: catches disk corruption before a send. */
  verifyBlob(file: Pick<DraftFile, 'sha256' | 'size' | 'name'>): Promise<string> {
    return this.blobs.verify(file);
  }

  /** Has the original file changed since it was added? A warning only: the draft sends its own copy. */
  fileStatus(file: DraftFile): Promise<DraftFileStatus> {
    return this.blobs.originalStatus(file);
  }

  /** Delete blobs no draft (nor trashed draft) references, sparing recent ones that an unsaved edit may hold. */
  async collectGarbage(): Promise<{ removed: number; kept: number }> {
    await this.index.refresh();
    const referenced = new Set<string>();
    for (const entry of this.index.values()) for (const sha of entry.b) referenced.add(sha);
    await this.trashed.referencedBlobs(referenced);
    return this.blobs.collectGarbage(referenced);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Session: which drafts were open, so opening the app brings them back

  getSession(): Promise<DraftSession> {
    return readDraftSession(this.sessionPath);
  }

  setSession(session: DraftSession): Promise<DraftSession> {
    return writeDraftSession(this.sessionPath, session);
  }

  /** Waits for the background check of every item file started by the last full load. */
  async settled(): Promise<void> {
    await this.index.settled();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Internals

  private itemPath(id: string): string {
    this.checkId(id);
    return join(this.itemsDir, `${id}.json`);
  }

  private checkId(id: string): void {
    if (!DRAFT_ID.test(id)) fail('validation', 'Invalid draft id.');
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
    await this.index.record(draft, () => writeFileAtomic(this.itemPath(draft.id), text));
  }

  private async quarantine(id: string, message: string): Promise<void> {
    if (await this.quarantined.setAside(this.itemPath(id), id, message)) await this.index.remove(id);
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

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
