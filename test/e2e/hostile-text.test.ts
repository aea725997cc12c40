// Untrusted text in the real renderer (issue #18, points 4 and 8): a file name with a right-to-left override, a
// server message with ESC sequences, history rows holding both, and a history file with damaged lines. What the
// user reads is what the text holds (controls shown escaped, isolated in <bdi>), and the readable sends are shown.
import assert from 'node:assert/strict';
import { appendFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeP12 } from '../support/fixtures';
import { startE2eApp, type E2eApp, useEmulatorProfile } from '../support/e2e-harness';

const PASSPHRASE = 'p12-Hostile-Pass';
const HOSTILE_MESSAGE = 'Store offline\x1b[2J\u202egnp.exe';

describe('untrusted text in the app', () => {
  let app: E2eApp;

  before(async () => {
    app = await startE2eApp();
    await useEmulatorProfile(app);
  });
  after(async () => {
    await app?.close();
  });

  test('a file name, a server message and history rows show their control and bidi characters escaped', async () => {
    const p12 = await makeP12(app.workDir, { passphrase: PASSPHRASE });
    const tricky = join(app.workDir, 'invoice\u202eexe.p12');
    await copyFile(p12.path, tricky);

    const form = app.page.getByRole('form', { name: 'Upload certificate' });
    await app.navigate('Certificate upload');
    await form.getByLabel('Application ID').fill('HostileApp1');
    await app.dropFiles('p12-drop', [tricky]);
    const chosen = form.getByTestId('chosen-file');
    await chosen.waitFor();
    const chosenText = await chosen.innerText();
    assert.ok(chosenText.includes('invoice\\u202eexe.p12'), chosenText);
    assert.ok(!chosenText.includes('\u202e'), 'no raw right-to-left override on screen');
    assert.equal(await chosen.locator('bdi.chosen-file-name').count(), 1);

    await form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    app.emulator.injectFault({ path: /\/windows$/, status: 500, body: JSON.stringify({ id: '-1', message: HOSTILE_MESSAGE }), contentType: 'application/json' });
    await form.getByTestId('upload-submit').and(app.page.locator(':enabled')).waitFor();
    await form.getByTestId('upload-submit').click();
    const shown = await app.waitForAppError('Store offline');
    assert.ok(shown.includes('Store offline\\x1b[2J\\u202egnp.exe'), shown);
    assert.ok(!shown.includes('\x1b') && !shown.includes('\u202e'), 'no raw ESC or bidi control in the error banner');
    await app.dismissAppErrors();

    // One damaged line of each kind beside the recorded failure.
    const path = app.services.drafts.history.path;
    await appendFile(path, '{"id":"bad","at":"2026-01-01T00:00:00.000Z","status":5}\nnot json\n');

    await app.navigate('History');
    const page = app.page.locator('[data-page="history"]');
    const rows = page.getByTestId('history-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    const row = await rows.first().innerText();
    assert.ok(row.includes('Store offline\\x1b[2J\\u202egnp.exe'), row);
    assert.ok(row.includes('invoice\\u202eexe.p12'), row);
    assert.ok(!row.includes('\x1b') && !row.includes('\u202e'), 'no raw ESC or bidi control in the history row');

    const problems = page.getByTestId('history-problems');
    await problems.waitFor();
    const notice = await problems.innerText();
    assert.match(notice, /^2 lines of the history could not be read\./);
    assert.ok(notice.includes('Line 2 of the send history could not be read: its kind is missing.'), notice);
    assert.ok(notice.includes('Line 3 of the send history could not be read: it is not valid JSON.'), notice);
    assert.ok(notice.includes(`kept as it was in ${path}`), notice);
    assert.match(await page.getByTestId('history-count').innerText(), /1 send · 2 unreadable line\(s\) not shown/);
    await app.screenshot('history-damaged-lines');
    await app.failIfAppErrorVisible();
  });

  test('a server message in a successful answer is shown escaped and isolated, like an error', async () => {
    // A fresh app: the first test left its upload form holding a file.
    const app = await startE2eApp();
    try {
      await useEmulatorProfile(app);
      const p12 = await makeP12(app.workDir, { passphrase: PASSPHRASE });
      const form = app.page.getByRole('form', { name: 'Upload certificate' });
      await app.navigate('Certificate upload');
      await form.getByLabel('Application ID').fill('HostileApp2');
      await app.dropFiles('p12-drop', [p12.path]);
      await form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
      app.emulator.injectFault({
        path: /\/windows$/,
        status: 200,
        body: JSON.stringify({ id: 'HostileApp2', message: `Details updated\x1b]0;owned\x07\u202egnp.exe` }),
        contentType: 'application/json',
      });
      await form.getByTestId('upload-submit').and(app.page.locator(':enabled')).waitFor();
      await form.getByTestId('upload-submit').click();
      const result = form.getByTestId('upload-result');
      await result.waitFor();
      const text = await result.innerText();
      assert.ok(text.includes('Details updated\\x1b]0;owned\\x07\\u202egnp.exe'), text);
      assert.ok(!['\x1b', '\x07', '\u202e'].some((c) => text.includes(c)), 'no raw control or bidi character in the outcome');
      assert.equal(await result.locator('bdi').count(), 1);
      await app.failIfAppErrorVisible();
    } finally {
      await app.close();
    }
  });
});
