// The Outbox in the real renderer (issue #5): sending while the server is down queues the draft (nothing left the
// machine); with the emulator back on the same port, the entry is sent and the emulator gets the bytes. A send
// whose connection dropped after the request went out is "outcome unknown": explained, never resent by a flush,
// and sent again only after an explicit confirmation.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { makeP12, type P12Fixture } from '../support/fixtures';
import { startE2eApp, type E2eApp, useEmulatorProfile } from '../support/e2e-harness';

const P12_PASSPHRASE = 'p12-Export-Pass';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the outbox', () => {
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

  const form = () => app.page.getByRole('form', { name: 'Upload certificate' });
  const entries = () => app.page.locator('[data-page="outbox"]').getByTestId('outbox-entry');
  const windowsRequests = (appId: string) => app.emulator.requests.filter((r) => r.path.endsWith(`/applications/${appId}/windows`));

  async function fillNewUpload(appId: string) {
    await app.navigate('Certificate upload');
    await app.page.locator('[data-page="cert-upload"]').getByTestId('draft-new').click();
    await form().getByLabel('Application ID').and(app.page.locator('[value=""]')).waitFor();
    await form().getByLabel('Application ID').fill(appId);
    await app.dropFiles('p12-drop', [p12.path]);
    await form().getByTestId('chosen-file').waitFor();
    await form().getByLabel('Passphrase', { exact: true }).fill(P12_PASSPHRASE);
    await form().getByTestId('upload-submit').and(app.page.locator(':enabled')).waitFor();
  }

  test('offline: queued in the Outbox; the server back on the same port: sent with the original bytes', async () => {
    await fillNewUpload('OfflineApp1');
    await app.stopEmulator();
    await form().getByTestId('upload-submit').click();
    const queued = app.page.locator('[data-testid="upload-result"][data-outcome="queued"]');
    await queued.waitFor();
    assert.match(await queued.innerText(), /In the Outbox/);
    await app.page.getByTestId('nav-badge-outbox').filter({ hasText: '1' }).waitFor();
    await app.failIfAppErrorVisible();

    await queued.getByRole('button', { name: 'Open Outbox' }).click();
    const entry = entries().filter({ hasText: 'OfflineApp1' });
    await entry.and(app.page.locator('[data-state="queued"]')).waitFor();
    assert.match(await entry.getByTestId('outbox-last-error').innerText(), /refused|reach|ECONNREFUSED/i);
    assert.equal(await entry.getByTestId('outbox-attempts').innerText(), '1');

    // Pausing all and one entry, then resuming.
    await app.page.getByTestId('outbox-pause-all').click();
    await app.page.getByTestId('outbox-paused').waitFor();
    await entry.getByRole('button', { name: 'Pause' }).click();
    await entry.and(app.page.locator('[data-state="paused"]')).waitFor();
    await app.screenshot('outbox-queued-paused');
    await entry.getByRole('button', { name: 'Resume' }).click();
    await entry.and(app.page.locator('[data-state="queued"]')).waitFor();
    await app.page.getByTestId('outbox-pause-all').click();
    await app.page.getByTestId('outbox-paused').waitFor({ state: 'detached' });
    await app.screenshot('outbox-queued');

    const server = await app.restartEmulator();
    server.clearRequests();
    await entry.getByRole('button', { name: 'Send now' }).click();
    await entry.and(app.page.locator('[data-state="sent"]')).waitFor();
    const [request] = windowsRequests('OfflineApp1');
    assert.ok(request, 'the emulator received the queued upload');
    assert.equal(request.status, 200);
    assert.equal(request.parts.find((p) => p.name === 'mpnsCert')?.sha256, sha256(await readFile(p12.path)));
    await app.page.getByTestId('nav-badge-outbox').waitFor({ state: 'detached' });
    await app.screenshot('outbox-sent');
    await app.failIfAppErrorVisible();
  });

  test('outcome unknown: explained, not resent by a flush, sent again only when confirmed', async () => {
    await fillNewUpload('UnknownApp2');
    app.emulator.clearRequests();
    app.emulator.injectFault({ path: /\/windows$/, resetAfterBytes: 600 });
    await form().getByTestId('upload-submit').click();
    const result = app.page.locator('[data-testid="upload-result"][data-outcome="outcome-unknown"]');
    await result.waitFor();
    assert.match(await result.innerText(), /The request may have reached the server\. Check the server before sending again\./);
    assert.equal(windowsRequests('UnknownApp2').length, 1);

    await app.navigate('Outbox');
    const entry = entries().filter({ hasText: 'UnknownApp2' });
    await entry.and(app.page.locator('[data-state="outcome-unknown"]')).waitFor();
    assert.match(await entry.getByTestId('outcome-unknown-advice').innerText(), /Check the server before sending again/);
    assert.equal(await entry.getByRole('button', { name: 'Send now' }).count(), 0, 'no plain Send now for it');

    // "Send all queued now" leaves it alone: it is not queued.
    const flushed = await app.services.drafts.outbox.flush({ source: 'app' });
    assert.equal(flushed.sent, 0);
    assert.equal(windowsRequests('UnknownApp2').length, 1, 'never resent on its own');
    await app.screenshot('outbox-outcome-unknown');
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('outbox-outcome-unknown-dark');
    await app.page.emulateMedia({ colorScheme: 'light' });

    await entry.getByRole('button', { name: 'Send again…' }).click();
    await entry.getByRole('group', { name: 'Confirm sending again' }).getByRole('button', { name: 'Cancel' }).click();
    assert.equal(windowsRequests('UnknownApp2').length, 1, 'cancelling the confirmation sends nothing');
    await entry.getByRole('button', { name: 'Send again…' }).click();
    // The passphrase of the unknown send was not kept anywhere: it is asked again.
    await entry.getByLabel('Certificate passphrase', { exact: true }).fill(P12_PASSPHRASE);
    await app.screenshot('outbox-confirm-resend');
    await entry.getByRole('button', { name: 'Yes, send again' }).click();
    await entry.and(app.page.locator('[data-state="sent"]')).waitFor();
    assert.equal(windowsRequests('UnknownApp2').length, 2);
    assert.equal(windowsRequests('UnknownApp2')[1]?.status, 200);
    await app.failIfAppErrorVisible();
  });
});
