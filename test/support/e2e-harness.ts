// Browser tests of the real renderer bundle in real Chromium, against the same main-side stack the Electron app
// builds (registry + registerAllIpc + ProfileService over a temp data dir + the OS keychain + the emulator), in
// plain Node. The page reaches it through `window.engagement`, defined by an init script over Playwright bindings
// exactly as preload/api.ts types it. The one fake is Dialogs: native dialogs cannot run here.
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { channels, droppedFileGrant, events as eventNames, type FileKind } from '../../preload/contract';
import type { Dialogs } from '../../main/platform/dialogs';
import { createKeychain, type SecretStore } from '../../main/platform/keychain';
import { OperationRegistry } from '../../main/platform/operations';
import { createPathGrants } from '../../main/platform/path-grants';
import { ProfileService } from '../../main/profiles/profile-service';
import { openAppServices, type AppServices } from '../../main/services';
import { openSettingsStore } from '../../main/platform/settings-store';
import { startEmulator, type Emulator, type EmulatorUser } from '../../main/emulator/server';
import { receiveDroppedFile } from '../../main/ipc/dropped-files';
import { CONTENT_SECURITY_POLICY } from '../../main/window-policy';
import { registerAllIpc } from '../../main/ipc/register-all';
import { buildMenuTemplate } from '../../main/electron/menu';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../preload/contract';
import { createHandlerRegistry, type EventSink } from '../../main/ipc/registry';
import { e2eTempDir, EMULATOR_DIR_NAME, LeakRecorder } from './leak-recorder';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
export const RENDERER_DIR = process.env.ENGAGEMENT_DESK_RENDERER_DIR ?? join(root, 'out/renderer');
export const SCREENSHOT_DIR = join(root, 'test-results/screenshots');
// The app's own header policy, so a CSP violation here is one the packaged app would also have.
const CSP = CONTENT_SECURITY_POLICY;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Native dialogs answered by the test: each call takes the next queued answer (or "cancelled" when none). */
export class TestDialogs implements Dialogs {
  readonly opened: { kind: FileKind; multiple: boolean }[] = [];
  readonly saved: { kind: FileKind; defaultName: string }[] = [];
  readonly shown: string[] = [];
  private readonly openAnswers: string[][] = [];
  private readonly saveAnswers: (string | undefined)[] = [];

  answerOpen(paths: string[]): void {
    this.openAnswers.push(paths);
  }
  answerSave(path: string | undefined): void {
    this.saveAnswers.push(path);
  }
  async openFile(kind: FileKind, multiple: boolean): Promise<string[]> {
    this.opened.push({ kind, multiple });
    return this.openAnswers.shift() ?? [];
  }
  async saveFile(kind: FileKind, defaultName: string): Promise<string | undefined> {
    this.saved.push({ kind, defaultName });
    return this.saveAnswers.shift();
  }
  async showInFolder(path: string): Promise<boolean> {
    this.shown.push(path);
    return true;
  }
}

/** The test emulator's default user; most flows sign in as this admin. */
export const E2E_ADMIN = { username: 'admin', password: 'e2e-Admin-Passw0rd' } as const;
/** The App API key the test emulator accepts. */
export const E2E_API_KEY = 'e2e-App-Api-Key-7f3c9a';

export interface E2eOptions {
  /** Users of the test emulator; default one admin. */
  users?: EmulatorUser[];
  /** App API keys the test emulator accepts; default E2E_API_KEY. */
  apiKeys?: string[];
  /** 'light' or 'dark' (prefers-color-scheme). */
  colorScheme?: 'light' | 'dark';
  /** Run over this data dir (another app's, to see what survives a restart); the caller removes it, and the
   * profiles saved in it are kept. Default: a fresh one removed on close. */
  dataDir?: string;
  /** Start the outbox's automatic sending, as the app does (default off: tests send by hand). */
  outboxLoop?: boolean;
  /** The emulator's time between pass channel status steps (its default 4 s; 0: final at once). */
  passStatusStepMs?: number;
}

