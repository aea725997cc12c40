// Batch sends (issue #6) through the handler registry the app uses, over the real services (temp data dir, the OS
// keychain) against the emulator on loopback: one request per recipient, per-item failures, a stop that leaves
// every started request accounted for and recorded once, and many drafts at once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type {
  BatchItemEvent,
  DraftsSendManyResult,
  PassBatchResult,
  RecipientsImportResult,
  Result,
} from '../../../preload/contract';
import { channels } from '../../../preload/contract';
import { openAppServices, type AppServices } from '../../../main/services';
import type { Dialogs } from '../../../main/platform/dialogs';
import { createKeychain } from '../../../main/platform/keychain';
import { OperationRegistry } from '../../../main/platform/operations';
import { createPathGrants } from '../../../main/platform/path-grants';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { registerAllIpc } from '../../../main/ipc/register-all';
import { createHandlerRegistry, type HandlerRegistry } from '../../../main/ipc/registry';
import { makePkpass, makePng } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const USER = 'batch-ipc-admin';
const PASSWORD = 'Batch-Ipc-Secret-77';
const IMPORT_UPDATE = '/api/v1/message/pass/import/update';

const noDialogs: Dialogs = {
  openFile: async () => [],
  saveFile: async () => undefined,
  showInFolder: async () => false,
};

let tmp: TempDir;
let emulator: Emulator;
let services: AppServices;
let registry: HandlerRegistry;
// The files a user would have picked or dropped in the app.
const pathGrants = createPathGrants();
let operations: OperationRegistry;
let profileId: string;
let pkPassPath: string;
let logoPath: string;
const events: BatchItemEvent[] = [];

const passContent = { recipients: { recipient: [{ id: 'replaced' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 };

async function call<T>(key: keyof typeof channels, payload: unknown): Promise<Result<T>> {
  return (await registry.invoke(channels[key].name, payload)) as Result<T>;
}

function value<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const passUpdates = () => emulator.requests.filter((r) => r.path === IMPORT_UPDATE);

/** The single recipient id a recorded request was addressed to (fails unless there is exactly one). */
function onlyRecipient(request: (typeof emulator.requests)[number]): string {
  const text = request.parts.find((p) => p.name === 'passContent')?.text ?? '';
  const recipients = (JSON.parse(text) as { recipients: { recipient: Array<{ id: unknown }> } }).recipients.recipient;
  assert.equal(recipients.length, 1, `one recipient per request: ${text}`);
  assert.equal(typeof recipients[0]!.id, 'string');
  return recipients[0]!.id as string;
}

const batchRequest = (operationId: string, recipientIds: string[], extra: Record<string, unknown> = {}) => ({
  operationId,
  profileId,
  pkPassPath,
  images: [{ fieldName: 'logo', path: logoPath }],
  passContent,
  recipientIds,
  ...extra,
});

const passHistory = async () => (await services.drafts.history.query({ kind: 'pass-update' })).records;

before(async () => {
  tmp = await makeTempDir('batch-ipc');
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), users: [{ username: USER, password: PASSWORD }] });
  const dataDir = join(tmp.dir, 'data');
  services = await openAppServices({ dataDir, store: openSettingsStore(dataDir), secrets: createKeychain(), source: 'app', sandbox: false });
  operations = new OperationRegistry();
  registry = createHandlerRegistry({ pathGrants });
  registerAllIpc(registry, {
    services,
    operations,
    pathGrants,
    dialogs: noDialogs,
    events: (event, payload) => {
      if (event === 'batch') events.push(payload as BatchItemEvent);
    },
  });
  const profile = await services.profiles.save({ name: 'batch-ipc', baseUrl: emulator.url, authMode: 'basic', username: USER }, PASSWORD);
  profileId = profile.id;
  pkPassPath = (await makePkpass(tmp.dir)).path;
  logoPath = join(tmp.dir, 'logo.png');
  await writeFile(logoPath, makePng(160, 50));
  pathGrants.grantFile(pkPassPath, 'read');
  pathGrants.grantFile(logoPath, 'read');
});

after(async () => {
  operations?.cancelAll();
  await services?.profiles.remove(profileId).catch(() => undefined);
  await services?.close();
  await emulator?.close();
  await tmp?.remove();
});

