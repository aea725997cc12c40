// The per-item events of a batch (eng:event:batch), shared by pass batches and drafts sent many at once.
import type { AppError, BatchItemEvent } from '../../preload/contract';
import type { BatchItemResult } from './batch';
import type { EventSink } from '../ipc/registry';

/** Pushes each finished item as an event, counting as it goes. */
export function batchItemEvents(operationId: string, keys: readonly string[], events: EventSink) {
  let completed = 0;
  return <R>(result: BatchItemResult<R>, extra: (value: R) => Pick<BatchItemEvent, 'requestId' | 'draftStatus'>) => {
    completed++;
    const error: AppError | undefined = result.ok ? undefined : result.error;
    events('batch', {
      operationId,
      index: result.index,
      key: keys[result.index] ?? '',
      status: result.status,
      ...(result.ok ? extra(result.value) : {}),
      ...(error ? { error } : {}),
      completed,
      total: keys.length,
    });
  };
}
