// The main window and every security setting of the shell, in one place. The decisions themselves (preferences,
// CSP, which URLs may load or open, who may call IPC, where the window goes) are pure and live in window-policy.ts;
// this file only applies them to Electron objects.
import { BrowserWindow, screen, type Session, type WebContents, type WebPreferences } from 'electron';
import type { KeyValueStore } from './platform/settings-store';
import {
  APP_ENTRY_URL,
  MIN_WINDOW_SIZE,
  SECURE_WEB_PREFERENCES,
  WINDOW_BOUNDS_KEY,
  WINDOW_TITLE,
  isAllowedNavigation,
  isExternalLinkAllowed,
  permissionDecision,
  restoreBounds,
  windowOpenDecision,
  type SavedWindowState,
} from './window-policy';

export {
  CONTENT_SECURITY_POLICY,
  SECURE_WEB_PREFERENCES,
  isAllowedNavigation,
  isTrustedSender,
  permissionDecision,
  restoreBounds,
  windowOpenDecision,
} from './window-policy';

/**
 * The policy's preferences with Electron's type: where a type change in Electron surfaces, since the policy file
 * cannot import Electron.
 */
type WindowWebPreferences = typeof SECURE_WEB_PREFERENCES & WebPreferences;

const guardedContents = new WeakSet<WebContents>();
const guardedSessions = new WeakSet<Session>();

/**
 * Applied to every webContents (app 'web-contents-created'): no new windows (https links go to the browser), no
 * navigation away from app://engagement-desk, no <webview>. Idempotent, so a link never opens twice.
 */
export function applyWebContentsGuards(contents: WebContents, openExternal: (url: string) => void): void {
  if (guardedContents.has(contents)) return;
  guardedContents.add(contents);

  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) openExternal(url);
    return { action: decision.action };
  });
  contents.on('will-navigate', (event) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    // A plain <a href="https://..."> click lands here rather than in the window-open handler.
    if (isExternalLinkAllowed(event.url)) openExternal(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

/** Refuses every permission request and check (camera, notifications, clipboard-read, HID, serial...). */
export function applySessionGuards(session: Session): void {
  if (guardedSessions.has(session)) return;
  guardedSessions.add(session);
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(permissionDecision()));
  session.setPermissionCheckHandler(() => permissionDecision());
  session.setDevicePermissionHandler(() => permissionDecision());
}

export interface MainWindowDeps {
  /** Absolute path of the bundled CommonJS preload. */
  preloadPath: string;
  store: KeyValueStore;
  openExternal: (url: string) => void;
  isDev: boolean;
  /** Defaults to app://engagement-desk/index.html. */
  url?: string;
}

export function createMainWindow(deps: MainWindowDeps): BrowserWindow {
  const primary = screen.getPrimaryDisplay();
  const displays = [primary, ...screen.getAllDisplays().filter((display) => display.id !== primary.id)];
  const placement = restoreBounds(deps.store.get(WINDOW_BOUNDS_KEY), displays);

  const window = new BrowserWindow({
    title: WINDOW_TITLE,
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    width: placement.width,
    height: placement.height,
    ...(placement.x !== undefined && placement.y !== undefined ? { x: placement.x, y: placement.y } : {}),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    // Spelled out rather than spread from the policy so that a reader, and the static check (npm run
    // lint:security, Electronegativity), see every setting where the window is made; `satisfies` makes each value
    // equal to SECURE_WEB_PREFERENCES (pinned by test/unit/main/window.test.ts), so the two cannot drift.
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      webviewTag: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
      preload: deps.preloadPath, // eng-disable PRELOAD_JS_CHECK: reviewed, one named function per channel, nothing generic (preload/index.ts)
      devTools: deps.isDev,
    } satisfies WindowWebPreferences,
  });

  applySessionGuards(window.webContents.session);
  applyWebContentsGuards(window.webContents, deps.openExternal);

  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => {
    // getNormalBounds: the size to return to, even when closed maximized.
    const state: SavedWindowState = { ...window.getNormalBounds(), maximized: window.isMaximized() };
    try {
      deps.store.set(WINDOW_BOUNDS_KEY, state);
    } catch {
      // Not worth blocking the close over: next start falls back to the default size.
    }
  });

  window.loadURL(deps.url ?? APP_ENTRY_URL).catch((error: unknown) => {
    console.error('Engagement Desk: the window failed to load its page.', error);
  });
  return window;
}
