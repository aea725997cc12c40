// The send history on disk: append-only JSON Lines, a torn last line tolerated, filters, CSV/JSON export.
import assert from 'node:assert/strict';
import { appendFile, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { historyProblem, HistoryStore, type NewHistoryRecord } from '../../../main/history/history-store';
import { MAX_LISTED_HISTORY_PROBLEMS } from '../../../preload/contract';
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

  test('concurrent appends share fsyncs (a group commit), and each is acknowledged only once its line is on disk', async () => {
    await withTempDir('history-group', async (dir) => {
      const history = new HistoryStore(dir);
      await history.append(record({ at: '2025-03-01T00:00:00.000Z' })); // creates the file
      // Count the fsyncs of the file handles the store opens.
      const probe = await open(join(dir, 'probe'), 'w');
      const prototype = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
      await probe.close();
      const originalSync = prototype.sync;
      let syncs = 0;
      prototype.sync = function (this: unknown) {
        syncs++;
        return originalSync.call(this);
      };
      try {
        const count = 60;
        const onDiskAtAck: boolean[] = [];
        await Promise.all(
          Array.from({ length: count }, (_, i) =>
            history.append(record({ id: `r${i}`, at: '2025-03-02T00:00:00.000Z' })).then(async (written) => {
              onDiskAtAck[i] = (await readFile(history.path, 'utf8')).includes(`"id":"${written.id}"`);
            }),
          ),
        );
        assert.deepEqual(onDiskAtAck, Array<boolean>(count).fill(true), 'every append resolved after its line was written');
        assert.ok(syncs >= 1 && syncs <= 3, `${count} concurrent appends took ${syncs} fsyncs (one per group, not one each)`);
        const all = await new HistoryStore(dir).all();
        assert.equal(all.records.length, count + 1);
        assert.equal(all.skippedLines, 0);
        assert.equal(new Set(all.records.map((r) => r.id)).size, count + 1);
      } finally {
        prototype.sync = originalSync;
      }
    });
  });

  test('a group that cannot be written fails every append in it, and the next group is written', async () => {
    await withTempDir('history-group-fail', async (dir) => {
      const history = new HistoryStore(dir);
      await mkdir(history.path, { recursive: true }); // a folder where the file should be: open fails
      const results = await Promise.allSettled([history.append(record({ id: 'a' })), history.append(record({ id: 'b' }))]);
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
      await rm(history.path, { recursive: true });
      await history.append(record({ id: 'c', at: '2025-04-01T00:00:00.000Z' }));
      assert.deepEqual((await new HistoryStore(dir).all()).records.map((r) => r.id), ['c']);
    });
  });

  // Issue #18, point 8: before, one record with status 5 made every query fail ("r.status.padEnd is not a function"
  // in the CLI, a broken table in the app).
  test('each kind of bad line is set aside with its line number and reason; the other records load and nothing is rewritten', async () => {
    await withTempDir('history-damaged', async (dir) => {
      const history = new HistoryStore(dir);
      await history.append(record({ id: 'good-1', at: '2025-05-01T00:00:00.000Z' }));
      const base = JSON.parse((await readFile(history.path, 'utf8')).trim()) as Record<string, unknown>;
      const bad = [
        JSON.stringify({ ...base, id: 'status-5', status: 5 }),
        JSON.stringify({ ...base, id: 'files-string', files: 'push.p12' }),
        JSON.stringify({ ...base, id: 'no-duration', durationMs: undefined }),
        JSON.stringify({ ...base, id: 'kind-unknown', kind: 'fax' }),
        'not json',
        '"just a string"',
        'null',
        '',
      ];
      await appendFile(history.path, `${bad.join('\n')}\n`);
      await history.append(record({ id: 'good-2', at: '2025-05-02T00:00:00.000Z', errorCode: 'no-such-code' as never }));
      await appendFile(history.path, '{"id":"torn","at":"2025-05-0');
      const before = await readFile(history.path, 'utf8');

      for (const store of [history, new HistoryStore(dir)]) {
        const result = await store.query();
        assert.deepEqual(result.records.map((r) => r.id), ['good-2', 'good-1']);
        assert.equal(result.records[0]?.errorCode, 'no-such-code', 'an error code this version does not know does not hide the send');
        assert.equal(result.skippedLines, 8);
        assert.deepEqual(
          result.problems.map((p) => [p.line, p.reason]),
          [
            [2, 'its status is 5, not one of sent, failed, not-sent, outcome-unknown, cancelled'],
            [3, 'its files is "push.p12", not an array'],
            [4, 'its durationMs is missing'],
            [5, 'its kind is "fax", not one of cert-upload, pass-update, wns-credentials, cert-remove'],
            [6, 'it is not valid JSON'],
            [7, 'it is not a send record (a JSON object)'],
            [8, 'it is not a send record (a JSON object)'],
            [11, 'the line is cut off (the app or the command line stopped while writing it)'],
          ],
        );
        assert.deepEqual(result.problems[0], historyProblem(history.path, 2, result.problems[0]!.reason));
      }
      assert.equal(await readFile(history.path, 'utf8'), before, 'the damaged lines stay in the file as they were');
      assert.equal(await history.export(join(dir, 'out.csv'), 'csv'), 2);
    });
  });

  test('line numbers stay right across appends read in pieces, and a long run of bad lines is counted, not all listed', async () => {
    await withTempDir('history-damaged-many', async (dir) => {
      const history = new HistoryStore(dir);
      await history.append(record({ id: 'first' }));
      assert.equal((await history.all()).skippedLines, 0);
      await appendFile(history.path, `${'{"broken": true}\n'.repeat(MAX_LISTED_HISTORY_PROBLEMS + 5)}`);
      await history.append(record({ id: 'last' }));
      const result = await history.query();
      assert.deepEqual(result.records.map((r) => r.id), ['last', 'first']);
      assert.equal(result.skippedLines, MAX_LISTED_HISTORY_PROBLEMS + 5);
      assert.equal(result.problems.length, MAX_LISTED_HISTORY_PROBLEMS);
      assert.equal(result.problems[0]?.line, 2);
      assert.equal(result.problems[0]?.reason, 'its id is missing');
    });
  });

  test('a history file corrected by hand while the app runs is read again from the start', async () => {
    await withTempDir('history-edited', async (dir) => {
      const history = new HistoryStore(dir);
      await history.append(record({ id: 'one' }));
      await appendFile(history.path, '{"id":"two","status":5}\n');
      assert.equal((await history.all()).skippedLines, 1);
      // The user replaces the damaged line with a longer, valid one (the file grows: no shrink to notice).
      const text = await readFile(history.path, 'utf8');
      const fixed = JSON.stringify({ ...(JSON.parse(text.split('\n')[0]!) as object), id: 'two', serverMessage: 'corrected by hand' });
      await writeFile(history.path, `${text.split('\n')[0]}\n${fixed}\n`);
      const again = await history.all();
      assert.deepEqual(again.records.map((r) => r.id), ['one', 'two']);
      assert.equal(again.skippedLines, 0);
    });
  });
});
