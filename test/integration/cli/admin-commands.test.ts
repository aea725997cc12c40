// The administrator's commands of issue #17, run as the built CLI against the emulator over loopback with the real
// keychain: apps, WNS, certificate expiry and removal with its backup, issuing a pass and following its status.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { MPNS_RETIRED_NOTE } from '../../../main/cli/admin-commands';
import { cliCommand, REPO_ROOT, runCliProcess } from '../../support/cli';
import { makeP12, makePkpass, samplePassContent } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

const PASSWORD = 'Admin-Cli-Secret-41c';
const USER = 'admin-ops';
const WNS_SECRET = 'wns-Client-Secret-88q';
const SID = 'ms-app://s-1-15-2-2972962901-2322836549-3722629029-1345238579-3987825745-2155616079-650196962';

let emulator: Emulator;
let tmp: { dir: string; remove(): Promise<void> };
let home: string;

const cli = (args: string[], stdin?: string) => runCliProcess(args, { home, ...(stdin !== undefined ? { stdin } : {}) });
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

async function filesUnder(dir: string): Promise<string> {
  let text = '';
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) text += await readFile(path, 'latin1');
  }
  return text;
}

before(async () => {
  tmp = await makeTempDir('cli-admin');
  home = join(tmp.dir, 'home');
  await mkdir(home);
  // Channel statuses advance every 100 ms, so a watch sees them settle within its first looks.
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), users: [{ username: USER, password: PASSWORD }], contextRoot: '/vpns', seedAppCount: 130, passStatusStepMs: 100 });
  const added = await cli(['profile', 'add', 'adm', '--url', emulator.url, '--auth', 'basic', '--user', USER, '--password-stdin'], PASSWORD);
  assert.equal(added.code, 0, added.stderr);
});

after(async () => {
  await emulator.close();
  await tmp.remove();
});

