// Server kinds in profiles (issue #16, decision 8) through the handler registry the app uses, over the real services
// (temp data folder, the OS keychain) and emulators on loopback: Volt MX / Kony Cloud defaults, on-premises /vpns and
// /kpns, a wrong context root answered with the one that works, login and server URL validation, errors inside 200
// answers recorded as failures, and nothing secret in config.json.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ConnectionTestResult, Draft, PassBatchResult, ProfileView, Result } from '../../../preload/contract';
import { channels } from '../../../preload/contract';
import { openAppServices, type AppServices } from '../../../main/services';
import type { Dialogs } from '../../../main/platform/dialogs';
import { createKeychain } from '../../../main/platform/keychain';
import { OperationRegistry } from '../../../main/platform/operations';
import { createPathGrants } from '../../../main/platform/path-grants';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { ProfileService } from '../../../main/profiles/profile-service';
import { createSandbox, sandboxKindFromEnv } from '../../../main/profiles/sandbox';
import { secretBindingAccount } from '../../../main/profiles/secret-binding';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { registerAllIpc } from '../../../main/ipc/register-all';
import { createHandlerRegistry, type HandlerRegistry } from '../../../main/ipc/registry';
import { makeP12, makePkpass, makePng } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const USER = 'kinds-admin';
const PASSWORD = 'Kinds-Secret-4c1d';
const noDialogs: Dialogs = { openFile: async () => [], saveFile: async () => undefined, showInFolder: async () => false };

let tmp: TempDir;
let dataDir: string;
let services: AppServices;
let registry: HandlerRegistry;
let operations: OperationRegistry;
const pathGrants = createPathGrants();
let onPremVpns: Emulator;
let onPremKpns: Emulator;
let cloud: Emulator;
const saved: string[] = [];

async function call<T>(key: keyof typeof channels, payload: unknown): Promise<Result<T>> {
  return (await registry.invoke(channels[key].name, payload)) as Result<T>;
}

function value<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function refusal<T>(result: Result<T>): { code: string; message: string } {
  if (result.ok) assert.fail('expected a refusal');
  return result.error;
}

async function save(profile: Record<string, unknown>, secret?: string): Promise<Result<ProfileView>> {
  const result = await call<ProfileView>('profileSave', { profile, ...(secret !== undefined ? { secret } : {}) });
  if (result.ok) saved.push(result.value.id);
  return result;
}

before(async () => {
  tmp = await makeTempDir('server-kinds');
  const users = [{ username: USER, password: PASSWORD }];
  onPremVpns = await startEmulator({ dataDir: join(tmp.dir, 'vpns'), users, contextRoot: '/vpns' });
  onPremKpns = await startEmulator({ dataDir: join(tmp.dir, 'kpns'), users, contextRoot: '/kpns', authFailureStatus: 400 });
  cloud = await startEmulator({ dataDir: join(tmp.dir, 'cloud'), users, cloud: true });
  dataDir = join(tmp.dir, 'data');
  services = await openAppServices({ dataDir, store: openSettingsStore(dataDir), secrets: createKeychain(), source: 'app', sandbox: false });
  operations = new OperationRegistry();
  registry = createHandlerRegistry({ pathGrants });
  registerAllIpc(registry, { services, operations, pathGrants, dialogs: noDialogs, events: () => undefined });
});

after(async () => {
  operations?.cancelAll();
  for (const id of saved) await services?.profiles.remove(id).catch(() => undefined);
  await services?.close();
  await Promise.all([onPremVpns, onPremKpns, cloud].map((e) => e?.close()));
  await tmp?.remove();
});

