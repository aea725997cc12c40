// The administration calls of issue #17 against the emulator over loopback: every app over many pages, details
// that follow an MPNS upload and its removal, the expiry read from the uploaded certificate, WNS credentials and
// their test, a pass request's passes and channel statuses (ids exact), and the failures a server puts in a 200.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Profile } from '../../../preload/contract';
import { EngagementClient } from '../../../main/server/engagement-client';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import {
  appDetails,
  certificateExpiry,
  listAllApps,
  passRequestStatus,
  removeMpnsCertificate,
  setWnsCredentials,
  testWnsCredentials,
} from '../../../main/server/admin-endpoints';
import { makeP12, makePkpass, samplePassContent } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';
import { appErrorOf } from '../../support/errors';

const SID = 'ms-app://s-1-15-2-2972962901-2322836549-3722629029-1345238579-3987825745-2155616079-650196962';
let emulator: Emulator;
let tmp: { dir: string; remove(): Promise<void> };
let client: EngagementClient;

before(async () => {
  tmp = await makeTempDir('admin');
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), contextRoot: '/vpns', seedAppCount: 233, passStatusStepMs: 0 });
  const profile: Profile = { id: 'p1', name: 'Test', baseUrl: emulator.url, authMode: 'basic', username: 'sandbox', tokenHeaders: ['X-VoltMX-Authorization'] };
  client = new EngagementClient(profile, async () => 'sandbox');
});

after(async () => {
  await client.close();
  await emulator.close();
  await tmp.remove();
});

