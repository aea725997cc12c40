// The composition root as Electron runs it: the built main bundle (out/main/index.js, so `npm run build` first) is
// started in plain Node against a stand-in `electron` module (test/support/electron-stand-in.ts) that records what
// the shell asks and hands back what it registered. Services, stores, keychain and IPC handlers are the real ones.
// Also runs in the Windows lane, so the shell's Windows paths run there too.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { register } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { channels, type Result } from '../../../preload/contract';
import { createKeychain } from '../../../main/platform/keychain';
import { secretAccount } from '../../../main/profiles/profile-service';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, SECURE_WEB_PREFERENCES } from '../../../main/window-policy';
import { REPO_ROOT } from '../../support/cli';
import { app, emitReady, resetShell, shellRecord, type ShellRecord } from '../../support/electron-stand-in';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

register(pathToFileURL(join(REPO_ROOT, 'test/support/electron-stand-in-hooks.mjs')));

const MAIN_BUNDLE = join(REPO_ROOT, 'out/main/index.js');
const OUR_FRAME = { senderFrame: { url: APP_ENTRY_URL, parent: null } };
/** main/index.ts's SHUTDOWN_GRACE_MS: how long quit may wait for the services. */
const SHUTDOWN_GRACE_MS = 3000;

let tmp: TempDir;
let boots = 0;

