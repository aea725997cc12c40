// The send actions as the app and the CLI use them: local checks first, then the call, and every send that
// reached the network recorded in the history with exactly what went out.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAppServices, type AppServices } from '../../../main/services';
import { createKeychain } from '../../../main/platform/keychain';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { codeOf } from '../../support/errors';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { makeP12, makePkpass, makePng } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

let tmp: { dir: string; remove(): Promise<void> };
let emulator: Emulator;
let services: AppServices;
let profileId: string;
let certPath: string;


before(async () => {
  tmp = await makeTempDir('actions');
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator') });
  services = await openAppServices({
    dataDir: join(tmp.dir, 'data'),
    store: openSettingsStore(join(tmp.dir, 'data')),
    secrets: createKeychain(),
    source: 'cli',
    sandbox: false,
  });
  const view = await services.profiles.save({ name: 'Local', baseUrl: emulator.url, authMode: 'basic', username: 'sandbox' }, 'sandbox');
  profileId = view.id;
  certPath = (await makeP12(tmp.dir, { passphrase: 'pw' })).path;
});

after(async () => {
  await services.close();
  await services.profiles.remove(profileId).catch(() => undefined);
  await emulator.close();
  await tmp.remove();
});

describe('EngagementActions', () => {
  test('a certificate upload is recorded with the file it sent (name, size, SHA-256) and the server message', async () => {
    await services.actions.uploadCertificate({ profile: 'Local', appId: 'App-7', certPath, passphrase: 'pw' });
    const [record] = (await services.drafts.history.query({})).records;
    assert.equal(record?.status, 'sent');
    assert.equal(record?.source, 'cli');
    assert.equal(record?.profileName, 'Local');
    assert.equal(record?.appId, 'App-7');
    assert.equal(record?.endpoint, 'POST /api/v1/applications/{appId}/windows');
    assert.equal(record?.serverMessage, 'Details updated successfully');
    const bytes = await readFile(certPath);
    assert.deepEqual(record?.files, [
      { role: 'certificate', name: certPath.split('/').pop(), size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
    ]);
    assert.ok(!JSON.stringify(record).includes('"pw"'));
  });

  test('the local checks block a send: a wrong passphrase never reaches the server and is not a history entry', async () => {
    const before = (await services.drafts.history.query({})).total;
    emulator.clearRequests();
    assert.equal(await codeOf(services.actions.uploadCertificate({ profile: 'Local', appId: 'A', certPath, passphrase: 'wrong' })), 'validation');
    assert.equal(emulator.requests.length, 0);
    assert.equal((await services.drafts.history.query({})).total, before);
  });

  test('a pass update is recorded with its requestId; a server failure is recorded as failed with the status', async () => {
    const pkpass = await makePkpass(tmp.dir);
    const logo = join(tmp.dir, 'logo.png');
    await writeFile(logo, makePng(160, 50));
    const content = { recipients: { recipient: [{ id: '1' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 };
    const result = await services.actions.updatePass({ profile: profileId, pkPassPath: pkpass.path, images: [{ fieldName: 'logo', path: logo }], passContent: content });
    const sent = (await services.drafts.history.query({})).records.find((r) => r.requestId === result.requestId);
    assert.equal(sent?.kind, 'pass-update');
    assert.deepEqual(sent?.files.map((f) => f.role), ['pkPass', 'image:logo']);
    assert.ok(sent?.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256)));

    emulator.injectFault({ path: '/api/v1/message/pass/import/update', status: 500 });
    assert.equal(await codeOf(services.actions.updatePass({ profile: profileId, pkPassPath: pkpass.path, images: [], passContent: content })), 'server-error');
    // Newest first.
    const [failed] = (await services.drafts.history.query({ status: 'failed' })).records;
    assert.equal(failed?.httpStatus, 500);
    assert.equal(failed?.errorCode, 'server-error');
  });

  test('image field names must be distinct and may not reuse the pass import part names', async () => {
    const content = { recipients: { recipient: [{ id: '1' }] } };
    assert.equal(await codeOf(services.actions.updatePass({ profile: profileId, pkPassPath: certPath, images: [{ fieldName: 'logo', path: certPath }, { fieldName: 'Logo', path: certPath }], passContent: content })), 'validation');
    assert.equal(await codeOf(services.actions.updatePass({ profile: profileId, pkPassPath: certPath, images: [{ fieldName: 'passContent', path: certPath }], passContent: content })), 'validation');
  });
});