describe('administration endpoints', () => {
  test('the app list reads every page, however many', async () => {
    emulator.clearRequests();
    const list = await listAllApps(client, {}, 50);
    assert.equal(list.total, 233);
    assert.equal(list.apps.length, 233);
    assert.equal(new Set(list.apps.map((a) => a.id)).size, 233, 'no app twice');
    const pages = emulator.requests.filter((r) => r.path.endsWith('/api/v1/applications'));
    assert.deepEqual(pages.map((r) => r.query.start), ['0', '50', '100', '150', '200']);
  });

  test('an MPNS upload shows in the details and the expiry list with the certificate own expiry; removal clears it', async () => {
    const notAfter = new Date(Date.now() + 20 * 86_400_000);
    const p12 = await makeP12(tmp.dir, { passphrase: 'pw', notBefore: new Date(Date.now() - 86_400_000), notAfter });
    await client.uploadMpnsCertificate('AppForAll1', p12.path, 'pw');
    const details = await appDetails(client, 'AppForAll1');
    assert.equal(details.mpns.stored, true);
    const expiry = await certificateExpiry(client, 'AppForAll1');
    const windows = expiry.find((c) => c.platform === 'Windows');
    assert.ok(windows, JSON.stringify(expiry));
    assert.ok(windows.daysLeft === 19 || windows.daysLeft === 20, `daysLeft ${windows.daysLeft}`);
    assert.ok(windows.expiresAt && Math.abs(Date.parse(windows.expiresAt) - notAfter.getTime()) < 2000, `${windows.expiresAt} vs ${notAfter.toISOString()}`);
    assert.match(windows.expiryDate, /^\d\d [A-Z][a-z]{2}, \d{4} \d\d\.\d\d:\d\d [AP]M UTC$/);

    const removed = await removeMpnsCertificate(client, 'AppForAll1');
    assert.equal(removed.message, 'Deleted the Windows MPNS certificate successfully');
    assert.equal((await appDetails(client, 'AppForAll1')).mpns.stored, false);
    assert.equal((await certificateExpiry(client, 'AppForAll1')).some((c) => c.platform === 'Windows'), false);
    const again = await appErrorOf(removeMpnsCertificate(client, 'AppForAll1'));
    assert.equal(again.httpStatus, 400);
    assert.match(again.message, /No Windows MPNS certificate is stored/);
  });

  test('the expiry list is sorted by urgency and holds the pass certificates', async () => {
    const all = await certificateExpiry(client);
    assert.deepEqual(all.map((c) => c.daysLeft), [...all.map((c) => c.daysLeft)].sort((a, b) => a - b));
    assert.equal(all[0]?.daysLeft, 12, 'the seeded certificate near expiry comes first');
    assert.ok(all.some((c) => c.kind === 'pass' && c.passTypeIdentifier));
  });

  test('an unknown app: 400 for details, an error inside a 200 for the expiry list', async () => {
    const details = await appErrorOf(appDetails(client, 'NoSuchApp'));
    assert.equal(details.httpStatus, 400);
    assert.match(details.message, /Invalid AppId/);
    const expiry = await appErrorOf(certificateExpiry(client, 'NoSuchApp'));
    assert.equal(expiry.code, 'bad-request');
    assert.equal(expiry.httpStatus, 200, 'the server said 200');
    assert.match(expiry.message, /Invalid VoltMX AppId/);
  });

  test('WNS credentials for an unknown app: the failure inside the 200 is one error with the server words, and no app is made', async () => {
    const error = await appErrorOf(setWnsCredentials(client, 'NoSuchWnsApp', { packageSid: SID, clientSecret: 'wns-secret-Zq9' }));
    assert.deepEqual([error.code, error.httpStatus, error.detail], ['bad-request', 200, 'Invalid VoltMX AppId or Application is not published with given AppId']);
    assert.equal(
      error.message,
      "The server did not accept the request: Invalid VoltMX AppId or Application is not published with given AppId. Check the app ID against the server's application list, and that the application is published in the Engagement console.",
    );
    // Every admin answer with an id of -1 reads the same way, whichever call it answered (one path, errorInsideOk).
    const expiry = await appErrorOf(certificateExpiry(client, 'NoSuchWnsApp'));
    assert.equal(expiry.message, error.message);
    emulator.injectFault({ path: /\/removewindowscert$/, errorInOk: 'Invalid VoltMX AppId or Application is not published with given AppId' });
    assert.equal((await appErrorOf(removeMpnsCertificate(client, 'AppForAll1'))).message, error.message);
    assert.equal((await appErrorOf(appDetails(client, 'NoSuchWnsApp'))).httpStatus, 400, 'the refused call made no app');
  });

  test('WNS credentials: refused when malformed, set, shown in the details without the secret, tested', async () => {
    const untested = await appErrorOf(testWnsCredentials(client, 'AppForAll1'));
    assert.match(untested.message, /not found/);
    const bad = await appErrorOf(setWnsCredentials(client, 'AppForAll1', { packageSid: 's-1-15-2-1', clientSecret: 'x' }));
    assert.match(bad.message, /Windows8 cloud credentials are invalid/);
    emulator.clearRequests();
    const set = await setWnsCredentials(client, 'AppForAll1', { packageSid: SID, clientSecret: 'wns-secret-Zq9' });
    assert.equal(set.id, 'AppForAll1');
    const sent = emulator.requests.at(-1);
    assert.match(String(sent?.headers['content-type']), /^application\/json/);
    const details = await appDetails(client, 'AppForAll1');
    assert.deepEqual(details.wns, { set: true, packageSid: SID });
    assert.ok(!JSON.stringify(details).includes('wns-secret-Zq9'));
    assert.equal((await testWnsCredentials(client, 'AppForAll1')).message, 'Windows8 cloud credentials are valid.');
    assert.ok(!(await readFile(join(tmp.dir, 'emulator', 'admin-state.json'), 'utf8')).includes('wns-secret-Zq9'));
  });

  test('a queued pass request lists its passes with exact 64-bit ids and final channel statuses', async () => {
    const pkpass = await makePkpass(tmp.dir);
    const queued = await client.updatePassWithImport(pkpass.path, [], samplePassContent(), {}, '/api/v1/message/pass/import');
    const status = await passRequestStatus(client, queued.requestId);
    assert.equal(status.requestId, queued.requestId);
    assert.ok(status.passes.length >= 1 && status.passes.length === status.total);
    const meta = emulator.requests.find((r) => r.path.includes('/pass/meta/'));
    for (const pass of status.passes) {
      assert.match(pass.id, /^\d{19}$/);
      // The emulator wrote the id as a bare number: the digits must have survived exactly.
      assert.ok(meta?.responseBody?.includes(`"id":${pass.id}`), `${pass.id} in ${meta?.responseBody?.slice(0, 200)}`);
      assert.ok(pass.channels.length > 0 && pass.channels.every((c) => c.final && (c.channel === 'EMAIL' || c.channel === 'SMS')));
    }
    assert.equal(status.settled, true);
  });

  test('a request id that is not a number is refused before sending; an unknown one is the server 400', async () => {
    emulator.clearRequests();
    const bad = await appErrorOf(passRequestStatus(client, '12ab'));
    assert.equal(bad.code, 'validation');
    assert.match(bad.message, /not a number/);
    assert.equal(emulator.requests.length, 0);
    const unknown = await appErrorOf(passRequestStatus(client, '1234567890123456789'));
    assert.equal(unknown.httpStatus, 400);
    assert.match(unknown.message, /No pass request found/);
  });
});
