// Issue #17, bullet 7: WNS credentials and MPNS certificate removal take the road of every send, through the real
// IPC registry, the emulator over loopback and the real keychain: checks first, drafts, the Outbox when the
// server is down (then flushed when it is back, one sent line of its own kind), progress and cancel, and the
// client secret in no file.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CertRemoveResult, Draft, DraftSendResult, DraftView, OutboxEntry, Result, WnsSetResult } from '../../../preload/contract';
import { draftPassphraseAccount } from '../../../main/drafts/draft-sender';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { registerAllIpc } from '../../../main/ipc/register-all';
import { createHandlerRegistry, type HandlerRegistry } from '../../../main/ipc/registry';
import { createKeychain } from '../../../main/platform/keychain';
import { OperationRegistry } from '../../../main/platform/operations';
import { createPathGrants } from '../../../main/platform/path-grants';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { openAppServices, type AppServices } from '../../../main/services';
import { makeP12 } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

const APP = 'AppForAll1';
const SID = 'ms-app://s-1-15-2-2972962901-2322836549-3722629029-1345238579-3987825745-2155616079-650196962';
const SECRET = 'wns-Road-Secret-7Qz';

let tmp: { dir: string; remove(): Promise<void> };
let emulator: Emulator;
let port: number;
let services: AppServices;
let registry: HandlerRegistry;
let operations: OperationRegistry;
let profileId: string;
const pathGrants = createPathGrants();
const progress: Array<{ operationId: string; direction: string; transferred: number }> = [];

async function call<T>(channel: string, payload: unknown): Promise<Result<T>> {
  return (await registry.invoke(channel, payload)) as Result<T>;
}
async function ok<T>(channel: string, payload: unknown): Promise<T> {
  const result = await call<T>(channel, payload);
  assert.ok(result.ok, `${channel}: ${result.ok ? '' : result.error.message}`);
  return result.value;
}
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

async function filesUnder(dir: string): Promise<string> {
  let text = '';
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) text += await readFile(path, 'latin1');
  }
  return text;
}

const serverDown = () => emulator.close();
const serverUp = async () => {
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'server'), port });
};
const removalsSent = () => emulator.requests.filter((r) => r.path.endsWith('/applications/removewindowscert')).length;
const lines = async (kind: 'wns-credentials' | 'cert-remove') => (await services.drafts.history.query({ kind })).records;

before(async () => {
  tmp = await makeTempDir('admin-sends');
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'server') });
  port = emulator.port;
  const dataDir = join(tmp.dir, 'data');
  services = await openAppServices({ dataDir, store: openSettingsStore(dataDir), secrets: createKeychain(), source: 'app', sandbox: false });
  const view = await services.profiles.save({ name: 'Road', baseUrl: emulator.url, authMode: 'basic', username: 'sandbox' }, 'sandbox');
  profileId = view.id;
  operations = new OperationRegistry();
  registry = createHandlerRegistry({ pathGrants });
  registerAllIpc(registry, {
    services,
    operations,
    pathGrants,
    dialogs: { openFile: async () => undefined, saveFile: async () => undefined } as never,
    events: (event, payload) => {
      if (event !== 'progress') return;
      const p = payload as { operationId: string; direction: string; transferred: number };
      progress.push(p);
    },
  });
  // Automatic sending stays out of the way: each test flushes when it means to.
  await services.drafts.outbox.pause();
});

after(async () => {
  operations?.cancelAll();
  await services?.profiles.remove(profileId).catch(() => undefined);
  await services?.close();
  await emulator?.close();
  await tmp?.remove();
});

