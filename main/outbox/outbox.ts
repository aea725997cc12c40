// The outbox (issue #5): drafts waiting for the server. Each entry holds a copy of the draft as it was queued
// (later edits do not change what is sent; its blobs are content-addressed). Its parts: the entry files
// (outbox-queue.ts), the cross-process claim on an entry (entry-lock.ts), the automatic sending loop
// (auto-send.ts) with its reachability probe (reachability.ts), and the passphrases typed for queued sends
// (passphrases.ts). This class is what the app and the CLI call, and it decides what a send's outcome does to an
// entry.
//
// The resend rule: an entry whose request never left the machine stays 'queued' and is sent automatically when
// the server is reachable again. An entry whose request may have reached the server (connection dropped after
// sending, the app killed mid-send) becomes 'outcome-unknown' and is only ever resent by the user, explicitly.
// See classifySendFailure in main/core/drafts.ts for the exact error codes on each side.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppError, Draft, OutboxEntry, OutboxFlushResult, OutboxView } from '../../preload/contract';
import { assertNever } from '../core/assert-never';
import { draftFiles } from '../core/drafts';
import { appError, EngagementError, fail } from '../core/errors';
import { removeStaleTemps } from '../platform/atomic-file';
import { runBatch } from '../sending/batch';
import { AutoSend } from './auto-send';
import { EntryLocks } from './entry-lock';
import { byCreated, OutboxQueue, publicEntry, type StoredEntry } from './outbox-queue';
import { PassphraseMemory } from './passphrases';
import type { ReachabilityProbe } from './reachability';
import type { SendAttemptResult, SendOptions, SendOutcome, Sender } from './sender';

export { createTcpProbe, type ReachabilityProbe } from './reachability';
export type { SendOptions, SendOutcome, Sender } from './sender';

/** Queued entries sent at once by a flush. */
export const OUTBOX_FLUSH_CONCURRENCY = 4;

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

export class OutboxService {
  readonly dir: string;
  private readonly queue: OutboxQueue;
  private readonly locks: EntryLocks;
  private readonly passphrases = new PassphraseMemory();
  private readonly auto: AutoSend;
  private readonly now: () => Date;
  private flushing: Promise<OutboxFlushResult> | undefined;