describe('server kinds', () => {
  test('a Volt MX Cloud or Kony Cloud URL logs in at its identity service; on-premises at its own origin; a configured URL wins', async () => {
    const volt = value(await save({ name: 'Volt cloud', baseUrl: 'https://acme.messaging.voltmxcloud.com', authMode: 'token', username: 'me@acme.com' }));
    assert.deepEqual([volt.serverKind, volt.serverKindLabel, volt.loginUrlInUse], ['voltmx-cloud', 'Volt MX Cloud', 'https://accounts.auth.voltmxcloud.com/login']);
    const kony = value(await save({ name: 'Kony cloud', baseUrl: 'https://acme.messaging.konycloud.com/', authMode: 'token', username: 'me@acme.com' }));
    assert.deepEqual([kony.serverKind, kony.loginUrlInUse], ['kony-cloud', 'https://accounts.auth.konycloud.com/login']);
    const kpns = value(await save({ name: 'Kony on-prem', baseUrl: 'https://engage.example.com:8443/kpns', authMode: 'token', username: 'ops' }));
    assert.deepEqual([kpns.serverKind, kpns.serverKindLabel, kpns.loginUrlInUse], ['on-premises', 'On-premises (/kpns)', 'https://engage.example.com:8443/authService/accounts/login']);
    const configured = value(await save({ name: 'Own IdP', baseUrl: 'https://acme.messaging.voltmxcloud.com', authMode: 'token', username: 'me', loginUrl: 'https://idp.acme.com/login' }));
    assert.equal(configured.loginUrlInUse, 'https://idp.acme.com/login');
    const basic = value(await save({ name: 'Basic on-prem', baseUrl: 'https://engage.example.com:8443/vpns', authMode: 'basic', username: 'ops' }));
    assert.equal(basic.loginUrlInUse, undefined, 'Basic never logs in');
  });

  test("a cloud token profile's password is bound to its identity service as well as its server, and to nothing else", async () => {
    const view = value(await save({ name: 'Bound cloud', baseUrl: 'https://bound.messaging.voltmxcloud.com', authMode: 'token', username: 'me' }, 'Cloud-Pw-1'));
    const binding = JSON.parse((await services.secrets.get(secretBindingAccount(view.id))) ?? '{}') as Record<string, string>;
    assert.deepEqual(binding, { server: 'https://bound.messaging.voltmxcloud.com', login: 'https://accounts.auth.voltmxcloud.com/login' });
    // Moving its login elsewhere without the password again is refused.
    const moved = refusal(await save({ id: view.id, name: 'Bound cloud', baseUrl: view.baseUrl, authMode: 'token', username: 'me', loginUrl: 'https://evil.example.com/login' }));
    assert.equal(moved.code, 'validation');
    assert.match(moved.message, /login URL .* changes from https:\/\/accounts\.auth\.voltmxcloud\.com\/login to https:\/\/evil\.example\.com\/login/);
  });

  test('each kind connects end to end through the app handlers: /vpns Basic, /kpns token, cloud token on another origin', async () => {
    const vpns = value(await save({ name: 'E2E vpns', baseUrl: onPremVpns.url, authMode: 'basic', username: USER }, PASSWORD));
    assert.match(value(await call<ConnectionTestResult>('profileTest', { id: vpns.id })).message, /PASSED/);
    const kpns = value(await save({ name: 'E2E kpns', baseUrl: onPremKpns.url, authMode: 'token', username: USER }, PASSWORD));
    assert.equal(kpns.loginUrlInUse, onPremKpns.loginUrl);
    assert.match(value(await call<ConnectionTestResult>('profileTest', { id: kpns.id })).message, /PASSED/);
    const cloudView = value(await save({ name: 'E2E cloud', baseUrl: cloud.url, authMode: 'token', username: USER, loginUrl: cloud.loginUrl }, PASSWORD));
    cloud.clearRequests();
    assert.match(value(await call<ConnectionTestResult>('profileTest', { id: cloudView.id })).message, /PASSED/);
    assert.deepEqual(cloud.requests.map((r) => r.path), ['/login', '/api/v1/healthcheck/json']);

    // A wrong password on the /kpns server (refused with 400 "Authentication fail") reads as a refusal.
    const wrong = value(await save({ name: 'E2E kpns wrong', baseUrl: onPremKpns.url, authMode: 'basic', username: USER }, 'not-it'));
    const refused = refusal(await call<ConnectionTestResult>('profileTest', { id: wrong.id }));
    assert.equal(refused.code, 'auth-rejected');
    assert.match(refused.message, /Authentication fail, Invalid credentials/);
  });

  test('a wrong context root is answered with the root that works', async () => {
    const origin = onPremKpns.origin;
    const wrongRoot = value(await save({ name: 'Wrong root', baseUrl: `${origin}/vpns`, authMode: 'basic', username: USER }, PASSWORD));
    const result = value(await call<ConnectionTestResult>('profileTest', { id: wrongRoot.id }));
    assert.equal(result.suggestedBaseUrl, `${origin}/kpns`);
    assert.equal(result.message, `Nothing answers under ${origin}/vpns, but this server answers under /kpns — use ${origin}/kpns`);
    // No root at all answers: the 404 stays an error that says to check the root.
    const nowhere = value(await save({ name: 'No root', baseUrl: `${onPremVpns.origin}/nothing`, authMode: 'basic', username: USER }, PASSWORD));
    const found = value(await call<ConnectionTestResult>('profileTest', { id: nowhere.id }));
    assert.equal(found.suggestedBaseUrl, onPremVpns.url, '/vpns answers on that origin');
    const cloudRoot = value(await save({ name: 'Cloud root', baseUrl: `${cloud.origin}/vpns`, authMode: 'token', username: USER, loginUrl: cloud.loginUrl }, PASSWORD));
    const cloudFound = value(await call<ConnectionTestResult>('profileTest', { id: cloudRoot.id }));
    assert.equal(cloudFound.suggestedBaseUrl, cloud.origin);
    assert.match(cloudFound.message, /answers under no context root — use /);
  });
});