describe('WNS credentials and certificate removal take the road of every send', () => {
  test('WNS set with the server down: queued in the Outbox as a WNS draft, the secret in memory only; flushed once the server is back', async () => {
    await serverDown();
    const queued = await ok<WnsSetResult>('eng:wns:set', { profileId, appId: APP, packageSid: SID, clientSecret: SECRET, operationId: 'wns-1' });
    assert.ok(queued.queued, queued.message);
    assert.match(queued.message, /could not be reached .* is in the Outbox .* kept in memory only/);
    const entry = (await services.drafts.outbox.list()).entries.find((e) => e.id === queued.queued?.outboxId) as OutboxEntry;
    assert.deepEqual([entry.kind, entry.state, entry.draftName], ['wns-credentials', 'queued', `WNS credentials for ${APP}`]);
    const draft = await services.drafts.drafts.get(queued.queued.draftId);
    assert.deepEqual(draft.kind === 'wns-credentials' ? draft.payload : undefined, { appId: APP, packageSid: SID, rememberSecret: false });
    assert.equal(await services.secrets.storageOf(draftPassphraseAccount(draft.id)), 'none', 'not put in the keychain unasked');
    assert.ok(!(await filesUnder(services.dataDir)).includes(SECRET), 'the secret is in no file of the data folder');

    await serverUp();
    assert.deepEqual(await services.drafts.outbox.flush({ source: 'app' }), { sent: 1, failed: 0, outcomeUnknown: 0, stillQueued: 0 });
    const sets = emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/applications/${APP}/windows`));
    assert.equal(sets.length, 1, 'sent once');
    const details = await services.admin.appDetails(profileId, APP);
    assert.deepEqual(details.wns, { set: true, packageSid: SID });
    const wnsLines = await lines('wns-credentials');
    assert.deepEqual(wnsLines.map((l) => [l.status, l.kind]), [['sent', 'wns-credentials'], ['not-sent', 'wns-credentials']], 'one sent line, of its own kind');
    assert.equal(wnsLines[0]?.draftName, `WNS credentials for ${APP}`);
    assert.ok(!(await filesUnder(services.dataDir)).includes(SECRET), 'still in no file after the send');
  });

  test('a WNS draft: checks first, the secret remembered in the keychain only, sent with drafts send', async () => {
    const created = await ok<DraftView>('eng:drafts:create', { kind: 'wns-credentials', profileId, appId: APP });
    const draft = created.draft as Extract<Draft, { kind: 'wns-credentials' }>;
    let view = await ok<DraftView>('eng:drafts:save', { draft: { ...draft, payload: { ...draft.payload, packageSid: 's-1-15-2-1' } } });
    assert.equal(view.readiness.ready, false);
    assert.ok(view.readiness.problems.some((p) => /ms-app:\/\/ prefix/.test(p)), view.readiness.problems.join(' | '));
    assert.equal(view.readiness.needsPassphrase, true, 'the client secret will be asked');
    const refused = await call<DraftSendResult>('eng:drafts:send', { id: draft.id, operationId: 'wns-draft-0', passphrase: SECRET });
    assert.ok(!refused.ok);
    assert.match(refused.error.message, /is not ready to send/);

    const saved = view.draft as Extract<Draft, { kind: 'wns-credentials' }>;
    view = await ok<DraftView>('eng:drafts:save', { draft: { ...saved, payload: { ...saved.payload, packageSid: SID, rememberSecret: true } } });
    await ok('eng:drafts:set-passphrase', { id: draft.id, passphrase: SECRET, remember: true });
    view = await ok<DraftView>('eng:drafts:get', { id: draft.id });
    assert.equal(view.readiness.ready, true, view.readiness.problems.join(' | '));
    assert.notEqual(view.passphraseStorage, 'none');

    const sent = await ok<DraftSendResult>('eng:drafts:send', { id: draft.id, operationId: 'wns-draft-1' });
    assert.equal(sent.status, 'sent', sent.message);
    const line = (await lines('wns-credentials'))[0];
    assert.deepEqual([line?.status, line?.draftId, line?.endpoint], ['sent', draft.id, 'POST /api/v1/applications/{appId}/windows (WNS)']);
    assert.ok(!(await filesUnder(services.dataDir)).includes(SECRET), 'the remembered secret is in the keychain, not in a file');
    await ok('eng:drafts:set-passphrase', { id: draft.id, remember: false });
    assert.equal(await services.secrets.storageOf(draftPassphraseAccount(draft.id)), 'none', 'forgotten when asked');
  });

  test('removal with the server down: queued; when sent, the backup is taken first into the backups folder and named in its one sent line', async () => {
    const p12 = await makeP12(tmp.dir, { passphrase: 'pw' });
    await services.actions.uploadCertificate({ profile: profileId, appId: APP, certPath: p12.path, passphrase: 'pw' });
    const chosen = join(tmp.dir, 'chosen-backup.p12');
    pathGrants.grantFile(chosen, 'write');

    await serverDown();
    const queued = await ok<CertRemoveResult>('eng:cert:remove', { profileId, appId: APP, backupPath: chosen, operationId: 'remove-1' });
    assert.ok(queued.queued, queued.message);
    assert.match(queued.message, /backed up into the backups folder .* if that backup fails, nothing is removed/);
    const entry = (await services.drafts.outbox.list()).entries.find((e) => e.id === queued.queued?.outboxId);
    assert.equal(entry?.kind, 'cert-remove');

    await serverUp();
    emulator.clearRequests();
    assert.deepEqual(await services.drafts.outbox.flush({ source: 'app' }), { sent: 1, failed: 0, outcomeUnknown: 0, stillQueued: 0 });
    assert.equal(removalsSent(), 1);
    assert.equal(await emulator.storedCertificate(APP), undefined, 'removed');
    const backups = await readdir(join(services.dataDir, 'backups'));
    assert.equal(backups.length, 1, backups.join(', '));
    const backupPath = join(services.dataDir, 'backups', backups[0] ?? '');
    assert.equal(await sha256(backupPath), await sha256(p12.path), 'the backup holds the certificate that was removed');
    const sent = (await lines('cert-remove')).filter((l) => l.status === 'sent');
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0]?.files.map((f) => [f.role, f.sha256]), [['backup', await sha256(p12.path)]]);
    const view = await services.drafts.outbox.list();
    assert.match(view.entries.find((e) => e.id === queued.queued?.outboxId)?.message ?? '', /The backup is .*backups/);
  });

  test('a queued removal whose backup fails is not sent: nothing stored to back up means nothing removed', async () => {
    // The certificate is gone (previous test): the backup at send time cannot be taken.
    await serverDown();
    const queued = await ok<CertRemoveResult>('eng:cert:remove', { profileId, appId: APP, backupPath: join(tmp.dir, 'chosen-backup.p12') });
    assert.ok(queued.queued);
    await serverUp();
    emulator.clearRequests();
    const before = (await lines('cert-remove')).length;
    assert.deepEqual(await services.drafts.outbox.flush({ source: 'app' }), { sent: 0, failed: 1, outcomeUnknown: 0, stillQueued: 0 });
    assert.equal(removalsSent(), 0, 'the removal never went out');
    const after = await lines('cert-remove');
    assert.equal(after.length, before + 1, 'one line for the attempt');
    assert.equal(after[0]?.status, 'failed');
    assert.match(after[0]?.serverMessage ?? '', /No Windows MPNS certificate is stored/);
  });

  test('cancel while the backup downloads: nothing removed, no backup left; then a removal with its backup reports progress', async () => {
    const p12 = await makeP12(tmp.dir, { passphrase: 'pw' });
    await rename(p12.path, join(tmp.dir, 'slow.p12'));
    await services.actions.uploadCertificate({ profile: profileId, appId: APP, certPath: join(tmp.dir, 'slow.p12'), passphrase: 'pw' });
    const backupPath = join(tmp.dir, 'cancelled-backup.p12');
    pathGrants.grantFile(backupPath, 'write');
    emulator.clearRequests();
    emulator.injectFault({ path: '/api/v1/applications/downloadwindowscert', bytesPerSecond: 64 });
    const pending = call<CertRemoveResult>('eng:cert:remove', { profileId, appId: APP, backupPath, operationId: 'remove-cancel' });
    // Cancelled once the server has the backup's request: its body comes at 64 bytes a second.
    while (!emulator.requests.some((r) => r.path.endsWith('/applications/downloadwindowscert'))) await new Promise((r) => setTimeout(r, 20));
    assert.ok(operations.cancel('remove-cancel'));
    const result = await pending;
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'cancelled');
    assert.equal(removalsSent(), 0, 'no removal after a cancelled backup');
    assert.ok(await emulator.storedCertificate(APP), 'still stored');
    await assert.rejects(stat(backupPath), 'no partial backup');
    emulator.clearFaults();

    const removed = await ok<CertRemoveResult>('eng:cert:remove', { profileId, appId: APP, backupPath, operationId: 'remove-2' });
    assert.equal(removed.backup?.sha256, await sha256(join(tmp.dir, 'slow.p12')));
    assert.ok(progress.some((p) => p.operationId === 'remove-2' && p.direction === 'download'), 'the backup download reported progress');
    assert.equal(removalsSent(), 1);
  });
  test('a queued removal whose backup download is cut off stays queued (the removal never went out), then goes', async () => {
    const p12 = await makeP12(tmp.dir, { passphrase: 'pw' });
    await services.actions.uploadCertificate({ profile: profileId, appId: APP, certPath: p12.path, passphrase: 'pw' });
    await serverDown();
    const queued = await ok<CertRemoveResult>('eng:cert:remove', { profileId, appId: APP, backupPath: join(tmp.dir, 'chosen-backup.p12') });
    assert.ok(queued.queued);
    await serverUp();
    emulator.injectFault({ path: '/api/v1/applications/downloadwindowscert', resetAfterBytes: 200 });
    assert.deepEqual(await services.drafts.outbox.flush({ source: 'app' }), { sent: 0, failed: 0, outcomeUnknown: 0, stillQueued: 1 });
    assert.equal(removalsSent(), 0);
    const entry = (await services.drafts.outbox.list()).entries.find((e) => e.id === queued.queued?.outboxId);
    assert.match(entry?.lastError?.message ?? '', /The backup was not saved, so the certificate was not removed\./);
    assert.equal((await lines('cert-remove'))[0]?.status, 'not-sent');
    emulator.clearFaults();
    assert.deepEqual(await services.drafts.outbox.flush({ source: 'app' }), { sent: 1, failed: 0, outcomeUnknown: 0, stillQueued: 0 });
    assert.equal(await emulator.storedCertificate(APP), undefined);
  });
});
