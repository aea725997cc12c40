import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { HELP_LINKS, buildMenuTemplate } from '../../../../main/electron/menu';
import { ALL_SHORTCUTS, FILE_ENTRIES, MENU_PAGES, SERVER_ENTRIES, type MenuCommand } from '../../../../preload/contract/menu';

function menu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const found = template.find((item) => item.label === label);
  assert.ok(found, `no ${label} menu`);
  assert.ok(Array.isArray(found.submenu), `${label} has no submenu`);
  return found.submenu;
}

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => (item.role ? [item.role] : []));
}

function allRoles(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? allRoles(item.submenu) : []),
  ]);
}

const noLinks = {
  openExternal: () => assert.fail('no link should open while building the menu'),
  command: () => assert.fail('no command should be sent while building the menu'),
};

/** The app's own items (label, accelerator), in menu order, separators as '-'. */
function appItems(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => (item.type === 'separator' ? ['-'] : item.role ? [`role:${item.role}`] : [`${item.label} ${item.accelerator ?? ''}`.trim()]));
}

function allItems(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? allItems(item.submenu) : [])]);
}

/** The app's actions at the top of File, on every platform. */
const FILE_ACTIONS = [
      'New draft CmdOrCtrl+N',
      'Open file… CmdOrCtrl+O', 'Import draft…', 'New profile',
      '-',
      'Send CmdOrCtrl+Enter',
      'Save certificate as… CmdOrCtrl+Shift+S',
      'Export history… CmdOrCtrl+E',
      '-',
];

// The accelerators Electron gives these roles; an app accelerator equal to one would silently shadow it.
const ROLE_ACCELERATORS = ['CmdOrCtrl+Z', 'Shift+CmdOrCtrl+Z', 'CmdOrCtrl+Y', 'CmdOrCtrl+X', 'CmdOrCtrl+C', 'CmdOrCtrl+V', 'CmdOrCtrl+A', 'CmdOrCtrl+W', 'CmdOrCtrl+Q', 'CmdOrCtrl+H', 'CmdOrCtrl+M', 'CmdOrCtrl+0', 'CmdOrCtrl+Plus', 'CmdOrCtrl+-', 'CmdOrCtrl+R', 'CmdOrCtrl+Shift+R', 'Alt+CmdOrCtrl+I', 'Alt+F4', 'F11'];

