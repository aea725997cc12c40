// A stand-in for the `electron` module, for running the built main bundle (out/main/index.js) in plain Node. It does
// not pretend to be Chromium: it records what the shell asks of Electron (app lifecycle, single-instance lock,
// BrowserWindow options, protocol, session, ipcMain, dialog, Menu) and hands the test the handlers main registered,
// so the test can call them as Electron would. Loaded through test/support/electron-stand-in-hooks.mjs.
import { EventEmitter } from 'node:events';
import { REPO_ROOT } from './cli';

type Handler = (...args: never[]) => unknown;

/** Everything the shell asked, in order, plus the handlers it left behind. One per boot (see resetShell). */
export interface ShellRecord {
  calls: Array<{ api: string; args: unknown[] }>;
  ipcHandlers: Map<string, Handler[]>;
  ipcListeners: Map<string, Handler[]>;
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  windows: FakeWindow[];
  permissionRequestHandler?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
  /** How the next save dialog answers. */
  nextSavePath?: string;
  readyCalled: boolean;
}

function freshRecord(): ShellRecord {
  return { calls: [], ipcHandlers: new Map(), ipcListeners: new Map(), protocolHandlers: new Map(), windows: [], readyCalled: false };
}

interface SharedState {
  record: ShellRecord;
  ready: () => void;
  readyPromise: Promise<void>;
}
// Kept on globalThis: the test and the bundle may load this file under two module URLs, and both must see one state.
const SHARED = Symbol.for('engagement-desk.electron-stand-in');
const state: SharedState = ((globalThis as Record<symbol, unknown>)[SHARED] ??= (() => {
  let ready = () => undefined as void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  return { record: freshRecord(), ready, readyPromise };
})()) as SharedState;

export function shellRecord(): ShellRecord {
  return state.record;
}

/** A new record and a new app for the next boot of the bundle. */
export function resetShell(): void {
  state.record = freshRecord();
  let ready = () => undefined as void;
  state.readyPromise = new Promise<void>((resolve) => (ready = resolve));
  state.ready = ready;
  app.removeAllListeners();
}

/** Electron's 'ready': whenReady() resolves. */
export function emitReady(): void {
  state.record.readyCalled = true;
  state.ready();
}

function note(api: string, ...args: unknown[]): void {
  state.record.calls.push({ api, args });
}

class FakeApp extends EventEmitter {
  isPackaged = true;
  private paths = new Map<string, string>();
  setName(name: string) {
    note('app.setName', name);
  }
  getName() {
    return 'Engagement Desk';
  }
  getVersion() {
    return '0.1.0';
  }
  setPath(name: string, value: string) {
    note('app.setPath', name, value);
    this.paths.set(name, value);
  }
  getPath(name: string) {
    return this.paths.get(name) ?? REPO_ROOT;
  }
  getAppPath() {
    return REPO_ROOT;
  }
  enableSandbox() {
    note('app.enableSandbox');
  }
  requestSingleInstanceLock() {
    note('app.requestSingleInstanceLock');
    return true;
  }
  whenReady() {
    note('app.whenReady');
    return state.readyPromise;
  }
  isReady() {
    return state.record.readyCalled;
  }
  quit() {
    note('app.quit');
  }
  exit(code?: number) {
    note('app.exit', code);
  }
}
const APP = Symbol.for('engagement-desk.electron-stand-in.app');
export const app = ((globalThis as Record<symbol, unknown>)[APP] ??= new FakeApp()) as FakeApp;

class FakeWebContents extends EventEmitter {
  readonly session = new FakeSession('window');
  windowOpenHandler?: Handler;
  sent: Array<{ channel: string; payload: unknown }> = [];
  setWindowOpenHandler(handler: Handler) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return false;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
}

export class FakeWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  loadedUrl?: string;
  constructor(readonly options: Record<string, unknown>) {
    super();
    note('new BrowserWindow', options);
    state.record.windows.push(this);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1100, height: 760 };
  }
  restore() {}
  show() {}
  focus() {}
  maximize() {}
  static getAllWindows() {
    return state.record.windows;
  }
}
export const BrowserWindow = FakeWindow;

class FakeSession {
  constructor(readonly name: string) {}
  setPermissionRequestHandler(handler: ShellRecord['permissionRequestHandler']) {
    note(`session(${this.name}).setPermissionRequestHandler`);
    if (this.name === 'default') state.record.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler() {
    note(`session(${this.name}).setPermissionCheckHandler`);
  }
  setDevicePermissionHandler() {
    note(`session(${this.name}).setDevicePermissionHandler`);
  }
}
export const session = { defaultSession: new FakeSession('default') };

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown) {
    note('protocol.registerSchemesAsPrivileged', schemes, { beforeReady: !state.record.readyCalled });
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>) {
    note('protocol.handle', scheme);
    state.record.protocolHandlers.set(scheme, handler);
  },
};

function push(map: Map<string, Handler[]>, name: string, handler: Handler): void {
  map.set(name, [...(map.get(name) ?? []), handler]);
}
export const ipcMain = {
  handle(name: string, handler: Handler) {
    push(state.record.ipcHandlers, name, handler);
  },
  on(name: string, handler: Handler) {
    push(state.record.ipcListeners, name, handler);
  },
  removeHandler(name: string) {
    state.record.ipcHandlers.delete(name);
  },
  removeListener(name: string) {
    state.record.ipcListeners.delete(name);
  },
};

export const dialog = {
  showMessageBox(...args: unknown[]) {
    note('dialog.showMessageBox', ...args.filter((a) => !(a instanceof FakeWindow)));
    return Promise.resolve({ response: 0, checkboxChecked: false });
  },
  showOpenDialog(...args: unknown[]) {
    note('dialog.showOpenDialog', ...args.filter((a) => !(a instanceof FakeWindow)));
    return Promise.resolve({ canceled: true, filePaths: [] });
  },
  showSaveDialog(...args: unknown[]) {
    note('dialog.showSaveDialog', ...args.filter((a) => !(a instanceof FakeWindow)));
    const filePath = state.record.nextSavePath;
    return Promise.resolve(filePath ? { canceled: false, filePath } : { canceled: true, filePath: '' });
  },
};

export const shell = {
  openExternal(url: string) {
    note('shell.openExternal', url);
    return Promise.resolve();
  },
  showItemInFolder(path: string) {
    note('shell.showItemInFolder', path);
  },
  openPath() {
    return Promise.resolve('');
  },
};

export const Menu = {
  buildFromTemplate(template: unknown[]) {
    note('Menu.buildFromTemplate', template.length);
    return { template };
  },
  setApplicationMenu(menu: unknown) {
    note('Menu.setApplicationMenu', menu !== null);
  },
};

const display = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 }, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
export const screen = {
  getPrimaryDisplay: () => display,
  getAllDisplays: () => [display],
};

export default { app, BrowserWindow, session, protocol, ipcMain, dialog, shell, Menu, screen };
