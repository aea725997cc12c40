// Desktop manners (issue #21) in the real renderer against the emulator: the menus' commands (built by
// main/electron/menu.ts and pushed as main would) reach the page and act there, the Keyboard shortcuts view lists
// the menus' accelerators, the skip link is the first Tab stop, and a refused drop answers at its zone.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ALL_SHORTCUTS, acceleratorText } from '../../preload/contract';
import { makeP12 } from '../support/fixtures';
import { startE2eApp, useEmulatorProfile, waitUntil, type E2eApp } from '../support/e2e-harness';

const P12_PASSPHRASE = 'manners-Passphrase-1';

describe('desktop manners', () => {
  let app: E2eApp;

  before(async () => {
    app = await startE2eApp();
    await useEmulatorProfile(app);
  });
  after(async () => {
    await app?.close();
  });

  const current = () => app.page.getByRole('navigation', { name: 'Sections' }).locator('[aria-current="page"]');
  const shown = () => app.page.locator('[data-page]:not([hidden])');

  test('Ctrl+1…7 open the pages in navigation order, Ctrl+, opens Profiles (Windows menus)', async () => {
    for (const [accelerator, page] of [
      ['CmdOrCtrl+3', 'Pass update'],
      ['CmdOrCtrl+6', 'History'],
      ['CmdOrCtrl+1', 'Certificate upload'],
      ['CmdOrCtrl+,', 'Profiles'],
    ] as const) {
      await app.menu(accelerator, 'win32');
      await current().filter({ hasText: page }).waitFor();
    }
  });

  test('the Keyboard shortcuts view (Help menu) lists every accelerator the menus define', async () => {
    await app.menu('CmdOrCtrl+/', 'darwin');
    await current().filter({ hasText: 'Keyboard shortcuts' }).waitFor();
    const rows = await shown().getByTestId('shortcuts-table').locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, ALL_SHORTCUTS.length);
    for (const shortcut of ALL_SHORTCUTS) {
      // Chromium here runs on Linux, so the view writes Ctrl (macOS would show ⌘).
      const keys = acceleratorText(shortcut.accelerator, false);
      assert.ok(
        rows.some((row) => row.includes(shortcut.label.replace(/…$/, '')) && row.includes(keys)),
        `${shortcut.label} ${keys} is listed`,
      );
    }
  });

  test('Open (Ctrl+O) opens the file dialog of the page on screen; Send (Ctrl+Enter) sends it', async () => {
    const p12 = await makeP12(app.workDir, { passphrase: P12_PASSPHRASE });
    await app.menu('CmdOrCtrl+1');
    const form = app.page.getByRole('form', { name: 'Upload certificate' });
    await form.getByLabel('Application ID').fill('AppForAll1');
    app.dialogs.answerOpen([p12.path]);
    const opened = app.dialogs.opened.length;
    await app.menu('CmdOrCtrl+O');
    await form.getByTestId('chosen-file').waitFor();
    assert.deepEqual(app.dialogs.opened.slice(opened), [{ kind: 'p12', multiple: false }]);

    // Not ready (no passphrase): Send does nothing but say why, beside nothing it could have sent.
    app.emulator.clearRequests();
    await app.menu('CmdOrCtrl+Enter');
    await app.page.getByTestId('menu-note').filter({ hasText: 'Send is not available on this page yet' }).waitFor();
    assert.equal(app.emulator.requests.length, 0);

    await form.getByLabel('Passphrase', { exact: true }).fill(P12_PASSPHRASE);
    await form.getByTestId('upload-submit').and(app.page.locator(':enabled')).waitFor();
    await app.menu('CmdOrCtrl+Enter');
    await app.page.getByTestId('upload-result').filter({ hasText: 'Uploaded.' }).waitFor();
    assert.equal(app.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/applications/AppForAll1/windows')).length, 1);
  });

  test('Export history (Ctrl+E) opens History and asks where to save the CSV', async () => {
    const saved = app.dialogs.saved.length;
    await app.menu('CmdOrCtrl+E');
    await current().filter({ hasText: 'History' }).waitFor();
    await waitUntil(() => app.dialogs.saved.length > saved, 'the export asked for a file');
    assert.equal(app.dialogs.saved.at(-1)?.kind, 'csv');
  });

  test('the skip link is the first Tab stop and moves focus to the page', async () => {
    // A fresh window, as the user meets it: nothing focused yet.
    await app.page.reload();
    await app.page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await app.page.keyboard.press('Tab');
    const skip = app.page.getByRole('link', { name: 'Skip to the page' });
    assert.equal(await skip.evaluate((el) => el.matches(':focus')), true);
    assert.ok((await skip.boundingBox())!.y >= 0, 'visible when focused');
    await app.page.keyboard.press('Enter');
    assert.equal(await app.page.locator('main#content').evaluate((el) => el.matches(':focus')), true);
  });

  test('a refused drop answers at its drop zone and clears when a good file is dropped', async () => {
    await app.menu('CmdOrCtrl+1');
    const form = app.page.getByRole('form', { name: 'Upload certificate' });
    const remove = form.getByRole('button', { name: /^Remove / });
    if (await remove.count()) await remove.click();
    const notes = join(app.workDir, 'notes.txt');
    await writeFile(notes, 'not a certificate');
    await app.dropFiles('p12-drop', [notes]);
    const refusal = app.page.getByTestId('p12-drop-refusal');
    await refusal.filter({ hasText: '"notes.txt" is not .p12 or .pfx file' }).waitFor();
    assert.deepEqual(await app.appErrors(), [], 'nothing in the page-wide error region');
    // The zone names the refusal to a screen reader too.
    const describedBy = await app.page.getByTestId('p12-drop').getAttribute('aria-describedby');
    assert.equal(describedBy, await refusal.getAttribute('id'));
    await app.dropFiles('p12-drop', [(await makeP12(app.workDir, { passphrase: P12_PASSPHRASE })).path]);
    await form.getByTestId('chosen-file').waitFor();
    // The zone gives way to the chosen file, and the refusal goes with it.
    assert.equal(await refusal.count(), 0);
  });
});
