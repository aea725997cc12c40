// Menu commands (issue #21): what a menu item or its accelerator asks the window to do, pushed on eng:event:menu.
// The pages and shortcuts are plain data here so main builds the menus from them and the renderer lists the same
// accelerators in its Keyboard shortcuts view; nothing else defines them.

/**
 * The pages in navigation order (Send, Work, Server); CmdOrCtrl+1…9 open them. Profiles is Settings (CmdOrCtrl+,)
 * and Keyboard shortcuts is in Help (CmdOrCtrl+/), so every page of the navigation has a shortcut.
 */
export const MENU_PAGES = [
  { id: 'cert-upload', label: 'Certificate upload' },
  { id: 'cert-download', label: 'Certificate download' },
  { id: 'pass-update', label: 'Pass update' },
  { id: 'drafts', label: 'Drafts' },
  { id: 'outbox', label: 'Outbox' },
  { id: 'history', label: 'History' },
  { id: 'apps', label: 'Applications' },
  { id: 'expiry', label: 'Certificate expiry' },
  { id: 'pass-status', label: 'Pass status' },
] as const;

export type MenuPageId = (typeof MENU_PAGES)[number]['id'];

/** Actions of the page on screen (or of one page, for save-as and export-history). */
export type MenuAction =
  | 'new-draft'
  | 'open'
  | 'send'
  | 'save-as'
  | 'export-history'
  | 'refresh'
  | 'new-profile'
  | 'test-connection'
  | 'import-draft'
  | 'remove-certificate'
  | 'check-status';

export type MenuCommand =
  | { command: MenuAction }
  | { command: 'show-page'; page: MenuPageId }
  /** The Profiles page, where every setting lives. */
  | { command: 'settings' }
  | { command: 'shortcuts' };

export interface Shortcut {
  /** Electron accelerator syntax (CmdOrCtrl is Cmd on macOS, Ctrl elsewhere). */
  accelerator: string;
  /** The menu item's label, also the description in the Keyboard shortcuts view. */
  label: string;
  command: MenuCommand;
}

export const ACTION_SHORTCUTS: readonly Shortcut[] = [
  { accelerator: 'CmdOrCtrl+N', label: 'New draft', command: { command: 'new-draft' } },
  { accelerator: 'CmdOrCtrl+O', label: 'Open file…', command: { command: 'open' } },
  { accelerator: 'CmdOrCtrl+Enter', label: 'Send', command: { command: 'send' } },
  { accelerator: 'CmdOrCtrl+Shift+S', label: 'Save certificate as…', command: { command: 'save-as' } },
  { accelerator: 'CmdOrCtrl+E', label: 'Export history…', command: { command: 'export-history' } },
];

/** A menu item without an accelerator: an action of one page, which opens first (the renderer's ACTION_PAGE). */
export interface MenuEntry {
  label: string;
  command: MenuCommand;
}

/** File: what starts from a file or a blank form. */
export const FILE_ENTRIES: readonly MenuEntry[] = [
  { label: 'Import draft…', command: { command: 'import-draft' } },
  { label: 'New profile', command: { command: 'new-profile' } },
];

/** Server: what asks the server of the profile in use, beyond the sends of File. */
export const SERVER_ENTRIES: readonly MenuEntry[] = [
  { label: 'Test connection', command: { command: 'test-connection' } },
  { label: 'Remove MPNS certificate…', command: { command: 'remove-certificate' } },
  { label: 'Check pass status', command: { command: 'check-status' } },
];

/** Reads the page's list from the server again (Applications, Certificate expiry): View > Refresh, as on Windows. */
export const REFRESH_SHORTCUT: Shortcut = { accelerator: 'F5', label: 'Refresh', command: { command: 'refresh' } };
export const SETTINGS_SHORTCUT: Shortcut = { accelerator: 'CmdOrCtrl+,', label: 'Settings…', command: { command: 'settings' } };
export const SHORTCUTS_SHORTCUT: Shortcut = {
  accelerator: 'CmdOrCtrl+/',
  label: 'Keyboard shortcuts',
  command: { command: 'shortcuts' },
};

export const PAGE_SHORTCUTS: readonly Shortcut[] = MENU_PAGES.map((page, index) => ({
  accelerator: `CmdOrCtrl+${index + 1}`,
  label: page.label,
  command: { command: 'show-page', page: page.id },
}));

/** Every shortcut the app defines, in the order the Keyboard shortcuts view lists them. */
export const ALL_SHORTCUTS: readonly Shortcut[] = [...ACTION_SHORTCUTS, REFRESH_SHORTCUT, ...PAGE_SHORTCUTS, SETTINGS_SHORTCUT, SHORTCUTS_SHORTCUT];

/** An accelerator as the platform writes it: "⌘⇧S" on macOS, "Ctrl+Shift+S" elsewhere. */
export function acceleratorText(accelerator: string, isMac: boolean): string {
  const parts = accelerator.split('+');
  if (!isMac) return parts.map((part) => (part === 'CmdOrCtrl' ? 'Ctrl' : part)).join('+');
  const symbols: Record<string, string> = { CmdOrCtrl: '⌘', Shift: '⇧', Alt: '⌥', Enter: '↩' };
  return parts.map((part) => symbols[part] ?? part).join('');
}
