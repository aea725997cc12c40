// The certificate flows in the real renderer against the emulator: drop a .p12 with a real DataTransfer, check
// it, upload it byte for byte, download it through Save As, and meet every failure (401, 500, a dropped
// connection, a wrong file type, cancel) in the one error region with nothing lost.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeP12, type P12Fixture } from '../support/fixtures';
import { startE2eApp, waitUntil, type E2eApp, E2E_ADMIN } from '../support/e2e-harness';
import { API_GLOBAL } from '../../preload/api';

const PASSWORD = E2E_ADMIN.password;
const P12_PASSPHRASE = 'p12-Export-Pass';
const APP_ID = 'AppForAll1';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('certificate upload and download', () => {
  let app: E2eApp;
  let p12: P12Fixture;

  before(async () => {
    app = await startE2eApp();
    p12 = await makeP12(app.workDir, { passphrase: P12_PASSPHRASE });
    await app.profiles.save({ name: 'Emulator', baseUrl: app.emulator.url, authMode: 'basic', username: 'admin' }, PASSWORD);
    await app.profiles.save(
      { name: 'Wrong password', baseUrl: app.emulator.url, authMode: 'basic', username: 'admin' },
      'not-the-password',
    );
    await app.useProfile('Emulator', { reload: true });
  });
  after(async () => {
    await app?.close();
  });

  const uploadForm = () => app.page.getByRole('form', { name: 'Upload certificate' });

  /** Fills the upload form from scratch (the chosen file is removed first if one is there). */
  async function fillUpload() {
    const form = uploadForm();
    await app.navigate('Certificate upload');
    const remove = form.getByRole('button', { name: /^Remove / });
    if (await remove.count()) await remove.click();
    await form.getByLabel('Application ID').fill(APP_ID);
    await app.dropFiles('p12-drop', [p12.path]);
    await form.getByTestId('chosen-file').waitFor();
    await form.getByLabel('Passphrase', { exact: true }).fill(P12_PASSPHRASE);
    // The debounced check with the passphrase must pass before Upload is allowed.
    await form.getByTestId('upload-submit').and(app.page.locator(':enabled')).waitFor();
  }

  async function assertUploadFormKept() {
    const form = uploadForm();
    assert.equal(await form.getByLabel('Application ID').inputValue(), APP_ID);
    assert.equal(await form.getByLabel('Passphrase', { exact: true }).inputValue(), P12_PASSPHRASE);
    assert.match(await form.getByTestId('chosen-file').innerText(), new RegExp(p12.path.split('/').pop()!.replace('.', '\\.')));
  }

  test('a dropped .p12 is checked and uploaded byte for byte', async () => {
    await fillUpload();
    await app.screenshot('certificate-upload-ready');
    await app.failIfAppErrorVisible();
    app.emulator.clearRequests();
    await uploadForm().getByTestId('upload-submit').click();
    const result = app.page.getByTestId('upload-result');
    await result.filter({ hasText: 'Uploaded.' }).waitFor();
    assert.match(await result.innerText(), /Details updated successfully/);
    await app.screenshot('certificate-upload-done');
    await app.failIfAppErrorVisible();

    const request = app.emulator.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/applications/${APP_ID}/windows`));
    assert.ok(request, 'the emulator received the upload');
    assert.equal(request.status, 200);
    assert.equal(request.auth.user, 'admin');
    const certPart = request.parts.find((p) => p.name === 'mpnsCert');
    assert.ok(certPart);
    const bytes = await readFile(p12.path);
    assert.equal(certPart.size, bytes.length);
    assert.equal(certPart.sha256, sha256(bytes));
    assert.ok(request.parts.some((p) => p.name === 'mpnsCertPassPhrase'));
  });

  test('a wrong file type is refused with a message and never sent', async () => {
    const form = uploadForm();
    await app.navigate('Certificate upload');
    const remove = form.getByRole('button', { name: /^Remove / });
    if (await remove.count()) await remove.click();
    const notes = join(app.workDir, 'notes.txt');
    await writeFile(notes, 'not a certificate');
    app.emulator.clearRequests();
    await app.dropFiles('p12-drop', [notes]);
    // Answered at the drop zone (issue #21), not in the page's error region, which stays empty.
    const refusal = app.page.getByTestId('p12-drop-refusal');
    await refusal.filter({ hasText: 'notes.txt' }).waitFor();
    assert.match(await refusal.innerText(), /not \.p12 or \.pfx/);
    assert.deepEqual(await app.appErrors(), []);
    assert.equal(await form.getByTestId('chosen-file').count(), 0, 'the file was not taken');
    assert.equal(app.emulator.requests.length, 0, 'nothing went to the server');
    await app.screenshot('certificate-upload-wrong-type');
  });

  test('the drop zone works from the keyboard through the file dialog', async () => {
    const form = uploadForm();
    await app.navigate('Certificate upload');
    const remove = form.getByRole('button', { name: /^Remove / });
    if (await remove.count()) await remove.click();
    app.dialogs.answerOpen([p12.path]);
    // Tab from the field before it, as a keyboard user would; the zone must show a visible focus ring.
    await form.getByLabel('Application ID').focus();
    await app.page.keyboard.press('Tab');
    assert.equal(await app.page.getByTestId('p12-drop').evaluate((el) => el.matches(':focus-visible')), true);
    await app.page.keyboard.press('Enter');
    await form.getByTestId('chosen-file').waitFor();
    assert.deepEqual(app.dialogs.opened.at(-1), { kind: 'p12', multiple: false });
    await app.failIfAppErrorVisible();
  });

  test('a 500 shows the server error with Retry, keeps every field, and Retry succeeds', async () => {
    await fillUpload();
    app.emulator.injectFault({ path: /\/windows$/, status: 500, body: '{"id":"-1","message":"Certificate store offline"}', contentType: 'application/json' });
    await uploadForm().getByTestId('upload-submit').click();
    const text = await app.waitForAppError('Certificate store offline');
    assert.match(text, /HTTP 500/);
    await assertUploadFormKept();
    await app.screenshot('certificate-upload-error-500');
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('certificate-upload-error-500-dark');
    await app.page.emulateMedia({ colorScheme: 'light' });
    await app.page.locator('.app-error').getByRole('button', { name: 'Retry' }).click();
    await app.page.getByTestId('upload-result').filter({ hasText: 'Uploaded.' }).waitFor();
    await app.failIfAppErrorVisible();
  });

  test('a dropped connection is reported as outcome unknown, not resent, and the form is kept', async () => {
    await fillUpload();
    app.emulator.clearRequests();
    app.emulator.injectFault({ path: /\/windows$/, resetAfterBytes: 600 });
    await uploadForm().getByTestId('upload-submit').click();
    // The request went out before the connection dropped: the server may have it, so it is not an error to retry.
    const result = app.page.getByTestId('upload-result').and(app.page.locator('[data-outcome="outcome-unknown"]'));
    await result.waitFor();
    const text = await result.innerText();
    assert.match(text, /dropped|reset|connection/i);
    assert.match(text, /may have reached the server/);
    await assertUploadFormKept();
    assert.equal(app.emulator.requests.filter((r) => r.path.endsWith('/windows')).length, 1, 'sent once, never again by itself');
    await app.failIfAppErrorVisible();
  });

  test('401 routes to the profile: Open profile focuses its password', async () => {
    await app.useProfile('Wrong password');
    await fillUpload();
    await uploadForm().getByTestId('upload-submit').click();
    const text = await app.waitForAppError(/Credentials refused/);
    assert.match(text, /HTTP 401/);
    await assertUploadFormKept();
    await app.screenshot('certificate-upload-error-401');
    await app.page.locator('.app-error').getByRole('button', { name: 'Open profile' }).click();
    await app.page.locator('.profile-editor h2', { hasText: 'Wrong password' }).waitFor();
    await app.page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid') === 'profile-secret');
    await app.failIfAppErrorVisible();
    await app.useProfile('Emulator');
  });

  test('an upload in progress can be cancelled', async () => {
    await fillUpload();
    app.emulator.injectFault({ path: /\/windows$/, latencyMs: 30_000 });
    await uploadForm().getByTestId('upload-submit').click();
    const progress = app.page.locator('[data-page="cert-upload"]').getByTestId('progress');
    await progress.waitFor();
    await app.screenshot('certificate-upload-progress');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await app.page.getByTestId('upload-result').filter({ hasText: 'Upload cancelled' }).waitFor();
    await assertUploadFormKept();
    await app.failIfAppErrorVisible();
    app.emulator.clearFaults();
  });

  test('Save As downloads the stored certificate with its size and SHA-256, then shows it in the folder', async () => {
    await app.navigate('Certificate download');
    const form = app.page.getByRole('form', { name: 'Download certificate' });
    await form.getByLabel('Application ID').fill(APP_ID);
    const destination = join(app.workDir, `${APP_ID}-mpns.p12`);
    app.dialogs.answerSave(destination);
    // The page hears that the file is saved before its SHA-256 arrives with the result.
    await app.page.evaluate((bridge) => {
      const seen: unknown[] = [];
      (globalThis as unknown as { __savedEvents: unknown[] }).__savedEvents = seen;
      (globalThis as unknown as Record<string, { onProgress(l: (p: { saved?: boolean }) => void): void }>)[bridge]!.onProgress((p) => {
        if (p.saved) seen.push(p);
      });
    }, API_GLOBAL);
    await form.getByTestId('download-submit').click();
    await app.page.getByTestId('download-result').filter({ hasText: 'Saved.' }).waitFor();
    // Announced like every send's outcome: inside the page's polite live region.
    assert.equal(await form.getByTestId('download-outcome').and(app.page.locator('[aria-live="polite"]')).getByTestId('download-result').count(), 1);
    assert.deepEqual(app.dialogs.saved.at(-1), { kind: 'p12', defaultName: `${APP_ID}-mpns.p12` });
    const size = (await readFile(p12.path)).length;
    const savedEvents = await app.page.evaluate(() => (globalThis as unknown as { __savedEvents: unknown[] }).__savedEvents);
    assert.deepEqual(savedEvents.map((e) => ({ ...(e as object), operationId: undefined })), [
      { operationId: undefined, direction: 'download', transferred: size, total: size, saved: true },
    ]);

    const original = await readFile(p12.path);
    const saved = await readFile(destination);
    assert.equal(sha256(saved), sha256(original), 'the downloaded bytes are the uploaded ones');
    assert.equal(await app.page.getByTestId('download-path').innerText(), destination);
    assert.equal(await app.page.getByTestId('download-sha256').innerText(), sha256(original));
    assert.match(await app.page.getByTestId('download-size').innerText(), new RegExp(`${original.length.toLocaleString('en-US')} bytes`));
    await app.screenshot('certificate-download-done');
    await form.getByRole('button', { name: 'Show in folder' }).click();
    await waitUntil(() => app.dialogs.shown.length > 0, 'the file manager was asked to show the file');
    assert.deepEqual(app.dialogs.shown, [destination]);
    await app.failIfAppErrorVisible();
  });

  test('a download in progress can be cancelled and leaves no file behind', async () => {
    await app.navigate('Certificate download');
    const form = app.page.getByRole('form', { name: 'Download certificate' });
    await form.getByLabel('Application ID').fill(APP_ID);
    const destination = join(app.workDir, 'cancelled-mpns.p12');
    app.dialogs.answerSave(destination);
    app.emulator.injectFault({ path: /downloadwindowscert/, bytesPerSecond: 64 });
    await form.getByTestId('download-submit').click();
    const progress = app.page.locator('[data-page="cert-download"]').getByTestId('progress');
    await progress.waitFor();
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await app.page.getByTestId('download-result').filter({ hasText: 'Download cancelled' }).waitFor();
    assert.equal(existsSync(destination), false);
    await app.failIfAppErrorVisible();
    app.emulator.clearFaults();
  });
});
