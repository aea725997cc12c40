// Batch sends (issue #6), the app's side of `pass update --batch`: one pass update per recipient (each request
// addressed to that recipient alone) and many drafts at once. Both run over runBatch with bounded concurrency,
// push one eng:event:batch per finished item, and treat operationCancel as a stop: nothing new starts, the sends
// in flight finish and report (and are recorded in the history) as they really ended, the rest are 'skipped'.
import type { AppError, BatchItemEvent, DraftBatchItem, PassBatchItem } from '../../preload/contract';
import { runBatch, type BatchItemResult } from '../adapters/batch';
import { sendDraftOrQueue, type DraftServices } from '../adapters/draft-services';
import type { EngagementActions } from '../adapters/engagement-actions';
import type { OperationRegistry } from '../adapters/operations';
import { draftBatchItem, draftBatchSummary, firstDuplicate, passBatchItem } from '../core/batch-results';
import { fail } from '../core/errors';
import { passContentForRecipient } from '../core/recipients-csv';
import { readRecipientsFile } from '../adapters/recipients-file';
import type { EventSink, HandlerRegistry } from './registry';

export const DEFAULT_PASS_BATCH_CONCURRENCY = 8;
export const DEFAULT_DRAFTS_BATCH_CONCURRENCY = 4;

export interface BatchIpcDeps {
  actions: Pick<EngagementActions, 'sendPassBatch' | 'checkPassUpdate'>;
  operations: OperationRegistry;
  events: EventSink;
  drafts: Pick<DraftServices, 'drafts' | 'sender' | 'outbox'>;
}

/** The ids of a recipients CSV (see readRecipientsFile). */
export async function readRecipientIds(path: string): Promise<string[]> {
  return (await readRecipientsFile(path)).map((r) => r.id);
}

/** Pushes each finished item as an event, counting as it goes. */
function itemEvents(operationId: string, keys: readonly string[], events: EventSink) {
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

export function registerBatchIpc(registry: HandlerRegistry, deps: BatchIpcDeps): void {
  const { actions, operations, events, drafts } = deps;

  registry.handle('recipientsImport', async ({ path }) => ({ ids: await readRecipientIds(path) }));

  registry.handle('passBatch', async (request) => {
    const { recipientIds, images } = request;
    const duplicate = firstDuplicate(recipientIds);
    if (duplicate) {
      fail('validation', `The recipient ${duplicate.id} is listed twice (numbers ${duplicate.first + 1} and ${duplicate.second + 1}); each recipient gets one update. Nothing was sent.`);
    }
    // Checked once for the whole batch (as the CLI does), not once per recipient.
    await actions.checkPassUpdate({
      pkPassPath: request.pkPassPath,
      images,
      passContent: passContentForRecipient(request.passContent, recipientIds[0]!),
    });

    return operations.run(request.operationId, async (stop) => {
      const push = itemEvents(request.operationId, recipientIds, events);
      const outcome = await actions.sendPassBatch(
        { profile: request.profileId, pkPassPath: request.pkPassPath, images, passContent: request.passContent, recipientIds },
        {
          concurrency: request.concurrency ?? DEFAULT_PASS_BATCH_CONCURRENCY,
          signal: stop,
          onItem: (result) => push(result, (value) => ({ requestId: value.requestId })),
        },
      );
      const results: PassBatchItem[] = outcome.results.map((result) => passBatchItem(result, recipientIds[result.index]!));
      return { results, summary: outcome.summary, stopped: outcome.stopped };
    });
  });

  registry.handle('draftsSendMany', async (request) => {
    const { ids } = request;
    const duplicate = firstDuplicate(ids);
    if (duplicate) fail('validation', `The draft ${duplicate.id} is selected twice. Nothing was sent.`);
    return operations.run(request.operationId, async (stop) => {
      const push = itemEvents(request.operationId, ids, events);
      const outcome = await runBatch(
        ids,
        async (id, signal) => sendDraftOrQueue(drafts, await drafts.drafts.get(id), { signal, source: 'app' }),
        {
          concurrency: request.concurrency ?? DEFAULT_DRAFTS_BATCH_CONCURRENCY,
          signal: stop,
          onItem: (result) =>
            push(result, (value) => ({ draftStatus: value.status, ...(value.requestId ? { requestId: value.requestId } : {}) })),
        },
      );
      const results: DraftBatchItem[] = outcome.results.map((result) => draftBatchItem(result, ids[result.index]!));
      return { results, summary: draftBatchSummary(results), stopped: outcome.stopped };
    });
  });
}
