// The Keyboard shortcuts view (issue #21): every accelerator of the menus, read from the same table main builds
// them from (preload/contract/menu.ts), written the way this platform writes them.
import { ACTION_SHORTCUTS, PAGE_SHORTCUTS, REFRESH_SHORTCUT, SETTINGS_SHORTCUT, SHORTCUTS_SHORTCUT, acceleratorText, type Shortcut } from '../../../../preload/contract';

const isMac = /Mac/i.test(navigator.platform);

const GROUPS: { title: string; shortcuts: readonly Shortcut[] }[] = [
  { title: 'Actions', shortcuts: [...ACTION_SHORTCUTS, REFRESH_SHORTCUT] },
  { title: 'Pages', shortcuts: PAGE_SHORTCUTS },
  { title: 'App', shortcuts: [SETTINGS_SHORTCUT, SHORTCUTS_SHORTCUT] },
];

export function ShortcutsPage() {
  return (
    <div className="page" data-testid="shortcuts-page">
      <header className="page-header">
        <h1>Keyboard shortcuts</h1>
        <p className="page-intro">
          The same commands are in the menu bar. Send, Open file, New draft and Refresh act on the page on screen;
          Save certificate as and Export history open their page first.
        </p>
      </header>
      {GROUPS.map((group) => (
        <table key={group.title} className="data-table shortcuts-table" data-testid="shortcuts-table">
          <caption>{group.title}</caption>
          <thead>
            <tr>
              <th scope="col">Command</th>
              <th scope="col">Shortcut</th>
            </tr>
          </thead>
          <tbody>
            {group.shortcuts.map((shortcut) => (
              <tr key={shortcut.accelerator}>
                <td>{shortcut.label.replace(/…$/, '')}</td>
                <td>
                  <kbd>{acceleratorText(shortcut.accelerator, isMac)}</kbd>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
