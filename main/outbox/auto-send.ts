// Automatic sending: a loop that sends queued entries whenever their server is reachable, backing off per server
// (with jitter) while it is not, and sleeping until the next entry is due or something is queued.
import type { OutboxQueue, StoredEntry } from './outbox-queue';
import { byCreated } from './outbox-queue';
import type { ReachabilityProbe } from './reachability';
import type { SendAttemptResult } from './sender';

export interface AutoSendOptions {
  queue: OutboxQueue;
  probe?: ReachabilityProbe;
  /** Send one entry as the loop (not by hand). */
  send: (id: string, signal: AbortSignal) => Promise<SendAttemptResult>;
  /** Entries changed (their next attempt time): tell whoever shows the outbox. */
  changed: () => void;
  now: () => Date;
  /** First retry delay after the server was unreachable; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Even with nothing to do, the loop looks at the folder this often (the CLI may have queued something). */
  idleRescanMs?: number;
}

export class AutoSend {
  private readonly delays = new Map<string, number>();
  private running: Promise<void> | undefined;
  private stopController: AbortController | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: AutoSendOptions) {}

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

  /** Look again now (something was queued or resumed) instead of at the next planned wake. */
  wakeup(): void {
    this.wake?.();
  }

  /** Forget every server's back-off (the user resumed sending). */
  resetBackOff(): void {
    this.delays.clear();
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const { queue, probe } = this.options;
    while (!signal.aborted) {
      await queue.reload();
      const nowMs = this.options.now().getTime();
      const due = queue.paused
        ? []
        : [...queue.values()]
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
          if (signal.aborted || queue.paused) break;
          const outcome = await this.options.send(entry.id, signal);
          if (outcome === 'not-sent') {
            // Reachable a moment ago but not now: wait before trying this server again.
            await this.backOff(profileId, entries.filter((e) => queue.get(e.id)?.state === 'queued'));
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
    const at = new Date(this.options.now().getTime() + Math.round(delay * (0.8 + Math.random() * 0.4))).toISOString();
    for (const entry of entries) {
      await this.options.queue
        .update(entry.id, (stored) => {
          if (stored.state === 'queued') stored.nextAttemptAt = at;
        })
        .catch(() => undefined);
    }
    this.options.changed();
  }

  private nextWakeMs(): number {
    const idle = this.options.idleRescanMs ?? 30_000;
    if (this.options.queue.paused) return idle;
    let earliest = Infinity;
    for (const entry of this.options.queue.values()) {
      if (entry.state !== 'queued' || entry.blockedReason) continue;
      const at = entry.nextAttemptAt ? Date.parse(entry.nextAttemptAt) : 0;
      earliest = Math.min(earliest, at);
    }
    if (earliest === Infinity) return idle;
    return Math.max(0, Math.min(idle, earliest - this.options.now().getTime()));
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
}
