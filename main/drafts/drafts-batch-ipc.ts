// Many drafts sent at once from the Drafts page ("Send selected"): each goes the way a single draft send goes
// (sent, or queued in the outbox when its server cannot be reached), over runBatch with bounded concurrency, with
// one eng:event:batch per finished item; operationCancel stops new sends and lets those in flight finish.
import type { DraftBatchItem } from '../../preload/contract';
import { runBatch } from '../sending/batch';
import { batchItemEvents } from '../sending/batch-events';
import { sendDraftOrQueue, type DraftServices } from './draft-services';
import type { OperationRegistry } from '../platform/operations';
import { draftBatchItem, draftBatchSummary, firstDuplicate } from '../core/batch-results';
import { fail } from '../core/errors';
import type { EventSink, HandlerRegistry } from '../ipc/registry';

export const DEFAULT_DRAFTS_BATCH_CONCURRENCY = 4;

export interface DraftsBatchIpcDeps {
  operations: OperationRegistry;
  events: EventSink;
  drafts: Pick<DraftServices, 'drafts' | 'sender' | 'outbox'>;
}

export function registerDraftsBatchIpc(registry: HandlerRegistry, deps: DraftsBatchIpcDeps): void {
  const { operations, events, drafts } = deps;
  registry.handle('draftsSendMany', async (request) => {
    const { ids } = request;
    const duplicate = firstDuplicate(ids);
    if (duplicate) fail('validation', `The draft ${duplicate.id} is selected twice. Nothing was sent.`);
    return operations.run(request.operationId, async (stop) => {
      const push = batchItemEvents(request.operationId, ids, events);
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
