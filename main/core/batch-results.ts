// Batch sends (issue #6) as data: how one item's outcome becomes a row of the result table and a progress count.
// Pure, so the IPC handlers and the renderer share it and it is unit-tested without a server.
import type {
  AppError,
  BatchItemEvent,
  BatchSummary,
  DraftBatchItem,
  DraftSendResult,
  DraftsSendManyResult,
  PassBatchItem,
  PassUpdateResult,
} from '../../preload/contract';

/** One item's outcome as the batch runner reports it (structurally main/sending/batch.ts' BatchItemResult). */
export type ItemOutcome<R> = { status: 'done'; value: R } | { status: 'failed' | 'skipped'; error: AppError };

/** The first id that appears twice, with both 0-based positions: each recipient gets one update. */
export function firstDuplicate(ids: readonly string[]): { id: string; first: number; second: number } | undefined {
  const seen = new Map<string, number>();
  for (const [index, id] of ids.entries()) {
    const earlier = seen.get(id);
    if (earlier !== undefined) return { id, first: earlier, second: index };
    seen.set(id, index);
  }
  return undefined;
}

export function passBatchItem(outcome: ItemOutcome<PassUpdateResult>, recipientId: string): PassBatchItem {
  if (outcome.status === 'done') return { recipientId, status: 'done', requestId: outcome.value.requestId };
  return { recipientId, status: outcome.status, error: outcome.error };
}

export function draftBatchItem(outcome: ItemOutcome<DraftSendResult>, id: string): DraftBatchItem {
  if (outcome.status !== 'done') return { id, status: outcome.status, message: outcome.error.message, error: outcome.error };
  const { value } = outcome;
  return { id, status: value.status, message: value.message, ...(value.requestId ? { requestId: value.requestId } : {}) };
}

export function draftBatchSummary(items: readonly DraftBatchItem[]): DraftsSendManyResult['summary'] {
  const count = (status: DraftBatchItem['status']) => items.filter((i) => i.status === status).length;
  return {
    sent: count('sent'),
    queued: count('queued'),
    outcomeUnknown: count('outcome-unknown'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}

/** The running count a progress bar shows, built from the pushed item events. */
export interface BatchTally extends BatchSummary {
  completed: number;
  total: number;
}

export function emptyTally(total: number): BatchTally {
  return { completed: 0, total, sent: 0, failed: 0, skipped: 0 };
}

export function addToTally(tally: BatchTally, event: Pick<BatchItemEvent, 'status' | 'total'>): BatchTally {
  return {
    completed: tally.completed + 1,
    total: event.total,
    sent: tally.sent + (event.status === 'done' ? 1 : 0),
    failed: tally.failed + (event.status === 'failed' ? 1 : 0),
    skipped: tally.skipped + (event.status === 'skipped' ? 1 : 0),
  };
}

/** "12 of 30 sent, 2 failed": what the progress bar says. */
export function describeTally(tally: BatchTally): string {
  const parts = [`${tally.sent.toLocaleString('en')} of ${tally.total.toLocaleString('en')} sent`];
  if (tally.failed > 0) parts.push(`${tally.failed.toLocaleString('en')} failed`);
  if (tally.skipped > 0) parts.push(`${tally.skipped.toLocaleString('en')} skipped`);
  return parts.join(', ');
}
