import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { HELP_LINKS, buildMenuTemplate } from '../../../../main/electron/menu';

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

const noLinks = { openExternal: () => assert.fail('no link should open while building the menu') };

describe('buildMenuTemplate', () => {
  test('macOS: app menu first with about/hide/quit, File closes the window', () => {
    const template = buildMenuTemplate('darwin', false, noLinks);
    assert.deepEqual(
      template.map((item) => item.label),
      ['Engagement Desk', 'File', 'Edit', 'View', 'Window', 'Help'],
    );
    const appMenu = roles(menu(template, 'Engagement Desk'));
    for (const role of ['about', 'hide', 'hideOthers', 'unhide', 'quit']) assert.ok(appMenu.includes(role), role);
    assert.deepEqual(roles(menu(template, 'File')), ['close']);
    assert.equal(allRoles(template).filter((role) => role === 'quit').length, 1);
  });

  for (const platform of ['win32', 'linux'] as const) {
    test(`${platform}: no app menu, File > Quit`, () => {
      const template = buildMenuTemplate(platform, false, noLinks);
      assert.deepEqual(template.map((item) => item.label), ['File', 'Edit', 'View', 'Window', 'Help']);
      assert.deepEqual(roles(menu(template, 'File')), ['quit']);
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
      assert.deepEqual(production, ['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
      const development = roles(menu(buildMenuTemplate(platform, true, noLinks), 'View'));
      for (const role of ['reload', 'forceReload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut']) {
        assert.ok(development.includes(role), `${platform} ${role}`);
      }
    }
  });

  test('Help items open https documentation in the browser', () => {
    const opened: string[] = [];
    const help = menu(buildMenuTemplate('linux', false, { openExternal: (url) => opened.push(url) }), 'Help');
    assert.equal(help.length, HELP_LINKS.length);
    for (const item of help) {
      assert.equal(typeof item.click, 'function');
      (item.click as () => void)();
    }
    assert.deepEqual(opened, HELP_LINKS.map((link) => link.url));
    for (const url of opened) assert.equal(new URL(url).protocol, 'https:');
  });
});
