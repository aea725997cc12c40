// The administrator's pages of issue #17 in the real renderer against the emulator: the applications list with its
// search and Windows push state, WNS credentials (checked first, set, tested), MPNS removal with a Save As backup
// and a confirmation that names the app, the expiry overview and its start-up badge, a pass request's status, and
// the lists kept for offline viewing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeP12, makePkpass, samplePassContent } from '../support/fixtures';
import { startE2eApp, type E2eApp, E2E_ADMIN } from '../support/e2e-harness';

const SID = 'ms-app://s-1-15-2-2972962901-2322836549-3722629029-1345238579-3987825745-2155616079-650196962';
const WNS_SECRET = 'e2e-Wns-Client-Secret-5d1';
const APP_ID = 'AppForAll1';

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

async function filesUnder(dir: string): Promise<string> {
  let text = '';
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) text += await readFile(path, 'latin1');
  }
  return text;
}

describe('administration pages', () => {
  let app: E2eApp;

  before(async () => {
    app = await startE2eApp({ passStatusStepMs: 0 });
    await app.profiles.save({ name: 'Emulator', baseUrl: app.emulator.url, authMode: 'basic', username: 'admin' }, E2E_ADMIN.password);
    await app.useProfile('Emulator', { reload: true });
  });
  after(async () => {
    await app?.close();
  });

  test('the expiry badge shows on start; the overview lists certificates by urgency, dates in the locale', async () => {
    const badge = app.page.getByTestId('nav-badge-expiry');
    await badge.waitFor();
    assert.ok(Number(await badge.innerText()) >= 1, 'the seeded certificate 12 days from expiry counts');
    await app.navigate('Certificate expiry');
    await app.page.getByTestId('expiry-soon').waitFor();
    const days = (await app.page.getByTestId('expiry-days').allInnerTexts()).map(Number);
    assert.ok(days.length >= 2);
    assert.deepEqual(days, [...days].sort((a, b) => a - b));
    assert.equal(days[0], 12);
    await app.screenshot('admin-expiry');
    await app.failIfAppErrorVisible();
  });

  test('applications: every app, searchable, with its Windows push state', async () => {
    await app.navigate('Applications');
    const table = app.page.getByTestId('apps-table');
    await table.getByTestId(`app-row-${APP_ID}`).waitFor();
    assert.match(await app.page.getByTestId('apps-count').innerText(), /^12 of 12 shown/);
    await app.page.getByTestId('apps-search').fill('boarding');
    assert.match(await app.page.getByTestId('apps-count').innerText(), /^1 of 12 shown/);
    assert.match(await table.innerText(), /BoardingPasses/);
    await app.page.getByTestId('apps-search').fill('');
    await app.screenshot('admin-applications');
    await app.failIfAppErrorVisible();
  });

  test('WNS: a malformed Package SID is refused before sending; valid credentials are set and tested, the secret kept nowhere', async () => {
    await app.navigate('Applications');
    await app.page.getByTestId(`app-row-${APP_ID}`).click();
    const form = app.page.getByRole('form', { name: 'WNS credentials' });
    await form.getByTestId('wns-sid').fill('s-1-15-2-1');
    await form.getByTestId('wns-secret').fill(WNS_SECRET);
    app.emulator.clearRequests();
    await form.getByTestId('wns-save').click();
    await form.getByText(/is not one: a Package SID looks like/).waitFor();
    assert.equal(app.emulator.requests.length, 0, 'nothing was sent');

    await form.getByTestId('wns-sid').fill(SID);
    await form.getByTestId('wns-save').click();
    await form.getByTestId('wns-result').filter({ hasText: 'Details updated successfully' }).waitFor();
    assert.equal(await form.getByTestId('wns-secret').inputValue(), '', 'the secret is cleared once sent');
    await form.getByTestId('wns-test').click();
    await form.getByTestId('wns-result').filter({ hasText: 'Windows8 cloud credentials are valid.' }).waitFor();
    await app.screenshot('admin-wns');
    await app.failIfAppErrorVisible();
    assert.ok(!(await filesUnder(app.dataDir)).includes(WNS_SECRET), 'the WNS secret is in no file of the data folder');
    const line = (await app.services.drafts.history.query({})).records.find((r) => r.endpoint.includes('(WNS)'));
    assert.equal(line?.status, 'sent');
  });

  test('MPNS removal: Save As backup first, a confirmation naming the app, then the app shows no certificate', async () => {
    const p12 = await makeP12(app.workDir, { passphrase: 'pw' });
    await app.services.actions.uploadCertificate({ profile: 'Emulator', appId: APP_ID, certPath: p12.path, passphrase: 'pw' });
    await app.navigate('Applications');
    await app.page.getByTestId('apps-refresh').click();
    await app.page.getByTestId(`app-row-${APP_ID}`).click();
    const removal = app.page.getByTestId('cert-removal');
    await removal.waitFor();
    assert.match(await removal.innerText(), /retired MPNS/);
    const backupPath = join(app.workDir, 'backup.p12');
    app.dialogs.answerSave(backupPath);
    await removal.getByTestId('removal-start').click();
    const confirm = removal.getByTestId('removal-confirm');
    await confirm.waitFor();
    assert.match(await confirm.innerText(), new RegExp(`Remove the MPNS certificate of ${APP_ID}`));
    assert.ok(await app.emulator.storedCertificate(APP_ID), 'nothing removed before the confirmation');
    await app.screenshot('admin-removal-confirm');
    await removal.getByTestId('removal-confirm-button').click();
    await app.page.getByTestId('removal-result').waitFor();
    assert.equal(await sha256(backupPath), await sha256(p12.path));
    assert.equal(await app.emulator.storedCertificate(APP_ID), undefined);
    await app.failIfAppErrorVisible();
  });

  test('pass status: the passes of a request and each channel, exact ids', async () => {
    const pkpass = await makePkpass(app.workDir);
    const queued = await app.services.actions.updatePass({ profile: 'Emulator', pkPassPath: pkpass.path, images: [], passContent: samplePassContent(), issue: true });
    await app.navigate('Pass status');
    await app.page.getByTestId('pass-status-id').fill('12ab');
    await app.page.getByTestId('pass-status-check').click();
    await app.page.getByText(/is not a number/).waitFor();
    await app.page.getByTestId('pass-status-id').fill(queued.requestId);
    await app.page.getByTestId('pass-status-check').click();
    await app.page.getByTestId('pass-status-summary').filter({ hasText: 'every channel is final' }).waitFor();
    const ids = await app.page.locator('[data-testid="pass-status-table"] tbody td.mono').allInnerTexts();
    assert.ok(ids.length >= 1 && ids.every((id) => /^\d{19}$/.test(id)), ids.join(','));
    await app.screenshot('admin-pass-status');
    await app.failIfAppErrorVisible();
  });

  test('server down: WNS credentials and a removal go to the Outbox as such, are sent when it is back, and the History names their kinds', async () => {
    const p12 = await makeP12(app.workDir, { passphrase: 'pw' });
    await app.services.actions.uploadCertificate({ profile: 'Emulator', appId: APP_ID, certPath: p12.path, passphrase: 'pw' });
    await app.navigate('Applications');
    await app.page.getByTestId('apps-refresh').click();
    await app.page.getByTestId(`app-row-${APP_ID}`).click();
    const removal = app.page.getByTestId('cert-removal');
    await removal.waitFor();
    await app.stopEmulator();
    try {
      const form = app.page.getByRole('form', { name: 'WNS credentials' });
      await form.getByTestId('wns-sid').fill(SID);
      await form.getByTestId('wns-secret').fill(WNS_SECRET);
      await form.getByTestId('wns-save').click();
      const queuedWns = form.getByTestId('wns-result');
      await queuedWns.filter({ hasText: 'is in the Outbox' }).waitFor();
      assert.match(await queuedWns.innerText(), /kept in memory only/);

      app.dialogs.answerSave(join(app.workDir, 'queued-backup.p12'));
      await removal.getByTestId('removal-start').click();
      await removal.getByTestId('removal-confirm-button').click();
      const queuedRemoval = app.page.getByTestId('removal-result');
      await queuedRemoval.filter({ hasText: 'is in the Outbox' }).waitFor();
      assert.match(await queuedRemoval.innerText(), /backed up into the backups folder/);
      await app.screenshot('admin-removal-queued');

      await app.navigate('Outbox');
      const entries = app.page.getByTestId('outbox-entry');
      const wnsEntry = entries.filter({ hasText: `WNS credentials for ${APP_ID}` });
      const removalEntry = entries.filter({ hasText: `Certificate removal for ${APP_ID}` });
      assert.equal(await wnsEntry.getByTestId('outbox-entry-kind').innerText(), 'WNS credentials');
      assert.equal(await removalEntry.getByTestId('outbox-entry-kind').innerText(), 'Certificate removal');
      assert.equal(await wnsEntry.getByRole('button', { name: 'Open draft' }).count(), 1, 'it opens in the WNS form of the Applications page');
      await app.screenshot('outbox-admin-sends');
      assert.ok(!(await filesUnder(app.dataDir)).includes(WNS_SECRET), 'the queued secret is in no file');
    } finally {
      await app.restartEmulator();
    }
    await app.page.getByTestId('outbox-flush').click();
    const entries = app.page.getByTestId('outbox-entry');
    await entries.filter({ hasText: `WNS credentials for ${APP_ID}` }).and(app.page.locator('[data-state="sent"]')).waitFor();
    await entries.filter({ hasText: `Certificate removal for ${APP_ID}` }).and(app.page.locator('[data-state="sent"]')).waitFor();
    assert.equal(await app.emulator.storedCertificate(APP_ID), undefined, 'removed once the server was back');
    const backups = await readdir(join(app.dataDir, 'backups'));
    assert.equal(backups.length, 1);
    assert.equal(await sha256(join(app.dataDir, 'backups', backups[0] ?? '')), await sha256(p12.path), 'backed up when it was sent');
    assert.ok(!(await filesUnder(app.dataDir)).includes(WNS_SECRET), 'the secret is in no file after the send');

    await app.navigate('History');
    await app.page.getByTestId('history-kind').selectOption('cert-remove');
    const rows = app.page.getByTestId('history-row');
    const queuedLine = rows.filter({ hasText: `Certificate removal for ${APP_ID}` }).and(app.page.locator('[data-status="sent"]'));
    await queuedLine.waitFor();
    assert.ok((await queuedLine.innerText()).includes(backups[0] ?? '?'), 'the removal\'s line names the backup it was made with');
    // Only removals once the filter has applied.
    await rows.filter({ hasNotText: 'Certificate removal' }).first().waitFor({ state: 'detached' });
    await app.page.getByTestId('history-kind').selectOption('wns-credentials');
    await rows.filter({ hasText: 'WNS credentials' }).and(app.page.locator('[data-status="sent"]')).first().waitFor();
    await app.screenshot('history-admin-kinds');
    await app.page.getByTestId('history-kind').selectOption('');
    await app.failIfAppErrorVisible();
  });

  test('offline, the applications list read last is shown with its age', async () => {
    await app.navigate('Applications');
    const page = app.page.locator('[data-page="apps"]');
    await page.getByTestId('apps-refresh').click();
    await page.getByTestId('reading-age').waitFor();
    await app.stopEmulator();
    try {
      await page.getByTestId('apps-refresh').click();
      await page.getByTestId('reading-offline').waitFor();
      assert.match(await page.getByTestId('apps-count').innerText(), /^12 of 12 shown/);
      await app.screenshot('admin-applications-offline');
    } finally {
      await app.restartEmulator();
    }
  });
});
