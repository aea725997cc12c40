import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AppError } from '../../../../preload/contract';
import {
  addToTally,
  describeTally,
  draftBatchItem,
  draftBatchSummary,
  emptyTally,
  firstDuplicate,
  passBatchItem,
} from '../../../../main/core/batch-results';

const stopped: AppError = { code: 'cancelled', message: 'Not sent: the batch was stopped before this item started.', retryable: true };
const server: AppError = { code: 'server-error', message: 'HTTP 500', retryable: true, httpStatus: 500 };

describe('batch results', () => {
  test('firstDuplicate names the id and both positions, and nothing for distinct ids', () => {
    assert.deepEqual(firstDuplicate(['7', '8', '9', '8', '7']), { id: '8', first: 1, second: 3 });
    assert.equal(firstDuplicate(['1', '01', '1 ']), undefined, 'ids are compared exactly, as the server sees them');
  });

  test('a pass item keeps the requestId when sent and the error otherwise', () => {
    assert.deepEqual(passBatchItem({ status: 'done', value: { requestId: '9223372036854775807', description: 'Request Queued.' } }, '42'), {
      recipientId: '42',
      status: 'done',
      requestId: '9223372036854775807',
    });
    assert.deepEqual(passBatchItem({ status: 'skipped', error: stopped }, '43'), { recipientId: '43', status: 'skipped', error: stopped });
  });

  test('a draft item takes the send status (sent, queued, outcome unknown) and the summary counts each', () => {
    const items = [
      draftBatchItem({ status: 'done', value: { status: 'sent', message: 'Request Queued.', requestId: '1' } }, 'a'),
      draftBatchItem({ status: 'done', value: { status: 'queued', message: 'In the Outbox', outboxId: 'o1' } }, 'b'),
      draftBatchItem({ status: 'done', value: { status: 'outcome-unknown', message: 'Check', outboxId: 'o2' } }, 'c'),
      draftBatchItem({ status: 'failed', error: server }, 'd'),
      draftBatchItem({ status: 'skipped', error: stopped }, 'e'),
    ];
    assert.deepEqual(items[0], { id: 'a', status: 'sent', message: 'Request Queued.', requestId: '1' });
    assert.deepEqual(items[3], { id: 'd', status: 'failed', message: 'HTTP 500', error: server });
    assert.deepEqual(draftBatchSummary(items), { sent: 1, queued: 1, outcomeUnknown: 1, failed: 1, skipped: 1 });
  });

  test('the tally counts events and reads as the progress bar says it', () => {
    let tally = emptyTally(30);
    assert.equal(describeTally(tally), '0 of 30 sent');
    for (const status of ['done', 'done', 'failed', 'done', 'skipped'] as const) tally = addToTally(tally, { status, total: 30 });
    assert.deepEqual(tally, { completed: 5, total: 30, sent: 3, failed: 1, skipped: 1 });
    assert.equal(describeTally(tally), '3 of 30 sent, 1 failed, 1 skipped');
    assert.equal(describeTally({ ...emptyTally(100000), sent: 1234 }), '1,234 of 100,000 sent');
  });
});
