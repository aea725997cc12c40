// The certificate download's temp file is the platform's kind (atomicTempName): a download killed mid-body leaves a
// temp that the stale-temp sweep (removeStaleTemps) recognises and removes, while a live download's temp is left
// alone. The dead process is a real one: a child process downloading from the emulator, killed with SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppError, Profile } from '../../../preload/contract';
import { EngagementError } from '../../../main/core/errors';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { isAtomicTempName, removeStaleTemps, tempWriterPid } from '../../../main/platform/atomic-file';
import { EngagementClient } from '../../../main/server/engagement-client';
import { makeP12 } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const CLIENT_MODULE = new URL('../../../main/server/engagement-client.ts', import.meta.url).pathname;
const DOWNLOAD = '/api/v1/applications/downloadwindowscert';

let emulator: Emulator;
let tmp: TempDir;

function profile(): Profile {
  return { id: 'p1', name: 'Test', baseUrl: emulator.url, authMode: 'basic', username: 'sandbox', tokenHeaders: [] };
}

/** Resolves with the folder's names once it holds any (the download has opened its temp file). */
async function firstNames(folder: string, deadline = Date.now() + 30_000): Promise<string[]> {
  for (;;) {
    const names = await readdir(folder);
    if (names.length > 0) return names;
    if (Date.now() > deadline) assert.fail(`no temp file appeared in ${folder}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

before(async () => {
  tmp = await makeTempDir('download-temp');
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator') });
  const certPath = join(tmp.dir, 'push cert.p12');
  await rename((await makeP12(tmp.dir, { passphrase: 'correct horse' })).path, certPath);
  const client = new EngagementClient(profile(), async () => 'sandbox');
  await client.uploadMpnsCertificate('DL-App', certPath, 'correct horse');
  await client.close();
});

after(async () => {
  await emulator.close();
  await tmp.remove();
});

describe('download temp files and the stale-temp sweep', () => {
  test('a download killed mid-body leaves a temp the sweep recognises by its dead writer and removes', async () => {
    const folder = join(tmp.dir, 'killed');
    await mkdir(folder);
    // Throttled to 200 B/s, the body takes many seconds: the kill lands while it streams into the temp file.
    emulator.injectFault({ path: DOWNLOAD, bytesPerSecond: 200 });
    const script = `
      const { EngagementClient } = await import(${JSON.stringify(CLIENT_MODULE)});
      const client = new EngagementClient(JSON.parse(process.argv[1]), async () => 'sandbox');
      await client.downloadMpnsCertificate('DL-App', process.argv[2]);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify(profile()), folder], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = once(child, 'exit');
    try {
      const [name] = await firstNames(folder);
      assert.ok(name !== undefined && name.startsWith('.push cert.p12.'), `unexpected temp name ${name}`);
      assert.ok(isAtomicTempName(name), `${name} is not an atomic-file temp name`);
      assert.equal(tempWriterPid(name), child.pid);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    // Just written, so only its writer's pid can tell the sweep that it is an orphan.
    assert.equal(await removeStaleTemps(folder), 1);
    assert.deepEqual(await readdir(folder), []);
  });

  test("a live download's temp is left alone by the sweep; the download still ends cleanly", async () => {
    const folder = join(tmp.dir, 'live');
    await mkdir(folder);
    emulator.injectFault({ path: DOWNLOAD, bytesPerSecond: 200 });
    const client = new EngagementClient(profile(), async () => 'sandbox');
    const controller = new AbortController();
    const pending = client.downloadMpnsCertificate('DL-App', join(folder, 'x.p12'), { signal: controller.signal });
    const settled = pending.then(
      () => undefined,
      (error: unknown) => error,
    );
    try {
      const [name] = await firstNames(folder);
      assert.equal(tempWriterPid(name ?? ''), process.pid);
      assert.equal(await removeStaleTemps(folder), 0);
      assert.deepEqual(await readdir(folder), [name]);
    } finally {
      controller.abort();
      const error = await settled;
      await client.close();
      assert.ok(error instanceof EngagementError);
      assert.equal((error.appError as AppError).code, 'cancelled');
    }
    assert.deepEqual(await readdir(folder), []);
  });
});
