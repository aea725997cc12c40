// The application menu as a pure template (type-only Electron import), so the per-platform and dev-only items are
// pinned by plain-Node tests; main/index.ts turns it into a Menu. Roles give the native shortcuts and behaviour;
// the app's own items send a MenuCommand to the window (eng:event:menu), with the accelerators of the contract's
// shortcut table, which the renderer's Keyboard shortcuts view lists too.
import type { MenuItemConstructorOptions } from 'electron';
import {
  ACTION_SHORTCUTS,
  FILE_ENTRIES,
  PAGE_SHORTCUTS,
  SERVER_ENTRIES,
  REFRESH_SHORTCUT,
  SETTINGS_SHORTCUT,
  SHORTCUTS_SHORTCUT,
  type MenuCommand,
  type MenuEntry,
  type Shortcut,
} from '../../preload/contract/menu';
import { WINDOW_TITLE } from '../window-policy';

export interface MenuActions {
  /** Opens an https URL in the user's browser (shell.openExternal behind the https check). */
  openExternal(url: string): void;
  /** Sends the command to the main window (dropped while there is none). */
  command(command: MenuCommand): void;
}

export const HELP_LINKS: readonly { label: string; url: string }[] = [
  {
    label: 'Engagement Services API Guide',
    url: 'https://opensource.hcltechsw.com/volt-mx-docs/docs/documentation/Foundry/engagement_api_guide/Content/Introduction.html',
  },
  {
    label: 'Pass (PassKit) APIs',
    url: 'https://opensource.hcltechsw.com/volt-mx-docs/docs/documentation/Foundry/engagement_api_guide/Content/PassKit_APIs_for_VoltMX_Messaging_Services.html',
  },
];

export function buildMenuTemplate(
  platform: NodeJS.Platform,
  isDev: boolean,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  const item = ({ label, accelerator, command }: Shortcut): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => actions.command(command),
  });
  const entry = ({ label, command }: MenuEntry): MenuItemConstructorOptions => ({ label, click: () => actions.command(command) });
  const [newDraft, open, ...sendItems] = ACTION_SHORTCUTS.map(item);

  if (isMac) {
    template.push({
      label: WINDOW_TITLE,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        item(SETTINGS_SHORTCUT),
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }

  // On macOS Settings and Quit live in the app menu and File closes the window, as every Mac app does; Windows
  // keeps Settings in File above Exit.
  template.push({
    label: 'File',
    submenu: [
      newDraft!,
      open!,
      ...FILE_ENTRIES.map(entry),
      { type: 'separator' },
      ...sendItems,
      { type: 'separator' },
      ...(isMac ? [{ role: 'close' } as const] : [item(SETTINGS_SHORTCUT), { type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  });

  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(isMac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  });

  // Reload would discard unsent form state and DevTools is a debugging aid: both only in development.
  const devItems: MenuItemConstructorOptions[] = isDev
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  template.push({
    label: 'View',
    submenu: [
      item(REFRESH_SHORTCUT),
      { type: 'separator' },
      ...PAGE_SHORTCUTS.map(item),
      { type: 'separator' },
      ...devItems,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });

  // The server's own jobs that are not sends (those are in File), each on the page that does it.
  template.push({
    label: 'Server',
    submenu: [SERVER_ENTRIES[0]!, { type: 'separator' } as const, ...SERVER_ENTRIES.slice(1)].map((e) => ('label' in e ? entry(e) : e)),
  });

  template.push({
    label: 'Window',
    role: 'windowMenu',
    submenu: isMac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  });

  template.push({
    label: 'Help',
    role: 'help',
    submenu: [
      item(SHORTCUTS_SHORTCUT),
      { type: 'separator' },
      ...HELP_LINKS.map(({ label, url }) => ({ label, click: () => actions.openExternal(url) })), // eng-disable OPEN_EXTERNAL_JS_CHECK: fixed https HELP_LINKS, through the guarded openExternal
    ],
  });

  return template;
}
