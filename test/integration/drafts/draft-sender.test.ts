// Sending a draft against the emulator over loopback: the draft's stored copies go out under their original names
// with no staging folder, and each attempt has one history line that names the draft, written by the same
// recorder as a direct send.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Draft, HistoryRecord } from '../../../preload/contract';
import { createDraftSender } from '../../../main/drafts/draft-sender';
import { openAppServices, type AppServices } from '../../../main/services';
import { createKeychain } from '../../../main/platform/keychain';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { makeP12, makePkpass, makePng } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

let tmp: { dir: string; remove(): Promise<void> };
let emulator: Emulator;
let services: AppServices;
let profileId: string;

const CERT_ENDPOINT = 'POST /api/v1/applications/{appId}/windows';
const PASS_ENDPOINT = 'POST /api/v1/message/pass/import/update';

before(async () => {
  tmp = await makeTempDir('draft-sender');
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator') });
  services = await openAppServices({
    dataDir: join(tmp.dir, 'data'),
    store: openSettingsStore(join(tmp.dir, 'data')),
    secrets: createKeychain(),
    source: 'app',
    sandbox: false,
  });
  const view = await services.profiles.save({ name: 'Local', baseUrl: emulator.url, authMode: 'basic', username: 'sandbox' }, 'sandbox');
  profileId = view.id;
});

after(async () => {
  await services.close();
  await services.profiles.remove(profileId).catch(() => undefined);
  await emulator.close();
  await tmp.remove();
});

/** A certificate draft whose file has a name of its own (spaces and all), unlike its content-addressed copy. */
async function certDraft(appId: string, fileName: string): Promise<Draft> {
  const { drafts } = services.drafts;
  const p12 = await makeP12(tmp.dir, { passphrase: 'pw' });
  const named = join(tmp.dir, fileName);
  await copyFile(p12.path, named);
  const draft = await drafts.create({ kind: 'cert-upload', name: `Cert for ${appId}`, profileId, appId });
  const cert = await drafts.addFile(draft.id, named);
  return drafts.save({ ...draft, payload: { appId, cert, rememberPassphrase: false } } as Draft);
}

async function lineOf(historyId: string | undefined): Promise<HistoryRecord> {
  const line = (await services.drafts.history.query({})).records.find((r) => r.id === historyId);
  assert.ok(line, `the history has the line ${historyId}`);
  return line;
}

/** The line without what differs from run to run. */
function stable(line: HistoryRecord): Partial<HistoryRecord> {
  const { id: _id, at: _at, durationMs, ...rest } = line;
  assert.ok(typeof durationMs === 'number' && durationMs >= 0);
  return rest;
}