  private constructor(private readonly options: OutboxOptions) {
    this.dir = join(options.dataDir, 'outbox');
    this.now = options.now ?? (() => new Date());
    this.queue = new OutboxQueue(this.dir, this.now, options.keepSentMs ?? 24 * 3600 * 1000);
    this.locks = new EntryLocks(this.queue, this.now);
    this.auto = new AutoSend({
      queue: this.queue,
      ...(options.probe ? { probe: options.probe } : {}),
      send: (id, signal) => this.sendEntry(id, { manual: false, signal, source: 'outbox' }),
      changed: () => this.changed(),
      now: this.now,
      ...(options.initialDelayMs !== undefined ? { initialDelayMs: options.initialDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
      ...(options.idleRescanMs !== undefined ? { idleRescanMs: options.idleRescanMs } : {}),
    });
  }

  static async open(options: OutboxOptions): Promise<OutboxService> {
    const outbox = new OutboxService(options);
    await mkdir(outbox.dir, { recursive: true });
    await removeStaleTemps(outbox.dir);
    await outbox.queue.reload();
    await outbox.locks.removeDead();
    return outbox;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reading

  async list(): Promise<OutboxView> {
    await this.queue.reload();
    return this.queue.view();
  }

  get(id: string): OutboxEntry | undefined {
    const entry = this.queue.get(id);
    return entry ? publicEntry(entry) : undefined;
  }

  /** Whether an entry holds a copy of this draft (it may still need the draft's remembered secret). */
  holdsDraft(draftId: string): boolean {
    for (const entry of this.queue.values()) if (entry.draftId === draftId) return true;
    return false;
  }

  /** Blob hashes the queued drafts hold (for the drafts store's garbage collection). */
  referencedBlobs(): string[] {
    const hashes: string[] = [];
    for (const entry of this.queue.values()) {
      for (const { file } of draftFiles(entry.draft)) hashes.push(file.sha256);
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
      ...(draft.kind === 'pass-update' && draft.payload.issue ? { issue: true } : {}),
      profileId: draft.profileId,
      state: options.state ?? 'queued',
      createdAt: now,
      updatedAt: now,
      attempts: options.lastError ? 1 : 0,
      draft,
      ...(options.lastError ? { lastError: options.lastError, lastAttemptAt: now } : {}),
      ...(options.historyId ? { historyId: options.historyId } : {}),
    };
    this.passphrases.remember(entry.id, options.passphrase);
    await this.queue.write(entry);
    this.changed();
    this.auto.wakeup();
    return publicEntry(entry);
  }

  /** Whether a passphrase typed for this entry is held in memory (it is never written anywhere). */
  hasPassphrase(id: string): boolean {
    return this.passphrases.has(id);
  }

  /** Forgets the passphrases typed for this profile's entries (the profile was removed); they will be asked again. */
  async forgetPassphrases(profileId: string): Promise<void> {
    await this.queue.reload();
    this.passphrases.forgetWhere((id) => {
      const entry = this.queue.get(id);
      return !entry || entry.profileId === profileId;
    });
  }

  /** Pause one entry, or (no id) the whole automatic sending. */
  async pause(id?: string): Promise<OutboxView> {
    if (id === undefined) {
      await this.queue.setPaused(true);
    } else {
      await this.queue.update(id, (entry) => {
        if (entry.state !== 'queued') fail('validation', 'Only a queued entry can be paused.');
        entry.state = 'paused';
      });
    }
    this.changed();
    return this.queue.view();
  }

  async resume(id?: string): Promise<OutboxView> {
    if (id === undefined) {
      await this.queue.setPaused(false);
      this.auto.resetBackOff();
    } else {
      await this.queue.update(id, (entry) => {
        if (entry.state === 'paused') entry.state = 'queued';
        delete entry.nextAttemptAt;
      });
    }
    this.changed();
    this.auto.wakeup();
    return this.queue.view();
  }

  async discard(id: string): Promise<boolean> {
    await this.queue.reload();
    const entry = this.queue.get(id);
    if (!entry) return false;
    if (entry.state === 'sending') fail('validation', 'The entry is being sent right now; wait for the result.');
    await this.queue.remove(id);
    this.passphrases.forget(id);
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
    await this.queue.reload();
    const entry = this.queue.get(id);
    if (!entry) fail('not-found', 'That outbox entry no longer exists.');
    if (entry.state === 'sent') fail('validation', 'This entry was already sent.');
    if (entry.state === 'outcome-unknown' && !options.confirmResend) {
      fail(
        'validation',
        'The outcome of the last send is unknown: the server may already have it. Check on the server, then confirm to send it again.',
        { reason: 'confirm-resend' },
      );
    }
    this.passphrases.remember(id, options.passphrase);
    const result = await this.sendEntry(id, {
      manual: true,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      source: options.source ?? 'app',
    });
    if (result === 'busy') fail('validation', 'The entry is being sent by another window or process.');
    const after = this.queue.get(id);
    if (!after) fail('not-found', 'That outbox entry no longer exists.');
    return publicEntry(after);
  }

  /** Send every queued entry now (paused ones too only when `includePaused`), one after another. */
  async flush(options: { signal?: AbortSignal; source?: SendOptions['source'] } = {}): Promise<OutboxFlushResult> {
    // One flush at a time in this process; a second caller waits for the same result.
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      await this.queue.reload();
      const result: OutboxFlushResult = { sent: 0, failed: 0, outcomeUnknown: 0, stillQueued: 0 };
      const queued = [...this.queue.values()].filter((e) => e.state === 'queued' && !e.blockedReason).sort(byCreated);
      // A few at a time: a long outbox drains quickly without flooding a server that just came back.
      await runBatch(
        queued,
        (entry, signal) => this.sendEntry(entry.id, { manual: true, signal, source: options.source ?? 'app' }),
        { concurrency: OUTBOX_FLUSH_CONCURRENCY, ...(options.signal ? { signal: options.signal, cancelSignal: options.signal } : {}) },
      );
      for (const entry of queued) {
        const state = this.queue.get(entry.id)?.state;
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
    this.auto.start();
  }

  async stop(): Promise<void> {
    await this.auto.stop();
  }

  // -------------------------------------------------------------------------------------------------------------
  // One send

  /** Claim, send, record. Returns how it ended, or 'busy' when another process holds the entry. */
  private async sendEntry(
    id: string,
    context: { manual: boolean; signal?: AbortSignal; onProgress?: SendOptions['onProgress']; source: SendOptions['source'] },
  ): Promise<SendAttemptResult> {
    const release = await this.locks.claim(id);
    if (!release) return 'busy';
    try {
      const entry = await this.queue.read(id);
      if (!entry) return 'skipped';
      this.queue.remember(entry);
      const sendable = entry.state === 'queued' || (context.manual && entry.state !== 'sent' && entry.state !== 'sending');
      if (!sendable) return 'skipped';
      const startedAt = this.now().toISOString();
      entry.state = 'sending';
      entry.ownerPid = process.pid;
      entry.attempts++;
      entry.lastAttemptAt = startedAt;
      entry.updatedAt = startedAt;
      delete entry.nextAttemptAt;
      await this.queue.write(entry);
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
          this.passphrases.forget(id);
          break;
        case 'not-sent':
          // Shutting down mid-send or server gone: back in the queue, untouched.
          entry.state = 'queued';
          entry.lastError = outcome.error;
          break;
        case 'failed':
          entry.lastError = outcome.error;
          if (outcome.error.reason === 'passphrase-needed') {
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
        default:
          assertNever(outcome, 'send outcome');
      }
      if (!(outcome.status === 'failed' && outcome.error.reason === 'passphrase-needed')) delete entry.blockedReason;
      await this.queue.write(entry);
      this.changed();
      return outcome.status;
    } finally {
      await release();
    }
  }

  private changed(): void {
    this.options.onChange?.(this.queue.view());
  }
}
