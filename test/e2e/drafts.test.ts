// Drafts in the real renderer over the real drafts store (issue #5): a form autosaves and comes back after the
// window (and the whole main side) is restarted over the same data dir; the Drafts page searches, renames,
// duplicates, deletes with Undo; a file moved after it was added still sends its original bytes; a draft
// exported to one file imports again, and a tampered export is refused with a clear message.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeP12, type P12Fixture } from '../support/fixtures';
import { startE2eApp, type E2eApp, useEmulatorProfile } from '../support/e2e-harness';
import { makeTempDir } from '../support/temp-dir';

const P12_PASSPHRASE = 'p12-Export-Pass';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Waits until `selector` matches exactly `count` elements (a state, not a delay). */
async function waitForCount(app: E2eApp, selector: string, count: number): Promise<void> {
  await app.page.waitForFunction(
    ({ selector, count }) =>
      (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll(selector)
        .length === count,
    { selector, count },
  );
}
const DRAFT_ROWS = '[data-page="drafts"] [data-testid="draft-row"]';

const saved = (app: E2eApp, pageId: string) =>
  app.page.locator(`[data-page="${pageId}"] [data-testid="draft-save-state"][data-state="saved"]`);

describe('a draft survives a restart', () => {
  test('typed and dropped into the upload form, saved, restored and reopened by a new app over the same data', async () => {
    const data = await makeTempDir('e2e-restart');
    let first: E2eApp | undefined;
    let second: E2eApp | undefined;
    try {
      first = await startE2eApp({ dataDir: data.dir });
      await useEmulatorProfile(first);
      const p12 = await makeP12(first.workDir, { passphrase: P12_PASSPHRASE });
      await first.navigate('Certificate upload');
      const form = first.page.getByRole('form', { name: 'Upload certificate' });
      await form.getByLabel('Application ID').fill('RestoredApp7');
      await first.dropFiles('p12-drop', [p12.path]);
      await form.getByTestId('chosen-file').waitFor();
      await form.getByLabel('Passphrase', { exact: true }).fill(P12_PASSPHRASE);
      await first.page.locator('[data-page="cert-upload"] [data-testid="draft-name"]', { hasText: 'RestoredApp7' }).waitFor();
      await saved(first, 'cert-upload').waitFor();
      await first.failIfAppErrorVisible();
      const [summary] = (await first.services.drafts.drafts.list()).drafts;
      assert.equal(summary?.appId, 'RestoredApp7');
      // The passphrase was not asked to be remembered: it is nowhere in the data folder.
      const item = await readFile(join(data.dir, 'drafts/items', `${summary!.id}.json`), 'utf8');
      assert.equal(item.includes(P12_PASSPHRASE), false);
      // Another page first, so the restore has to bring the form back to the front by itself.
      await first.navigate('History');
      await first.close();
      first = undefined;

      second = await startE2eApp({ dataDir: data.dir });
      await second.page.locator('[data-page="cert-upload"]:not([hidden])').waitFor();
      const form2 = second.page.getByRole('form', { name: 'Upload certificate' });
      await form2.getByLabel('Application ID').and(second.page.locator('[value="RestoredApp7"]')).waitFor();
      assert.match(await form2.getByTestId('chosen-file').innerText(), /identity-.*\.p12/);
      assert.equal(await form2.getByLabel('Passphrase', { exact: true }).inputValue(), '', 'the passphrase is never restored');
      assert.equal(await second.page.getByTestId('profile-selector').locator('option:checked').innerText(), 'Emulator');
      await second.screenshot('drafts-restored-after-restart');
      await second.failIfAppErrorVisible();
    } finally {
      await first?.close();
      await second?.close();
      await data.remove();
    }
  });
});

describe('the drafts list and sharing', () => {
  let app: E2eApp;
  let p12: P12Fixture;

  before(async () => {
    app = await startE2eApp();
    p12 = await makeP12(app.workDir, { passphrase: P12_PASSPHRASE });
    await useEmulatorProfile(app);
  });
  after(async () => {
    await app?.close();
  });

  const rows = () => app.page.locator('[data-page="drafts"]').getByTestId('draft-row');
  const row = (name: string) => rows().filter({ has: app.page.locator('.draft-name', { hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}$`) }) });

  test('search, open, rename in place, duplicate, delete and undo', async () => {
    const store = app.services.drafts.drafts;
    const profileId = app.profiles.find('Emulator')!.id;
    await store.create({ kind: 'cert-upload', name: 'Alpha certificate', appId: 'AlphaApp', profileId });
    await store.create({ kind: 'pass-update', name: 'Loyalty pass refresh', profileId });
    await store.create({ kind: 'cert-upload', name: 'Beta certificate', appId: 'BetaApp' });
    await app.navigate('Drafts');
    await rows().nth(2).waitFor();
    assert.equal(await rows().count(), 3);
    await row('Beta certificate').getByTestId('draft-readiness').click();
    await row('Beta certificate').getByText('Choose a server profile.').waitFor();
    await app.screenshot('drafts-list');
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('drafts-list-dark');
    await app.page.emulateMedia({ colorScheme: 'light' });

    // Search matches names, app IDs and profiles.
    await app.page.getByTestId('drafts-search').fill('alphaapp');
    await waitForCount(app, DRAFT_ROWS, 1);
    await row('Alpha certificate').waitFor();
    await app.page.getByTestId('drafts-search').fill('');
    await rows().nth(2).waitFor();

    // Open shows the draft in its form.
    await row('Alpha certificate').getByRole('button', { name: 'Open', exact: true }).click();
    const form = app.page.getByRole('form', { name: 'Upload certificate' });
    await form.getByLabel('Application ID').and(app.page.locator('[value="AlphaApp"]')).waitFor();
    await app.navigate('Drafts');

    // Rename in place (Enter commits); the open form follows.
    await row('Alpha certificate').getByRole('button', { name: 'Rename' }).click();
    const input = app.page.getByTestId('draft-rename-input');
    await input.fill('Alpha — production cert');
    await input.press('Enter');
    await row('Alpha — production cert').waitFor();
    const alpha = (await store.list({ query: 'AlphaApp' })).drafts[0];
    assert.equal(alpha?.name, 'Alpha — production cert');
    await app.page.locator('[data-page="cert-upload"] [data-testid="draft-name"]', { hasText: 'Alpha — production cert' }).waitFor({ state: 'attached' });

    // Duplicate, then delete the copy and undo.
    await row('Alpha — production cert').getByRole('button', { name: 'Duplicate' }).click();
    await row('Alpha — production cert (copy)').waitFor();
    assert.equal(await rows().count(), 4);
    await row('Alpha — production cert (copy)').getByRole('button', { name: 'Delete' }).click();
    const toast = app.page.getByTestId('undo-toast');
    await toast.waitFor();
    // The list refreshes after the delete: wait for the row to go, never a fixed delay.
    await row('Alpha — production cert (copy)').waitFor({ state: 'detached' });
    assert.equal((await store.list()).drafts.length, 3);
    await app.screenshot('drafts-deleted-undo');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await row('Alpha — production cert (copy)').waitFor();
    assert.equal((await store.list()).drafts.length, 4);
    await app.failIfAppErrorVisible();
  });

  test('a file moved after it was added still sends the bytes that were added', async () => {
    await app.navigate('Drafts');
    await app.page.getByTestId('drafts-new-cert').click();
    const form = app.page.getByRole('form', { name: 'Upload certificate' });
    await form.getByLabel('Application ID').fill('MovedFileApp');
    const original = await readFile(p12.path);
    await app.dropFiles('p12-drop', [p12.path]);
    await form.getByTestId('chosen-file').waitFor();
    await saved(app, 'cert-upload').waitFor();

    // The user tidies up: the original goes elsewhere. The next save sees it missing and says so.
    const moved = join(app.workDir, 'moved-away.p12');
    await rename(p12.path, moved);
    await form.getByLabel('Application ID').fill('MovedFileApp2');
    const note = app.page.locator('[data-page="cert-upload"] [data-testid="original-status"][data-status="missing"]');
    await note.waitFor();
    assert.match(await note.innerText(), /keeps its own copy/);
    await form.getByLabel('Passphrase', { exact: true }).fill(P12_PASSPHRASE);
    await app.screenshot('drafts-original-missing');

    app.emulator.clearRequests();
    await form.getByTestId('upload-submit').click();
    await app.page.getByTestId('upload-result').filter({ hasText: 'Uploaded.' }).waitFor();
    const request = app.emulator.requests.find((r) => r.path.endsWith('/applications/MovedFileApp2/windows'));
    assert.ok(request, 'the emulator received the upload');
    const part = request.parts.find((p) => p.name === 'mpnsCert');
    assert.equal(part?.sha256, sha256(original), 'the copy in the draft was sent');
    assert.equal(part?.size, original.length);
    await rename(moved, p12.path);
    await app.failIfAppErrorVisible();
  });

  test('export a draft with its files to one file, import it, and refuse a tampered one', async () => {
    await app.navigate('Drafts');
    const source = row('Alpha — production cert');
    await source.waitFor();
    // Give the draft a file so the export carries one.
    const id = (await source.getAttribute('data-draft-id'))!;
    const store = app.services.drafts.drafts;
    const draft = await store.get(id);
    const file = await store.addFile(id, p12.path);
    if (draft.kind !== 'cert-upload') throw new Error('expected the certificate draft');
    await store.save({ ...draft, payload: { ...draft.payload, cert: file } });
    await app.page.getByTestId('drafts-search').fill('x');
    await app.page.getByTestId('drafts-search').fill('');

    const exported = join(app.workDir, 'alpha.engdraft');
    app.dialogs.answerSave(exported);
    await row('Alpha — production cert').getByRole('button', { name: 'Export' }).click();
    await app.page.getByTestId('drafts-notice').filter({ hasText: 'Exported' }).waitFor();
    assert.deepEqual(app.dialogs.saved.at(-1), { kind: 'draft', defaultName: 'Alpha — production cert.engdraft' });
    assert.ok(existsSync(exported));

    const before = (await store.list()).drafts.length;
    app.dialogs.answerOpen([exported]);
    await app.page.getByTestId('drafts-import').click();
    await app.page.getByTestId('drafts-notice').filter({ hasText: 'Imported “Alpha — production cert”' }).waitFor();
    await waitForCount(app, DRAFT_ROWS, before + 1);
    const copies = (await store.list({ query: 'AlphaApp' })).drafts.filter((d) => d.name === 'Alpha — production cert');
    assert.equal(copies.length, 2, 'imported as a new draft');
    assert.ok(copies.every((d) => d.fileNames.length === 1), 'with its file');

    // One byte of the certificate changed inside the export: refused, nothing imported.
    const bytes = await readFile(exported);
    const cert = await readFile(p12.path);
    const at = bytes.indexOf(cert.subarray(0, 64));
    assert.ok(at > 0, 'the certificate is stored in the export');
    bytes[at + 100] = bytes[at + 100]! ^ 0xff;
    const tampered = join(app.workDir, 'tampered.engdraft');
    await writeFile(tampered, bytes);
    app.dialogs.answerOpen([tampered]);
    await app.page.getByTestId('drafts-import').click();
    const message = await app.waitForAppError(/not a valid draft export/);
    assert.match(message, /SHA-256/);
    assert.equal((await store.list()).drafts.length, before + 1, 'nothing was imported');
    await app.screenshot('drafts-import-tampered');
    await app.dismissAppErrors();
    await app.failIfAppErrorVisible();
  });
});
