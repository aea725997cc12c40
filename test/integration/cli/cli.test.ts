// The built CLI as a script or CI pipeline would use it: against the emulator over loopback, with the real OS
// keychain, checking output, exit codes, where secrets end up, and memory on large transfers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { formatBytes } from '../../../main/core/format';
import { runCliProcess } from '../../support/cli';
import { makeP12 } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

const PASSWORD = 'Cli-Only-Secret-7f3a9';
const USER = 'ops-admin';

let emulator: Emulator;
let tmp: { dir: string; remove(): Promise<void> };
let home: string;
let certPath: string;

const cli = (args: string[], stdin?: string, extra: { measureMemory?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runCliProcess(args, { home, ...(stdin !== undefined ? { stdin } : {}), ...extra });

/** Profiles seen in the data folder so far: on Windows their keychain entries are looked up one by one. */
const seenProfileIds = new Set<string>();

/** Every entry the OS keychain holds for `service`, as another process lists it. */
function keychainHas(service: string): string {
  if (process.platform === 'win32') {
    // No secret-tool on Windows, and Wine's Credential Manager does not enumerate by service: a second Node process
    // reads the entry of every profile this test has seen (a removed profile's too) through the keyring binding.
    const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as { profiles?: Array<{ id: string }> };
    for (const profile of config.profiles ?? []) seenProfileIds.add(profile.id);
    const read = `const { Entry } = require('@napi-rs/keyring'); const [service, ...accounts] = process.argv.slice(1);
      process.stdout.write(JSON.stringify(accounts.map((a) => { try { return new Entry(service, a).getPassword(); } catch { return null; } })));`;
    const accounts = [...seenProfileIds].map((id) => `profile:${id}`);
    return execFileSync(process.execPath, ['-e', read, service, ...accounts], { encoding: 'utf8' });
  }
  return execFileSync('secret-tool', ['search', '--all', 'service', service], { encoding: 'utf8' });
}

async function filesUnder(dir: string): Promise<string> {
  let text = '';
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if ((await stat(path)).isFile() && (await stat(path)).size < 10_000_000) text += await readFile(path, 'latin1');
  }
  return text;
}

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

before(async () => {
  tmp = await makeTempDir('cli');
  home = join(tmp.dir, 'home');
  await mkdir(home);
  emulator = await startEmulator({
    dataDir: join(tmp.dir, 'emulator'),
    users: [{ username: USER, password: PASSWORD }],
    contextRoot: '/vpns',
  });
  certPath = join(tmp.dir, 'mpns.p12');
  await rename((await makeP12(tmp.dir, { passphrase: 'p12-pass' })).path, certPath);
});

after(async () => {
  await emulator.close();
  await tmp.remove();
});

describe('engagement-desk CLI', () => {
  test('profile add reads the password from stdin into the keychain, never into a file', async () => {
    const run = await cli(['profile', 'add', 'local', '--url', emulator.url, '--auth', 'basic', '--user', USER, '--password-stdin', '--json'], `${PASSWORD}\n`);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const body = run.json();
    assert.equal(body.ok, true);
    assert.equal((body.profile as { secretStorage: string }).secretStorage, 'keychain');
    assert.match(keychainHas('Engagement Desk'), new RegExp(PASSWORD));
    assert.ok(!(await filesUnder(home)).includes(PASSWORD), 'the password must not be in any file of the data folder');

    const list = await cli(['profile', 'list', '--json']);
    const names = (list.json().profiles as Array<{ name: string }>).map((p) => p.name);
    assert.deepEqual(names, ['Sandbox', 'local']);

    const again = await cli(['profile', 'add', 'local', '--url', emulator.url, '--auth', 'basic', '--user', USER]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists.*--replace/);
  });

  test('cert upload, cert download and pass update, with --json', async () => {
    const up = await cli(['cert', 'upload', '--profile', 'local', '--app', 'App-1', '--cert', certPath, '--passphrase-stdin', '--json'], 'p12-pass\n');
    assert.equal(up.code, 0, up.stderr + up.stdout);
    assert.deepEqual(up.json(), { ok: true, id: 'App-1', message: 'Details updated successfully' });
    const received = emulator.requests.findLast((r) => r.path.endsWith('/windows'));
    assert.equal(received?.parts[0]?.sha256, await sha256(certPath));

    const outDir = join(tmp.dir, 'downloads');
    await mkdir(outDir);
    const down = await cli(['cert', 'download', '--profile', 'local', '--app', 'App-1', '--out', outDir, '--json']);
    assert.equal(down.code, 0, down.stderr);
    const saved = down.json();
    assert.equal(saved.path, join(outDir, 'mpns.p12'));
    assert.equal(saved.sha256, await sha256(certPath));
    assert.equal(await sha256(String(saved.path)), await sha256(certPath));
    // As text: the saved line (printed as soon as the file is in place), then its SHA-256, each once.
    const text = await cli(['cert', 'download', '--profile', 'local', '--app', 'App-1', '--out', outDir]);
    assert.equal(text.code, 0, text.stderr);
    const size = (await stat(certPath)).size;
    assert.deepEqual(text.stdout.trimEnd().split('\n'), [`Saved ${join(outDir, 'mpns (1).p12')} (${formatBytes(size)})`, `SHA-256 ${await sha256(certPath)}`]);

    const pkpass = join(tmp.dir, 'pass.pkpass');
    const logo = join(tmp.dir, 'logo.png');
    const content = join(tmp.dir, 'content.json');
    await writeFile(pkpass, Buffer.alloc(5000, 3));
    await writeFile(logo, Buffer.alloc(100, 4));
    await writeFile(content, JSON.stringify({ recipients: { recipient: [{ id: '48494' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 }));
    const pass = await cli(['pass', 'update', '--profile', 'local', '--pkpass', pkpass, '--content', content, '--image', `logo=${logo}`, '--skip-checks', '--json']);
    assert.equal(pass.code, 0, pass.stderr + pass.stdout);
    assert.match(String(pass.json().requestId), /^\d{19}$/);
    assert.deepEqual(emulator.requests.at(-1)?.parts.map((p) => p.name), ['pkPass', 'logo', 'passContent']);
  });

  test('the Sandbox profile works with no server and no setup', async () => {
    const run = await cli(['cert', 'upload', '--profile', 'Sandbox', '--app', 'try-me', '--cert', certPath, '--passphrase-stdin'], 'p12-pass');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Details updated successfully/);
  });

  test('exit codes: 2 usage/validation, 3 auth, 4 other 4xx, 5 server, 6 network', async () => {
    const usage = await cli(['cert', 'upload', '--profile', 'local']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /required option/);

    const noPassphrase = await cli(['cert', 'upload', '--profile', 'local', '--app', 'A', '--cert', certPath, '--json']);
    assert.equal(noPassphrase.code, 2);
    assert.match(String((noPassphrase.json().error as { message: string }).message), /--passphrase-stdin/);

    const badContent = join(tmp.dir, 'bad.json');
    await writeFile(badContent, '{"recipients": {"recipient": []}');
    const invalid = await cli(['pass', 'update', '--profile', 'local', '--pkpass', certPath, '--content', badContent, '--json']);
    assert.equal(invalid.code, 2);
    assert.equal((invalid.json().error as { code: string }).code, 'validation');

    await cli(['profile', 'add', 'wrong', '--url', emulator.url, '--auth', 'basic', '--user', USER, '--password-stdin'], 'not-the-password');
    const auth = await cli(['cert', 'download', '--profile', 'wrong', '--app', 'App-1', '--out', tmp.dir, '--json']);
    assert.equal(auth.code, 3);
    assert.deepEqual(auth.json().error, {
      code: 'auth-rejected',
      message: (auth.json().error as { message: string }).message,
      httpStatus: 401,
    });

    const notFound = await cli(['cert', 'download', '--profile', 'local', '--app', 'never-uploaded', '--out', tmp.dir, '--json']);
    assert.equal(notFound.code, 4);
    assert.equal((notFound.json().error as { httpStatus: number }).httpStatus, 400);

    await fetch(`${emulator.origin}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/api/v1/applications/downloadwindowscert', status: 503 }),
    });
    const server = await cli(['cert', 'download', '--profile', 'local', '--app', 'App-1', '--out', tmp.dir]);
    assert.equal(server.code, 5);
    assert.match(server.stderr, /503/);

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await cli(['profile', 'add', 'offline', '--url', `http://127.0.0.1:${port}`, '--auth', 'apikey', '--api-key-stdin'], 'k');
    const network = await cli(['cert', 'download', '--profile', 'offline', '--app', 'x', '--out', tmp.dir, '--json']);
    assert.equal(network.code, 6);
    assert.equal((network.json().error as { code: string }).code, 'network');
  });

  // The download leg is refused since issue #18 (a certificate is at most 1 MiB): refused before it is read, in little memory.
  // Peak memory is Node's and undici's, measured here on Linux; 400 MB through Wine's sockets would take minutes.
  const underWine = process.env.ENGAGEMENT_DESK_WINDOWS_LANE === '1' && 'the Windows lane: memory is measured on Linux';
  test('a 200 MB upload streams and a 200 MB download is refused unread, each under 150 MB of peak memory', { timeout: 240_000, skip: underWine }, async () => {
    const big = join(tmp.dir, 'big.p12');
    await writeFile(big, '');
    await truncate(big, 200 * 1024 * 1024);
    // A 200 MB "certificate" cannot be a real PKCS#12, so this emulator skips the passphrase check.
    const lenient = await startEmulator({ dataDir: join(tmp.dir, 'lenient'), verifyCertificatePassphrase: false, users: [{ username: USER, password: PASSWORD }] });
    try {
      await cli(['profile', 'add', 'lenient', '--url', lenient.url, '--auth', 'basic', '--user', USER, '--password-stdin'], PASSWORD);
      const upMem = join(tmp.dir, 'up.rss');
      const up = await cli(['cert', 'upload', '--profile', 'lenient', '--app', 'Big', '--cert', big, '--passphrase-stdin', '--skip-checks', '--json'], 'x', { measureMemory: upMem });
      assert.equal(up.code, 0, up.stderr + up.stdout);
      const downMem = join(tmp.dir, 'down.rss');
      const target = join(tmp.dir, 'big-downloaded.p12');
      const down = await cli(['cert', 'download', '--profile', 'lenient', '--app', 'Big', '--out', target, '--json'], undefined, { measureMemory: downMem });
      assert.equal(down.code, 1, down.stderr + down.stdout);
      assert.match((down.json().error as { message: string }).message, /sent 209715200 bytes for the certificate; a \.p12 certificate file is only a few KB/);
      assert.equal(await stat(target).catch(() => undefined), undefined);
      // The upload must stream: holding the 200 MB file would peak far above 150 MB. It reads the file through two
      // reused 1 MB buffers (issue #19), and peaks near 75 MB on Node 24 (135 to 173 MB before that change).
      const limit = 150 * 1024 * 1024;
      console.log(`peak RSS: upload ${Math.round((up.maxRss ?? 0) / 1048576)} MB, download ${Math.round((down.maxRss ?? 0) / 1048576)} MB`);
      assert.ok((up.maxRss ?? Infinity) < limit, `upload peak RSS ${up.maxRss}`);
      assert.ok((down.maxRss ?? Infinity) < limit, `download peak RSS ${down.maxRss}`);
    } finally {
      await lenient.close();
    }
  });

  test('profile remove deletes the keychain entry', async () => {
    const before = keychainHas('Engagement Desk');
    assert.match(before, /not-the-password/);
    const run = await cli(['profile', 'remove', 'wrong']);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(keychainHas('Engagement Desk'), /not-the-password/);
  });
});

