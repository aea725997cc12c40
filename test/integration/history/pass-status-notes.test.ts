// The last known delivery status of a pass request (issue #17): each status read is noted beside the history
// (history/pass-status.jsonl), the newest note of a requestId is shown with the records that carry it, and
// history.jsonl keeps its format (not a byte of it changes), so older versions read it as before.
import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { HistoryStore, type NewHistoryRecord } from '../../../main/history/history-store';
import { summarizePassStatus } from '../../../main/history/pass-status-notes';
import type { PassRequestStatus } from '../../../preload/contract';
import { withTempDir } from '../../support/temp-dir';

const channel = (status: string, final: boolean) => ({ channel: 'EMAIL', passStatus: 'issued', status, final });

function status(requestId: string, words: Array<[string, boolean]>): PassRequestStatus {
  return {
    requestId,
    total: words.length,
    passes: words.map(([word, final], i) => ({ id: `72057594037927${String(936 + i)}`, channels: [channel(word, final)] })),
    settled: words.every(([, final]) => final),
  };
}

describe('pass status notes', () => {
  test('counts delivered (opened included), rejected, undelivered and channels not final yet', () => {
    const summary = summarizePassStatus(
      status('9007199254740993', [
        ['delivered', true],
        ['opened', true],
        ['rejected', true],
        ['undelivered', true],
        ['queued', false],
      ]),
      '2026-12-07T02:00:00.000Z',
    );
    assert.deepEqual(summary, { at: '2026-12-07T02:00:00.000Z', passes: 5, channels: 5, delivered: 2, rejected: 1, undelivered: 1, final: 4, settled: false });
  });

  test('the newest status of a request is shown with its records; history.jsonl is not changed; bad notes are skipped', async () => {
    await withTempDir('pass-status-notes', async (dir) => {
      const history = new HistoryStore(dir);
      const base: NewHistoryRecord = { kind: 'pass-update', source: 'cli', profileId: 'p1', profileName: 'Prod', endpoint: 'POST /api/v1/message/pass/import', files: [], status: 'sent', durationMs: 5 };
      await history.append({ ...base, requestId: '9007199254740993' });
      await history.append({ ...base, requestId: '9007199254740995' });
      await history.append({ ...base, kind: 'cert-upload', endpoint: 'POST /api/v1/applications/{appId}/windows' });
      const before = await readFile(history.path, 'utf8');

      await history.passStatuses.record(status('9007199254740993', [['queued', false], ['submitted', false]]), '2026-12-07T02:00:00.000Z');
      await history.passStatuses.record(status('9007199254740993', [['delivered', true], ['rejected', true]]), '2026-12-07T02:05:00.000Z');
      // A torn or hand-edited note is skipped, the others still count.
      await appendFile(history.passStatuses.path, '{"requestId":"9007199254740993","at":"2026-12-07T03:00:00.000Z","passes":"many"}\n{"requestId":');

      assert.equal(await readFile(history.path, 'utf8'), before, 'history.jsonl keeps every byte');
      const { records } = await new HistoryStore(dir).query();
      const byRequest = new Map(records.map((r) => [r.requestId ?? r.kind, r.lastStatus]));
      assert.deepEqual(byRequest.get('9007199254740993'), {
        at: '2026-12-07T02:05:00.000Z',
        passes: 2,
        channels: 2,
        delivered: 1,
        rejected: 1,
        undelivered: 0,
        final: 2,
        settled: true,
      });
      assert.equal(byRequest.get('9007199254740995'), undefined, 'a request never read has no status');
      assert.equal(byRequest.get('cert-upload'), undefined);

      // A note appended after a torn line starts on its own line.
      await history.passStatuses.record(status('9007199254740995', [['delivered', true]]), '2026-12-07T02:10:00.000Z');
      const again = await history.query();
      assert.equal(again.records.find((r) => r.requestId === '9007199254740995')?.lastStatus?.delivered, 1);
    });
  });
});