describe('the Sandbox as a cloud tenant', () => {
  test('signs in with a claims token from its own identity origin, and says so', async () => {
    const dir = join(tmp.dir, 'cloud-sandbox');
    const service = new ProfileService({ store: openSettingsStore(dir), secrets: createKeychain(), sandbox: createSandbox(dir, 'cloud') });
    try {
      assert.match((await service.testConnection('Sandbox')).message, /PASSED/);
      const [sandbox] = await service.list();
      assert.equal(sandbox?.authMode, 'token');
      assert.equal(sandbox?.serverKindLabel, 'Built-in emulator (cloud)');
      const login = new URL(sandbox?.loginUrlInUse ?? '');
      assert.equal(login.pathname, '/login');
      assert.notEqual(login.origin, new URL(sandbox?.baseUrl ?? '').origin, 'the login is on another origin');
      assert.equal(sandboxKindFromEnv({ ENGAGEMENT_DESK_SANDBOX_KIND: 'Cloud' }), 'cloud');
      assert.equal(sandboxKindFromEnv({}), 'on-premises');
    } finally {
      await service.close();
    }
  });
});

describe('login and server URL validation', () => {
  test('user-info, queries and unconfirmed plain http are refused with the problem named; nothing lands in config.json', async () => {
    const base = { name: 'Validated', authMode: 'token', username: 'me' };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...base, baseUrl: 'https://engage.example.com/vpns', loginUrl: 'https://me:Hunter2-login@idp.example.com/login' }, /^The login URL contains a user name or password \(user:password@host\)\. Remove it/],
      [{ ...base, baseUrl: 'https://engage.example.com/vpns', loginUrl: 'https://idp.example.com/login?apikey=Query-Key-99' }, /^The login URL has a query \(\?…\) or fragment \(#…\)\. Remove it/],
      [{ ...base, baseUrl: 'https://engage.example.com/vpns', loginUrl: 'http://idp.example.com/login' }, /^The login URL http:\/\/idp\.example\.com\/login uses plain http: .*--allow-http\)\. Nothing was saved\.$/],
      [{ ...base, baseUrl: 'http://engage.example.com/vpns' }, /^The server URL http:\/\/engage\.example\.com\/vpns uses plain http/],
      [{ ...base, baseUrl: 'https://u:Hunter2-base@engage.example.com' }, /Do not put credentials in the server URL/],
      [{ ...base, baseUrl: 'https://engage.example.com/vpns?token=Query-Key-98' }, /must not have a query/],
    ];
    for (const [profile, message] of cases) {
      const error = refusal(await save(profile, 'Validated-Pw'));
      assert.equal(error.code, 'validation', String(profile.loginUrl ?? profile.baseUrl));
      assert.match(error.message, message);
      assert.ok(!/Hunter2|Query-Key/.test(error.message), `the message repeats no secret: ${error.message}`);
    }
    // Confirmed plain http is saved, and shown as insecure.
    const allowed = value(await save({ ...base, baseUrl: 'http://engage.example.com/vpns', allowHttp: true }, 'Validated-Pw'));
    assert.deepEqual([allowed.allowHttp, allowed.insecureTransport], [true, true]);
    const text = await readFile(join(dataDir, 'config.json'), 'utf8');
    for (const secret of ['Hunter2', 'Query-Key', 'Validated-Pw', PASSWORD, 'Cloud-Pw-1']) {
      assert.ok(!text.includes(secret), `config.json must not hold ${secret}`);
    }
    assert.ok(!text.includes('idp.example.com'), 'no refused login URL was saved');
  });
});

