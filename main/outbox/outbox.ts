// The outbox (issue #5): drafts waiting for the server. One JSON file per entry under <dataDir>/outbox/, holding
// a copy of the draft as it was queued (later edits do not change what is sent; its blobs are content-addressed).
//
// The resend rule: an entry whose request never left the machine stays 'queued' and is sent automatically when
// the server is reachable again. An entry whose request may have reached the server (connection dropped after
// sending, the app killed mid-send) becomes 'outcome-unknown' and is only ever resent by the user, explicitly.
// See classifySendFailure in main/core/drafts.ts for the exact error codes on each side.
//
// Several processes (the app, the CLI) may share one outbox: an entry is claimed with an exclusive lock file
// (<id>.lock, created O_EXCL with the owner's pid) for the whole send, so it is never sent twice in parallel.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { link, mkdir, open, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type {
  AppError,
  Draft,
  OutboxEntry,
  OutboxFlushResult,
  OutboxView,
  Profile,
} from '../../preload/contract';
import { appError, EngagementError, fail } from '../core/errors';
import { atomicTempName, isProcessAlive, removeStaleTemps, writeFileAtomic } from '../platform/atomic-file';
import type { TransferProgressUpdate } from '../server/engagement-client';
import { runBatch } from '../sending/batch';

/** Queued entries sent at once by a flush. */
export const OUTBOX_FLUSH_CONCURRENCY = 4;

// ---------------------------------------------------------------------------------------------------------------
// The sender seam

export type SendOutcome =
  | { status: 'sent'; message: string; requestId?: string; historyId?: string }
  /** The request never left: safe to retry. */
  | { status: 'not-sent'; error: AppError; historyId?: string }
  /** The server answered no, or a local problem; `error.detail === 'passphrase-needed'` when one must be typed. */
  | { status: 'failed'; error: AppError; historyId?: string }
  | { status: 'outcome-unknown'; error: AppError; historyId?: string };

export interface SendOptions {
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgressUpdate) => void;
  /** Typed for this send; otherwise the sender looks in the keychain. */
  passphrase?: string;
  source: 'app' | 'cli' | 'outbox';
}

export interface Sender {
  send(draft: Draft, options: SendOptions): Promise<SendOutcome>;
}

/** Is the profile's server reachable right now? Cheap: no credentials, no request. */
export type ReachabilityProbe = (profileId: string, signal: AbortSignal) => Promise<boolean>;