describe('buildMenuTemplate', () => {
  test('macOS: app menu first with about/hide/quit, File closes the window', () => {
    const template = buildMenuTemplate('darwin', false, noLinks);
    assert.deepEqual(
      template.map((item) => item.label),
      ['Engagement Desk', 'File', 'Edit', 'View', 'Server', 'Window', 'Help'],
    );
    const appMenu = roles(menu(template, 'Engagement Desk'));
    for (const role of ['about', 'hide', 'hideOthers', 'unhide', 'quit']) assert.ok(appMenu.includes(role), role);
    assert.deepEqual(roles(menu(template, 'File')), ['close']);
    // Settings in the app menu (Cmd+,), right after About, as macOS apps do.
    assert.deepEqual(appItems(menu(template, 'Engagement Desk')).slice(0, 4), ['role:about', '-', 'Settings… CmdOrCtrl+,', '-']);
    assert.deepEqual(appItems(menu(template, 'File')), [...FILE_ACTIONS, 'role:close']);
    assert.equal(allRoles(template).filter((role) => role === 'quit').length, 1);
  });

  for (const platform of ['win32', 'linux'] as const) {
    test(`${platform}: no app menu, File > Quit`, () => {
      const template = buildMenuTemplate(platform, false, noLinks);
      assert.deepEqual(template.map((item) => item.label), ['File', 'Edit', 'View', 'Server', 'Window', 'Help']);
      assert.deepEqual(roles(menu(template, 'File')), ['quit']);
      // Windows keeps Settings in File, above Exit, which ends the menu.
      assert.deepEqual(appItems(menu(template, 'File')), [
        ...FILE_ACTIONS,
        'Settings… CmdOrCtrl+,',
        '-',
        'role:quit',
      ]);
      assert.ok(!allRoles(template).some((role) => ['about', 'services', 'hide', 'front'].includes(role)));
    });
  }

  test('Edit has the standard editing roles on every platform (they give Cmd/Ctrl shortcuts in text fields)', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const edit = roles(menu(buildMenuTemplate(platform, false, noLinks), 'Edit'));
      for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']) assert.ok(edit.includes(role), `${platform} ${role}`);
    }
  });

  test('reload and DevTools exist only in development; zoom always', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const production = roles(menu(buildMenuTemplate(platform, false, noLinks), 'View'));
      // Every page of the navigation but Profiles (Settings, CmdOrCtrl+,) and Keyboard shortcuts (Help), in its order.
      assert.deepEqual(appItems(menu(buildMenuTemplate(platform, false, noLinks), 'View')).slice(0, MENU_PAGES.length + 3), [
        'Refresh F5',
        '-',
        'Certificate upload CmdOrCtrl+1',
        'Certificate download CmdOrCtrl+2',
        'Pass update CmdOrCtrl+3',
        'Drafts CmdOrCtrl+4',
        'Outbox CmdOrCtrl+5',
        'History CmdOrCtrl+6',
        'Applications CmdOrCtrl+7',
        'Certificate expiry CmdOrCtrl+8',
        'Pass status CmdOrCtrl+9',
        '-',
      ]);
      assert.deepEqual(production, ['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
      const development = roles(menu(buildMenuTemplate(platform, true, noLinks), 'View'));
      for (const role of ['reload', 'forceReload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut']) {
        assert.ok(development.includes(role), `${platform} ${role}`);
      }
    }
  });

  test('Help items open https documentation in the browser', () => {
    const opened: string[] = [];
    const all = menu(buildMenuTemplate('linux', false, { ...noLinks, openExternal: (url) => opened.push(url) }), 'Help');
    assert.deepEqual(appItems(all.slice(0, 2)), ['Keyboard shortcuts CmdOrCtrl+/', '-']);
    const help = all.slice(2);
    assert.equal(help.length, HELP_LINKS.length);
    for (const item of help) {
      assert.equal(typeof item.click, 'function');
      (item.click as () => void)();
    }
    assert.deepEqual(opened, HELP_LINKS.map((link) => link.url));
    for (const url of opened) assert.equal(new URL(url).protocol, 'https:');
  });

  for (const platform of ['darwin', 'win32'] as const) {
    test(`${platform}: the actions without a shortcut are in File (import a draft, new profile) and Server (test, remove, status), each sending its command once`, () => {
      const sent: MenuCommand[] = [];
      const template = buildMenuTemplate(platform, false, { ...noLinks, command: (command) => sent.push(command) });
      const menu = (label: string) => (template.find((item) => item.label === label)?.submenu ?? []) as MenuItemConstructorOptions[];
      for (const [label, entries] of [['File', FILE_ENTRIES], ['Server', SERVER_ENTRIES]] as const) {
        for (const entry of entries) {
          const matching = allItems(template).filter((item) => item.label === entry.label);
          assert.equal(matching.length, 1, `${entry.label} is one menu item`);
          assert.ok(menu(label).includes(matching[0]!), `${entry.label} is in ${label}`);
          assert.equal(matching[0]!.accelerator, undefined);
          sent.length = 0;
          (matching[0]!.click as () => void)();
          assert.deepEqual(sent, [entry.command]);
        }
      }
      const commands = [...FILE_ENTRIES, ...SERVER_ENTRIES].map((entry) => entry.command.command);
      assert.equal(new Set(commands).size, commands.length, 'no two entries send the same command');
    });
  }

  for (const platform of ['darwin', 'win32'] as const) {
    test(`${platform}: every shortcut the Keyboard shortcuts view lists is one menu item that sends its command`, () => {
      const sent: MenuCommand[] = [];
      const template = buildMenuTemplate(platform, false, { ...noLinks, command: (command) => sent.push(command) });
      const items = allItems(template).filter((item) => item.accelerator);
      for (const shortcut of ALL_SHORTCUTS) {
        const matching = items.filter((item) => item.accelerator === shortcut.accelerator);
        assert.equal(matching.length, 1, `${shortcut.accelerator} is on exactly one item`);
        assert.equal(matching[0]!.label, shortcut.label);
        sent.length = 0;
        (matching[0]!.click as () => void)();
        assert.deepEqual(sent, [shortcut.command]);
      }
      assert.equal(items.length, ALL_SHORTCUTS.length, 'no menu accelerator missing from the shortcuts view');
      for (const shortcut of ALL_SHORTCUTS) assert.ok(!ROLE_ACCELERATORS.includes(shortcut.accelerator), `${shortcut.accelerator} shadows a role`);
    });
  }
});
