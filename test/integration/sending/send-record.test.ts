// The one road from a send to its history line: every send, direct or from a draft, is recorded by the same
// SendRecorder, and the rules that make a line (refusals, cancelled, unknown outcome, files) live there alone.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Draft, HistoryRecord } from '../../../preload/contract';
import { appError, EngagementError } from '../../../main/core/errors';
import { HistoryStore } from '../../../main/history/history-store';
import { SendRecorder, type SendSubject } from '../../../main/sending/send-record';
import { sendDraftOrQueue } from '../../../main/drafts/draft-services';
import { openAppServices, type AppServices } from '../../../main/services';
import { createKeychain } from '../../../main/platform/keychain';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { makeP12 } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let tmp: { dir: string; remove(): Promise<void> };

before(async () => {
  tmp = await makeTempDir('send-record');
});

after(async () => {
  await tmp.remove();
});

async function sourcesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourcesUnder(path)));
    else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('one road from a send to its history line', () => {
  test('a direct send and a draft send are recorded by the same recorder, the one send-services.ts builds (for services.ts too)', async () => {
    const emulator: Emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator') });
    const dataDir = join(tmp.dir, 'data');
    const services: AppServices = await openAppServices({ dataDir, store: openSettingsStore(dataDir), secrets: createKeychain(), source: 'app', sandbox: false });
    const view = await services.profiles.save({ name: 'Road', baseUrl: emulator.url, authMode: 'basic', username: 'sandbox' }, 'sandbox');
    try {
      const subjects: SendSubject[] = [];
      const recorder = services.actions.recorder;
      const record = recorder.record.bind(recorder);
      recorder.record = (subject, transfer, steps) => {
        subjects.push(subject);
        return record(subject, transfer, steps);
      };
      const p12 = await makeP12(tmp.dir, { passphrase: 'pw' });

      await services.actions.uploadCertificate({ profile: view.id, appId: 'Direct-App', certPath: p12.path, passphrase: 'pw' });
      const { drafts } = services.drafts;
      const created = await drafts.create({ kind: 'cert-upload', name: 'Road draft', profileId: view.id, appId: 'Draft-App' });
      const cert = await drafts.addFile(created.id, p12.path);
      const draft = await drafts.save({ ...created, payload: { appId: 'Draft-App', cert, rememberPassphrase: false } } as Draft);
      const sent = await sendDraftOrQueue(services.drafts, draft, { passphrase: 'pw', source: 'app' });
      assert.equal(sent.status, 'sent');

      assert.deepEqual(
        subjects.map((s) => [s.kind, s.appId, s.origin?.draft?.name]),
        [
          ['cert-upload', 'Direct-App', undefined],
          ['cert-upload', 'Draft-App', 'Road draft'],
        ],
      );
      const lines = (await services.drafts.history.query({})).records;
      assert.deepEqual(
        lines.map((l) => [l.appId, l.draftName, l.status]),
        [
          ['Draft-App', 'Road draft', 'sent'],
          ['Direct-App', undefined, 'sent'],
        ],
      );
      assert.equal(lines[0]?.id, sent.historyId);
    } finally {
      await services.close();
      await services.profiles.remove(view.id).catch(() => undefined);
      await emulator.close();
    }
  });

  test('in main, only send-record.ts writes a history line, and only send-services.ts builds the actions and their recorder', async () => {
    const files = await sourcesUnder(join(ROOT, 'main'));
    const where = async (pattern: RegExp) => {
      const found: string[] = [];
      for (const file of files) if (pattern.test(await readFile(file, 'utf8'))) found.push(relative(ROOT, file));
      return found.sort();
    };
    assert.deepEqual(await where(/new EngagementActions\(/), ['main/send-services.ts']);
    assert.deepEqual(await where(/new SendRecorder\(/), ['main/send-services.ts']);
    assert.deepEqual(await where(/\bhistory\s*\.\s*append\(/), ['main/sending/send-record.ts']);
  });
});

describe('SendRecorder rules', () => {
  let history: HistoryStore;
  let recorder: SendRecorder;
  const profiles = { find: (id: string) => (id === 'p1' ? { id: 'p1', name: 'Prod' } as never : undefined) };
  const direct: SendSubject = { kind: 'pass-update', profile: 'p1', endpoint: 'POST /x', files: [{ role: 'pkPass', path: '/tmp/a/card.pkpass' }] };
  const fromDraft = (): SendSubject => ({
    ...direct,
    origin: {
      source: 'outbox',
      draft: { id: 'd1', name: 'Card', files: [{ role: 'pkPass', name: 'card.pkpass', sha256: 'ab'.repeat(32), size: 12 }], startedAt: Date.now() },
    },
  });
  const failWith = (error: Error, progress = false) => ({
    send: async (transfer: { onProgress?: (p: { direction: 'upload' | 'download'; transferred: number }) => void }) => {
      if (progress) transfer.onProgress?.({ direction: 'upload', transferred: 10 });
      throw error;
    },
  });
  const newest = async (): Promise<HistoryRecord | undefined> => (await history.query({ limit: 1 })).records[0];

  before(() => {
    history = new HistoryStore(join(tmp.dir, 'rules'));
    recorder = new SendRecorder({ history, profiles, source: 'cli' });
  });

  test('a sent line: the parts as they went out, the trimmed server words, the requestId, the default source', async () => {
    const answered: string[] = [];
    const result = await recorder.record(direct, { onAnswered: () => answered.push('answered') }, {
      send: async (transfer) => {
        transfer.onFilesSent?.([{ field: 'pkPass', name: 'card.pkpass', size: 12, sha256: 'cd'.repeat(32) }]);
        return { result: 42, message: ' Request Queued. ', requestId: '7' };
      },
    });
    assert.equal(result, 42);
    assert.deepEqual(answered, ['answered']);
    const line = await newest();
    assert.equal(line?.source, 'cli');
    assert.equal(line?.profileName, 'Prod');
    assert.equal(line?.serverMessage, 'Request Queued.');
    assert.equal(line?.requestId, '7');
    assert.deepEqual(line?.files, [{ role: 'pkPass', name: 'card.pkpass', sha256: 'cd'.repeat(32), size: 12 }]);
  });

  test('a direct send refused locally (a check, a validation or file error) is no send and has no line', async () => {
    const before = (await history.query({})).total;
    const refusal = new EngagementError(appError('validation', 'No.'));
    await assert.rejects(recorder.record(direct, {}, { check: () => Promise.reject(refusal), send: () => Promise.reject(new Error('not reached')) }));
    await assert.rejects(recorder.record(direct, {}, failWith(new EngagementError(appError('file', 'Gone.')))));
    assert.equal((await history.query({})).total, before);
  });

  test('a draft refused locally has its line, with the draft\'s own file description', async () => {
    const recorded: string[] = [];
    const subject = fromDraft();
    subject.origin = { ...subject.origin, onRecorded: (id) => recorded.push(id) };
    await assert.rejects(recorder.record(subject, {}, failWith(new EngagementError(appError('file', 'Gone.')))));
    const line = await newest();
    assert.deepEqual([line?.status, line?.errorCode, line?.draftName, line?.source], ['failed', 'file', 'Card', 'outbox']);
    assert.deepEqual(line?.files, subject.origin.draft?.files);
    assert.deepEqual(recorded, [line?.id]);
  });

  test('cancelled: before the body, both are cancelled; after it started, a draft\'s line says outcome unknown', async () => {
    const cancelled = () => new EngagementError(appError('cancelled', 'Cancelled.'));
    const statusOf = async (subject: SendSubject, progress: boolean) => {
      await assert.rejects(recorder.record(subject, {}, failWith(cancelled(), progress)));
      return (await newest())?.status;
    };
    assert.equal(await statusOf(direct, false), 'cancelled');
    assert.equal(await statusOf(direct, true), 'cancelled');
    assert.equal(await statusOf(fromDraft(), false), 'cancelled');
    assert.equal(await statusOf(fromDraft(), true), 'outcome-unknown');
  });

  test('a failure that never left is not-sent; a server answer keeps its status and words; nothing went out: names only', async () => {
    const refused = new EngagementError(appError('network', 'Cannot connect.', { detail: 'ECONNREFUSED', reason: 'connect-failed' }));
    await assert.rejects(recorder.record(direct, {}, failWith(refused)));
    let line = await newest();
    assert.deepEqual([line?.status, line?.errorCode], ['not-sent', 'network']);
    assert.deepEqual(line?.files, [{ role: 'pkPass', name: 'card.pkpass', sha256: '', size: 0 }]);

    await assert.rejects(recorder.record(direct, {}, failWith(new EngagementError(appError('server-error', 'Server error.', { httpStatus: 500, detail: 'boom' })), true)));
    line = await newest();
    assert.deepEqual([line?.status, line?.httpStatus, line?.serverMessage], ['failed', 500, 'boom']);
  });

  test('a send\'s own secrets (a WNS client secret) are cut out of its line, sent or failed, wherever the server echoes them', async () => {
    const secret = 'wns-Secret/"quoted"\\tail';
    const wns: SendSubject = { kind: 'wns-credentials', profile: 'p1', endpoint: 'POST /wns', appId: 'App1', files: [], secrets: [secret] };
    await recorder.record(wns, {}, { send: async () => ({ result: 1, message: `Saved ${secret} for App1` }) });
    let line = await newest();
    assert.deepEqual([line?.kind, line?.status, line?.serverMessage], ['wns-credentials', 'sent', 'Saved [redacted] for App1']);
    const echoed = new EngagementError(appError('server-error', 'Server error.', { httpStatus: 400, detail: `bad secret ${JSON.stringify(secret)}` }));
    await assert.rejects(recorder.record(wns, {}, failWith(echoed, true)));
    line = await newest();
    assert.equal(line?.serverMessage, 'bad secret "[redacted]"');
    const raw = await readFile(join(tmp.dir, 'rules', 'history', 'history.jsonl'), 'utf8');
    assert.ok(!raw.includes('wns-Secret'), 'no form of the secret is in the history file');
    assert.equal((await history.query({ kind: 'wns-credentials' })).total, 2, 'filterable by its own kind');
  });
});
