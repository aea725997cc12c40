// The send history on disk: append-only JSON Lines, a torn last line tolerated, filters, CSV/JSON export.
import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { HistoryStore, type NewHistoryRecord } from '../../../main/adapters/history-store';
import { withTempDir } from '../../support/temp-dir';

function record(overrides: Partial<NewHistoryRecord>): NewHistoryRecord {
  return {
    kind: 'cert-upload',
    source: 'app',
    profileId: 'p1',
    profileName: 'Production',
    endpoint: 'POST /api/v1/applications/{appId}/windows',
    appId: 'App1',
    files: [{ role: 'cert', name: 'push.p12', sha256: 'a'.repeat(64), size: 2048 }],
    status: 'sent',
    durationMs: 120,
    ...overrides,
  };
}

describe('HistoryStore', () => {
  test('a torn last line is skipped and the next record still lands on its own line', async () => {
    await withTempDir('history-torn', async (dir) => {
      const history = new HistoryStore(dir);
      await history.append(record({ at: '2025-01-01T10:00:00.000Z' }));
      await appendFile(history.path, '{"id":"torn","at":"2025-01-01T10:0');
      const torn = await new HistoryStore(dir).all();
      assert.equal(torn.records.length, 1);
      assert.equal(torn.skippedLines, 1);
      await history.append(record({ at: '2025-01-02T10:00:00.000Z', status: 'failed', httpStatus: 500 }));
      const after = await new HistoryStore(dir).query();
      assert.deepEqual(after.records.map((r) => r.status), ['failed', 'sent']);
      assert.equal(after.skippedLines, 1);
    });
  });

  test('secrets are redacted, filters apply, exports are CSV and JSON', async () => {
    await withTempDir('history-export', async (dir) => {
      const history = new HistoryStore(dir);
      await history.append({ ...record({ at: '2025-02-01T09:00:00.000Z' }), ...({ passphrase: 'hunter2' } as object) });
      await history.append(record({ at: '2025-02-02T09:00:00.000Z', kind: 'pass-update', profileName: 'Staging', profileId: 'p2', requestId: '2318508739642895844', status: 'outcome-unknown' }));
      await history.append(record({ at: '2025-02-03T09:00:00.000Z', serverMessage: '=cmd()', status: 'failed' }));
      assert.ok(!(await readFile(history.path, 'utf8')).includes('hunter2'));

      assert.equal((await history.query({ profile: 'staging' })).total, 1);
      assert.equal((await history.query({ status: 'failed' })).total, 1);
      assert.equal((await history.query({ text: '2318508739642895844' })).total, 1);
      assert.equal((await history.query({ from: '2025-02-02', to: '2025-02-02' })).total, 1);
      assert.deepEqual((await history.query({ limit: 2 })).records.map((r) => r.at), ['2025-02-03T09:00:00.000Z', '2025-02-02T09:00:00.000Z']);

      const csv = join(dir, 'out.csv');
      assert.equal(await history.export(csv, 'csv', { profile: 'Production' }), 2);
      const text = await readFile(csv, 'utf8');
      assert.equal(text.split('\r\n').length, 4);
      assert.ok(text.includes(",'=cmd(),"), text);
      const json = join(dir, 'out.json');
      assert.equal(await history.export(json, 'json'), 3);
      const parsed = JSON.parse(await readFile(json, 'utf8')) as Array<{ requestId?: string }>;
      assert.equal(parsed[1]?.requestId, '2318508739642895844');
    });
  });
});