export interface E2eApp {
  browser: Browser;
  page: Page;
  emulator: Emulator;
  profiles: ProfileService;
  /** The main-side services (drafts store, outbox, history) the handlers use. */
  services: AppServices;
  keychain: SecretStore;
  dialogs: TestDialogs;
  /** The app's data dir (config.json lives here); secrets must never appear under it. */
  dataDir: string;
  /** Scratch space for fixtures and downloads. */
  workDir: string;
  /** Drops real files on the element with data-testid `testId` through a DataTransfer, as a user's drag would. */
  dropFiles(testId: string, paths: string[]): Promise<void>;
  /** Texts of the app errors currently shown. */
  appErrors(): Promise<string[]>;
  /** Throws with the text of any app error on screen (GitHub Desktop's failIfAppErrorDialogIsVisible). */
  failIfAppErrorVisible(): Promise<void>;
  /** Waits until an app error containing `text` is shown and returns its full text. */
  waitForAppError(text: string | RegExp): Promise<string>;
  dismissAppErrors(): Promise<void>;
  /** Opens a section from the sidebar. */
  navigate(
    section:
      | 'Certificate upload'
      | 'Certificate download'
      | 'Pass update'
      | 'Profiles'
      | 'Drafts'
      | 'Outbox'
      | 'History'
      | 'Applications'
      | 'Certificate expiry'
      | 'Pass status',
  ): Promise<void>;
  /** Chooses a menu item: builds the real menu template (main/electron/menu.ts) for `platform` and clicks the item
   * with this accelerator (or, for an item without one, this label), whose command reaches the page as main's
   * eng:event:menu push would. */
  menu(acceleratorOrLabel: string, platform?: NodeJS.Platform): Promise<void>;
  /** Stops the emulator (the server becomes unreachable: connections are refused). */
  stopEmulator(): Promise<void>;
  /** Starts the emulator again on the same port, with the same users and stored certificates. */
  restartEmulator(): Promise<Emulator>;
  /** Picks a profile in the header selector (reloading first so profiles saved behind the UI's back show up). */
  useProfile(name: string, options?: { reload?: boolean }): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Waits for a condition in the Node process (what the fake dialogs or the emulator saw), not for time. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Closes the emulator, but never waits more than a few seconds: after a resetAfterBytes fault whose request body
 * had fully arrived, the emulator's handler can wait forever on its body stream (limitRequestBody never calls
 * back), its close() then awaits that handler, and node:test reports the suite as failed on an empty event loop.
 */
async function closeEmulator(emulator: Emulator | undefined): Promise<void> {
  if (!emulator) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([emulator.close(), new Promise<void>((done) => (timer = setTimeout(done, 3000)))]);
  clearTimeout(timer);
}