/** Starts the bundle once more (a fresh module instance) with its data in `dataDir`, then fires 'ready'. */
async function boot(dataDir: string): Promise<ShellRecord> {
  resetShell();
  process.env.ENGAGEMENT_DESK_HOME = dataDir;
  boots += 1;
  await import(`${pathToFileURL(MAIN_BUNDLE).href}?boot=${boots}`);
  const record = shellRecord();
  emitReady();
  // Started once the window exists (it is the last step of start-up).
  for (let i = 0; i < 500 && record.windows.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(record.windows.length, 1, `no window was opened; the shell asked: ${record.calls.map((c) => c.api).join(', ')}`);
  return record;
}

async function invoke<T>(record: ShellRecord, channel: string, payload: unknown): Promise<Result<T>> {
  const [handler] = record.ipcHandlers.get(channel) ?? [];
  assert.ok(handler, `${channel} has no handler`);
  return (await (handler as (event: unknown, payload: unknown) => Promise<Result<T>>)(OUR_FRAME, payload)) as Result<T>;
}

/** Electron's will-quit: returns whether the listener held the quit (preventDefault). */
function willQuit(): boolean {
  let held = false;
  const event = { preventDefault: () => (held = true) };
  for (const listener of (app.listeners('will-quit') as Array<(e: typeof event) => void>)) listener(event);
  return held;
}

before(async () => {
  assert.ok(existsSync(MAIN_BUNDLE), 'run npm run build first: the test starts out/main/index.js');
  tmp = await makeTempDir('shell');
});
after(async () => {
  delete process.env.ENGAGEMENT_DESK_HOME;
  await tmp.remove();
});

describe('the main bundle against a stand-in Electron', { timeout: 60_000 }, () => {
  let record: ShellRecord;
  let stalled: Server;
  let stalledUrl: string;
  const dataDir = () => join(tmp.dir, 'data');

  before(async () => {
    // A server that accepts a request and never answers: a transfer in flight when the user quits.
    stalled = createServer(() => undefined);
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    stalledUrl = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/vpns`;
    record = await boot(dataDir());
  });
  after(async () => {
    stalled.closeAllConnections();
    await new Promise((resolve) => stalled.close(resolve));
  });

  test('start-up: name and data folder, sandbox, app:// before ready, one instance', () => {
    const before = record.calls.slice(0, record.calls.findIndex((c) => c.api === 'app.whenReady'));
    assert.deepEqual(
      before.map((c) => [c.api, ...c.args]),
      [
        ['app.setName', 'Engagement Desk'],
        ['app.setPath', 'userData', dataDir()],
        ['app.enableSandbox'],
        ['protocol.registerSchemesAsPrivileged', [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }], { beforeReady: true }],
        ['app.requestSingleInstanceLock'],
      ],
    );
  });

  test('every contract channel is connected exactly once, and nothing else under eng:', () => {
    const expected = Object.values(channels).map((c) => c.name).sort();
    const connected = [...record.ipcHandlers.entries()].filter(([name]) => name.startsWith('eng:'));
    assert.deepEqual(connected.map(([name]) => name).sort(), expected);
    assert.deepEqual(connected.filter(([, handlers]) => handlers.length !== 1).map(([name]) => name), []);
    assert.deepEqual(record.ipcListeners.get('eng:paths:grant-dropped-file')?.length, 1);
  });

  test('the window: pinned security settings, a preload that exists in the build, the app:// entry page', () => {
    const [window] = record.windows;
    const prefs = window?.options.webPreferences as Record<string, unknown>;
    const { preload, devTools, ...rest } = prefs;
    assert.deepEqual(rest, { ...SECURE_WEB_PREFERENCES });
    assert.equal(devTools, false, 'a packaged app has no DevTools');
    assert.equal(preload, join(REPO_ROOT, 'out', 'preload', 'index.cjs'));
    assert.ok(existsSync(preload as string), `${String(preload)} is in the build`);
    assert.equal(window?.options.show, false);
    assert.equal(window?.loadedUrl, APP_ENTRY_URL);
  });

  test('permissions are refused and the menu is set', async () => {
    const handler = record.permissionRequestHandler;
    assert.ok(handler, 'the default session has a permission handler');
    const granted = await new Promise<boolean>((resolve) => handler({}, 'media', resolve));
    assert.equal(granted, false);
    assert.ok(record.calls.some((c) => c.api === 'Menu.setApplicationMenu' && c.args[0] === true));
  });

  test('app:// serves the built renderer with the CSP, and nothing outside it', async () => {
    const handler = record.protocolHandlers.get('app');
    assert.ok(handler);
    const page = await handler(new Request(APP_ENTRY_URL));
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    const html = await page.text();
    assert.equal(html, await readFile(join(REPO_ROOT, 'out/renderer/index.html'), 'utf8'));
    const script = /src="([^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, 'the page loads a script');
    const served = await handler(new Request(new URL(script, APP_ENTRY_URL)));
    const onDisk = await readFile(join(REPO_ROOT, 'out/renderer', new URL(script, APP_ENTRY_URL).pathname));
    assert.equal(createHash('sha256').update(Buffer.from(await served.arrayBuffer())).digest('hex'), createHash('sha256').update(onDisk).digest('hex'));
    assert.equal((await handler(new Request('app://engagement-desk/%2e%2e/%2e%2e/package.json'))).status, 404);
  });

  test('quit holds until the transfer in flight is cancelled and the services are closed, within the grace time', async () => {
    const saved = await invoke<{ id: string }>(record, channels.profileSave.name, {
      profile: { name: 'Stalled', baseUrl: stalledUrl, authMode: 'basic', username: 'ops' },
      secret: 'Shell-Secret-1',
    });
    assert.ok(saved.ok, JSON.stringify(saved));
    const downloads = join(tmp.dir, 'downloads');
    await mkdir(downloads);
    record.nextSavePath = join(downloads, 'push.p12');
    const chosen = await invoke<{ path?: string }>(record, channels.dialogSaveFile.name, { kind: 'p12', defaultName: 'push.p12' });
    assert.ok(chosen.ok && chosen.value.path, JSON.stringify(chosen));
    const requested = new Promise<void>((resolve) => stalled.once('request', () => resolve()));
    const download = invoke(record, channels.certDownload.name, {
      operationId: 'op-quit',
      profileId: saved.value.id,
      appId: 'app-one',
      destination: chosen.value.path,
    });
    await requested;

    const quitsBefore = record.calls.filter((c) => c.api === 'app.quit').length;
    assert.equal(willQuit(), true, 'the first will-quit is held');
    const result = await download;
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'cancelled');
    // The quit is asked again once the services have closed (or the grace time has passed).
    const deadline = Date.now() + SHUTDOWN_GRACE_MS + 2000;
    while (record.calls.filter((c) => c.api === 'app.quit').length === quitsBefore && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(record.calls.filter((c) => c.api === 'app.quit').length, quitsBefore + 1, 'app.quit is called again');
    assert.equal(willQuit(), false, 'the second will-quit goes through');
    assert.deepEqual((await readdir(downloads)).filter((n) => !n.startsWith('.')), [], 'nothing saved');
    // The keychain is the real one (the Credential Manager in the Windows lane): leave nothing in it.
    await createKeychain().delete(secretAccount(saved.value.id));
  });
});

describe('a damaged config.json', { timeout: 60_000 }, () => {
  test('is set aside, reported in a dialog, and the app starts with defaults', async () => {
    const dataDir = join(tmp.dir, 'damaged');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'config.json'), '{"profiles": [ {"id": "a"');
    const record = await boot(dataDir);
    const notices = record.calls.filter((c) => c.api === 'dialog.showMessageBox');
    assert.equal(notices.length, 1);
    const notice = notices[0]?.args[0] as { type: string; message: string; detail: string };
    assert.equal(notice.type, 'warning');
    assert.equal(notice.message, 'The settings file could not be read');
    const copies = (await readdir(dataDir)).filter((n) => n.startsWith('config.json.damaged-'));
    assert.equal(copies.length, 1);
    assert.match(notice.detail, /^The settings file .*config\.json could not be read/);
    assert.ok(notice.detail.includes(join(dataDir, copies[0] ?? '')), notice.detail);
    assert.equal(await readFile(join(dataDir, copies[0] ?? ''), 'utf8'), '{"profiles": [ {"id": "a"');
    assert.equal(willQuit(), true);
  });
});