describe('errors inside 200 answers through the app handlers', () => {
  test('a batch item answered 200 with requestId "-1" is failed, with the server\'s words in its result and history', async () => {
    const profile = value(await save({ name: 'In-200', baseUrl: onPremVpns.url, authMode: 'basic', username: USER }, PASSWORD));
    const pkPassPath = (await makePkpass(tmp.dir)).path;
    const logoPath = join(tmp.dir, 'logo.png');
    await writeFile(logoPath, makePng(160, 50));
    pathGrants.grantFile(pkPassPath, 'read');
    pathGrants.grantFile(logoPath, 'read');
    onPremVpns.injectFault({ path: '/api/v1/message/pass/import/update', errorInOk: 'Invalid Subscribers' });
    const result = value(
      await call<PassBatchResult>('passBatch', {
        operationId: 'in-200',
        profileId: profile.id,
        pkPassPath,
        images: [{ fieldName: 'logo', path: logoPath }],
        passContent: { recipients: { recipient: [{ id: 'x' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 },
        recipientIds: ['only-one'],
        concurrency: 1,
      }),
    );
    assert.deepEqual(result.summary, { sent: 0, failed: 1, skipped: 0 });
    const item = result.results[0];
    assert.equal(item?.requestId, undefined);
    assert.match(JSON.stringify(item), /Invalid Subscribers/);
    const records = (await services.drafts.history.query({ kind: 'pass-update' })).records.filter((r) => r.profileId === profile.id);
    assert.equal(records.length, 1);
    assert.notEqual(records[0]?.status, 'sent');
    assert.equal(records[0]?.serverMessage, 'Invalid Subscribers');
    assert.equal(records[0]?.httpStatus, 200);
  });

  test('a draft answered 200 with id "-1" is failed, not sent, and its history line keeps the server\'s words', async () => {
    const profile = value(await save({ name: 'In-200 draft', baseUrl: onPremVpns.url, authMode: 'basic', username: USER }, PASSWORD));
    const { drafts } = services.drafts;
    const created = await drafts.create({ kind: 'cert-upload', name: 'Unpublished app', profileId: profile.id, appId: 'Unpublished1' });
    const cert = await drafts.addFile(created.id, (await makeP12(tmp.dir, { passphrase: 'pw' })).path);
    const draft = await drafts.save({ ...created, payload: { appId: 'Unpublished1', cert, rememberPassphrase: false } } as Draft);
    onPremVpns.injectFault({ path: /\/windows$/, errorInOk: 'Invalid VoltMX AppId or Application is not published with given AppId' });
    const outcome = await services.drafts.sender.send(draft, { passphrase: 'pw', source: 'app' });
    assert.notEqual(outcome.status, 'sent');
    const records = (await services.drafts.history.query({ kind: 'cert-upload' })).records.filter((r) => r.draftId === draft.id);
    assert.deepEqual(
      records.map((r) => [r.status, r.serverMessage, r.httpStatus]),
      [['failed', 'Invalid VoltMX AppId or Application is not published with given AppId', 200]],
    );
    assert.equal(await onPremVpns.storedCertificate('Unpublished1'), undefined);
  });
});