/** Serves out/renderer on 127.0.0.1 (a secure context, like the app:// origin) with the app's CSP. */
async function serveRenderer(): Promise<{ server: Server; origin: string }> {
  if (!existsSync(join(RENDERER_DIR, 'index.html')) || !existsSync(join(RENDERER_DIR, 'assets/app.js'))) {
    throw new Error(`No renderer build in ${RENDERER_DIR}: run \`npm run build\` first.`);
  }
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.map': 'application/json',
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = resolve(RENDERER_DIR, `.${relative}`);
    if (!file.startsWith(RENDERER_DIR + sep)) {
      response.writeHead(403).end();
      return;
    }
    stat(file).then(
      (info) => {
        if (!info.isFile()) throw new Error('not a file');
        response.writeHead(200, {
          'content-type': types[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CSP,
          'cache-control': 'no-store',
        });
        createReadStream(file).pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** Runs in the page before the app: builds window.engagement over the two bindings, one function per channel. */
function installBridge(config: { names: Record<string, string>; apiGlobal: string; droppedFileGrant: string }) {
  type Listener = (payload: unknown) => void;
  // Runs in the page: the Node tsconfig has no DOM types, so browser globals are reached through globalThis.
  const w = globalThis as unknown as Record<string, unknown> & {
    __engInvoke(channel: string, payload: unknown): Promise<unknown>;
  };
  const listeners = new Set<Listener>();
  const outboxListeners = new Set<Listener>();
  const batchListeners = new Set<Listener>();
  const menuListeners = new Set<Listener>();
  // The harness registers each dropped File object with its real path (webUtils.getPathForFile in the app).
  const filePaths = new WeakMap<object, string>();
  w.__engFilePaths = filePaths;
  w.__engProgress = (progress: unknown) => {
    for (const listener of listeners) listener(progress);
  };
  w.__engOutbox = (view: unknown) => {
    for (const listener of outboxListeners) listener(view);
  };
  w.__engBatch = (item: unknown) => {
    for (const listener of batchListeners) listener(item);
  };
  w.__engMenu = (command: unknown) => {
    for (const listener of menuListeners) listener(command);
  };
  const api: Record<string, unknown> = {
    onProgress(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onOutbox(listener: Listener) {
      outboxListeners.add(listener);
      return () => outboxListeners.delete(listener);
    },
    onBatch(listener: Listener) {
      batchListeners.add(listener);
      return () => batchListeners.delete(listener);
    },
    onMenu(listener: Listener) {
      menuListeners.add(listener);
      return () => menuListeners.delete(listener);
    },
    pathForFile(file: unknown) {
      const path = (typeof file === 'object' && file !== null && filePaths.get(file)) || '';
      // As the preload does: main grants the dropped file before any request that names it (same binding, in order).
      if (path) void w.__engInvoke(config.droppedFileGrant, { path });
      return path;
    },
  };
  for (const [key, name] of Object.entries(config.names)) {
    api[key] = (request: unknown) => w.__engInvoke(name, request);
  }
  w[config.apiGlobal] = Object.freeze(api);
}

export async function startE2eApp(options: E2eOptions = {}): Promise<E2eApp> {
  // Kept under the run's leak root when test/run.mjs asks for the secret-leak scan (see leak-recorder.ts).
  const temp = await e2eTempDir();
  const recorder = new LeakRecorder(temp.dir);
  const dataDir = options.dataDir ?? join(temp.dir, 'data');
  const workDir = join(temp.dir, 'work');
  await mkdir(dataDir, { recursive: true });
  await mkdir(workDir, { recursive: true });
  await mkdir(SCREENSHOT_DIR, { recursive: true });

  const cleanups: (() => Promise<unknown>)[] = [() => temp.remove()];
  const cleanUp = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  };

  try {
    const emulatorOptions = {
      dataDir: join(temp.dir, EMULATOR_DIR_NAME),
      users: options.users ?? [{ ...E2E_ADMIN }],
      apiKeys: options.apiKeys ?? [E2E_API_KEY],
      onTokenIssued: (value: string) => recorder.secret('claims-token', value),
      ...(options.passStatusStepMs !== undefined ? { passStatusStepMs: options.passStatusStepMs } : {}),
    };
    for (const user of emulatorOptions.users) {
      recorder.username(user.username);
      recorder.secret('password', user.password);
    }
    for (const key of emulatorOptions.apiKeys) recorder.secret('api-key', key);
    // The emulator's log names every token it issued: read it before a test clears it or the emulator goes.
    const harvested = (server: Emulator): Emulator => {
      const clear = server.clearRequests.bind(server);
      server.clearRequests = () => {
        recorder.harvest(server.requests);
        clear();
      };
      return server;
    };
    const emulator = harvested(await startEmulator(emulatorOptions));
    // Replaced by restartEmulator; whichever runs last is closed.
    const running: { emulator?: Emulator } = { emulator };
    cleanups.push(async () => closeEmulator(running.emulator));
    cleanups.push(async () => {
      if (running.emulator) recorder.harvest(running.emulator.requests);
      recorder.finish();
    });

    const keychain = recorder.wrapSecrets(createKeychain());
    // Pushes go to the page once it exists (the services and registry are built first, as in the app).
    const target: { page?: Page } = {};
    const push = (fn: '__engProgress' | '__engOutbox' | '__engBatch' | '__engMenu', payload: unknown) => {
      const page = target.page;
      if (!page || page.isClosed()) return;
      recorder.record(`push:${fn}`, payload);
      page
        .evaluate(({ fn, payload }) => (globalThis as unknown as Record<string, (p: unknown) => void>)[fn]?.(payload), { fn, payload })
        .catch(() => undefined); // the page may be closing
    };
    const services = await openAppServices({
      dataDir,
      store: openSettingsStore(dataDir),
      secrets: keychain,
      source: 'app',
      onOutboxChange: (view) => push('__engOutbox', view),
    });
    const profiles = services.profiles;
    cleanups.push(() => services.close());
    if (options.outboxLoop) services.drafts.outbox.start();
    if (!options.dataDir) {
      // Remove what the tests saved, keychain entries included (the keyring itself is private to the test run).
      cleanups.push(async () => {
        for (const view of await profiles.list()) if (!view.builtIn) await profiles.remove(view.id);
      });
    }

    const operations = new OperationRegistry();
    cleanups.push(async () => operations.cancelAll());
    const dialogs = new TestDialogs();
    const events: EventSink = (event, payload) => {
      if (event === 'progress') push('__engProgress', payload);
      else if (event === 'outbox') push('__engOutbox', payload);
      else if (event === 'batch') push('__engBatch', payload);
      else if (event === 'menu') push('__engMenu', payload);
    };
    const pathGrants = createPathGrants();
    const registry = createHandlerRegistry({ pathGrants });
    registerAllIpc(registry, { services, operations, events, dialogs, pathGrants });

    const { server, origin } = await serveRenderer();
    cleanups.push(() => new Promise((done) => server.close(done)));

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const context = await browser.newContext({
      viewport: { width: 1360, height: 900 },
      colorScheme: options.colorScheme ?? 'light',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = await context.newPage();
    target.page = page;
    // Every wait is on a state; ten seconds is far more than any of them needs on loopback.
    page.setDefaultTimeout(10_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => {
      recorder.record('page-error', `${error.message}\n${error.stack ?? ''}`);
      pageErrors.push(error.message);
    });
    page.on('console', (message) => {
      recorder.record(`console:${message.type()}`, message.text());
      // A CSP violation is a bug in index.html or the bundle, not noise.
      if (message.type() === 'error') pageErrors.push(message.text());
    });

    // Every answer main gives the page is recorded for the leak scan; the secrets the page sends are noted as such.
    const invoke = (channel: string, payload: unknown) =>
      channel === droppedFileGrant.name ? receiveDroppedFile(pathGrants, payload) : registry.invoke(channel, payload);
    await page.exposeBinding('__engInvoke', async (_source, channel: string, payload: unknown) => {
      recorder.requestSecrets(payload);
      const result: unknown = await invoke(channel, payload);
      recorder.record(`ipc:${channel}`, result);
      return result;
    });
    // Runs before the browser closes (cleanups run last-in first-out): what the page holds at the end of the test.
    cleanups.push(() => recorder.snapshot(page, 'teardown'));
    const names = Object.fromEntries(Object.entries(channels).map(([key, spec]) => [key, spec.name]));
    await page.addInitScript(installBridge, { names, apiGlobal: 'engagement', droppedFileGrant: droppedFileGrant.name });
    void eventNames; // the push channel names are Electron's business; here the harness calls __engProgress/__engOutbox/__engBatch

    await page.goto(`${origin}/index.html`);
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    const app: E2eApp = {
      browser,
      page,
      emulator,
      profiles,
      services,
      keychain,
      dialogs,
      dataDir,
      workDir,
      async dropFiles(testId, paths) {
        const files = await Promise.all(
          paths.map(async (path) => ({ path, name: basename(path), base64: (await readFile(path)).toString('base64') })),
        );
        const zone = app.page.getByTestId(testId);
        const dataTransfer = await app.page.evaluateHandle((list) => {
          const page = globalThis as unknown as {
            __engFilePaths: WeakMap<object, string>;
            DataTransfer: new () => { items: { add(file: File): void } };
          };
          const registry = page.__engFilePaths;
          const transfer = new page.DataTransfer();
          for (const f of list) {
            const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
            const file = new File([bytes], f.name);
            registry.set(file, f.path);
            transfer.items.add(file);
          }
          return transfer;
        }, files);
        for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer });
        await dataTransfer.dispose();
      },
      async appErrors() {
        return app.page.locator('.app-error').allInnerTexts();
      },
      async failIfAppErrorVisible() {
        const shown = await app.appErrors();
        const problems = [...shown.map((s) => `app error: ${s.replace(/\s+/g, ' ')}`), ...pageErrors.splice(0)];
        if (problems.length > 0) throw new Error(problems.join('\n'));
      },
      async waitForAppError(text) {
        const error = app.page.locator('.app-error').filter({ hasText: text });
        await error.first().waitFor();
        return error.first().innerText();
      },
      async dismissAppErrors() {
        const buttons = app.page.locator('.app-error').getByRole('button', { name: 'Dismiss' });
        while ((await buttons.count()) > 0) await buttons.first().click();
      },
      async navigate(section) {
        await recorder.snapshot(app.page, `before ${section}`);
        await app.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: section }).click();
      },
      async menu(accelerator, platform = 'win32') {
        const sent: MenuCommand[] = [];
        const template = buildMenuTemplate(platform, false, { openExternal: () => undefined, command: (c) => sent.push(c) });
        const flat = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
          items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flat(item.submenu) : [])]);
        const items = flat(template);
        const item =
          items.find((candidate) => candidate.accelerator === accelerator) ??
          items.find((candidate) => candidate.accelerator === undefined && candidate.label === accelerator);
        if (!item || typeof item.click !== 'function') throw new Error(`No menu item has ${accelerator}`);
        (item.click as () => void)();
        for (const command of sent) {
          await app.page.evaluate((c) => (globalThis as unknown as { __engMenu(c: unknown): void }).__engMenu(c), command);
        }
      },
      async stopEmulator() {
        if (running.emulator) recorder.harvest(running.emulator.requests);
        await closeEmulator(running.emulator);
        running.emulator = undefined;
      },
      async restartEmulator() {
        const port = app.emulator.port;
        if (running.emulator) recorder.harvest(running.emulator.requests);
        await closeEmulator(running.emulator);
        running.emulator = harvested(await startEmulator({ ...emulatorOptions, port }));
        app.emulator = running.emulator;
        return app.emulator;
      },
      async useProfile(name, options = {}) {
        if (options.reload) {
          await recorder.snapshot(app.page, 'before reload');
          await app.page.reload();
          await app.page.getByRole('navigation', { name: 'Sections' }).waitFor();
        }
        const selector = app.page.getByTestId('profile-selector');
        await selector.locator('option', { hasText: name }).waitFor({ state: 'attached' });
        await selector.selectOption({ label: name });
      },
      async screenshot(name) {
        // A viewport as tall as the page instead of fullPage: fullPage stitching repeats sticky headers mid-page.
        const path = join(SCREENSHOT_DIR, `${name}.png`);
        const size = app.page.viewportSize() ?? { width: 1360, height: 900 };
        const height = await app.page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
        await app.page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
        await app.page.screenshot({ path });
        await app.page.setViewportSize(size);
        return path;
      },
      close: cleanUp,
    };
    return app;
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Saves the profile "Emulator" (Basic auth as E2E_ADMIN against the app's emulator) and selects it in the UI. */
export async function useEmulatorProfile(app: E2eApp): Promise<void> {
  await app.profiles.save(
    { name: 'Emulator', baseUrl: app.emulator.url, authMode: 'basic', username: E2E_ADMIN.username },
    E2E_ADMIN.password,
  );
  await app.useProfile('Emulator', { reload: true });
}
