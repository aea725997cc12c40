// The certificate and pass pages' share of issue #17 in the real renderer against the emulator: the application ID
// picker (the server's list, searchable, with the Windows push state; typing an ID with the server down), MPNS
// retirement said on the certificate pages with the way to WNS, and "Issue a new pass" sent to the pass import
// endpoint, kept in the draft and recorded in the history as an issue.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makePkpass } from '../support/fixtures';
import { axeViolations } from '../support/axe';
import { startE2eApp, type E2eApp, useEmulatorProfile } from '../support/e2e-harness';

const PASS_IMPORT = '/api/v1/message/pass/import';

async function noSeriousAxe(app: E2eApp, state: string): Promise<void> {
  const blocking = (await axeViolations(app.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    blocking.map((v) => `${state}: ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
  );
}

describe('certificate and pass pages: app picker, MPNS note, issue a new pass', () => {
  let app: E2eApp;

  before(async () => {
    app = await startE2eApp();
    await useEmulatorProfile(app);
  });
  after(async () => {
    await app?.close();
  });

  test('with the server down and no list read yet, an application ID is typed and kept', async () => {
    await app.navigate('Certificate upload');
    const page = app.page.locator('[data-page="cert-upload"]');
    await app.stopEmulator();
    try {
      const input = page.getByTestId('upload-app-id');
      await input.click();
      await page.getByTestId('upload-app-id-note').filter({ hasText: 'The application list could not be read: type the application ID.' }).waitFor();
      assert.equal(await page.getByTestId('app-option').count(), 0);
      await input.fill('AppTypedOffline');
      assert.equal(await input.inputValue(), 'AppTypedOffline');
      await input.press('Escape');
      assert.equal(await input.inputValue(), 'AppTypedOffline', 'Escape closes the list, not the typed ID');
      await app.failIfAppErrorVisible();
    } finally {
      await app.restartEmulator();
    }
  });

  test('an ID the list does not hold, typed, then Save as… at once: the click is not lost to the note leaving', async () => {
    await app.navigate('Certificate download');
    const page = app.page.locator('[data-page="cert-download"]');
    const input = page.getByTestId('download-app-id');
    await input.click();
    await page.getByTestId('app-option').first().waitFor();
    await input.fill('NotListedApp7');
    await page.getByTestId('download-app-id-note').filter({ hasText: 'No application matches' }).waitFor();
    const asked = app.dialogs.saved.length;
    // One press and release: the input's blur comes between them, and the button must still be under the pointer.
    // The press reached Save as…: the server was asked and answered that it has no such app, before any dialog.
    await page.getByTestId('download-submit').click();
    await page.getByTestId('download-refused').filter({ hasText: /NotListedApp7/ }).waitFor();
    assert.equal(app.dialogs.saved.length, asked);
    await input.fill('');
  });

  test('download: MPNS retirement is said, the ID is picked from the list by searching, and the WNS way opens Applications', async () => {
    await app.navigate('Certificate download');
    const page = app.page.locator('[data-page="cert-download"]');
    const note = page.getByTestId('mpns-retired');
    assert.match(await note.innerText(), /Microsoft has retired MPNS/);
    assert.match(await note.innerText(), /WNS/);
    assert.match(await page.getByTestId('mpns-backup-hint').innerText(), /Download a backup first/);

    const input = page.getByTestId('download-app-id');
    await input.click();
    const options = page.getByTestId('app-option');
    await options.first().waitFor();
    assert.equal(await options.count(), 12, 'every app of the emulator is offered');
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    await input.fill('boarding');
    assert.equal(await options.count(), 1, 'the search matches names as well as IDs');
    const option = options.first();
    const pickedId = await option.getAttribute('data-app-id');
    assert.ok(pickedId && !/boarding/i.test(pickedId), 'found by its name, not its ID');
    assert.match(await option.innerText(), /BoardingPasses/);
    assert.match(await option.innerText(), /WNS (not )?set/);
    await noSeriousAxe(app, 'download picker open');
    await option.click();
    assert.equal(await input.inputValue(), pickedId);
    assert.equal(await input.getAttribute('aria-expanded'), 'false');

    // The keyboard picks too: ArrowDown to the second match, Enter.
    await input.fill('');
    await options.nth(11).waitFor();
    await input.press('ArrowDown');
    const second = await options.nth(1).getAttribute('data-app-id');
    await input.press('Enter');
    assert.equal(await input.inputValue(), second);
    await noSeriousAxe(app, 'download picker closed');
    await app.screenshot('app-picker-download');

    await page.getByTestId('mpns-open-wns').click();
    await app.page.locator('[data-page="apps"]').getByTestId('apps-table').waitFor({ state: 'visible' });
    await app.failIfAppErrorVisible();
  });

  test('upload says MPNS is retired; issuing a new pass reaches the pass import endpoint and is kept in the draft and history', async () => {
    await app.navigate('Certificate upload');
    assert.match(await app.page.locator('[data-page="cert-upload"]').getByTestId('mpns-retired').innerText(), /Windows Phone push is switched off/);

    await app.navigate('Pass update');
    const page = app.page.locator('[data-page="pass-update"]');
    assert.match(await page.getByTestId('pass-update-scope').innerText(), /only to a pass that is still scheduled/);
    await page.getByLabel('Issue a new pass').click();
    await page.locator('[data-testid="pass-mode-issue"]:checked').waitFor({ state: 'attached' });
    assert.match(await page.getByTestId('pass-update-scope').innerText(), /new pass is issued/);
    await app.dropFiles('pkpass-drop', [(await makePkpass(app.workDir, { name: 'issue.pkpass' })).path]);
    await page.getByTestId('chosen-file').filter({ hasText: 'issue.pkpass' }).waitFor();
    await page.getByTestId('pkpass-check').filter({ hasText: /\S/ }).waitFor();
    await page.getByTestId('recipient-id').first().fill('48494');
    await noSeriousAxe(app, 'pass issue ready');

    app.emulator.clearRequests();
    await page.getByTestId('pass-send').click();
    await page.getByTestId('pass-result').filter({ hasText: 'Queued.' }).waitFor();
    const posts = app.emulator.requests.filter((r) => r.method === 'POST' && r.path.includes('/message/pass/'));
    assert.deepEqual(posts.map((r) => [r.path.replace(/^.*(\/api\/v1\/)/, '$1'), r.status]), [[PASS_IMPORT, 200]]);

    const drafts = await app.services.drafts.drafts.list();
    const stored = await Promise.all(drafts.drafts.map((d) => app.services.drafts.drafts.get(d.id)));
    assert.ok(stored.some((d) => d.kind === 'pass-update' && d.payload.issue === true), 'the draft keeps the choice');
    const history = await app.services.drafts.history.query({});
    assert.ok(history.records.some((r) => r.endpoint === `POST ${PASS_IMPORT}`), history.records.map((r) => r.endpoint).join(', '));

    // Back to an update: the next send goes to the update endpoint again.
    await page.getByLabel('Update scheduled passes').click();
    await page.locator('[data-testid="pass-mode-update"]:checked').waitFor({ state: 'attached' });
    app.emulator.clearRequests();
    await page.getByTestId('pass-send').click();
    await page.getByTestId('pass-result').filter({ hasText: 'Queued.' }).waitFor();
    assert.ok(app.emulator.requests.some((r) => r.method === 'POST' && r.path.endsWith('/message/pass/import/update')));
    assert.ok(!app.emulator.requests.some((r) => r.method === 'POST' && r.path.endsWith(PASS_IMPORT)));
    await app.failIfAppErrorVisible();
  });
});
