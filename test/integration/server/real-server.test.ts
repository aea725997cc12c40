// The client against the emulator modelling the real server (issue #16): failures inside 200 answers, "Authentication
// fail" under 400 renewing a claims token once, a short-lived token reused for most of its life by one shared login,
// the documented charsets, and a cloud tenant whose login is on another origin.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Profile } from '../../../preload/contract';
import { EngagementClient, type ClientOptions } from '../../../main/server/engagement-client';
import { errorInsideOk } from '../../../main/server/http-answers';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../main/emulator/server';
import { appErrorOf } from '../../support/errors';
import { makeP12, makePkpass } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const IMPORT_UPDATE = '/api/v1/message/pass/import/update';
const AUTH_FAIL_BODY = JSON.stringify({ id: '-1', message: 'Authentication fail, Invalid credentials' });
const content = { recipients: { recipient: [{ id: '48494' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 };

let tmp: TempDir;
let pkPass: string;
const emulators: Emulator[] = [];
const clients: EngagementClient[] = [];

async function emulatorWith(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const made = await startEmulator({ dataDir: join(tmp.dir, `emulator-${emulators.length}`), ...options });
  emulators.push(made);
  return made;
}

function clientFor(emulator: Emulator, overrides: Partial<Profile> = {}, options: ClientOptions = {}): EngagementClient {
  const profile: Profile = {
    id: 'p1',
    name: 'Real',
    baseUrl: emulator.url,
    authMode: 'token',
    username: 'sandbox',
    tokenHeaders: ['X-VoltMX-Authorization', 'X-Kony-Authorization'],
    loginUrl: emulator.loginUrl,
    ...overrides,
  };
  const made = new EngagementClient(profile, async () => 'sandbox', options);
  clients.push(made);
  return made;
}

const logins = (emulator: Emulator) => emulator.requests.filter((r) => r.path === new URL(emulator.loginUrl).pathname).length;

before(async () => {
  tmp = await makeTempDir('real-server');
  pkPass = (await makePkpass(tmp.dir)).path;
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(emulators.map((e) => e.close()));
  await tmp.remove();
});

describe('errors inside 200 answers (decision 9)', () => {
  test('a send answered 200 with requestId "-1" fails with the server\'s words, never as queued', async () => {
    const emulator = await emulatorWith({ contextRoot: '/vpns' });
    const client = clientFor(emulator, { authMode: 'basic' });
    emulator.injectFault({ path: IMPORT_UPDATE, errorInOk: 'Invalid Subscribers' });
    const error = await appErrorOf(client.updatePassWithImport(pkPass, [], content));
    assert.deepEqual([error.code, error.httpStatus, error.detail], ['bad-request', 200, 'Invalid Subscribers']);
    assert.equal(error.message, 'The server did not accept the request: Invalid Subscribers.');
  });

  test('a lower-case requestid of null, and an admin id of -1, are failures too', async () => {
    const emulator = await emulatorWith();
    const client = clientFor(emulator, { authMode: 'basic' });
    emulator.injectFault({ path: IMPORT_UPDATE, status: 200, body: '{"requestid":null,"description":"Invalid VoltMX AppId or Application is not published with given AppId"}' });
    const error = await appErrorOf(client.updatePassWithImport(pkPass, [], content));
    assert.equal(error.detail, 'Invalid VoltMX AppId or Application is not published with given AppId');
    emulator.injectFault({ path: '/api/v1/healthcheck/json', errorInOk: 'Request method not allowed' });
    assert.equal((await appErrorOf(client.healthCheck())).detail, 'Request method not allowed');
  });

  test('errorInsideOk reads only what says "failed": a 64-bit id or a success message passes', () => {
    assert.equal(errorInsideOk('{"requestId":"2318508739642895844","description":"Request Queued. "}'), undefined);
    assert.equal(errorInsideOk('{"id":2338546026820740145,"message":"ok"}'), undefined);
    assert.equal(errorInsideOk('{"healthCheck":"PASSED"}'), undefined);
    assert.equal(errorInsideOk('not json'), undefined);
    assert.equal(errorInsideOk('{"requestId":-1,"description":"Invalid Subscribers"}')?.detail, 'Invalid Subscribers');
    assert.equal(errorInsideOk('{"id":"-1","message":"Authentication fail, Invalid credentials"}')?.code, 'auth-rejected');
  });
});

describe('claims tokens against the real texts (decision 10)', () => {
  test('"Authentication fail" under 400 renews the token once, like a 401', async () => {
    const emulator = await emulatorWith({ contextRoot: '/kpns' });
    const client = clientFor(emulator);
    await client.healthCheck();
    assert.equal(logins(emulator), 1);
    emulator.injectFault({ path: '/api/v1/healthcheck/json', status: 400, body: AUTH_FAIL_BODY });
    assert.match((await client.healthCheck()).message, /PASSED/);
    assert.equal(logins(emulator), 2, 'one new login after the refusal');

    // Refused again after the renewal: surfaced as a refusal of the credentials, after one renewal only.
    emulator.injectFault({ path: '/api/v1/healthcheck/json', status: 400, body: AUTH_FAIL_BODY, times: 5 });
    const error = await appErrorOf(client.healthCheck());
    assert.deepEqual([error.code, error.httpStatus], ['auth-rejected', 400]);
    assert.match(error.message, /Authentication fail, Invalid credentials/);
    assert.equal(logins(emulator), 3);
  });

  test('a download refused with 400 "Authentication fail" renews too, and other 400s keep their words', async () => {
    const emulator = await emulatorWith({ authFailureStatus: 400 });
    const client = clientFor(emulator);
    await client.healthCheck();
    emulator.injectFault({ path: '/api/v1/applications/downloadwindowscert', status: 400, body: AUTH_FAIL_BODY });
    const error = await appErrorOf(client.downloadMpnsCertificate('app-none', join(tmp.dir, 'none.p12')));
    // Renewed, then the real answer: no certificate stored for the app.
    assert.equal(error.code, 'bad-request');
    assert.match(error.message, /No Windows MPNS certificate is stored/);
    assert.equal(logins(emulator), 2);
  });

  for (const [refusal, fault] of [
    ['401', { status: 401, body: '{"id":"-1","message":"Unauthorized request"}' }],
    ['400 "Authentication fail"', { status: 400, body: AUTH_FAIL_BODY }],
    ['200 with id -1 and "Authentication fail"', { errorInOk: 'Authentication fail, Invalid credentials' }],
  ] as const) {
    test(`two concurrent calls both refused with ${refusal} renew the token once, and both succeed`, async () => {
      const emulator = await emulatorWith({ contextRoot: '/vpns' });
      const client = clientFor(emulator);
      await client.healthCheck();
      assert.equal(logins(emulator), 1);
      // The server refuses the token both calls carry (as after a restart that forgot its sessions).
      emulator.injectFault({ path: '/api/v1/healthcheck/json', times: 2, ...fault });
      const [first, second] = await Promise.all([client.healthCheck(), client.healthCheck()]);
      assert.match(first.message, /PASSED/);
      assert.match(second.message, /PASSED/);
      const checks = emulator.requests.filter((r) => r.path === '/vpns/api/v1/healthcheck/json');
      assert.equal(checks.length, 5, 'the first check, two refused, two sent again');
      assert.equal(logins(emulator), 2, 'one login renewed the token for both');
    });
  }

  test('a token that lives 60 s is reused for most of its life, and concurrent sends share one login', async () => {
    const emulator = await emulatorWith({ tokenTtlMs: 60_000 });
    let offset = 0;
    const client = clientFor(emulator, {}, { now: () => Date.now() + offset });
    const results = await Promise.all(Array.from({ length: 12 }, () => client.healthCheck()));
    assert.equal(results.length, 12);
    assert.equal(logins(emulator), 1, 'twelve concurrent checks, one login');
    offset = 45_000; // 75% of its life: still reused
    await client.healthCheck();
    assert.equal(logins(emulator), 1);
    offset = 52_000; // past 85%: renewed before it runs out
    await Promise.all([client.healthCheck(), client.healthCheck(), client.healthCheck()]);
    assert.equal(logins(emulator), 2);
  });
});

describe('what the server reads (decision 11) and where a cloud tenant logs in', () => {
  test('passContent goes as application/json; charset=UTF-8 and GETs carry the documented Content-Type', async () => {
    // The emulator decodes a text part without a charset as ISO-8859-1, as a Java servlet container may.
    const emulator = await emulatorWith({ contextRoot: '/vpns', textCharsetDefault: 'latin1' });
    const client = clientFor(emulator, { authMode: 'basic' });
    const words = { ...content, passIntegrationConfig: { passUpdateNotificationDetails: [{ channel: 'SMS', enabled: true, messageContent: 'Zürich → Übergabe ✓' }] } };
    await client.updatePassWithImport(pkPass, [], words);
    await client.healthCheck();
    const send = emulator.requests.find((r) => r.path === `/vpns${IMPORT_UPDATE}`);
    const part = send?.parts.find((p) => p.name === 'passContent');
    assert.equal(part?.contentType, 'application/json');
    assert.deepEqual(JSON.parse(part?.text ?? '{}'), words, 'the non-ASCII message text arrives intact');
    const get = emulator.requests.find((r) => r.method === 'GET');
    assert.equal(get?.headers['content-type'], 'application/json;charset=UTF-8');
  });

  test('a non-ASCII MPNS passphrase goes as text/plain; charset=UTF-8 and opens the certificate on a server that reads parts as ISO-8859-1', async () => {
    const passphrase = 'Pässwort-Zürich ✓';
    const p12 = await makeP12(tmp.dir, { passphrase });
    // Strict about parts and checking the passphrase against the file, as the real server must to use it.
    const emulator = await emulatorWith({ contextRoot: '/vpns', textCharsetDefault: 'latin1', strictParts: true });
    const client = clientFor(emulator, { authMode: 'basic' });
    const result = await client.uploadMpnsCertificate('AppForAll1', p12.path, passphrase);
    assert.equal(result.message, 'Details updated successfully');
    const part = emulator.requests.find((r) => r.path.endsWith('/windows'))?.parts.find((p) => p.name === 'mpnsCertPassPhrase');
    assert.equal(part?.contentType, 'text/plain');
    assert.equal(part?.size, Buffer.byteLength(passphrase, 'utf8'), 'the passphrase arrived as the UTF-8 it was typed in');
    assert.ok(await emulator.storedCertificate('AppForAll1'));
  });

  test('a cloud tenant logs in on its identity origin and sends under no context root', async () => {
    const emulator = await emulatorWith({ cloud: true });
    const client = clientFor(emulator);
    const result = await client.updatePassWithImport(pkPass, [], content);
    assert.match(result.requestId, /^\d{19}$/);
    const paths = emulator.requests.map((r) => r.path);
    assert.deepEqual(paths, ['/login', IMPORT_UPDATE]);
  });
});
