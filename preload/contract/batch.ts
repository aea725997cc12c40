// Batch sends (issue #6): one pass update to many recipients (one request each), many drafts at once. Each item
// ends with exactly one result; a stop (operationCancel) starts nothing new and lets in-flight items finish.
import { z } from 'zod';
import type { AppError } from './errors';
import type { DraftSendStatus } from './drafts';
import { draftId, filePath, operationIdSchema } from './fields';
import { passUpdateSchema } from './transfers';
import { MAX_BATCH_DRAFTS, MAX_BATCH_RECIPIENTS } from './constants';

export { MAX_BATCH_DRAFTS, MAX_BATCH_RECIPIENTS } from './constants';
const batchConcurrency = z.number().int().min(1).max(32);

export const recipientsImportSchema = z.strictObject({ path: filePath('read') });
export interface RecipientsImportResult {
  ids: string[];
}

/** The pass update's fields, with the recipients given as a list: each gets its own request. */
export const passBatchSchema = passUpdateSchema.extend({
  recipientIds: z
    .array(z.string().trim().min(1, 'A recipient id is empty.').max(200))
    .min(1, 'Add at least one recipient.')
    .max(MAX_BATCH_RECIPIENTS, 'A batch takes at most 100,000 recipients.'),
  /** Requests in flight at once (default 8). */
  concurrency: batchConcurrency.optional(),
});
export type PassBatchRequest = z.infer<typeof passBatchSchema>;

export const draftsSendManySchema = z.strictObject({
  operationId: operationIdSchema,
  ids: z.array(draftId).min(1, 'Select at least one draft.').max(MAX_BATCH_DRAFTS),
  /** Drafts sent at once (default 4). */
  concurrency: batchConcurrency.optional(),
});

/** How one item of a batch ended: 'done' (sent), 'failed', or 'skipped' (the batch was stopped before it started). */
export type BatchItemStatus = 'done' | 'failed' | 'skipped';

export interface BatchSummary {
  sent: number;
  failed: number;
  skipped: number;
}

/** Pushed once per finished item (completion order; skipped items last). */
export interface BatchItemEvent {
  operationId: string;
  /** Position of the item in the request. */
  index: number;
  /** The recipient id (pass batch) or draft id (drafts). */
  key: string;
  status: BatchItemStatus;
  requestId?: string;
  error?: AppError;
  /** Drafts only: how a draft whose send finished ended (sent, queued in the Outbox, outcome unknown). */
  draftStatus?: DraftSendStatus;
  /** Items finished so far, this one included. */
  completed: number;
  total: number;
}

export interface PassBatchItem {
  recipientId: string;
  status: BatchItemStatus;
  requestId?: string;
  error?: AppError;
}

export interface PassBatchResult {
  /** In request order. */
  results: PassBatchItem[];
  summary: BatchSummary;
  /** The batch was stopped before every recipient had been sent to. */
  stopped: boolean;
}

export type DraftBatchStatus = 'sent' | 'queued' | 'outcome-unknown' | 'failed' | 'skipped';

export interface DraftBatchItem {
  id: string;
  status: DraftBatchStatus;
  message?: string;
  requestId?: string;
  error?: AppError;
}

export interface DraftsSendManyResult {
  results: DraftBatchItem[];
  summary: BatchSummary & { queued: number; outcomeUnknown: number };
  stopped: boolean;
}