describe('draft sender', () => {
  test('a certificate draft goes out under its original name, and its one line names the draft, field for field', async () => {
    const draft = await certDraft('Draft-Cert', 'push cert.p12');
    assert.equal(draft.kind, 'cert-upload');
    const cert = draft.kind === 'cert-upload' ? draft.payload.cert : undefined;
    const before = (await services.drafts.history.query({})).total;

    const outcome = await services.drafts.sender.send(draft, { passphrase: 'pw', source: 'outbox' });
    assert.equal(outcome.status, 'sent');
    assert.equal((await services.drafts.history.query({})).total, before + 1, 'one line per send');

    const stored = await emulator.storedCertificate('Draft-Cert');
    assert.equal(stored?.fileName, 'push cert.p12');
    assert.equal(stored?.sha256, cert?.sha256);

    const line = await lineOf(outcome.historyId);
    assert.deepEqual(Object.keys(line), [
      'kind', 'source', 'profileId', 'profileName', 'endpoint', 'appId', 'draftId', 'draftName', 'files', 'status',
      'serverMessage', 'durationMs', 'id', 'at',
    ]);
    assert.deepEqual(stable(line), {
      kind: 'cert-upload',
      source: 'outbox',
      profileId,
      profileName: 'Local',
      endpoint: CERT_ENDPOINT,
      appId: 'Draft-Cert',
      draftId: draft.id,
      draftName: 'Cert for Draft-Cert',
      files: [{ role: 'cert', name: 'push cert.p12', sha256: cert?.sha256, size: cert?.size }],
      status: 'sent',
      serverMessage: 'Details updated successfully',
    });
  });

  test('a pass draft sends each stored copy under its own name; the line keeps the draft\'s roles and the requestId', async () => {
    const { drafts } = services.drafts;
    const pkpass = await makePkpass(tmp.dir);
    const pkPassNamed = join(tmp.dir, 'Member card.pkpass');
    await copyFile(pkpass.path, pkPassNamed);
    const logoPath = join(tmp.dir, 'brand logo.png');
    await writeFile(logoPath, makePng(160, 50, [10, 20, 30, 255]));
    const created = await drafts.create({ kind: 'pass-update', name: 'Members', profileId });
    const pkPass = await drafts.addFile(created.id, pkPassNamed);
    const logo = await drafts.addFile(created.id, logoPath);
    const passContent = { recipients: { recipient: [{ id: 'member-1' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 };
    const draft = await drafts.save({
      ...created,
      payload: { pkPass, images: [{ fieldName: ' logo ', file: logo }], passContent },
    } as Draft);

    emulator.clearRequests();
    const outcome = await services.drafts.sender.send(draft, { source: 'app' });
    assert.equal(outcome.status, 'sent');
    const request = emulator.requests.find((r) => r.method === 'POST' && r.path.endsWith('/message/pass/import/update'));
    assert.deepEqual(
      request?.parts.filter((p) => p.filename !== undefined).map((p) => [p.name, p.filename, p.sha256]),
      [
        ['pkPass', 'Member card.pkpass', pkPass.sha256],
        ['logo', 'brand logo.png', logo.sha256],
      ],
    );

    const line = await lineOf(outcome.status === 'sent' ? outcome.historyId : undefined);
    assert.deepEqual(stable(line), {
      kind: 'pass-update',
      source: 'app',
      profileId,
      profileName: 'Local',
      endpoint: PASS_ENDPOINT,
      draftId: draft.id,
      draftName: 'Members',
      files: [
        { role: 'pkPass', name: 'Member card.pkpass', sha256: pkPass.sha256, size: pkPass.size },
        { role: 'image: logo ', name: 'brand logo.png', sha256: logo.sha256, size: logo.size },
      ],
      status: 'sent',
      serverMessage: 'Request Queued.',
      requestId: outcome.status === 'sent' ? outcome.requestId : '',
    });
  });

  test('no staging folder: nothing is linked or copied while a draft is sent, nor left after', async () => {
    const staging = join(services.drafts.drafts.root, 'sending');
    const draft = await certDraft('No-Staging', 'staged.p12');
    let sawStaging = false;
    let progressed = false;
    const outcome = await services.drafts.sender.send(draft, {
      passphrase: 'pw',
      source: 'app',
      onProgress: () => {
        progressed = true;
        if (existsSync(staging)) sawStaging = true;
      },
    });
    assert.equal(outcome.status, 'sent');
    assert.ok(progressed, 'the send reported its progress');
    assert.equal(sawStaging, false, 'no staging folder during the send');
    assert.equal(existsSync(staging), false, 'no staging folder after the send');
  });

  test('a staging folder left by an earlier version is swept once it is a day old', async () => {
    const staging = join(services.drafts.drafts.root, 'sending');
    const old = join(staging, 'a1b2c3d4e5f60718');
    const recent = join(staging, '0f1e2d3c4b5a6978');
    await mkdir(join(old, '0'), { recursive: true });
    await mkdir(join(recent, '0'), { recursive: true });
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(old, twoDaysAgo, twoDaysAgo);
    const sender = createDraftSender({
      drafts: services.drafts.drafts,
      profiles: services.profiles,
      actions: services.actions,
      secrets: services.secrets,
    });
    const outcome = await sender.send(await certDraft('Sweep', 'sweep.p12'), { passphrase: 'pw', source: 'app' });
    assert.equal(outcome.status, 'sent');
    assert.equal(existsSync(old), false, 'the day-old folder is gone');
    assert.equal(existsSync(recent), true, 'a recent one is left (an older version may still be sending from it)');
    await rm(staging, { recursive: true, force: true });
  });

  test('a draft refused before it is sent still has its line: not ready, or a stored copy missing', async () => {
    const { drafts } = services.drafts;
    const unready = await drafts.create({ kind: 'cert-upload', name: 'No profile yet', appId: 'Unready' });
    const refused = await services.drafts.sender.send(unready, { passphrase: 'pw', source: 'cli' });
    assert.equal(refused.status, 'failed');
    const refusedLine = await lineOf(refused.historyId);
    assert.deepEqual(stable(refusedLine), {
      kind: 'cert-upload',
      source: 'cli',
      profileId: '',
      profileName: '',
      endpoint: CERT_ENDPOINT,
      appId: 'Unready',
      draftId: unready.id,
      draftName: 'No profile yet',
      files: [],
      status: 'failed',
      errorCode: 'validation',
      serverMessage: refused.status === 'failed' ? refused.error.message : '',
    });

    const draft = await certDraft('Lost-Copy', 'lost.p12');
    const cert = draft.kind === 'cert-upload' ? draft.payload.cert : undefined;
    assert.ok(cert);
    await rm(drafts.blobPath(cert.sha256));
    emulator.clearRequests();
    const lost = await services.drafts.sender.send(draft, { passphrase: 'pw', source: 'app' });
    assert.equal(lost.status, 'failed');
    assert.equal(emulator.requests.length, 0, 'nothing reached the server');
    const lostLine = await lineOf(lost.historyId);
    assert.equal(lostLine.status, 'failed');
    assert.equal(lostLine.errorCode, 'file');
    assert.equal(lostLine.draftName, 'Cert for Lost-Copy');
    assert.deepEqual(lostLine.files, [{ role: 'cert', name: 'lost.p12', sha256: cert.sha256, size: cert.size }]);
  });

  test('the checks before a draft send name the file as the user named it, not its stored copy', async () => {
    const { drafts } = services.drafts;
    const pkpass = await makePkpass(tmp.dir);
    const cutOff = join(tmp.dir, 'badge.png');
    await writeFile(cutOff, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const created = await drafts.create({ kind: 'pass-update', name: 'Cut off', profileId });
    const pkPass = await drafts.addFile(created.id, pkpass.path);
    const badge = await drafts.addFile(created.id, cutOff);
    const passContent = { recipients: { recipient: [{ id: 'member-2' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 };
    const draft = await drafts.save({ ...created, payload: { pkPass, images: [{ fieldName: 'strip', file: badge }], passContent } } as Draft);
    emulator.clearRequests();
    const outcome = await services.drafts.sender.send(draft, { source: 'app' });
    assert.equal(outcome.status, 'failed');
    assert.equal(emulator.requests.length, 0, 'nothing reached the server');
    if (outcome.status === 'failed') assert.match(outcome.error.message, /badge\.png is cut off/);
    const line = await lineOf(outcome.historyId);
    assert.deepEqual([line.status, line.errorCode, line.draftName], ['failed', 'validation', 'Cut off']);
  });

  test('a server refusal of a draft is one failed line with the status and the server\'s words', async () => {
    const draft = await certDraft('Refused-Draft', 'refused.p12');
    emulator.injectFault({ path: '/api/v1/applications/Refused-Draft/windows', status: 500 });
    const outcome = await services.drafts.sender.send(draft, { passphrase: 'pw', source: 'app' });
    emulator.clearFaults();
    assert.equal(outcome.status, 'failed');
    const line = await lineOf(outcome.historyId);
    assert.equal(line.status, 'failed');
    assert.equal(line.httpStatus, 500);
    assert.equal(line.errorCode, 'server-error');
    assert.equal(line.draftId, draft.id);
    assert.deepEqual(Object.keys(line), [
      'kind', 'source', 'profileId', 'profileName', 'endpoint', 'appId', 'draftId', 'draftName', 'files', 'status',
      'httpStatus', 'errorCode', 'serverMessage', 'durationMs', 'id', 'at',
    ]);
  });
});
