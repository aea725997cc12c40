// Pass batches (issue #6), the app's side of `pass update --batch`: one pass update per recipient, each request
// addressed to that recipient alone, over runBatch with bounded concurrency. One eng:event:batch is pushed per
// finished item, and operationCancel is a stop: nothing new starts, the sends in flight finish and report (and are
// recorded in the history) as they really ended, the rest are 'skipped'.
import type { PassBatchItem } from '../../preload/contract';
import type { EngagementActions } from './engagement-actions';
import type { OperationRegistry } from '../platform/operations';
import { firstDuplicate, passBatchItem } from '../core/batch-results';
import { fail } from '../core/errors';
import { passContentForRecipient } from '../core/recipients-csv';
import { readRecipientsFile } from './recipients-file';
import { batchItemEvents } from './batch-events';
import type { EventSink, HandlerRegistry } from '../ipc/registry';

export const DEFAULT_PASS_BATCH_CONCURRENCY = 8;

export interface PassBatchIpcDeps {
  actions: Pick<EngagementActions, 'sendPassBatch' | 'checkPassUpdate'>;
  operations: OperationRegistry;
  events: EventSink;
}

/** The ids of a recipients CSV (see readRecipientsFile). */
export async function readRecipientIds(path: string): Promise<string[]> {
  return (await readRecipientsFile(path)).map((r) => r.id);
}

export function registerPassBatchIpc(registry: HandlerRegistry, deps: PassBatchIpcDeps): void {
  const { actions, operations, events } = deps;

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
      const push = batchItemEvents(request.operationId, recipientIds, events);
      const outcome = await actions.sendPassBatch(
        { profile: request.profileId, pkPassPath: request.pkPassPath, images, passContent: request.passContent, recipientIds, ...(request.issue ? { issue: true } : {}) },
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
}