describe('passBatch', () => {
  test('30 recipients: 30 requests, each to its own recipient alone, one event and one history record per send', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => (9_007_199_254_740_993n + BigInt(i)).toString()); // > 2^53
    emulator.clearRequests();
    events.length = 0;
    const historyBefore = (await passHistory()).length;

    const result = value(await call<PassBatchResult>('passBatch', batchRequest('batch-30', ids, { concurrency: 5 })));
    assert.deepEqual(result.summary, { sent: 30, failed: 0, skipped: 0 });
    assert.equal(result.stopped, false);
    assert.deepEqual(result.results.map((r) => r.recipientId), ids, 'results in request order');
    for (const r of result.results) assert.match(String(r.requestId), /^\d+$/);
    assert.equal(new Set(result.results.map((r) => r.requestId)).size, 30);

    const received = passUpdates();
    assert.equal(received.length, 30);
    assert.deepEqual(received.map(onlyRecipient).sort(), [...ids].sort());
    assert.ok(received.every((r) => r.parts.some((p) => p.name === 'logo') && r.parts.some((p) => p.name === 'pkPass')));

    const mine = events.filter((e) => e.operationId === 'batch-30');
    assert.equal(mine.length, 30);
    assert.deepEqual(mine.map((e) => e.completed), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.ok(mine.every((e) => e.total === 30 && e.status === 'done' && e.key === ids[e.index] && e.requestId));

    const history = await passHistory();
    assert.equal(history.length - historyBefore, 30);
    assert.deepEqual(new Set(history.slice(0, 30).map((h) => h.requestId)), new Set(result.results.map((r) => r.requestId)));
    assert.ok(history.slice(0, 30).every((h) => h.profileId === profileId && h.profileName === 'batch-ipc' && h.status === 'sent'));
  });

  test('a 500 on some recipients fails those items only; the others are sent', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => String(7000 + i));
    emulator.clearRequests();
    emulator.injectFault({ method: 'POST', path: IMPORT_UPDATE, status: 500, times: 4 });
    const result = value(await call<PassBatchResult>('passBatch', batchRequest('batch-500', ids, { concurrency: 3 })));
    assert.deepEqual(result.summary, { sent: 8, failed: 4, skipped: 0 });
    const failed = result.results.filter((r) => r.status === 'failed');
    assert.ok(failed.every((r) => r.error?.code === 'server-error' && r.error.httpStatus === 500 && r.requestId === undefined));
    assert.ok(result.results.filter((r) => r.status === 'done').every((r) => /^\d+$/.test(String(r.requestId))));
    assert.equal(passUpdates().length, 12, 'a failure does not stop the others');
  });

  test('the profile edited while a batch runs: the batch goes on to the end with the profile as it started', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => String(8500 + i));
    emulator.clearRequests();
    emulator.injectFault({ method: 'POST', path: IMPORT_UPDATE, latencyMs: 100, times: Infinity });
    events.length = 0;
    try {
      const running = call<PassBatchResult>('passBatch', batchRequest('batch-edit', ids, { concurrency: 2 }));
      await waitUntil(() => events.some((e) => e.operationId === 'batch-edit'));
      // Renamed and given a new password mid-batch, as from the profile page.
      await services.profiles.save({ id: profileId, name: 'batch-ipc renamed', baseUrl: emulator.url, authMode: 'basic', username: USER }, PASSWORD);
      const result = value(await running);
      assert.deepEqual(result.summary, { sent: 8, failed: 0, skipped: 0 }, JSON.stringify(result.results.find((r) => r.status !== 'done')));
      const recorded = (await passHistory()).slice(0, 8);
      assert.ok(recorded.every((h) => h.profileName === 'batch-ipc'), 'the batch records the profile as it started');
    } finally {
      emulator.clearFaults();
      await services.profiles.save({ id: profileId, name: 'batch-ipc', baseUrl: emulator.url, authMode: 'basic', username: USER }, PASSWORD);
    }
  });

  test('a stop mid-batch: in-flight sends finish, nothing new starts, every started request is reported and recorded once', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => String(8000 + i));
    emulator.clearRequests();
    // Slow answers keep two sends in flight while the stop arrives.
    emulator.injectFault({ method: 'POST', path: IMPORT_UPDATE, latencyMs: 400, times: Infinity });
    events.length = 0;
    const historyBefore = (await passHistory()).length;
    try {
      const running = call<PassBatchResult>('passBatch', batchRequest('batch-stop', ids, { concurrency: 2 }));
      // Stop once the first answer is back (two more have started by then).
      await waitUntil(() => events.some((e) => e.operationId === 'batch-stop'));
      const cancelled = value(await call<{ cancelled: boolean }>('operationCancel', { operationId: 'batch-stop' }));
      assert.equal(cancelled.cancelled, true);
      const result = value(await running);

      assert.equal(result.stopped, true);
      const started = passUpdates().length;
      assert.ok(started >= 2 && started < ids.length, `started ${started}`);
      assert.equal(result.summary.sent + result.summary.failed, started, 'every started request has its own result');
      assert.equal(result.summary.failed, 0, 'in-flight sends finished rather than being cut off');
      assert.equal(result.summary.skipped, ids.length - started);
      // What was sent is exactly a prefix of the list (sends start in order); the rest is skipped with a reason.
      assert.deepEqual(passUpdates().map(onlyRecipient).sort(), ids.slice(0, started).sort());
      for (const r of result.results.slice(started)) {
        assert.equal(r.status, 'skipped');
        assert.equal(r.error?.code, 'cancelled');
      }
      assert.equal(events.filter((e) => e.operationId === 'batch-stop').length, ids.length);
      const recorded = (await passHistory()).slice(0, (await passHistory()).length - historyBefore);
      assert.equal(recorded.length, started, 'one history record per started request, none for skipped ones');
      assert.ok(recorded.every((h) => h.status === 'sent' && h.requestId));
    } finally {
      emulator.clearFaults();
    }
  });

  test('checks run once up front: a duplicate id or a bad pass file sends nothing', async () => {
    emulator.clearRequests();
    const duplicate = await call<PassBatchResult>('passBatch', batchRequest('batch-dup', ['1', '2', '1']));
    assert.equal(duplicate.ok, false);
    assert.match(!duplicate.ok ? duplicate.error.message : '', /recipient 1 is listed twice \(numbers 1 and 3\)/);

    const notPkpass = join(tmp.dir, 'not-a-pass.pkpass');
    await writeFile(notPkpass, 'plain text');
    const bad = await call<PassBatchResult>('passBatch', { ...batchRequest('batch-bad', ['1', '2']), pkPassPath: notPkpass });
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.error.code, 'validation');

    const tooFast = await call<PassBatchResult>('passBatch', batchRequest('batch-conc', ['1'], { concurrency: 33 }));
    assert.equal(tooFast.ok, false);

    // A profile removed meanwhile: one clear error for the batch, not a failed send (and a history line) per recipient.
    const recorded = (await passHistory()).length;
    const gone = await call<PassBatchResult>('passBatch', { ...batchRequest('batch-gone', ['1', '2', '3']), profileId: randomUUID() });
    assert.equal(gone.ok, false);
    assert.equal(!gone.ok && gone.error.code, 'not-found');
    assert.equal((await passHistory()).length, recorded);
    assert.equal(passUpdates().length, 0);
  });
});

