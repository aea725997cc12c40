// WNS credentials and MPNS removal drafts have their forms (issue #17, bullet 7) in the real renderer against the
// emulator: opened from the Drafts page, a WNS draft shows the WNS form for its app filled from the draft, its edits
// autosave (a reload shows them), it sends with a typed secret as one history record and the secret is in no file;
// "Send selected" without the secret opens that form to ask for it; a removal draft shows the removal card of its
// app with its backup choice, and sends with the backup taken into the data folder.
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Draft } from '../../preload/contract';
import { axeViolations } from '../support/axe';
import { makeP12 } from '../support/fixtures';
import { startE2eApp, type E2eApp, E2E_ADMIN } from '../support/e2e-harness';

const SID = 'ms-app://s-1-15-2-2972962901-2322836549-3722629029-1345238579-3987825745-2155616079-650196962';
const SID_EDITED = 'ms-app://s-1-15-2-1111111111-2222222222-3333333333-4444444444-5555555555-6666666666-777777777';
const SECRET = 'e2e-Draft-Wns-Secret-8c2';
const APP_ID = 'AppForAll1';

async function filesUnder(dir: string): Promise<string> {
  let text = '';
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) text += await readFile(path, 'latin1');
  }
  return text;
}

describe('WNS credentials and removal drafts in their forms', () => {
  let app: E2eApp;
  let profileId: string;

  before(async () => {
    app = await startE2eApp();
    profileId = (await app.profiles.save({ name: 'Emulator', baseUrl: app.emulator.url, authMode: 'basic', username: 'admin' }, E2E_ADMIN.password)).id;
    await app.useProfile('Emulator', { reload: true });
  });
  after(async () => {
    await app?.close();
  });

  /** A draft made as the Outbox or the CLI makes them, then opened from the Drafts page by its Open button. */
  async function makeDraft(make: (draft: Draft) => Draft, kind: 'wns-credentials' | 'cert-remove'): Promise<Draft> {
    const created = await app.services.drafts.drafts.create({ kind, profileId, appId: APP_ID });
    return app.services.drafts.drafts.save(make(created));
  }
  async function openFromDrafts(draft: Draft) {
    // The list is read when the page is shown: made behind the page's back, the draft shows once it is shown again.
    await app.navigate('History');
    await app.navigate('Drafts');
    const row = app.page.locator(`[data-testid="draft-row"][data-draft-id="${draft.id}"]`);
    await row.getByRole('button', { name: 'Open', exact: true }).click();
  }
  /** Waits until `condition` holds (autosave and the keychain write are asynchronous); fails after 10 s. */
  async function eventually(condition: () => Promise<boolean>, what: string): Promise<void> {
    for (let tries = 0; tries < 200; tries++) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`never happened: ${what}`);
  }
  const storedUntil = (id: string, condition: (draft: Draft) => boolean, what: string) =>
    eventually(async () => condition(await app.services.drafts.drafts.get(id)), what);
  const wnsForm = () => app.page.locator('[data-page="apps"]').getByRole('form', { name: 'WNS draft' });
  const wnsSends = () => app.emulator.requests.filter((r) => r.path.endsWith(`/applications/${APP_ID}/windows`) && r.method !== 'GET');
  const serious = async () => (await axeViolations(app.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);

  test('a WNS draft opens in the WNS form filled from it; edits autosave; sent with a typed secret: one history record, the secret in no file', async () => {
    const draft = await makeDraft((d) => (d.kind === 'wns-credentials' ? { ...d, payload: { ...d.payload, packageSid: SID } } : d), 'wns-credentials');
    await openFromDrafts(draft);
    const form = wnsForm();
    await form.getByTestId('wns-draft-sid').and(app.page.locator(`[value="${SID}"]`)).waitFor();
    assert.equal(await form.getByTestId('wns-draft-app-id').inputValue(), APP_ID);
    assert.equal(await form.getByTestId('wns-draft-secret').inputValue(), '', 'the secret is never filled from anywhere');
    assert.deepEqual(await serious(), [], 'axe: no serious or critical violation with the WNS draft open');
    await app.screenshot('wns-draft-open');

    // The edit is saved into the draft, and a reload brings the draft back in its form with the edit.
    await form.getByTestId('wns-draft-sid').fill(SID_EDITED);
    await storedUntil(draft.id, (d) => d.kind === 'wns-credentials' && d.payload.packageSid === SID_EDITED, 'the edited Package SID saved into the draft');
    await app.page.reload();
    await wnsForm().getByTestId('wns-draft-sid').and(app.page.locator(`[value="${SID_EDITED}"]`)).waitFor();

    // Checks first: no secret, nothing sent.
    app.emulator.clearRequests();
    await wnsForm().getByTestId('wns-draft-send').click();
    await wnsForm().getByText(/client secret/i).and(app.page.locator('.field-error')).waitFor();
    assert.equal(wnsSends().length, 0, 'nothing was sent without the secret');

    const before = (await app.services.drafts.history.query({ kind: 'wns-credentials' })).records.length;
    await wnsForm().getByTestId('wns-draft-secret').fill(SECRET);
    await wnsForm().getByTestId('wns-draft-send').click();
    await app.page.locator('[data-testid="wns-draft-result"][data-outcome="sent"]').waitFor();
    assert.equal(await wnsForm().getByTestId('wns-draft-secret').inputValue(), '', 'the typed secret is dropped once sent');
    assert.equal(wnsSends().length, 1);
    const records = (await app.services.drafts.history.query({ kind: 'wns-credentials' })).records;
    assert.equal(records.length, before + 1, 'one history record for the send');
    assert.equal(records[0]?.status, 'sent');
    assert.ok(!(await filesUnder(app.dataDir)).includes(SECRET), 'the client secret is in no file of the data folder');
    await app.failIfAppErrorVisible();
    await app.navigate('History');
    await app.page.getByTestId('history-kind').selectOption('wns-credentials');
    const rows = app.page.getByTestId('history-row');
    await rows.filter({ hasText: draft.name }).first().waitFor();
    assert.equal(await rows.count(), before + 1, 'the History shows the one send');
    await app.page.getByTestId('history-kind').selectOption('');
    await app.navigate('Applications');

    // What the server now has: the edited Package SID, shown by the app's own form.
    await app.page.getByTestId('apps-refresh').click();
    await app.page.getByTestId(`app-row-${APP_ID}`).click();
    await app.page
      .getByRole('form', { name: 'WNS credentials', exact: true })
      .getByTestId('wns-sid')
      .and(app.page.locator(`[value="${SID_EDITED}"]`))
      .waitFor();
    await app.page.locator('[data-page="apps"]').getByTestId('draft-close').click();
    await wnsForm().waitFor({ state: 'detached' });
  });

  test('"Send selected" without the client secret opens the draft\'s form to ask for it, then it sends', async () => {
    const draft = await makeDraft((d) => (d.kind === 'wns-credentials' ? { ...d, name: 'WNS asks its secret', payload: { ...d.payload, packageSid: SID } } : d), 'wns-credentials');
    await app.navigate('Drafts');
    const row = app.page.locator(`[data-testid="draft-row"][data-draft-id="${draft.id}"]`);
    await row.getByTestId('draft-select').check();
    const before = (await app.services.drafts.history.query({ kind: 'wns-credentials' })).records.length;
    app.emulator.clearRequests();
    await app.page.getByTestId('drafts-send-selected').click();
    const result = app.page.locator('[data-testid="drafts-send-row"][data-status="failed"]');
    await result.filter({ hasText: 'Enter the client secret' }).waitFor();
    assert.equal(wnsSends().length, 0);

    await result.getByTestId('drafts-send-ask-secret').click();
    const form = wnsForm();
    await form.getByTestId('wns-draft-ask').filter({ hasText: 'WNS asks its secret' }).waitFor();
    await form.getByTestId('wns-draft-secret').and(app.page.locator(':focus')).waitFor();
    await form.getByTestId('wns-draft-secret').fill(SECRET);
    await form.getByTestId('wns-draft-send').click();
    await app.page.locator('[data-testid="wns-draft-result"][data-outcome="sent"]').waitFor();
    assert.equal(wnsSends().length, 1);
    const records = (await app.services.drafts.history.query({ kind: 'wns-credentials' })).records;
    assert.equal(records.length, before + 1, 'one history record: the send, not the attempt that stopped to ask');
    assert.ok(!(await filesUnder(app.dataDir)).includes(SECRET), 'the client secret is in no file of the data folder');
    await app.page.locator('[data-page="apps"]').getByTestId('draft-close').click();
    await app.failIfAppErrorVisible();
  });

  test('"remember" keeps the client secret in the OS keychain for the draft, and "Send selected" then sends it without asking', async () => {
    const draft = await makeDraft((d) => (d.kind === 'wns-credentials' ? { ...d, name: 'WNS remembers its secret', payload: { ...d.payload, packageSid: SID } } : d), 'wns-credentials');
    await openFromDrafts(draft);
    const form = wnsForm();
    await form.getByTestId('wns-draft-sid').and(app.page.locator(`[value="${SID}"]`)).waitFor();
    await form.getByTestId('wns-draft-remember').check();
    await form.getByTestId('wns-draft-secret').fill(SECRET);
    await storedUntil(draft.id, (d) => d.kind === 'wns-credentials' && d.payload.rememberSecret, 'remember saved into the draft');
    await eventually(async () => (await app.keychain.get(`draft:${draft.id}:passphrase`)) === SECRET, 'the secret in the keychain entry of the draft');
    await app.page.locator('[data-page="apps"]').getByTestId('draft-close').click();

    await app.navigate('Drafts');
    await app.page.locator(`[data-testid="draft-row"][data-draft-id="${draft.id}"]`).getByTestId('draft-select').check();
    app.emulator.clearRequests();
    await app.page.getByTestId('drafts-send-selected').click();
    await app.page.locator('[data-testid="drafts-send-row"][data-status="sent"]').waitFor();
    assert.equal(wnsSends().length, 1);
    assert.ok(!(await filesUnder(app.dataDir)).includes(SECRET), 'the remembered secret is in no file of the data folder');
    await app.failIfAppErrorVisible();
  });

  test('a removal draft opens as the removal card of its app, with its backup choice; sent with the backup taken then', async () => {
    const p12 = await makeP12(app.workDir, { passphrase: 'pw' });
    await app.services.actions.uploadCertificate({ profile: 'Emulator', appId: APP_ID, certPath: p12.path, passphrase: 'pw' });
    const draft = await makeDraft((d) => (d.kind === 'cert-remove' ? { ...d, payload: { ...d.payload, backup: false } } : d), 'cert-remove');
    await openFromDrafts(draft);
    const card = app.page.locator('[data-page="apps"]').getByTestId('removal-draft-card');
    await card.and(app.page.locator(`[data-app-id="${APP_ID}"]`)).waitFor();
    assert.match(await card.innerText(), new RegExp(`Stored MPNS certificate of ${APP_ID}`));
    assert.equal(await card.getByTestId('removal-backup').isChecked(), false, 'the draft\'s choice: no backup');
    assert.deepEqual(await serious(), [], 'axe: no serious or critical violation with the removal draft open');

    await card.getByTestId('removal-backup').check();
    await storedUntil(draft.id, (d) => d.kind === 'cert-remove' && d.payload.backup, 'the backup choice saved into the draft');

    await card.getByTestId('removal-start').click();
    const confirm = card.getByTestId('removal-confirm');
    assert.match(await confirm.innerText(), new RegExp(`Remove the MPNS certificate of ${APP_ID}.*A backup is downloaded first`, 's'));
    assert.ok(await app.emulator.storedCertificate(APP_ID), 'nothing removed before the confirmation');
    await app.screenshot('removal-draft-confirm');
    await confirm.getByTestId('removal-confirm-button').click();
    await card.locator('[data-testid="removal-result"][data-outcome="sent"]').waitFor();
    assert.equal(await app.emulator.storedCertificate(APP_ID), undefined);
    const backups = await readdir(join(app.dataDir, 'backups'));
    assert.equal(backups.length, 1, 'the backup was taken when the removal was sent');
    const records = (await app.services.drafts.history.query({ kind: 'cert-remove' })).records;
    assert.equal(records.length, 1);
    assert.equal(records[0]?.status, 'sent');
    await app.failIfAppErrorVisible();
  });
});
