// A history row's details in the real renderer (issue #21 point 9, issue #17 bullet 5): the row opens them by click
// or from the keyboard, they show the request, the files with their SHA-256, the server's answer (shown inert) and
// the times, Escape closes them and focus returns to the row. A queued pass request's details read its delivery
// status through eng:pass:status until every channel is final, and the history keeps that as the last known status,
// shown in the row. axe finds nothing serious in the open dialog.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { makePkpass, samplePassContent } from '../support/fixtures';
import { axeViolations } from '../support/axe';
import { startE2eApp, type E2eApp, useEmulatorProfile } from '../support/e2e-harness';

describe('history row details', () => {
  let app: E2eApp;

  before(async () => {
    app = await startE2eApp({ passStatusStepMs: 0 });
    await useEmulatorProfile(app);
  });
  after(async () => {
    await app?.close();
  });

  test('a pass request: details by keyboard, delivery status until final, last known status kept in the row', async () => {
    const pkpass = await makePkpass(app.workDir, { name: 'details.pkpass' });
    const queued = await app.services.actions.updatePass({ profile: 'Emulator', pkPassPath: pkpass.path, images: [], passContent: samplePassContent(), issue: true });
    const [record] = (await app.services.drafts.history.query({ limit: 1 })).records;
    assert.ok(record && record.requestId === queued.requestId, 'the send is the newest history record');
    assert.equal(record.lastStatus, undefined, 'no status was read yet');

    await app.navigate('History');
    const row = app.page.getByTestId('history-row').first();
    await row.waitFor();
    // The keyboard way in: the row's time is a button; Enter opens the details.
    await row.getByTestId('history-open').focus();
    await app.page.keyboard.press('Enter');
    const details = app.page.getByRole('dialog');
    await details.waitFor();
    const text = await details.innerText();
    assert.match(text, /New pass \(issue\)/, 'a pass issued is named so, not as an update');
    assert.ok(text.includes(record.endpoint), `endpoint in ${text}`);
    assert.ok(text.includes(queued.requestId), 'request id shown');
    const sha = createHash('sha256').update(await readFile(pkpass.path)).digest('hex');
    assert.ok(text.includes(sha), 'the pass file SHA-256 shown in full');
    assert.ok(text.includes('details.pkpass'), 'file name shown');
    assert.match(text, /Not read yet\./);

    await details.getByTestId('history-delivery-status').click();
    await details.getByTestId('history-delivery-summary').filter({ hasText: 'every channel is final' }).waitFor();
    const ids = await details.locator('[data-testid="pass-status-table"] tbody td.mono').allInnerTexts();
    assert.ok(ids.length >= 1 && ids.every((id) => /^\d{19}$/.test(id)), ids.join(','));
    // Main noted the read as the request's last known status; the dialog and the row show it.
    const last = await details.getByTestId('history-details-last-status').innerText();
    assert.match(last, /^Last known: Delivered \d+ of \d+/);
    const noted = (await app.services.drafts.history.query({ limit: 1 })).records[0]?.lastStatus;
    assert.ok(noted && noted.settled && noted.channels >= 1 && noted.final === noted.channels, JSON.stringify(noted));
    assert.ok(last.includes(`Delivered ${noted.delivered} of ${noted.channels}`), last);

    const blocking = (await axeViolations(app.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(blocking.map((v) => v.id), []);
    await app.screenshot('history-details-delivery');

    await app.page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    assert.equal(await app.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('data-testid')), 'history-open');
    await row.getByTestId('history-row-last-status').filter({ hasText: `Delivered ${noted.delivered} of ${noted.channels}` }).waitFor();
    await app.failIfAppErrorVisible();
  });

  test('a failed send: a click on the row shows the server answer inert, and no delivery status', async () => {
    app.emulator.injectFault({
      path: /\/pass\/import$/,
      status: 500,
      body: '{"id":"-1","message":"Store offline \u202Eexe.p12"}',
      contentType: 'application/json',
    });
    const pkpass = await makePkpass(app.workDir, { name: 'refused.pkpass' });
    await assert.rejects(app.services.actions.updatePass({ profile: 'Emulator', pkPassPath: pkpass.path, images: [], passContent: samplePassContent(), issue: true }));
    // Shown again, the page reads the history again.
    await app.navigate('Drafts');
    await app.navigate('History');
    const row = app.page.locator('[data-testid="history-row"][data-status="failed"]').first();
    await row.waitFor();
    // Anywhere on the row but its buttons opens the details.
    await row.locator('td').nth(2).click();
    const details = app.page.getByRole('dialog');
    await details.waitFor();
    assert.equal(await details.getByTestId('history-details-message').innerText(), 'Store offline \\u202eexe.p12');
    assert.match(await details.innerText(), /HTTP 500/);
    assert.equal(await details.getByTestId('history-delivery-status').count(), 0, 'a failed send has no delivery to track');
    await details.getByTestId('history-details-close').click();
    await details.waitFor({ state: 'detached' });
    await app.failIfAppErrorVisible();
  });
});
