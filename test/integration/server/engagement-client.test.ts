// The API client against the emulator over loopback: every endpoint, every auth mode, every error class,
// cancellation and the no-partial-file guarantee.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { AppError, Profile } from '../../../preload/contract';
import { NOT_PKCS12_WARNING } from '../../../main/server/certificate-download';
import { EngagementClient, type ClientOptions, type TransferProgressUpdate } from '../../../main/server/engagement-client';
import { EngagementError } from '../../../main/core/errors';
import { CertificateStore } from '../../../main/emulator/certificate-store';
import { SANDBOX_API_KEY, startEmulator, type Emulator } from '../../../main/emulator/server';
import { makeP12 } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

let emulator: Emulator;
let tmp: { dir: string; remove(): Promise<void> };
let certPath: string;
const clients: EngagementClient[] = [];

function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    id: 'p1',
    name: 'Test',
    baseUrl: emulator.url,
    authMode: 'basic',
    username: 'sandbox',
    tokenHeaders: ['X-VoltMX-Authorization', 'X-Kony-Authorization'],
    ...overrides,
  };
}

/** `secret` null means "nothing stored". */
function client(overrides: Partial<Profile> = {}, secret: string | null = 'sandbox', options: ClientOptions = {}): EngagementClient {
  const made = new EngagementClient(profile(overrides), async () => secret ?? undefined, options);
  clients.push(made);
  return made;
}

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngagementError, `expected an EngagementError, got ${String(error)}`);
    return error.appError;
  }
  assert.fail('expected the call to fail');
}

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

before(async () => {
  tmp = await makeTempDir('client');
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), contextRoot: '/vpns' });
  certPath = join(tmp.dir, 'push cert.p12');
  await rename((await makeP12(tmp.dir, { passphrase: 'correct horse' })).path, certPath);
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emulator.close();
  await tmp.remove();
});

beforeEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

describe('certificate upload', () => {
  test('streams mpnsCert with its file name and the passphrase; the server receives the exact bytes', async () => {
    const progress: TransferProgressUpdate[] = [];
    const result = await client().uploadMpnsCertificate('20096-6548262167', certPath, 'correct horse', {
      onProgress: (p) => progress.push(p),
    });
    assert.deepEqual(result, { id: '20096-6548262167', message: 'Details updated successfully' });
    const recorded = emulator.requests.at(-1);
    assert.ok(recorded);
    assert.equal(recorded.path, '/vpns/api/v1/applications/20096-6548262167/windows');
    assert.deepEqual(recorded.parts.map((p) => p.name), ['mpnsCert', 'mpnsCertPassPhrase']);
    const file = recorded.parts[0];
    assert.equal(file?.filename, 'push cert.p12');
    assert.equal(file?.sha256, await sha256(certPath));
    assert.equal(file?.size, (await stat(certPath)).size);
    // Progress: starts at 0, never goes backwards, ends at the total.
    assert.equal(progress[0]?.transferred, 0);
    const last = progress.at(-1);
    assert.ok(last?.total && last.transferred === last.total);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.transferred >= progress[i - 1]!.transferred);
  });

  test('app ids are opaque: spaces and slashes are URL-encoded and arrive intact', async () => {
    await client().uploadMpnsCertificate('My App/Prod 1', certPath, 'correct horse');
    const stored = await emulator.storedCertificate('My App/Prod 1');
    assert.equal(stored?.sha256, await sha256(certPath));
  });

  test('a missing file fails locally, before anything is sent', async () => {
    const error = await appErrorOf(client().uploadMpnsCertificate('app', join(tmp.dir, 'gone.p12'), 'x'));
    assert.equal(error.code, 'file');
    assert.match(error.message, /gone\.p12/);
    assert.equal(emulator.requests.length, 0);
  });

  test("the server's own message is shown for a 400", async () => {
    const error = await appErrorOf(client().uploadMpnsCertificate('app', certPath, 'wrong passphrase'));
    assert.equal(error.code, 'bad-request');
    assert.equal(error.httpStatus, 400);
    assert.ok(error.detail && error.message.includes(error.detail), error.message);
    assert.ok(!error.message.includes('wrong passphrase'), 'the passphrase must never appear in an error');
  });
});

