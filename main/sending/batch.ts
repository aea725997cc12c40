// Runs one operation over many items (a pass update to many recipients, a set of outbox drafts) with a fixed number
// in flight, so a batch of 1,000 sends moves at the speed of the connection pool without opening 1,000 sockets.
// Every item ends with exactly one result: done, failed, or skipped because the batch was stopped before it
// started. A stop never leaves an item half-recorded: in-flight items either finish and report their real outcome
// or, when asked, are cancelled and reported as cancelled.
import { setMaxListeners } from 'node:events';
import type { AppError } from '../../preload/contract';
import { appError, toAppError } from '../core/errors';

export type BatchItemStatus = 'done' | 'failed' | 'skipped';

export type BatchItemResult<R> =
  | { index: number; status: 'done'; ok: true; value: R; durationMs: number }
  | { index: number; status: 'failed' | 'skipped'; ok: false; error: AppError; durationMs: number };

export interface BatchSummary {
  sent: number;
  failed: number;
  skipped: number;
}

export interface BatchOutcome<R> {
  /** One result per item, in item order. */
  results: BatchItemResult<R>[];
  summary: BatchSummary;
  /** True when the stop signal fired before every item had started. */
  stopped: boolean;
}

export interface BatchOptions<R> {
  /** Items in flight at once (default 8). */
  concurrency?: number;
  /** Stop: no new item starts once this fires; what has not started is reported as skipped. */
  signal?: AbortSignal;
  /**
   * What a stop does to items already in flight: 'finish' (default) lets them complete and report their real
   * outcome; 'cancel' aborts the signal each worker was given.
   */
  inFlight?: 'finish' | 'cancel';
  /** A second, harder stop that cancels in-flight items even when inFlight is 'finish' (a second Ctrl-C). */
  cancelSignal?: AbortSignal;
  /** Called once per item as its result is known (completion order; skipped items last). */
  onItem?: (result: BatchItemResult<R>) => void;
  /** Called when an item starts. */
  onStart?: (index: number) => void;
  now?: () => number;
}

export const DEFAULT_BATCH_CONCURRENCY = 8;

/** Items that released their slot early but have not settled, per slot (see runBatch). */
const RELEASED_ITEMS_PER_SLOT = 4;

/**
 * Runs `worker` over every item with at most `concurrency` holding a slot at once. A worker may hand its slot back
 * before it settles by calling `release` (a send whose answer is in, now only waiting for its history line to be
 * durable), so the next item's request goes out while the last one is recorded; its result still counts only when
 * it settles, and the batch resolves only when every started item has.
 */
export async function runBatch<T, R>(
  items: readonly T[],
  worker: (item: T, signal: AbortSignal, index: number, release: () => void) => Promise<R>,
  options: BatchOptions<R> = {},
): Promise<BatchOutcome<R>> {
  const concurrency = options.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  const now = options.now ?? (() => performance.now());
  const results = new Array<BatchItemResult<R> | undefined>(items.length);

  // One controller for the workers' signal: it fires on the hard stop, or on the stop when inFlight is 'cancel'.
  const cancel = new AbortController();
  // Every in-flight request listens on this one signal; the default limit of 10 would warn about a leak.
  setMaxListeners(concurrency * RELEASED_ITEMS_PER_SLOT * 4 + 10, cancel.signal);
  const detach: Array<() => void> = [];
  const follow = (signal: AbortSignal | undefined) => {
    if (!signal) return;
    if (signal.aborted) cancel.abort();
    const onAbort = () => cancel.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    detach.push(() => signal.removeEventListener('abort', onAbort));
  };
  if (options.inFlight === 'cancel') follow(options.signal);
  follow(options.cancelSignal);

  const record = (result: BatchItemResult<R>) => {
    results[result.index] = result;
    options.onItem?.(result);
  };

  const stopRequested = () => options.signal?.aborted === true || cancel.signal.aborted;
  // Items still finishing after they released their slot (their answer is in; its recording is not yet durable)
  // are bounded too, so a slow disk cannot let a batch run arbitrarily far ahead of its records.
  const maxUnsettled = concurrency * RELEASED_ITEMS_PER_SLOT;

  let callbackError: { error: unknown } | undefined;
  try {
    await new Promise<void>((allSettled) => {
      let next = 0;
      let holding = 0;
      let unsettled = 0;
      const pump = () => {
        while (next < items.length && holding < concurrency && unsettled < maxUnsettled && !stopRequested()) start(next++);
        if (unsettled === 0 && (next >= items.length || stopRequested())) allSettled();
      };
      const start = (index: number) => {
        holding++;
        unsettled++;
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          holding--;
          pump();
        };
        options.onStart?.(index);
        const started = now();
        Promise.resolve()
          .then(() => worker(items[index] as T, cancel.signal, index, release))
          .then(
            (value) => record({ index, status: 'done', ok: true, value, durationMs: now() - started }),
            (error: unknown) => {
              // A failure after a cancel is the cancel's doing, unless the item had its answer already (released).
              const mapped = cancel.signal.aborted && !released && toAppError(error).code !== 'cancelled'
                ? appError('cancelled', 'Cancelled while in flight; the server may not have received it.')
                : toAppError(error);
              record({ index, status: 'failed', ok: false, error: mapped, durationMs: now() - started });
            },
          )
          .catch((error: unknown) => {
            // onItem threw: the batch still settles every started item, then reports the first such error.
            callbackError ??= { error };
          })
          .finally(() => {
            unsettled--;
            if (released) pump();
            else release();
          });
      };
      pump();
    });
  } finally {
    for (const undo of detach) undo();
  }
  if (callbackError) throw callbackError.error;

  let stopped = false;
  for (let index = 0; index < items.length; index++) {
    if (results[index]) continue;
    stopped = true;
    record({
      index,
      status: 'skipped',
      ok: false,
      error: appError('cancelled', 'Not sent: the batch was stopped before this item started.'),
      durationMs: 0,
    });
  }
  const done = results as BatchItemResult<R>[];
  return {
    results: done,
    summary: {
      sent: done.filter((r) => r.status === 'done').length,
      failed: done.filter((r) => r.status === 'failed').length,
      skipped: done.filter((r) => r.status === 'skipped').length,
    },
    stopped,
  };
}