describe('administration commands', () => {
  test('apps list reads every page; --search filters; apps show names an unknown app', async () => {
    const all = await cli(['apps', 'list', '--profile', 'adm', '--json']);
    assert.equal(all.code, 0, all.stderr);
    const apps = all.json().apps as Array<{ id: string; name: string; mpns: { stored: boolean }; wns: { set: boolean } }>;
    assert.equal(apps.length, 130);
    assert.equal(apps[0]?.id, 'AppForAll1');
    assert.deepEqual(apps[0]?.wns, { set: false });

    const some = await cli(['apps', 'list', '--profile', 'adm', '--search', 'BOARDING']);
    assert.equal(some.code, 0, some.stderr);
    assert.match(some.stdout, /^ID\s+NAME\s+MPNS CERTIFICATE\s+WNS\n/);
    assert.ok(some.stdout.trim().split('\n').slice(1).every((line) => /BoardingPasses/.test(line)), some.stdout);

    const unknown = await cli(['apps', 'show', 'NoSuchApp', '--profile', 'adm', '--json']);
    assert.equal(unknown.code, 4);
    assert.match(String((unknown.json().error as { message: string }).message), /Invalid AppId: no application "NoSuchApp"/);
  });

  test('wns set takes the secret from stdin only and keeps it out of every file; a malformed SID is refused before sending', async () => {
    const requestsBefore = emulator.requests.length;
    const bad = await cli(['wns', 'set', '--profile', 'adm', '--app', 'AppForAll1', '--package-sid', 's-1-15-2-1-2-3-4-5-6-7', '--client-secret-stdin', '--json'], WNS_SECRET);
    assert.equal(bad.code, 2);
    assert.match(String((bad.json().error as { message: string }).message), /not one.*needs the ms-app:\/\/ prefix.*Nothing was sent/);
    assert.equal(emulator.requests.length, requestsBefore, 'nothing reached the server');

    const empty = await cli(['wns', 'set', '--profile', 'adm', '--app', 'AppForAll1', '--package-sid', SID, '--client-secret-stdin'], '\n');
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /client secret is empty/);

    const set = await cli(['wns', 'set', '--profile', 'adm', '--app', 'AppForAll1', '--package-sid', SID, '--client-secret-stdin', '--json'], `${WNS_SECRET}\n`);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(set.json(), { ok: true, message: 'Details updated successfully' });
    assert.ok(!(set.stdout + set.stderr).includes(WNS_SECRET));
    assert.ok(!(await filesUnder(home)).includes(WNS_SECRET), 'the secret is in no file of the data folder (history included)');
    const history = await cli(['history', '--kind', 'wns-credentials', '--json']);
    const lines = history.json().records as Array<{ kind: string; endpoint: string; appId: string; status: string }>;
    assert.deepEqual(lines.map((l) => [l.kind, l.appId, l.status]), [['wns-credentials', 'AppForAll1', 'sent']], 'one line of its own kind');
    assert.match(lines[0]?.endpoint ?? '', /WNS/);
    const badKind = await cli(['history', '--kind', 'wns']);
    assert.equal(badKind.code, 2);
    assert.match(badKind.stderr, /--kind must be one of cert-upload, pass-update, wns-credentials, cert-remove \(got "wns"\)/);

    const tested = await cli(['wns', 'test', '--profile', 'adm', '--app', 'AppForAll1', '--json']);
    assert.deepEqual(tested.json(), { ok: true, message: 'Windows8 cloud credentials are valid.' });
    const shown = await cli(['apps', 'show', 'AppForAll1', '--profile', 'adm', '--json']);
    assert.deepEqual((shown.json().app as { wns: unknown }).wns, { set: true, packageSid: SID });
  });

  test('wns set for an app the server does not have: its refusal inside a 200 is told with what to do, exit 4, failed in the history', async () => {
    const run = await cli(['wns', 'set', '--profile', 'adm', '--app', 'NoSuchWnsApp', '--package-sid', SID, '--client-secret-stdin', '--json'], `${WNS_SECRET}\n`);
    assert.equal(run.code, 4, run.stdout + run.stderr);
    assert.deepEqual(run.json().error, {
      code: 'bad-request',
      message:
        "The server did not accept the request: Invalid VoltMX AppId or Application is not published with given AppId. Check the app ID against the server's application list, and that the application is published in the Engagement console.",
      httpStatus: 200,
    });
    const human = await cli(['wns', 'set', '--profile', 'adm', '--app', 'NoSuchWnsApp', '--package-sid', SID, '--client-secret-stdin'], `${WNS_SECRET}\n`);
    assert.match(human.stderr, /^Error: The server did not accept the request: Invalid VoltMX AppId/m);
    assert.doesNotMatch(human.stdout, /updated/i);
    const history = (await cli(['history', '--json'])).json().records as Array<{ status: string; serverMessage?: string }>;
    assert.equal(history[0]?.status, 'failed');
    assert.match(String(history[0]?.serverMessage), /Invalid VoltMX AppId/);
  });

  test('cert remove downloads its backup first, asks for --yes without a terminal, and clears the app', async () => {
    const p12 = join(tmp.dir, 'mpns.p12');
    await rename((await makeP12(tmp.dir, { passphrase: 'pw', days: 20 })).path, p12);
    const up = await cli(['cert', 'upload', '--profile', 'adm', '--app', 'AppForAll1', '--cert', p12, '--passphrase-stdin', '--json'], 'pw');
    assert.equal(up.code, 0, up.stderr);
    assert.ok(up.stderr.includes(MPNS_RETIRED_NOTE), 'the MPNS note is on stderr');
    assert.ok(!up.stdout.includes('MPNS has been') && !up.stdout.includes('retired'), '--json stdout holds only the object');

    const help = await cli(['cert', 'upload', '--help']);
    assert.ok(help.stdout.includes('WNS'), help.stdout);

    const noChoice = await cli(['cert', 'remove', '--profile', 'adm', '--app', 'AppForAll1', '--yes']);
    assert.equal(noChoice.code, 2);
    assert.match(noChoice.stderr, /--backup PATH .* or --no-backup/);
    const noTerminal = await cli(['cert', 'remove', '--profile', 'adm', '--app', 'AppForAll1', '--no-backup']);
    assert.equal(noTerminal.code, 2);
    assert.match(noTerminal.stderr, /add --yes .*Nothing was removed/);
    assert.ok(await emulator.storedCertificate('AppForAll1'), 'still stored');

    const backups = join(tmp.dir, 'backups');
    await mkdir(backups);
    const removed = await cli(['cert', 'remove', '--profile', 'adm', '--app', 'AppForAll1', '--backup', backups, '--yes', '--json']);
    assert.equal(removed.code, 0, removed.stderr);
    const body = removed.json() as { message: string; backup: { path: string; sha256: string } };
    assert.equal(body.message, 'Deleted the Windows MPNS certificate successfully');
    assert.equal(body.backup.sha256, await sha256(p12));
    assert.equal(await sha256(body.backup.path), await sha256(p12));
    assert.equal(await emulator.storedCertificate('AppForAll1'), undefined);
    const removals = (await cli(['history', '--kind', 'cert-remove', '--json'])).json().records as Array<{ status: string; appId: string }>;
    assert.deepEqual(removals.map((l) => [l.status, l.appId]), [['sent', 'AppForAll1']], 'the removal has one line of its own kind');

    const again = await cli(['cert', 'remove', '--profile', 'adm', '--app', 'AppForAll1', '--backup', backups, '--yes']);
    assert.equal(again.code, 4, 'no certificate to back up: nothing removed');
    assert.match(again.stderr, /No Windows MPNS certificate is stored/);
  });

  // Windows has no SIGTERM to catch (kill() ends the process at once): the cancel is the same code path as Ctrl-C.
  test('cert remove stopped by a signal while its backup downloads: nothing removed, no backup left', { skip: process.platform === 'win32' ? 'no catchable SIGTERM on Windows' : false }, async () => {
    const p12 = join(tmp.dir, 'slow-mpns.p12');
    await rename((await makeP12(tmp.dir, { passphrase: 'pw' })).path, p12);
    const up = await cli(['cert', 'upload', '--profile', 'adm', '--app', 'AppForAll2', '--cert', p12, '--passphrase-stdin', '--json'], 'pw');
    assert.equal(up.code, 0, up.stderr);
    const folder = join(tmp.dir, 'stopped-backup');
    await mkdir(folder);
    emulator.clearRequests();
    emulator.injectFault({ path: '/api/v1/applications/downloadwindowscert', bytesPerSecond: 100 });
    const [command, argv] = cliCommand(['cert', 'remove', '--profile', 'adm', '--app', 'AppForAll2', '--backup', folder, '--yes']);
    const child = spawn(command, argv, { cwd: REPO_ROOT, env: { ...process.env, ENGAGEMENT_DESK_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // The backup's temp file is there: its body is coming, slowly.
    while ((await readdir(folder)).length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGTERM');
    const code = await exited;
    emulator.clearFaults();
    assert.notEqual(code, 0);
    assert.match(stderr, /Download cancelled\. Nothing was saved\./);
    assert.deepEqual(await readdir(folder), [], 'no partial backup');
    assert.ok(await emulator.storedCertificate('AppForAll2'), 'still stored');
    assert.equal(emulator.requests.filter((r) => r.path.endsWith('/removewindowscert')).length, 0, 'the removal never went out');
  });

  test('certs expiry --within sorts by urgency and keeps only what is due', async () => {
    const run = await cli(['certs', 'expiry', '--profile', 'adm', '--within', '30', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const certificates = run.json().certificates as Array<{ kind: string; daysLeft: number; appId?: string }>;
    assert.ok(certificates.length >= 1);
    assert.ok(certificates.every((c) => c.daysLeft <= 30 && (c.kind === 'app' || c.kind === 'pass')));
    assert.deepEqual(certificates.map((c) => c.daysLeft), certificates.map((c) => c.daysLeft).sort((a, b) => a - b));
    const bad = await cli(['certs', 'expiry', '--profile', 'adm', '--within', 'soon']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--within takes a whole number of days/);
  });

  test('pass issue queues a new pass; pass status --watch follows it until every channel is final', async () => {
    const pkpass = await makePkpass(tmp.dir);
    const content = join(tmp.dir, 'content.json');
    await writeFile(content, JSON.stringify(samplePassContent()));
    const issued = await cli(['pass', 'issue', '--profile', 'adm', '--pkpass', pkpass.path, '--content', content, '--json']);
    assert.equal(issued.code, 0, issued.stderr + issued.stdout);
    const requestId = String(issued.json().requestId);
    assert.ok(emulator.requests.some((r) => r.path === '/vpns/api/v1/message/pass/import'));

    const watched = await cli(['pass', 'status', requestId, '--profile', 'adm', '--watch', '--json']);
    assert.equal(watched.code, 0, watched.stderr);
    const status = watched.json() as { requestId: string; settled: boolean; passes: Array<{ id: string; channels: Array<{ channel: string; status: string; passStatus: string }> }> };
    assert.equal(status.requestId, requestId);
    assert.equal(status.settled, true);
    assert.ok(status.passes.length >= 1);
    for (const pass of status.passes) {
      assert.match(pass.id, /^\d{19}$/);
      for (const channel of pass.channels) {
        assert.ok(['EMAIL', 'SMS'].includes(channel.channel));
        assert.ok(['delivered', 'opened', 'undelivered', 'rejected'].includes(channel.status), channel.status);
      }
    }

    // The history keeps the last known status: the record carries what the watch read last.
    const shown = await cli(['history', '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    const records = shown.json().records as Array<{ requestId?: string; lastStatus?: { settled: boolean; channels: number; final: number; delivered: number } }>;
    const last = records.find((r) => r.requestId === requestId)?.lastStatus;
    const channels = status.passes.reduce((n, p) => n + p.channels.length, 0);
    const delivered = status.passes.reduce((n, p) => n + p.channels.filter((c) => ['delivered', 'opened'].includes(c.status)).length, 0);
    assert.deepEqual(last && { settled: last.settled, channels: last.channels, final: last.final, delivered: last.delivered }, { settled: true, channels, final: channels, delivered });

    const notNumber = await cli(['pass', 'status', '12ab', '--profile', 'adm']);
    assert.equal(notNumber.code, 2);
    assert.match(notNumber.stderr, /"12ab" is not a number/);
  });

  test('pass issue --batch sends one new pass per recipient', async () => {
    const pkpass = await makePkpass(tmp.dir);
    const content = join(tmp.dir, 'content-batch.json');
    await writeFile(content, JSON.stringify(samplePassContent()));
    const csv = join(tmp.dir, 'ids.csv');
    await writeFile(csv, 'id\n1001\n1002\n1003\n');
    emulator.clearRequests();
    const run = await cli(['pass', 'issue', '--profile', 'adm', '--pkpass', pkpass.path, '--content', content, '--batch', csv, '--json']);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.equal((run.json().results as unknown[]).length, 3);
    assert.equal(emulator.requests.filter((r) => r.path === '/vpns/api/v1/message/pass/import').length, 3);
  });
});
