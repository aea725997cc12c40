// Desktop manners (issue #21) in the real renderer against the emulator: the menus' commands (built by
// main/electron/menu.ts and pushed as main would) reach the page and act there, the Keyboard shortcuts view lists
// the menus' accelerators, the skip link is the first Tab stop, and a refused drop answers at its zone.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ALL_SHORTCUTS, acceleratorText } from '../../preload/contract';
import { makeP12, makePkpass } from '../support/fixtures';
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

  test('Ctrl+1…9 open the pages in navigation order, Ctrl+, opens Profiles (Windows menus)', async () => {
    for (const [accelerator, page] of [
      ['CmdOrCtrl+3', 'Pass update'],
      ['CmdOrCtrl+6', 'History'],
      ['CmdOrCtrl+7', 'Applications'],
      ['CmdOrCtrl+8', 'Certificate expiry'],
      ['CmdOrCtrl+9', 'Pass status'],
      ['CmdOrCtrl+1', 'Certificate upload'],
      ['CmdOrCtrl+,', 'Profiles'],
    ] as const) {
      await app.menu(accelerator, 'win32');
      await current().filter({ hasText: page }).waitFor();
    }
  });

  test('every page of the navigation is opened by a menu shortcut, on both platforms', async () => {
    const navigation = app.page.getByRole('navigation', { name: 'Sections' });
    const pages = await navigation.locator('.nav-label').allInnerTexts();
    for (const platform of ['win32', 'darwin'] as const) {
      const reached = new Set<string>();
      for (const shortcut of ALL_SHORTCUTS) {
        if (!['show-page', 'settings', 'shortcuts'].includes(shortcut.command.command)) continue;
        await app.menu(shortcut.accelerator, platform);
        // The page shown is the one the navigation marks current.
        await current().filter({ hasText: shortcut.command.command === 'settings' ? 'Profiles' : shortcut.label }).waitFor();
        reached.add(await current().locator('.nav-label').innerText());
      }
      assert.deepEqual([...reached].sort(), [...pages].sort(), `${platform}: pages without a shortcut`);
    }
  });

  test('two menu commands in a row act on the page the first one opened (Ctrl+3 then Ctrl+N before the page has rendered)', async () => {
    await app.menu('CmdOrCtrl+3');
    const pass = app.page.locator('[data-page="pass-update"]');
    await app.dropFiles('pkpass-drop', [(await makePkpass(app.workDir, { name: 'quick.pkpass' })).path]);
    await pass.getByTestId('chosen-file').filter({ hasText: 'quick.pkpass' }).waitFor();
    await app.menu('CmdOrCtrl+1');
    await current().filter({ hasText: 'Certificate upload' }).waitFor();
    // Both reach the page in one task, so React cannot render between them, as with two quick accelerators.
    await app.page.evaluate(() => {
      const push = (globalThis as unknown as { __engMenu(c: unknown): void }).__engMenu;
      push({ command: 'show-page', page: 'pass-update' });
      push({ command: 'new-draft' });
    });
    await current().filter({ hasText: 'Pass update' }).waitFor();
    // New draft acted there: the pass form is fresh.
    await pass.getByTestId('chosen-file').filter({ hasText: 'quick.pkpass' }).waitFor({ state: 'detached' });
    assert.deepEqual((await app.page.getByTestId('menu-note').allInnerTexts()).filter((text) => text.trim() !== ''), []);
  });

  test('the actions without a shortcut (File: import a draft, new profile; Server: test, remove, status) open their page and act there', async () => {
    await app.menu('CmdOrCtrl+1');
    await app.menu('Test connection');
    await current().filter({ hasText: 'Profiles' }).waitFor();
    await app.page.getByTestId('profile-status').filter({ hasText: /^Connected in \d+ ms/ }).waitFor();

    await app.menu('New profile', 'darwin');
    await app.page.locator('.profile-editor').getByRole('heading', { name: 'New profile' }).waitFor();

    const opened = app.dialogs.opened.length;
    await app.menu('Import draft…');
    await current().filter({ hasText: 'Drafts' }).waitFor();
    await waitUntil(() => app.dialogs.opened.length === opened + 1, 'the import dialog opened');
    assert.equal(app.dialogs.opened.at(-1)?.kind, 'draft');

    await app.menu('Check pass status');
    await current().filter({ hasText: 'Pass status' }).waitFor();
    // Clicked with no request ID yet: the form names what it needs.
    await shown().locator('.field-error').filter({ hasText: 'Enter the request id that the pass update or issue answered.' }).waitFor();

    // On Applications the removal needs an app with a certificate chosen first: the note says so.
    await app.menu('Remove MPNS certificate…');
    await current().filter({ hasText: 'Applications' }).waitFor();
    await app.page.getByTestId('menu-note').filter({ hasText: /^Remove MPNS certificate is not available on this page/ }).waitFor();
    await app.menu('CmdOrCtrl+1');
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

    await form.getByLabel('Passphrase', { exact: true }).fill(P12_PASSPHRASE);
    await form.getByTestId('upload-submit').and(app.page.locator(':enabled')).waitFor();
    await app.menu('CmdOrCtrl+Enter');
    await app.page.getByTestId('upload-result').filter({ hasText: 'Uploaded.' }).waitFor();
    assert.equal(app.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/applications/AppForAll1/windows')).length, 1);
  });

  test('Send (Ctrl+Enter) on a page with nothing to send says so and sends nothing', async () => {
    await app.menu('CmdOrCtrl+,');
    await current().filter({ hasText: 'Profiles' }).waitFor();
    app.emulator.clearRequests();
    await app.menu('CmdOrCtrl+Enter');
    await app.page.getByTestId('menu-note').filter({ hasText: 'Send is not available on this page.' }).waitFor();
    assert.equal(app.emulator.requests.length, 0);
    // The note belongs to that moment: another page clears it.
    await app.menu('CmdOrCtrl+1');
    await app.page.getByTestId('menu-note').filter({ hasText: 'Send is not available' }).waitFor({ state: 'detached' });
  });

  test('Send (Ctrl+Enter) on the Outbox sends everything queued', async () => {
    const form = await freshUploadForm();
    await form.getByLabel('Application ID').fill('QueuedApp3');
    await app.dropFiles('p12-drop', [(await makeP12(app.workDir, { passphrase: P12_PASSPHRASE })).path]);
    await form.getByLabel('Passphrase', { exact: true }).fill(P12_PASSPHRASE);
    await form.getByTestId('upload-submit').and(app.page.locator(':enabled')).waitFor();
    const outbox = app.page.locator('[data-page="outbox"]');
    // Automatic sending paused, so only the menu command can send it once the server is back.
    await app.menu('CmdOrCtrl+5');
    await outbox.getByTestId('outbox-pause-all').click();
    await outbox.getByTestId('outbox-paused').waitFor();
    try {
      await app.menu('CmdOrCtrl+1');
      await app.stopEmulator();
      try {
        await form.getByTestId('upload-submit').click();
        await app.page.locator('[data-testid="upload-result"][data-outcome="queued"]').waitFor();
      } finally {
        await app.restartEmulator();
      }
      app.emulator.clearRequests();
      await app.menu('CmdOrCtrl+5');
      const entry = outbox.getByTestId('outbox-entry').filter({ hasText: 'QueuedApp3' });
      await entry.and(app.page.locator('[data-state="queued"]')).waitFor();
      await app.menu('CmdOrCtrl+Enter');
      await entry.and(app.page.locator('[data-state="sent"]')).waitFor();
      assert.equal(app.emulator.requests.filter((r) => r.path.endsWith('/applications/QueuedApp3/windows')).length, 1);
    } finally {
      await app.menu('CmdOrCtrl+5');
      await outbox.getByTestId('outbox-pause-all').click();
      await outbox.getByTestId('outbox-paused').waitFor({ state: 'detached' });
    }
  });

  test('Refresh (F5, View menu) reads the list of Applications and Certificate expiry again; elsewhere it says it is not there', async () => {
    for (const [accelerator, page, path] of [
      ['CmdOrCtrl+7', 'apps', /\/api\/v1\/applications(\?|$)/],
      ['CmdOrCtrl+8', 'expiry', /\/api\/v1\/applications\/certexpirydetails/],
    ] as const) {
      // Opening the page reads its list once; F5 is pressed after that read has finished.
      app.emulator.clearRequests();
      await app.menu(accelerator);
      await waitUntil(() => app.emulator.requests.some((r) => path.test(r.path)), `the ${page} page read its list`);
      const refresh = app.page.locator(`[data-page="${page}"]`).getByTestId(`${page}-refresh`);
      await refresh.filter({ hasText: 'Refresh' }).and(app.page.locator(':enabled')).waitFor();
      app.emulator.clearRequests();
      await app.menu('F5', 'darwin');
      await waitUntil(() => app.emulator.requests.some((r) => path.test(r.path)), `F5 read the ${page} list again`);
      await refresh.filter({ hasText: 'Refresh' }).and(app.page.locator(':enabled')).waitFor();
    }
    await app.menu('CmdOrCtrl+4');
    await app.menu('F5');
    await app.page.getByTestId('menu-note').filter({ hasText: 'Refresh is not available on this page.' }).waitFor();
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

  /** A new, empty upload draft through the menus: Ctrl+1, then New draft (Ctrl+N). */
  async function freshUploadForm() {
    await app.menu('CmdOrCtrl+1');
    const form = app.page.getByRole('form', { name: 'Upload certificate' });
    await form.waitFor();
    await app.menu('CmdOrCtrl+N');
    await app.page.getByTestId('p12-drop').waitFor();
    assert.equal(await form.getByLabel('Application ID').inputValue(), '');
    return form;
  }

  test('the check headline says what blocks the send instead of "Ready to send"', async () => {
    const form = await freshUploadForm();
    await app.dropFiles('p12-drop', [(await makeP12(app.workDir, { passphrase: P12_PASSPHRASE })).path]);
    const verdict = form.getByTestId('p12-check').locator('.chk-verdict');
    await verdict.filter({ hasText: 'Not ready to send' }).waitFor();
    assert.match(await verdict.innerText(), /enter the application ID, enter the passphrase to check the certificate/);
    assert.match(await form.getByTestId('upload-not-ready').innerText(), /To upload: enter the application ID/);
    await form.getByLabel('Application ID').fill('AppForAll1');
    await form.getByLabel('Passphrase', { exact: true }).fill(P12_PASSPHRASE);
    await verdict.filter({ hasText: /Ready to send$/ }).waitFor();
    assert.equal(await form.getByTestId('upload-not-ready').count(), 0);

    // Pass update: a JSON syntax error is named in the content check's headline, and Send waits for it.
    await app.menu('CmdOrCtrl+3');
    const pass = app.page.locator('[data-page="pass-update"]');
    await pass.getByTestId('pass-json').fill('{ "recipients": ');
    const contentVerdict = pass.getByTestId('content-check').locator('.chk-verdict');
    await contentVerdict.filter({ hasText: /(Not ready to send|Cannot be sent): correct the JSON syntax error above/ }).waitFor();
    assert.equal(await pass.getByTestId('pass-send').isDisabled(), true);
  });

  /** Whether the element is wholly inside the viewport, below the sticky header. */
  async function inView(locator: ReturnType<E2eApp['page']['getByTestId']>): Promise<string | true> {
    const box = await locator.boundingBox();
    const size = app.page.viewportSize()!;
    if (!box) return 'not rendered';
    return box.y >= 56 && box.y + box.height <= size.height ? true : `at y=${Math.round(box.y)}..${Math.round(box.y + box.height)} in a ${size.height} px window`;
  }

  for (const size of [
    { width: 1280, height: 800, serverDown: true },
    { width: 900, height: 700, serverDown: false },
  ]) {
    test(`at ${size.width}x${size.height} the outcome of an upload${size.serverDown ? ' (server down: queued)' : ''} is scrolled into view, announced, and cleared when the form changes`, async () => {
      await app.page.setViewportSize({ width: size.width, height: size.height });
      try {
        const form = await freshUploadForm();
        await form.getByLabel('Application ID').fill('AppForAll1');
        await app.dropFiles('p12-drop', [(await makeP12(app.workDir, { passphrase: P12_PASSPHRASE })).path]);
        await form.getByLabel('Passphrase', { exact: true }).fill(P12_PASSPHRASE);
        await form.getByTestId('upload-submit').and(app.page.locator(':enabled')).waitFor();
        await app.page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
        if (size.serverDown) await app.stopEmulator();
        await form.getByTestId('upload-submit').click();
        const result = app.page.getByTestId('upload-result');
        await result.filter({ hasText: size.serverDown ? /Outbox/ : 'Uploaded.' }).waitFor();
        // Scrolled by the app (a scroll event settles the position), not by a test action.
        await waitUntilInView(result);
        assert.equal(await result.locator('xpath=ancestor::*[@aria-live="polite"]').count(), 1, 'inside a polite live region');

        // The form changes: the old outcome goes.
        await form.getByRole('button', { name: /^Remove / }).click();
        await result.waitFor({ state: 'detached' });
        const notes = join(app.workDir, 'notes.txt');
        await writeFile(notes, 'not a certificate');
        await app.dropFiles('p12-drop', [notes]);
        await app.page.getByTestId('p12-drop-refusal').filter({ hasText: 'notes.txt' }).waitFor();
        assert.equal(await result.count(), 0, 'no "Uploaded." under an empty, refused form');
      } finally {
        if (size.serverDown) await app.restartEmulator();
        await app.page.setViewportSize({ width: 1360, height: 900 });
      }
    });
  }

  async function waitUntilInView(locator: ReturnType<E2eApp['page']['getByTestId']>): Promise<void> {
    let last: string | true = 'not checked';
    for (let attempt = 0; attempt < 50; attempt += 1) {
      last = await inView(locator);
      if (last === true) return;
      await app.page.evaluate(() => new Promise((done) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => done(undefined))));
    }
    assert.fail(`the outcome is not in view: ${last}`);
  }

  test('at 900x700 the send bar is compact and in the flow, and a batch\'s results are scrolled into view with nothing over them', async () => {
    await app.page.setViewportSize({ width: 900, height: 700 });
    try {
      await app.menu('CmdOrCtrl+3');
      const pass = app.page.locator('[data-page="pass-update"]');
      await app.menu('CmdOrCtrl+N');
      await app.dropFiles('pkpass-drop', [(await makePkpass(app.workDir, { name: 'narrow.pkpass' })).path]);
      await pass.getByTestId('chosen-file').filter({ hasText: 'narrow.pkpass' }).waitFor();
      const csv = join(app.workDir, 'narrow.csv');
      await writeFile(csv, `id\r\n${Array.from({ length: 12 }, (_, i) => `40000${i}`).join('\r\n')}\r\n`);
      app.dialogs.answerOpen([csv]);
      await pass.getByTestId('import-recipients').click();
      await pass.getByTestId('import-note').filter({ hasText: 'Imported 12 recipients' }).waitFor();
      await pass.getByTestId('send-separately').check();
      const send = pass.getByTestId('pass-send').filter({ hasText: 'Send 12 updates' });
      await send.and(app.page.locator(':enabled')).waitFor();
      const bar = pass.locator('.send-bar');
      // In the flow (it covers nothing) and no taller than a fifth of the window (it was ~220 px, sticky).
      assert.equal(await bar.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { position: string } }).getComputedStyle(el).position), 'static');
      const barHeight = (await bar.boundingBox())!.height;
      const rows = await bar.evaluate((el) => [...(el as unknown as { children: Iterable<{ className: string; getBoundingClientRect(): { height: number } }> }).children].map((c) => `${c.className} ${Math.round(c.getBoundingClientRect().height)}`));
      assert.ok(barHeight <= 700 / 5, `the send bar is ${Math.round(barHeight)} px tall: ${rows.join(', ')}`);

      await app.page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
      await send.click();
      const summary = pass.getByTestId('batch-summary').filter({ hasText: 'Sent 12 of 12.' });
      await summary.waitFor();
      await waitUntilInView(summary);
      // What is drawn at the summary's centre is the summary itself: no bar or header over it.
      const box = (await summary.boundingBox())!;
      const onTop = await summary.evaluate(
        (el, point) => {
          const doc = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): unknown } }).document;
          return (el as { contains(other: unknown): boolean }).contains(doc.elementFromPoint(point.x, point.y));
        },
        { x: box.x + box.width / 2, y: box.y + box.height / 2 },
      );
      assert.equal(onTop, true, 'the batch summary is not covered');
      await app.screenshot('pass-update-batch-results-900x700');
    } finally {
      await app.page.setViewportSize({ width: 1360, height: 900 });
    }
  });

  test('a failed Test connection (401) is answered beside the button, not in the page-wide banner', async () => {
    await app.profiles.save({ name: 'Wrong password', baseUrl: app.emulator.url, authMode: 'basic', username: 'admin' }, 'not-the-password');
    await app.useProfile('Wrong password', { reload: true });
    await app.navigate('Profiles');
    await app.page.locator('.profile-list').getByRole('button', { name: /Wrong password/ }).click();
    const editor = app.page.locator('.profile-editor');
    await editor.getByRole('button', { name: 'Test connection' }).click();
    const status = app.page.getByTestId('profile-status').filter({ hasText: /^Not connected: / });
    await status.waitFor();
    assert.equal(await status.getAttribute('role'), 'alert');
    assert.deepEqual(await app.appErrors(), []);
    await app.useProfile('Emulator');
  });

  test('Save as names a malformed application ID before asking where to save', async () => {
    await app.menu('CmdOrCtrl+2');
    await app.page.getByTestId('download-app-id').fill('../applications');
    const asked = app.dialogs.saved.length;
    await app.menu('CmdOrCtrl+Shift+S');
    await app.page.locator('[data-page="cert-download"]').getByText(/Application IDs have only letters/).first().waitFor();
    assert.equal(app.dialogs.saved.length, asked, 'no Save As dialog for an ID the server cannot have');
  });

  test('at 900x700 Save as asks the server first: an unknown ID or an app without a certificate is answered beside the button, in view, before any dialog', async () => {
    await app.page.setViewportSize({ width: 900, height: 700 });
    try {
      await app.menu('CmdOrCtrl+2');
      const page = app.page.locator('[data-page="cert-download"]');
      const asked = app.dialogs.saved.length;
      const refused = page.getByTestId('download-refused');
      for (const [appId, answer] of [
        // The server's own words for an ID it does not know.
        ['NoSuchApp42', /Invalid AppId: no application "NoSuchApp42"/],
        // A seeded application that stores no MPNS certificate: its details say so.
        ['20097-6548270086', /stores no Windows MPNS certificate for “20097-6548270086”/],
      ] as const) {
        await page.getByTestId('download-app-id').fill(appId);
        app.emulator.clearRequests();
        await app.page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
        await page.getByTestId('download-submit').click();
        await refused.filter({ hasText: answer }).waitFor();
        assert.equal(app.dialogs.saved.length, asked, `${appId}: no Save As dialog`);
        assert.ok(app.emulator.requests.some((r) => r.path.endsWith(`/applications/${appId}`)), 'the details were asked for');
        assert.ok(!app.emulator.requests.some((r) => r.path.includes('downloadwindowscert')), 'nothing was downloaded');
        // In the polite live region under the button, scrolled into view, and not in the page-wide banner.
        assert.equal(await page.getByTestId('download-outcome').getAttribute('aria-live'), 'polite');
        await waitUntilInView(refused);
        assert.deepEqual(await app.appErrors(), []);
      }
      // Changing the ID clears the answer that was about the old one.
      await page.getByTestId('download-app-id').fill('AppForAll1');
      await refused.waitFor({ state: 'detached' });
    } finally {
      await app.page.setViewportSize({ width: 1360, height: 900 });
    }
  });

  /** Show on a secret field: a toggle named "Show <what>" whose aria-pressed says whether the text is shown. */
  async function assertShowToggle(scope: ReturnType<E2eApp['page']['locator']>, field: ReturnType<E2eApp['page']['locator']>, what: string, value: string) {
    await field.fill(value);
    const toggle = scope.getByRole('button', { name: `Show ${what}`, exact: true });
    assert.equal(await field.getAttribute('type'), 'password');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    assert.equal(await field.getAttribute('type'), 'text');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await field.inputValue(), value);
    await toggle.click();
    assert.equal(await field.getAttribute('type'), 'password');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    // Shown, then emptied: the next secret typed there starts hidden again.
    await toggle.click();
    await field.fill('');
    await toggle.and(app.page.locator('[aria-pressed="false"]')).waitFor();
    await field.fill(value);
    assert.equal(await field.getAttribute('type'), 'password');
  }

  test('every secret field can be shown to check it, and hidden again: passphrase, profile password and API key, WNS client secret', async () => {
    const form = await freshUploadForm();
    await assertShowToggle(form, form.getByLabel('Passphrase', { exact: true }), 'passphrase', P12_PASSPHRASE);

    await app.menu('CmdOrCtrl+,');
    const editor = app.page.locator('.profile-editor');
    await app.page.getByRole('button', { name: 'New profile' }).click();
    await editor.getByLabel('Sign-in method').selectOption('basic');
    await assertShowToggle(editor, editor.getByLabel('Password', { exact: true }), 'password', 'Profile-Pw-1');
    await editor.getByLabel('Sign-in method').selectOption('apikey');
    await assertShowToggle(editor, editor.getByLabel('App API key', { exact: true }), 'App API key', 'key-1234');

    await app.menu('CmdOrCtrl+7');
    await app.page.locator('[data-page="apps"]').getByTestId('app-row-AppForAll1').click();
    const wns = app.page.getByRole('form', { name: 'WNS credentials' });
    await assertShowToggle(wns, wns.getByTestId('wns-secret'), 'client secret', 'wns-Secret-1');
    await app.failIfAppErrorVisible();
  });

  test('the Sandbox says its password is built in, not "Not stored yet."', async () => {
    await app.menu('CmdOrCtrl+,');
    await app.page.getByRole('navigation', { name: 'Saved profiles' }).getByRole('button', { name: /Sandbox/ }).click();
    const editor = app.page.locator('.profile-editor');
    await editor.getByRole('heading', { name: 'Sandbox', level: 2 }).waitFor();
    const field = editor.getByLabel('Password', { exact: true });
    const hint = editor.locator(`#${await field.getAttribute('aria-describedby')}`);
    assert.match(await hint.innerText(), /^Built in: the Sandbox's emulator runs inside Engagement Desk/);
    assert.doesNotMatch(await editor.innerText(), /Not stored yet/);
  });
});