describe('certificate download', () => {
  before(async () => {
    await client().uploadMpnsCertificate('DL-App', certPath, 'correct horse');
  });

  test("into a folder: the server's file name, the same bytes, fsynced and renamed", async () => {
    const folder = join(tmp.dir, 'dl-folder');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    const progress: TransferProgressUpdate[] = [];
    const result = await client().downloadMpnsCertificate('DL-App', folder, { onProgress: (p) => progress.push(p) });
    assert.equal(result.path, join(folder, 'push cert.p12'));
    assert.equal(result.sha256, await sha256(certPath));
    assert.equal(await sha256(result.path), result.sha256);
    assert.equal(result.bytes, (await stat(certPath)).size);
    assert.deepEqual(await readdir(folder), ['push cert.p12']);
    assert.equal(progress.at(-1)?.transferred, result.bytes);
    assert.equal(progress.at(-1)?.total, result.bytes);
  });

  test('into a folder that already has that name: a new name, the existing file untouched', async () => {
    const folder = join(tmp.dir, 'dl-existing');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    await writeFile(join(folder, 'push cert.p12'), 'my own file');
    const first = await client().downloadMpnsCertificate('DL-App', folder);
    const second = await client().downloadMpnsCertificate('DL-App', folder);
    assert.equal(first.path, join(folder, 'push cert (1).p12'));
    assert.equal(second.path, join(folder, 'push cert (2).p12'));
    assert.equal(await readFile(join(folder, 'push cert.p12'), 'utf8'), 'my own file');
  });

  test('a body of many write batches: written while the next one arrives, hashed from the file, bytes exact', async () => {
    // Seeded straight into the emulator's store: a body this size need not be a real .p12 for the transfer.
    const store = new CertificateStore(join(tmp.dir, 'emulator'));
    await store.init();
    const body = randomBytes(5 * 1024 * 1024 + 12_345);
    const staged = join(await store.stagingDir('Big-App'), 'big.tmp-upload');
    await writeFile(staged, body);
    const expected = createHash('sha256').update(body).digest('hex');
    await store.commit('Big-App', staged, { fileName: 'big.p12', size: body.length, sha256: expected });
    const folder = join(tmp.dir, 'dl-big');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    // Saved (fsynced and renamed into place) before its SHA-256 is read back; a cancel from then on undoes nothing.
    const controller = new AbortController();
    let settled = false;
    const atSaved: Array<{ path: string; bytes: number; settled: boolean; names: string[]; onDisk: boolean }> = [];
    // Far bigger than any certificate (the 1 MiB limit is raised): the streaming machinery is what is tested here.
    const big = { maxCertificateBytes: 64 * 1024 * 1024 };
    const pending = client({}, 'sandbox', big).downloadMpnsCertificate('Big-App', folder, {
      signal: controller.signal,
      onSaved: (saved) => {
        atSaved.push({ ...saved, settled, names: readdirSync(folder), onDisk: readFileSync(saved.path).equals(body) });
        controller.abort();
      },
    });
    void pending.then(() => (settled = true), () => (settled = true));
    const result = await pending;
    // Random bytes are not a PKCS#12 file: kept, with the warning (issue #18).
    assert.deepEqual(atSaved, [{ path: join(folder, 'big.p12'), bytes: body.length, warning: NOT_PKCS12_WARNING, settled: false, names: ['big.p12'], onDisk: true }]);
    assert.equal(result.bytes, body.length);
    assert.equal(result.sha256, expected);
    assert.ok((await readFile(result.path)).equals(body));
    assert.deepEqual(await readdir(folder), ['big.p12']);

    // Cut off after several batches, with a write in flight: nothing is left behind.
    emulator.injectFault({ path: '/api/v1/applications/downloadwindowscert', resetAfterBytes: 3 * 1024 * 1024 + 7 });
    const cut = join(tmp.dir, 'dl-big-cut');
    await import('node:fs/promises').then((fs) => fs.mkdir(cut));
    assert.equal((await appErrorOf(client({}, 'sandbox', big).downloadMpnsCertificate('Big-App', cut))).code, 'network');
    assert.deepEqual(await readdir(cut), []);
  });

  test('to a chosen file path', async () => {
    const target = join(tmp.dir, 'chosen-name.p12');
    const result = await client().downloadMpnsCertificate('DL-App', target);
    assert.equal(result.path, target);
    assert.equal(await sha256(target), await sha256(certPath));
  });

  test('a connection reset mid-body leaves no file and no temp file', async () => {
    const folder = join(tmp.dir, 'dl-reset');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    emulator.injectFault({ path: '/api/v1/applications/downloadwindowscert', resetAfterBytes: 100 });
    const error = await appErrorOf(client().downloadMpnsCertificate('DL-App', join(folder, 'x.p12')));
    assert.equal(error.code, 'network');
    assert.deepEqual(await readdir(folder), []);
  });

  test('cancelling mid-download leaves nothing behind', async () => {
    const folder = join(tmp.dir, 'dl-cancel');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    // Throttled to 500 B/s, the body takes seconds: the abort lands while it streams into the temp file.
    emulator.injectFault({ path: '/api/v1/applications/downloadwindowscert', bytesPerSecond: 500 });
    const controller = new AbortController();
    const pending = client().downloadMpnsCertificate('DL-App', join(folder, 'x.p12'), { signal: controller.signal });
    const timer = setTimeout(() => controller.abort(), 1500);
    const error = await appErrorOf(pending);
    clearTimeout(timer);
    assert.equal(error.code, 'cancelled');
    assert.deepEqual(await readdir(folder), []);
  });

  test('no certificate stored: 400 with the server message; nothing is written', async () => {
    const target = join(tmp.dir, 'none.p12');
    const error = await appErrorOf(client().downloadMpnsCertificate('No-Such-App', target));
    assert.equal(error.code, 'bad-request');
    assert.ok(error.detail);
    await assert.rejects(stat(target));
  });

  test('a 200 carrying JSON or HTML instead of a file is an unexpected response', async () => {
    const target = join(tmp.dir, 'json.p12');
    emulator.injectFault({ path: '/api/v1/applications/downloadwindowscert', status: 200, body: '{"message":"Session expired"}', contentType: 'application/json' });
    const error = await appErrorOf(client().downloadMpnsCertificate('DL-App', target));
    assert.equal(error.code, 'unexpected-response');
    assert.match(error.message, /Session expired/);
    emulator.injectFault({ path: '/api/v1/applications/downloadwindowscert', status: 200, body: '<html><title>Login</title></html>', contentType: 'text/html' });
    assert.equal((await appErrorOf(client().downloadMpnsCertificate('DL-App', target))).code, 'unexpected-response');
    await assert.rejects(stat(target));
  });

  test('a destination folder that does not exist is refused before downloading', async () => {
    const error = await appErrorOf(client().downloadMpnsCertificate('DL-App', join(tmp.dir, 'no', 'such', 'x.p12')));
    assert.equal(error.code, 'file');
    assert.equal(emulator.requests.length, 0);
  });
});

