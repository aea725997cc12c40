// The security decisions of the Electron shell as plain data and pure functions, so plain-Node unit tests pin them.
// main/window.ts, main/electron/app-protocol.ts and main/ipc/typed-ipc.ts only wire these into Electron.
// This file must not import 'electron': the tests run without an Electron binary.

/** The custom scheme the renderer is served from (never file://, which would grant the page the whole disk). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'engagement-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export const WINDOW_TITLE = 'Engagement Desk';

/**
 * Every directive the renderer gets. The page never talks to the network (main does the HTTP), so connect-src is
 * 'none'; no 'unsafe-eval' or 'unsafe-inline' anywhere, so an injected string can never become script.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');

/**
 * The webPreferences every window gets; main/window.ts adds the preload path (known only at run time) and checks
 * this object against Electron's WebPreferences type. Structural here so the file stays free of Electron.
 */
export const SECURE_WEB_PREFERENCES = {
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
  // A middle click (auxclick) on a link asks for a new window; the app never needs one.
  disableBlinkFeatures: 'Auxclick',
} as const;

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * True for a URL on our own origin: app://engagement-desk with no port or credentials.
 * Node and Chromium both parse app://engagement-desk/x with host "engagement-desk"; the comparison ignores case
 * because Chromium lower-cases the host of a standard scheme.
 */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname.toLowerCase() === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** Navigation of a window is allowed only within our own origin (a reload of the app itself). */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** Only https links leave the app, and only to the user's browser: never http, file, javascript or custom schemes. */
export function isExternalLinkAllowed(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== undefined && parsed.protocol === 'https:' && parsed.hostname !== '';
}

export interface WindowOpenDecision {
  /** No new Electron window is ever created. */
  action: 'deny';
  /** Hand the URL to shell.openExternal. */
  openExternally: boolean;
}

export function windowOpenDecision(url: string): WindowOpenDecision {
  return { action: 'deny', openExternally: isExternalLinkAllowed(url) };
}

/** The app needs no web permission (camera, notifications, clipboard-read...): every request and check is refused. */
export function permissionDecision(): false {
  return false;
}

/** Only our own main frame may call into main; iframes and foreign pages may not, whatever they load. */
export function isTrustedSender(frameUrl: string, isMainFrame: boolean): boolean {
  return isMainFrame && isAppUrl(frameUrl);
}

// ---------------------------------------------------------------------------------------------------------------
// Window bounds

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindowState extends Rect {
  maximized?: boolean;
}

export interface WindowPlacement {
  width: number;
  height: number;
  /** Absent: let Electron centre the window on the primary display. */
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 } as const;
export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const;
export const WINDOW_BOUNDS_KEY = 'window.bounds';

/** How much of the window's top strip must lie on a display for the user to grab and move it. */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The stored value is user-editable JSON: anything that is not a sane rectangle counts as nothing stored. */
export function parseSavedWindowState(saved: unknown): SavedWindowState | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const { x, y, width, height, maximized } = saved as Record<string, unknown>;
  if (!isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(width) || !isFiniteNumber(height)) return undefined;
  if (width <= 0 || height <= 0) return undefined;
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height), maximized: maximized === true };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

function clampSize(width: number, height: number, area: Rect | undefined): { width: number; height: number } {
  const maxWidth = area ? Math.max(MIN_WINDOW_SIZE.width, area.width) : width;
  const maxHeight = area ? Math.max(MIN_WINDOW_SIZE.height, area.height) : height;
  return {
    width: Math.min(Math.max(width, MIN_WINDOW_SIZE.width), maxWidth),
    height: Math.min(Math.max(height, MIN_WINDOW_SIZE.height), maxHeight),
  };
}

/**
 * Where to open the window: the saved bounds when their title strip is on a connected display (size clamped to
 * that display), else the saved size centred by Electron. A monitor that was unplugged since the last run must
 * never leave the window off screen. `displays[0]` is the primary display.
 */
export function restoreBounds(saved: unknown, displays: readonly { workArea: Rect }[]): WindowPlacement {
  const state = parseSavedWindowState(saved);
  const primary = displays[0]?.workArea;
  if (!state) {
    return { ...clampSize(DEFAULT_WINDOW_SIZE.width, DEFAULT_WINDOW_SIZE.height, primary), maximized: false };
  }
  const titleStrip: Rect = { x: state.x, y: state.y, width: state.width, height: MIN_VISIBLE.height };
  const host = displays.find((display) => {
    const seen = overlap(titleStrip, display.workArea);
    return seen.width >= Math.min(MIN_VISIBLE.width, state.width) && seen.height >= Math.min(MIN_VISIBLE.height, state.height);
  });
  if (!host) {
    return { ...clampSize(state.width, state.height, primary), maximized: state.maximized === true };
  }
  const size = clampSize(state.width, state.height, host.workArea);
  const area = host.workArea;
  // Pull the window fully onto the display that shows its title strip; if it is still larger (a tiny display),
  // the top-left corner wins so the title bar stays reachable.
  const x = Math.max(area.x, Math.min(state.x, area.x + area.width - size.width));
  const y = Math.max(area.y, Math.min(state.y, area.y + area.height - size.height));
  return { ...size, x, y, maximized: state.maximized === true };
}