/** A TCP connect to the profile's host and port; the built-in Sandbox is always reachable (it runs in-process). */
export function createTcpProbe(
  findProfile: (id: string) => Profile | undefined,
  timeoutMs = 5000,
): ReachabilityProbe {
  return async (profileId, signal) => {
    const profile = findProfile(profileId);
    if (!profile) return false;
    if (profile.builtIn) return true;
    let url: URL;
    try {
      url = new URL(profile.baseUrl);
    } catch {
      return false;
    }
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      const done = (ok: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(ok);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  };
}

// ---------------------------------------------------------------------------------------------------------------

interface StoredEntry extends OutboxEntry {
  draft: Draft;
  ownerPid?: number;
}

export interface OutboxOptions {
  dataDir: string;
  sender: Sender;
  probe?: ReachabilityProbe;
  /** First retry delay after the server was unreachable; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Even with nothing to do, the loop looks at the folder this often (the CLI may have queued something). */
  idleRescanMs?: number;
  /** Sent entries stay visible this long, then only the history has them. */
  keepSentMs?: number;
  now?: () => Date;
  onChange?: (view: OutboxView) => void;
}

const ENTRY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class OutboxService {
  readonly dir: string;
  private readonly statePath: string;
  private entries = new Map<string, StoredEntry>();
  private paused = false;
  /** Passphrases typed for queued sends: this process's memory only, never written anywhere. */
  private readonly passphrases = new Map<string, string>();
  private readonly delays = new Map<string, number>();
  private readonly now: () => Date;
  private running: Promise<void> | undefined;
  private stopController: AbortController | undefined;
  private wake: (() => void) | undefined;
  private flushing: Promise<OutboxFlushResult> | undefined;

  private constructor(private readonly options: OutboxOptions) {
    this.dir = join(options.dataDir, 'outbox');
    this.statePath = join(this.dir, 'state.json');
    this.now = options.now ?? (() => new Date());
  }

  static async open(options: OutboxOptions): Promise<OutboxService> {
    const outbox = new OutboxService(options);
    await mkdir(outbox.dir, { recursive: true });
    await removeStaleTemps(outbox.dir);
    await outbox.reload();
    await outbox.removeDeadLocks();
    return outbox;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reading

  async list(): Promise<OutboxView> {
    await this.reload();
    return this.view();
  }

  get(id: string): OutboxEntry | undefined {
    const entry = this.entries.get(id);
    return entry ? publicEntry(entry) : undefined;
  }

  /** Blob hashes the queued drafts hold (for the drafts store's garbage collection). */
  referencedBlobs(): string[] {
    const hashes: string[] = [];
    for (const entry of this.entries.values()) {
      const draft = entry.draft;
      if (draft.kind === 'cert-upload') {
        if (draft.payload.cert) hashes.push(draft.payload.cert.sha256);
      } else {
        if (draft.payload.pkPass) hashes.push(draft.payload.pkPass.sha256);
        for (const image of draft.payload.images) hashes.push(image.file.sha256);
      }
    }
    return hashes;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Changing

  /**
   * Put a draft (as it is now) in the outbox. `state` 'outcome-unknown' records a direct send whose fate is
   * unknown, so it shows up in the outbox for the user to decide.
   */
  async enqueue(
    draft: Draft,
    options: { passphrase?: string; state?: 'queued' | 'outcome-unknown'; lastError?: AppError; historyId?: string } = {},
  ): Promise<OutboxEntry> {
    if (!draft.profileId) fail('validation', 'Choose a server profile before sending the draft.');
    const now = this.now().toISOString();
    const entry: StoredEntry = {
      id: randomUUID(),
      draftId: draft.id,
      draftName: draft.name,
      kind: draft.kind,
      profileId: draft.profileId,
      state: options.state ?? 'queued',
      createdAt: now,
      updatedAt: now,
      attempts: options.lastError ? 1 : 0,
      draft,
      ...(options.lastError ? { lastError: options.lastError, lastAttemptAt: now } : {}),
      ...(options.historyId ? { historyId: options.historyId } : {}),
    };
    if (options.passphrase !== undefined) this.passphrases.set(entry.id, options.passphrase);
    await this.write(entry);
    this.changed();
    this.wakeup();
    return publicEntry(entry);
  }

  /** Whether a passphrase typed for this entry is held in memory (it is never written anywhere). */
  hasPassphrase(id: string): boolean {
    return this.passphrases.has(id);
  }

  /** Forgets the passphrases typed for this profile's entries (the profile was removed); they will be asked again. */
  async forgetPassphrases(profileId: string): Promise<void> {
    await this.reload();
    for (const id of [...this.passphrases.keys()]) {
      const entry = this.entries.get(id);
      if (!entry || entry.profileId === profileId) this.passphrases.delete(id);
    }
  }

  /** Pause one entry, or (no id) the whole automatic sending. */
  async pause(id?: string): Promise<OutboxView> {
    if (id === undefined) {
      this.paused = true;
      await writeFileAtomic(this.statePath, JSON.stringify({ paused: true }));
    } else {
      await this.update(id, (entry) => {
        if (entry.state !== 'queued') fail('validation', 'Only a queued entry can be paused.');
        entry.state = 'paused';
      });
    }
    this.changed();
    return this.view();
  }

  async resume(id?: string): Promise<OutboxView> {
    if (id === undefined) {
      this.paused = false;
      await writeFileAtomic(this.statePath, JSON.stringify({ paused: false }));
      this.delays.clear();
    } else {
      await this.update(id, (entry) => {
        if (entry.state === 'paused') entry.state = 'queued';
        delete entry.nextAttemptAt;
      });
    }
    this.changed();
    this.wakeup();
    return this.view();
  }

  async discard(id: string): Promise<boolean> {
    await this.reload();
    const entry = this.entries.get(id);
    if (!entry) return false;
    if (entry.state === 'sending') fail('validation', 'The entry is being sent right now; wait for the result.');
    await unlink(this.entryPath(id)).catch(() => undefined);
    this.entries.delete(id);
    this.passphrases.delete(id);
    this.changed();
    return true;
  }

  /**
   * Send one entry now, by hand. An entry whose outcome is unknown needs `confirmResend` (the server may already
   * have it); a sent one is refused.
   */
  async sendNow(
    id: string,
    options: { passphrase?: string; confirmResend?: boolean; signal?: AbortSignal; onProgress?: SendOptions['onProgress']; source?: SendOptions['source'] } = {},
  ): Promise<OutboxEntry> {
    await this.reload();
    const entry = this.entries.get(id);
    if (!entry) fail('not-found', 'That outbox entry no longer exists.');
    if (entry.state === 'sent') fail('validation', 'This entry was already sent.');
    if (entry.state === 'outcome-unknown' && !options.confirmResend) {
      fail(
        'validation',
        'The outcome of the last send is unknown: the server may already have it. Check on the server, then confirm to send it again.',
        { detail: 'confirm-resend' },
      );
    }
    if (options.passphrase !== undefined) this.passphrases.set(id, options.passphrase);
    const result = await this.sendEntry(id, {
      manual: true,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      source: options.source ?? 'app',
    });
    if (result === 'busy') fail('validation', 'The entry is being sent by another window or process.');
    const after = this.entries.get(id);
    if (!after) fail('not-found', 'That outbox entry no longer exists.');
    return publicEntry(after);
  }

  /** Send every queued entry now (paused ones too only when `includePaused`), one after another. */
  async flush(options: { signal?: AbortSignal; source?: SendOptions['source'] } = {}): Promise<OutboxFlushResult> {
    // One flush at a time in this process; a second caller waits for the same result.
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      await this.reload();
      const result: OutboxFlushResult = { sent: 0, failed: 0, outcomeUnknown: 0, stillQueued: 0 };
      const queued = [...this.entries.values()].filter((e) => e.state === 'queued' && !e.blockedReason).sort(byCreated);
      // A few at a time: a long outbox drains quickly without flooding a server that just came back.
      await runBatch(
        queued,
        (entry, signal) => this.sendEntry(entry.id, { manual: true, signal, source: options.source ?? 'app' }),
        { concurrency: OUTBOX_FLUSH_CONCURRENCY, ...(options.signal ? { signal: options.signal, cancelSignal: options.signal } : {}) },
      );
      for (const entry of queued) {
        const state = this.entries.get(entry.id)?.state;
        if (state === 'sent') result.sent++;
        else if (state === 'failed') result.failed++;
        else if (state === 'outcome-unknown') result.outcomeUnknown++;
        else result.stillQueued++;
      }
      return result;
    })();
    try {
      return await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Automatic sending

  /** Start the loop that sends queued entries whenever their server is reachable. */
  start(): void {
    if (this.running) return;
    this.stopController = new AbortController();
    const signal = this.stopController.signal;
    this.running = this.loop(signal).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopController?.abort();
    this.wakeup();
    await this.running;
    this.running = undefined;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const probe = this.options.probe;
    while (!signal.aborted) {
      await this.reload();
      const nowMs = this.now().getTime();
      const due = this.paused
        ? []
        : [...this.entries.values()]
            .filter((e) => e.state === 'queued' && !e.blockedReason)
            .filter((e) => !e.nextAttemptAt || Date.parse(e.nextAttemptAt) <= nowMs)
            .sort(byCreated);
      const byProfile = new Map<string, StoredEntry[]>();
      for (const entry of due) byProfile.set(entry.profileId, [...(byProfile.get(entry.profileId) ?? []), entry]);
      for (const [profileId, entries] of byProfile) {
        if (signal.aborted) break;
        const reachable = probe ? await probe(profileId, signal).catch(() => false) : true;
        if (!reachable) {
          await this.backOff(profileId, entries);
          continue;
        }
        for (const entry of entries) {
          if (signal.aborted || this.paused) break;
          const outcome = await this.sendEntry(entry.id, { manual: false, signal, source: 'outbox' });
          if (outcome === 'not-sent') {
            // Reachable a moment ago but not now: wait before trying this server again.
            await this.backOff(profileId, entries.filter((e) => this.entries.get(e.id)?.state === 'queued'));
            break;
          }
          this.delays.delete(profileId);
        }
      }
      if (signal.aborted) break;
      await this.sleep(this.nextWakeMs(), signal);
    }
  }

  private async backOff(profileId: string, entries: StoredEntry[]): Promise<void> {
    const initial = this.options.initialDelayMs ?? 2000;
    const max = this.options.maxDelayMs ?? 5 * 60 * 1000;
    const delay = Math.min(max, this.delays.get(profileId) ?? initial);
    this.delays.set(profileId, Math.min(max, delay * 2));
    // Jitter spreads retries from several machines that lost the same server.
    const at = new Date(this.now().getTime() + Math.round(delay * (0.8 + Math.random() * 0.4))).toISOString();
    for (const entry of entries) {
      await this.update(entry.id, (stored) => {
        if (stored.state === 'queued') stored.nextAttemptAt = at;
      }).catch(() => undefined);
    }
    this.changed();
  }

  private nextWakeMs(): number {
    const idle = this.options.idleRescanMs ?? 30_000;
    if (this.paused) return idle;
    let earliest = Infinity;
    for (const entry of this.entries.values()) {
      if (entry.state !== 'queued' || entry.blockedReason) continue;
      const at = entry.nextAttemptAt ? Date.parse(entry.nextAttemptAt) : 0;
      earliest = Math.min(earliest, at);
    }
    if (earliest === Infinity) return idle;
    return Math.max(0, Math.min(idle, earliest - this.now().getTime()));
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  private wakeup(): void {
    this.wake?.();
  }

  // -------------------------------------------------------------------------------------------------------------
  // One send

  /** Claim, send, record. Returns how it ended, or 'busy' when another process holds the entry. */
  private async sendEntry(
    id: string,
    context: { manual: boolean; signal?: AbortSignal; onProgress?: SendOptions['onProgress']; source: SendOptions['source'] },
  ): Promise<'sent' | 'not-sent' | 'failed' | 'outcome-unknown' | 'busy' | 'skipped'> {
    const release = await this.claim(id);
    if (!release) return 'busy';
    try {
      const entry = await this.readEntry(id);
      if (!entry) return 'skipped';
      this.entries.set(id, entry);
      const sendable = entry.state === 'queued' || (context.manual && entry.state !== 'sent' && entry.state !== 'sending');
      if (!sendable) return 'skipped';
      const startedAt = this.now().toISOString();
      entry.state = 'sending';
      entry.ownerPid = process.pid;
      entry.attempts++;
      entry.lastAttemptAt = startedAt;
      entry.updatedAt = startedAt;
      delete entry.nextAttemptAt;
      await this.write(entry);
      this.changed();

      const passphrase = this.passphrases.get(id);
      let outcome: SendOutcome;
      try {
        outcome = await this.options.sender.send(entry.draft, {
          ...(context.signal ? { signal: context.signal } : {}),
          ...(context.onProgress ? { onProgress: context.onProgress } : {}),
          ...(passphrase !== undefined ? { passphrase } : {}),
          source: context.source,
        });
      } catch (error) {
        // A Sender bug after the request may have gone out: never guess "not sent".
        const appErr = error instanceof EngagementError ? error.appError : appError('internal', String(error));
        outcome = { status: 'outcome-unknown', error: appErr };
      }
      delete entry.ownerPid;
      entry.updatedAt = this.now().toISOString();
      if (outcome.historyId) entry.historyId = outcome.historyId;
      switch (outcome.status) {
        case 'sent':
          entry.state = 'sent';
          entry.message = outcome.message;
          if (outcome.requestId) entry.requestId = outcome.requestId;
          delete entry.lastError;
          this.passphrases.delete(id);
          break;
        case 'not-sent':
          // Shutting down mid-send or server gone: back in the queue, untouched.
          entry.state = 'queued';
          entry.lastError = outcome.error;
          break;
        case 'failed':
          entry.lastError = outcome.error;
          if (outcome.error.detail === 'passphrase-needed') {
            entry.state = 'queued';
            entry.blockedReason = 'passphrase-needed';
          } else if (outcome.error.code === 'cancelled' && !context.manual) {
            entry.state = 'queued'; // the app stopped the loop before any byte went out
          } else {
            entry.state = 'failed';
          }
          break;
        case 'outcome-unknown':
          entry.state = 'outcome-unknown';
          entry.lastError = outcome.error;
          break;
      }
      if (!(outcome.status === 'failed' && outcome.error.detail === 'passphrase-needed')) delete entry.blockedReason;
      await this.write(entry);
      this.changed();
      return outcome.status;
    } finally {
      await release();
    }
  }

  /** Exclusive claim across processes: O_EXCL lock file holding our pid; a dead owner's lock is broken. */
  private async claim(id: string): Promise<(() => Promise<void>) | undefined> {
    const lockPath = this.lockPath(id);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await createLockFile(lockPath, JSON.stringify({ pid: process.pid, at: this.now().toISOString() }))) {
        return () => unlink(lockPath).catch(() => undefined);
      }
      const owner = await lockOwner(lockPath);
      if (owner !== undefined && (owner === process.pid || isAlive(owner))) return undefined;
      // The owner died (crash, kill -9) while holding the entry: if it was sending, the outcome is unknown.
      await this.markAbandoned(id);
      await unlink(lockPath).catch(() => undefined);
    }
    return undefined;
  }

  /**
   * Locks whose owner was killed: the entry it was sending (already marked outcome-unknown by reload) is settled,
   * so the lock only blocks nothing and would pile up, one per kill, for entries that are later discarded.
   */
  private async removeDeadLocks(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith('.lock')) continue;
      const id = name.slice(0, -'.lock'.length);
      if (!ENTRY_ID.test(id)) continue;
      const owner = await lockOwner(join(this.dir, name));
      if (owner === undefined || owner === process.pid || isAlive(owner)) continue;
      await this.markAbandoned(id);
      await unlink(join(this.dir, name)).catch(() => undefined);
    }
  }

  private async markAbandoned(id: string): Promise<void> {
    const entry = await this.readEntry(id);
    if (entry?.state === 'sending') {
      entry.state = 'outcome-unknown';
      delete entry.ownerPid;
      entry.updatedAt = this.now().toISOString();
      entry.lastError = appError('network', 'The app stopped while this was being sent, so whether the server got it is unknown.', {
        retryable: false,
        detail: 'interrupted',
      });
      await this.write(entry);
      this.entries.set(id, entry);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Persistence

  private async reload(): Promise<void> {
    try {
      const state = JSON.parse(await readFile(this.statePath, 'utf8')) as { paused?: unknown };
      this.paused = state.paused === true;
    } catch {
      // No state file yet: not paused.
    }
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const next = new Map<string, StoredEntry>();
    const keepSent = this.options.keepSentMs ?? 24 * 3600 * 1000;
    const nowMs = this.now().getTime();
    for (const name of names) {
      if (!name.endsWith('.json') || name === 'state.json' || name.startsWith('.')) continue;
      const id = name.slice(0, -5);
      if (!ENTRY_ID.test(id)) continue;
      const entry = await this.readEntry(id);
      if (!entry) continue;
      if (entry.state === 'sent' && nowMs - Date.parse(entry.updatedAt) > keepSent) {
        await unlink(this.entryPath(id)).catch(() => undefined);
        continue;
      }
      if (entry.state === 'sending' && entry.ownerPid !== process.pid && !(entry.ownerPid && isAlive(entry.ownerPid))) {
        await this.markAbandoned(id);
        const updated = await this.readEntry(id);
        if (updated) next.set(id, updated);
        continue;
      }
      next.set(id, entry);
    }
    this.entries = next;
  }

  private async readEntry(id: string): Promise<StoredEntry | undefined> {
    try {
      const value = JSON.parse(await readFile(this.entryPath(id), 'utf8')) as StoredEntry;
      if (typeof value?.id !== 'string' || typeof value.state !== 'string' || typeof value.draft !== 'object') return undefined;
      return value;
    } catch {
      return undefined;
    }
  }

  private async update(id: string, change: (entry: StoredEntry) => void): Promise<void> {
    const entry = await this.readEntry(id);
    if (!entry) fail('not-found', 'That outbox entry no longer exists.');
    change(entry);
    entry.updatedAt = this.now().toISOString();
    await this.write(entry);
  }

  private async write(entry: StoredEntry): Promise<void> {
    await writeFileAtomic(this.entryPath(entry.id), JSON.stringify(entry));
    this.entries.set(entry.id, entry);
  }

  private entryPath(id: string): string {
    if (!ENTRY_ID.test(id)) fail('validation', 'Invalid outbox entry id.');
    return join(this.dir, `${id}.json`);
  }

  private lockPath(id: string): string {
    if (!ENTRY_ID.test(id)) fail('validation', 'Invalid outbox entry id.');
    return join(this.dir, `${id}.lock`);
  }

  private view(): OutboxView {
    return { entries: [...this.entries.values()].sort(byCreated).map(publicEntry), paused: this.paused };
  }

  private changed(): void {
    this.options.onChange?.(this.view());
  }
}

function publicEntry(entry: StoredEntry): OutboxEntry {
  const { draft: _draft, ownerPid: _owner, ...rest } = entry;
  return { ...rest };
}

function byCreated(a: OutboxEntry, b: OutboxEntry): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
}

async function lockOwner(path: string): Promise<number | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown };
    return typeof value.pid === 'number' ? value.pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  return isProcessAlive(pid);
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