describe('pass update with pkPass import', () => {
  test('pkPass, one part per image under its chosen name, passContent JSON; requestId is a 19-digit string', async () => {
    const pkpass = join(tmp.dir, 'event.pkpass');
    const logo = join(tmp.dir, 'logo.png');
    const strip = join(tmp.dir, 'strip@2x.png');
    await writeFile(pkpass, Buffer.alloc(70_000, 7));
    await writeFile(logo, Buffer.alloc(1000, 1));
    await writeFile(strip, Buffer.alloc(2000, 2));
    const passContent = { recipients: { recipient: [{ id: '48494' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 };
    const result = await client().updatePassWithImport(
      pkpass,
      [
        { fieldName: 'logo', path: logo },
        { fieldName: 'imageFieldName2', path: strip },
      ],
      passContent,
    );
    assert.match(result.requestId, /^\d{19}$/);
    assert.equal(result.description, 'Request Queued.');
    const recorded = emulator.requests.at(-1);
    assert.deepEqual(recorded?.parts.map((p) => p.name), ['pkPass', 'logo', 'imageFieldName2', 'passContent']);
    assert.equal(recorded?.parts[0]?.sha256, await sha256(pkpass));
    assert.equal(recorded?.parts[2]?.filename, 'strip@2x.png');
    assert.deepEqual(JSON.parse(recorded?.parts[3]?.text ?? 'null'), passContent);
  });

  test('files of many chunks arrive intact, each byte once: the reader’s two buffers are reused only once sent', async () => {
    // Random bytes (a buffer refilled too soon would show as a wrong hash), sizes that are not whole chunks (the last,
    // short chunk is handed out as a copy), two big files one after the other (the same two buffers serve both).
    const pkpass = join(tmp.dir, 'random.pkpass');
    const background = join(tmp.dir, 'background.png');
    await writeFile(pkpass, randomBytes(9 * 1024 * 1024 + 12_345));
    await writeFile(background, randomBytes(5 * 1024 * 1024 + 1));
    let hashedOnTheWay: Array<{ field: string; sha256: string; size: number }> = [];
    const result = await client().updatePassWithImport(pkpass, [{ fieldName: 'background', path: background }], { recipients: { recipient: [{ id: '7' }] } }, {
      onFilesSent: (files) => (hashedOnTheWay = files.map(({ field, sha256: hash, size }) => ({ field, sha256: hash, size }))),
    });
    assert.match(result.requestId, /^\d{19}$/);
    const recorded = emulator.requests.at(-1);
    const expected = [
      { field: 'pkPass', sha256: await sha256(pkpass), size: (await stat(pkpass)).size },
      { field: 'background', sha256: await sha256(background), size: (await stat(background)).size },
    ];
    assert.deepEqual(recorded?.parts.slice(0, 2).map((p) => ({ field: p.name, sha256: p.sha256, size: p.size })), expected);
    assert.deepEqual(hashedOnTheWay, expected);
  });
});

describe('authentication', () => {
  test('claims token: one login, reused, sent in both default headers', async () => {
    const c = client({ authMode: 'token' });
    await c.healthCheck();
    await c.healthCheck();
    const logins = emulator.requests.filter((r) => r.path === '/authService/accounts/login');
    assert.equal(logins.length, 1);
    const api = emulator.requests.filter((r) => r.path === '/vpns/api/v1/healthcheck/json');
    assert.equal(api.length, 2);
    for (const r of api) {
      assert.equal(r.auth.scheme, 'token');
      assert.ok('x-voltmx-authorization' in r.headers && 'x-kony-authorization' in r.headers);
      assert.equal(r.headers.authorization, undefined);
    }
  });

  test('claims token is renewed before exp', async () => {
    let now = Date.now();
    const c = client({ authMode: 'token' }, 'sandbox', { now: () => now });
    await c.healthCheck();
    now += 2 * 60 * 60 * 1000; // past the emulator's one-hour token
    await c.healthCheck();
    assert.equal(emulator.requests.filter((r) => r.path === '/authService/accounts/login').length, 2);
  });

  test('a 401 with a token triggers exactly one fresh login and one retry', async () => {
    const c = client({ authMode: 'token' });
    await c.healthCheck();
    emulator.injectFault({ path: '/api/v1/healthcheck/json', status: 401, times: 1 });
    await c.healthCheck();
    assert.equal(emulator.requests.filter((r) => r.path === '/authService/accounts/login').length, 2);
    emulator.injectFault({ path: '/api/v1/healthcheck/json', status: 401, times: 5 });
    const error = await appErrorOf(c.healthCheck());
    assert.equal(error.code, 'auth-rejected');
    assert.equal(emulator.requests.filter((r) => r.path === '/authService/accounts/login').length, 3);
  });

  test('a configured token header name is the one sent', async () => {
    await client({ authMode: 'token', tokenHeaders: ['X-HCL-Authorization'] }).healthCheck();
    const api = emulator.requests.find((r) => r.path === '/vpns/api/v1/healthcheck/json');
    assert.equal(api?.auth.headerName?.toLowerCase(), 'x-hcl-authorization');
  });

  test('wrong login password: auth-rejected with the Foundry message', async () => {
    const error = await appErrorOf(client({ authMode: 'token' }, 'nope').healthCheck());
    assert.equal(error.code, 'auth-rejected');
    assert.match(error.message, /Invalid User Credentials/);
    assert.ok(!error.message.includes('nope'));
  });

  test('App API key accepted; a wrong key is refused', async () => {
    await client({ authMode: 'apikey' }, SANDBOX_API_KEY).healthCheck();
    assert.equal(emulator.requests.at(-1)?.auth.scheme, 'apikey');
    assert.equal((await appErrorOf(client({ authMode: 'apikey' }, 'wrong-key').healthCheck())).code, 'auth-rejected');
  });

  test('Basic with a wrong password: auth-rejected 401', async () => {
    const error = await appErrorOf(client({}, 'bad').healthCheck());
    assert.equal(error.code, 'auth-rejected');
    assert.equal(error.httpStatus, 401);
  });

  test('a secret changed in the keychain is the one the next request carries (Basic and App API key)', async () => {
    let password = 'bad';
    const basic = new EngagementClient(profile(), async () => password);
    let key = 'wrong-key';
    const apiKey = new EngagementClient(profile({ authMode: 'apikey' }), async () => key);
    clients.push(basic, apiKey);
    assert.equal((await appErrorOf(basic.healthCheck())).code, 'auth-rejected');
    assert.equal((await appErrorOf(apiKey.healthCheck())).code, 'auth-rejected');
    password = 'sandbox';
    key = SANDBOX_API_KEY;
    await basic.healthCheck();
    await apiKey.healthCheck();
    password = 'bad-again';
    assert.equal((await appErrorOf(basic.healthCheck())).code, 'auth-rejected');
  });

  test('no stored secret: auth-missing, and nothing is sent', async () => {
    const error = await appErrorOf(client({}, null).uploadMpnsCertificate('app', certPath, 'correct horse'));
    assert.equal(error.code, 'auth-missing');
    assert.equal(emulator.requests.length, 0);
  });
});

describe('failures', () => {
  test('5xx: server-error with the server message', async () => {
    emulator.injectFault({ path: '/api/v1/message/pass/import/update', status: 500, body: '{"id":"-1","message":"Queue unavailable"}' });
    const pkpass = join(tmp.dir, 'p.pkpass');
    await writeFile(pkpass, 'x');
    const error = await appErrorOf(client().updatePassWithImport(pkpass, [], { recipients: { recipient: [{ id: '1' }] } }));
    assert.equal(error.code, 'server-error');
    assert.equal(error.httpStatus, 500);
    assert.match(error.message, /Queue unavailable/);
    assert.equal(error.retryable, true);
  });

  test('connection refused: network', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const error = await appErrorOf(client({ baseUrl: `http://127.0.0.1:${port}` }).healthCheck());
    assert.equal(error.code, 'network');
    assert.equal(error.detail, 'ECONNREFUSED');
  });

  test('no answer in time: timeout', async () => {
    emulator.injectFault({ path: '/api/v1/healthcheck/json', latencyMs: 2000 });
    const error = await appErrorOf(client({}, 'sandbox', { headersTimeoutMs: 200 }).healthCheck());
    assert.equal(error.code, 'timeout');
  });

  test('cancelling an upload in flight: cancelled', async () => {
    const big = join(tmp.dir, 'big.pkpass');
    await writeFile(big, Buffer.alloc(8 * 1024 * 1024));
    const controller = new AbortController();
    const pending = client().updatePassWithImport(big, [], { recipients: { recipient: [{ id: '1' }] } }, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.transferred > 1024 * 1024) controller.abort();
      },
    });
    assert.equal((await appErrorOf(pending)).code, 'cancelled');
  });

  test('one signal shared by many sends (a batch): a cancel ends every send in flight, and only those', async () => {
    const pkpass = join(tmp.dir, 'shared-signal.pkpass');
    await writeFile(pkpass, Buffer.alloc(2000, 1));
    const controller = new AbortController();
    const c = client();
    const send = (id: string) => c.updatePassWithImport(pkpass, [], { recipients: { recipient: [{ id }] } }, { signal: controller.signal });
    const before = await Promise.all(['1', '2', '3'].map(send));
    assert.ok(before.every((r) => /^\d+$/.test(r.requestId)), 'sends answered before the cancel are untouched');
    emulator.injectFault({ path: '/api/v1/message/pass/import/update', latencyMs: 30_000, times: 4 });
    const started = performance.now();
    const seen = emulator.requests.length;
    const held = ['4', '5', '6', '7'].map((id) => appErrorOf(send(id)));
    while (emulator.requests.length < seen + 4) await new Promise((r) => setTimeout(r, 10)); // all four at the server
    controller.abort();
    const errors = await Promise.all(held);
    assert.deepEqual(errors.map((e) => e.code), ['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    assert.ok(performance.now() - started < 10_000, 'the held sends ended at the cancel, not at the server');
    emulator.clearFaults();
    assert.match((await c.updatePassWithImport(pkpass, [], { recipients: { recipient: [{ id: '8' }] } }, { signal: new AbortController().signal })).requestId, /^\d+$/);
  });

  test('redirects: credentials never follow a GET to another origin; a redirected POST is refused', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const other = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"id":"-1","message":"other origin"}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherPort = (other.address() as AddressInfo).port;
    const redirector = createServer((req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${otherPort}${req.url ?? '/'}` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    const port = (redirector.address() as AddressInfo).port;
    try {
      const c = client({ baseUrl: `http://127.0.0.1:${port}`, authMode: 'apikey' }, 'super-secret-key');
      const error = await appErrorOf(c.downloadMpnsCertificate('a', join(tmp.dir, 'r.p12')));
      assert.equal(error.code, 'bad-request');
      assert.equal(seen.length, 1);
      assert.ok(!JSON.stringify(seen[0]).includes('super-secret-key'));
      const pkpass = join(tmp.dir, 'r.pkpass');
      await writeFile(pkpass, 'x');
      const postError = await appErrorOf(c.updatePassWithImport(pkpass, [], { recipients: { recipient: [{ id: '1' }] } }));
      assert.equal(postError.code, 'unexpected-response');
      assert.match(postError.message, /redirect/);
      assert.equal(seen.length, 1);
    } finally {
      redirector.close();
      other.close();
    }
  });
});
