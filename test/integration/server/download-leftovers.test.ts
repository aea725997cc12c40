// A download ended by a signal leaves nothing behind for long (issue #18 point 7). The built CLI (as a
// real child process, against the emulator throttled so the body takes many seconds) is stopped mid-body: SIGTERM
// makes it cancel and delete its temp as Ctrl-C does; SIGKILL cannot be caught, so its temp stays until the next
// start of the CLI (or the app) sweeps it by the note the download left in the data folder.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Profile } from '../../../preload/contract';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { isAtomicTempName, tempWriterPid } from '../../../main/platform/atomic-file';
import { EngagementClient } from '../../../main/server/engagement-client';
import { makeP12 } from '../../support/fixtures';
import { cliCommand, REPO_ROOT } from '../../support/cli';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const DOWNLOAD = '/api/v1/applications/downloadwindowscert';

let emulator: Emulator;
let tmp: TempDir;
let home: string;

function startCli(args: string[], stdin = '') {
  // The built CLI through its shebang, as users run it: under `--import tsx` the loader's own signal relay decides
  // how a SIGTERM ends the process, which is not what an installed engagement-desk does.
  const child = spawn(...cliCommand(args), {
    cwd: REPO_ROOT,
    env: { ...process.env, ENGAGEMENT_DESK_HOME: home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(stdin);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exited };
}

/** Resolves with the folder's names once it holds any (the download has opened its temp file). */
async function firstNames(folder: string, deadline = Date.now() + 60_000): Promise<string[]> {
  for (;;) {
    const names = await readdir(folder).catch(() => [] as string[]);
    if (names.length > 0) return names;
    if (Date.now() > deadline) assert.fail(`nothing appeared in ${folder}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

before(async () => {
  tmp = await makeTempDir('download-leftovers');
  home = join(tmp.dir, 'home');
  await mkdir(home);
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator') });
  const certPath = join(tmp.dir, 'push.p12');
  await rename((await makeP12(tmp.dir, { passphrase: 'pw' })).path, certPath);
  const profile: Profile = { id: 'p1', name: 'Test', baseUrl: emulator.url, authMode: 'basic', username: 'sandbox', tokenHeaders: [] };
  const client = new EngagementClient(profile, async () => 'sandbox');
  await client.uploadMpnsCertificate('DL-App', certPath, 'pw');
  await client.close();
  const added = await startCli(['profile', 'add', 'Emulator', '--url', emulator.url, '--auth', 'basic', '--user', 'sandbox', '--password-stdin'], 'sandbox').exited;
  assert.equal(added.code, 0, added.stderr);
});

after(async () => {
  await emulator.close();
  await tmp.remove();
});

describe('a download stopped by a signal (issue #18 point 7)', () => {
  // Windows has no SIGTERM: kill() ends the process at once, as SIGKILL does (the next test covers that case).
  const noSigterm = process.platform === 'win32' ? 'Windows ends a process at once on kill(): the SIGKILL case' : false;
  test('SIGTERM: the CLI cancels and deletes its temp, as on Ctrl-C', { skip: noSigterm }, async () => {
    const folder = join(tmp.dir, 'terminated');
    await mkdir(folder);
    emulator.injectFault({ path: DOWNLOAD, bytesPerSecond: 100 });
    const run = startCli(['cert', 'download', '--profile', 'Emulator', '--app', 'DL-App', '--out', folder]);
    const [name] = await firstNames(folder);
    assert.ok(name && isAtomicTempName(name), `unexpected ${name}`);
    run.child.kill('SIGTERM');
    const result = await run.exited;
    emulator.clearFaults();
    assert.equal(result.signal, null, 'the CLI handled the signal itself');
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Download cancelled\. Nothing was saved\./);
    assert.deepEqual(await readdir(folder), []);
    assert.deepEqual(await readdir(join(home, 'downloads-in-progress')), [], 'its note was cleared');
  });

  test('SIGKILL: the temp stays until the next start of the CLI sweeps it', async () => {
    const folder = join(tmp.dir, 'killed');
    await mkdir(folder);
    emulator.injectFault({ path: DOWNLOAD, bytesPerSecond: 100 });
    const run = startCli(['cert', 'download', '--profile', 'Emulator', '--app', 'DL-App', '--out', folder]);
    const [name] = await firstNames(folder);
    assert.equal(tempWriterPid(name ?? ''), run.child.pid);
    run.child.kill('SIGKILL');
    assert.equal((await run.exited).signal, 'SIGKILL');
    emulator.clearFaults();
    assert.deepEqual(await readdir(folder), [name], 'a killed process cannot clean up');
    assert.equal((await readdir(join(home, 'downloads-in-progress'))).length, 1, 'the download left its note');

    // A temp of a live process in the same folder (this test's) is left alone.
    const live = `.other.p12.${process.pid}-0123456789ab.tmp`;
    await writeFile(join(folder, live), 'live');

    const next = await startCli(['profile', 'list']).exited;
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(await readdir(folder), [live]);
    assert.deepEqual(await readdir(join(home, 'downloads-in-progress')), []);
  });
});
