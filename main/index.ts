// The Electron entry point: opens the services (main/services.ts, the composition root it shares with the CLI) and wires them to IPC,
// the window, the menu and the app:// protocol, and that shuts them down on quit.
// ESM: every statement before app.whenReady() runs before 'ready' as long as nothing here awaits at top level.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, protocol, session, shell } from 'electron';
import Store from 'electron-store';
import { openAppServices, type AppServices } from './services';
import { createKeychain } from './platform/keychain';
import { OperationRegistry } from './platform/operations';
import { createPathGrants } from './platform/path-grants';
import { defaultDataDir } from './platform/paths';
import { recoverSettingsFile, SETTINGS_FILE_NAME, withCachedReads, type KeyValueStore } from './platform/settings-store';
import { handleAppProtocol, registerAppScheme } from './electron/app-protocol';
import { createElectronDialogs } from './electron/dialogs';
import { buildMenuTemplate } from './electron/menu';
import { registerAllIpc } from './ipc/register-all';
import { createHandlerRegistry } from './ipc/registry';
import { connectIpcMain, createWindowEventSink } from './ipc/typed-ipc';
import { tuneV8ForShortBursts } from './runtime-tuning';
import { applySessionGuards, applyWebContentsGuards, createMainWindow } from './window';
import { WINDOW_TITLE, isExternalLinkAllowed } from './window-policy';

// The same V8 tuning as the CLI (main/runtime-tuning.ts); Electron's own V8 is newer, where it changes nothing.
tuneV8ForShortBursts();

/** Longest the app waits on quit for clients and the sandbox emulator to close. */
const SHUTDOWN_GRACE_MS = 3000;

// Before anything reads userData: the CLI uses the same folder (defaultDataDir), and the single-instance lock
// is keyed on it.
app.setName(WINDOW_TITLE);
const dataDir = defaultDataDir();
app.setPath('userData', dataDir);
// Every renderer sandboxed, whatever a webPreferences object says.
app.enableSandbox();
registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

function openExternal(url: string): void {
  if (!isExternalLinkAllowed(url)) return;
  shell.openExternal(url).catch((error: unknown) => { // eng-disable OPEN_EXTERNAL_JS_CHECK: https only, checked above
    console.error('Engagement Desk: could not open the link in the browser.', error);
  });
}

function start(): void {
  const isDev = !app.isPackaged;
  // app.getAppPath() is the folder (or app.asar) holding package.json, however the main bundle is laid out.
  const rendererDir = join(app.getAppPath(), 'out', 'renderer');
  const preloadPath = join(app.getAppPath(), 'out', 'preload', 'index.cjs');

  // A damaged config.json is set aside before electron-store opens it (it would throw), and reported below.
  const settingsProblem = recoverSettingsFile(dataDir);
  const store: KeyValueStore = withCachedReads(
    new Store<Record<string, unknown>>({
      cwd: dataDir,
      name: SETTINGS_FILE_NAME,
      // Same key layout as the CLI's conf store (main/platform/settings-store.ts): keys with dots stay flat.
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
    }),
  );
  const operations = new OperationRegistry();
  let services: AppServices | undefined;

  let mainWindow: BrowserWindow | undefined;
  const events = createWindowEventSink(() => mainWindow);
  const dialogs = createElectronDialogs({ dialog, shell, store, getWindow: () => mainWindow });
  // The files the user chose this session (dialogs, drops): the only paths a request may name.
  const pathGrants = createPathGrants();
  const registry = createHandlerRegistry({ pathGrants });

  const openWindow = (): void => {
    const window = createMainWindow({ preloadPath, store, openExternal, isDev });
    mainWindow = window;
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = undefined;
    });
  };

  app.on('web-contents-created', (_event, contents) => applyWebContentsGuards(contents, openExternal));

  app.on('second-instance', () => {
    if (!mainWindow) {
      if (app.isReady()) openWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    // macOS apps stay alive without windows until Quit; elsewhere closing the window quits.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  let shutdown: 'running' | 'pending' | 'done' = 'running';
  app.on('will-quit', (event) => {
    if (shutdown === 'done') return;
    // Hold the quit until transfers are aborted and clients/emulator are closed, then quit again.
    event.preventDefault();
    if (shutdown === 'pending') return;
    shutdown = 'pending';
    operations.cancelAll();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    Promise.race([services?.close() ?? Promise.resolve(), grace])
      .catch((error: unknown) => console.error('Engagement Desk: error while shutting down.', error))
      .finally(() => {
        shutdown = 'done';
        app.quit();
      });
  });

  app
    .whenReady()
    .then(async () => {
      services = await openAppServices({
        dataDir,
        store,
        secrets: createKeychain(),
        source: 'app',
        onOutboxChange: (view) => events('outbox', view),
      });
      registerAllIpc(registry, { services, operations, events, dialogs, pathGrants });
      // Queued drafts go out by themselves once their server is reachable again.
      services.drafts.outbox.start();
      handleAppProtocol(protocol, rendererDir);
      applySessionGuards(session.defaultSession);
      Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(process.platform, isDev, { openExternal, command: (command) => events('menu', command) })));
      connectIpcMain(registry, pathGrants);
      openWindow();
      if (settingsProblem) {
        console.warn(`Engagement Desk: ${settingsProblem.message}`);
        const notice = { type: 'warning' as const, title: WINDOW_TITLE, message: 'The settings file could not be read', detail: settingsProblem.message };
        void (mainWindow ? dialog.showMessageBox(mainWindow, notice) : dialog.showMessageBox(notice));
      }
    })
    .catch((error: unknown) => {
      console.error('Engagement Desk failed to start.', error);
      app.exit(1);
    });
}