describe('recipientsImport', () => {
  test('returns the ids of a CSV, and a clear error with the line number for a broken one', async () => {
    const good = join(tmp.dir, 'recipients.csv');
    const missingPath = join(tmp.dir, 'nope.csv');
    for (const picked of [good, join(tmp.dir, 'broken.csv'), missingPath]) pathGrants.grantFile(picked, 'read');
    await writeFile(good, '\ufeffname,id\r\n"Doe, Jane",1001\r\nAda,18446744073709551615\r\n');
    assert.deepEqual(value(await call<RecipientsImportResult>('recipientsImport', { path: good })).ids, ['1001', '18446744073709551615']);

    const broken = join(tmp.dir, 'broken.csv');
    await writeFile(broken, 'id\n1001\n1002\n1001\n');
    const result = await call<RecipientsImportResult>('recipientsImport', { path: broken });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error.message : '', /line 4: the id 1001 is already on line 2/);

    const missing = await call<RecipientsImportResult>('recipientsImport', { path: missingPath });
    assert.equal(!missing.ok && missing.error.code, 'file');
  });
});

describe('draftsSendMany', () => {
  test('sends the ready drafts and fails the one that is not ready, each with its own result', async () => {
    const store = services.drafts.drafts;
    const ready = async (name: string, recipient: string) => {
      const draft = await store.create({ kind: 'pass-update', name, profileId });
      const pkPass = await store.addFile(draft.id, pkPassPath);
      const current = await store.get(draft.id);
      if (current.kind !== 'pass-update') throw new Error('unreachable');
      await store.save({ ...current, payload: { ...current.payload, pkPass, passContent: { ...passContent, recipients: { recipient: [{ id: recipient }] } } } });
      return draft.id;
    };
    const first = await ready('Spring refresh', '501');
    const notReady = (await store.create({ kind: 'pass-update', name: 'No pass file yet', profileId })).id;
    const second = await ready('Summer refresh', '502');
    emulator.clearRequests();
    events.length = 0;

    const result = value(await call<DraftsSendManyResult>('draftsSendMany', { operationId: 'drafts-3', ids: [first, notReady, second] }));
    assert.deepEqual(result.results.map((r) => [r.id, r.status]), [
      [first, 'sent'],
      [notReady, 'failed'],
      [second, 'sent'],
    ]);
    assert.deepEqual(result.summary, { sent: 2, queued: 0, outcomeUnknown: 0, failed: 1, skipped: 0 });
    assert.equal(result.results[1]?.error?.code, 'validation');
    assert.match(result.results[1]?.message ?? '', /No pass file yet/);
    assert.ok(result.results[0]?.requestId && result.results[2]?.requestId);
    assert.deepEqual(passUpdates().map(onlyRecipient).sort(), ['501', '502']);
    const mine = events.filter((e) => e.operationId === 'drafts-3');
    assert.equal(mine.length, 3);
    assert.deepEqual(new Set(mine.map((e) => e.key)), new Set([first, notReady, second]));
    assert.ok(mine.filter((e) => e.status === 'done').every((e) => e.draftStatus === 'sent'));
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
