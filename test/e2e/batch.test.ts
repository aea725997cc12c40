// Batch sends (issue #6) in the real renderer against the emulator: a CSV of recipients imported into the pass
// form and sent one request per recipient with live progress and a per-recipient table; a slowed batch stopped
// midway (in-flight sends finish, the rest are not sent); two drafts selected on the Drafts page and sent at once.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RecordedRequest } from '../../main/emulator/server';
import { makePkpass } from '../support/fixtures';
import { SCREENSHOT_DIR, startE2eApp, waitUntil, type E2eApp, useEmulatorProfile } from '../support/e2e-harness';

const IMPORT_UPDATE = '/api/v1/message/pass/import/update';
const PASS_CONTENT = { recipients: { recipient: [{ id: 'set-per-draft' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 };

function onlyRecipient(request: RecordedRequest): string {
  const text = request.parts.find((p) => p.name === 'passContent')?.text ?? '';
  const list = (JSON.parse(text) as { recipients: { recipient: Array<{ id: string }> } }).recipients.recipient;
  assert.equal(list.length, 1, `one recipient per request: ${text}`);
  return list[0]!.id;
}

describe('batch sends', () => {
  let app: E2eApp;
  let pkpassPath: string;
  // 64-bit audience ids: any number parsing on the way would change them.
  const ids = Array.from({ length: 30 }, (_, i) => (9_223_372_036_854_770_000n + BigInt(i * 11)).toString());

  before(async () => {
    app = await startE2eApp();
    pkpassPath = (await makePkpass(app.workDir, { name: 'members.pkpass' })).path;
    await useEmulatorProfile(app);
  });
  after(async () => {
    await app?.close();
  });

  const page = () => app.page.locator('[data-page="pass-update"]');
  const passUpdates = () => app.emulator.requests.filter((r) => r.path === IMPORT_UPDATE);
  // The pass page with 30 recipients is very tall: these shots show the part being judged at full size.
  const shoot = (testId: 'send-bar' | 'results', name: string) =>
    (testId === 'send-bar' ? page().locator('.send-bar') : page().getByTestId('batch-results').locator('xpath=..')).screenshot({
      path: join(SCREENSHOT_DIR, `${name}.png`),
    });

  test('import a CSV of recipients, send to each separately, watch progress, get one requestId per recipient', async () => {
    await app.navigate('Pass update');
    await app.dropFiles('pkpass-drop', [pkpassPath]);
    await page().getByTestId('chosen-file').filter({ hasText: 'members.pkpass' }).waitFor();
    await page().getByTestId('pkpass-check').filter({ hasText: /\S/ }).waitFor();

    const csv = join(app.workDir, 'members.csv');
    await writeFile(csv, `name,id,email\r\n${ids.map((id, i) => `"Member, ${i}",${id},m${i}@example.com`).join('\r\n')}\r\n`);
    app.dialogs.answerOpen([csv]);
    await page().getByTestId('import-recipients').click();
    await page().getByTestId('import-note').filter({ hasText: 'Imported 30 recipients from members.csv' }).waitFor();
    assert.equal(app.dialogs.opened.at(-1)?.kind, 'csv');
    assert.equal(await page().getByTestId('recipient-id').count(), 30);
    assert.equal(await page().getByTestId('recipient-id').nth(29).inputValue(), ids[29]);

    await page().getByTestId('send-separately').check();
    const send = page().getByTestId('pass-send');
    await send.filter({ hasText: 'Send 30 updates' }).waitFor();
    await app.failIfAppErrorVisible();

    app.emulator.clearRequests();
    // Slow answers, so the progress bar is on screen long enough to be seen.
    app.emulator.injectFault({ method: 'POST', path: IMPORT_UPDATE, latencyMs: 500, times: Infinity });
    try {
      await send.click();
      const progress = page().getByTestId('batch-progress-text');
      await progress.filter({ hasText: /^[1-9]\d* of 30 sent$/ }).waitFor();
      await page().getByTestId('send-separately').and(app.page.locator(':disabled')).waitFor();
      await shoot('send-bar', 'batch-progress');
      await page().getByTestId('batch-results').waitFor({ timeout: 20_000 });
    } finally {
      app.emulator.clearFaults();
    }
    await page().getByTestId('batch-summary').filter({ hasText: 'Sent 30 of 30.' }).waitFor();
    const rows = page().getByTestId('batch-row');
    assert.equal(await rows.count(), 30);
    assert.equal(await page().locator('[data-testid="batch-row"][data-status="done"]').count(), 30);
    assert.deepEqual(await page().getByTestId('batch-recipient').allInnerTexts(), ids, 'one row per recipient, in CSV order');
    const requestIds = await page().getByTestId('batch-request-id').allInnerTexts();
    assert.equal(requestIds.length, 30);
    assert.ok(requestIds.every((id) => /^\d+$/.test(id)));
    assert.equal(new Set(requestIds).size, 30);

    const received = passUpdates();
    assert.equal(received.length, 30);
    assert.deepEqual(received.map(onlyRecipient).sort(), [...ids].sort());
    // What the table shows is what the server answered.
    assert.deepEqual(new Set(received.map((r) => (JSON.parse(r.responseBody ?? '{}') as { requestId?: string }).requestId)), new Set(requestIds));
    await shoot('results', 'batch-results');
    await app.failIfAppErrorVisible();
  });

  test('failures are listed per recipient and Retry failed sends only those again', async () => {
    app.emulator.clearRequests();
    app.emulator.injectFault({ method: 'POST', path: IMPORT_UPDATE, status: 500, times: 3 });
    await page().getByTestId('pass-send').click();
    await page().getByTestId('batch-summary').filter({ hasText: 'Sent 27 of 30. 3 failed.' }).waitFor();
    const failedRows = page().locator('[data-testid="batch-row"][data-status="failed"]');
    assert.equal(await failedRows.count(), 3);
    assert.match(await failedRows.first().innerText(), /HTTP 500/);
    const failedIds = await failedRows.getByTestId('batch-recipient').allInnerTexts();
    await shoot('results', 'batch-results-failed');

    app.emulator.clearRequests();
    await page().getByTestId('batch-retry-failed').click();
    await page().getByTestId('batch-summary').filter({ hasText: 'Sent 3 of 3.' }).waitFor();
    assert.deepEqual(passUpdates().map(onlyRecipient).sort(), [...failedIds].sort());
    await app.failIfAppErrorVisible();
  });

  test('Stop on a slowed batch: the sends in flight finish, the rest are not sent', async () => {
    app.emulator.clearRequests();
    app.emulator.injectFault({ method: 'POST', path: IMPORT_UPDATE, latencyMs: 1000, times: Infinity });
    try {
      await page().getByTestId('pass-send').click();
      await page().getByTestId('batch-progress').waitFor();
      // Stop once the first sends are on the wire.
      await waitUntil(() => passUpdates().length > 0, 'the first sends reach the server');
      await page().getByTestId('batch-stop').click();
      await page().getByText('Stopping: waiting for the sends in flight…').waitFor();
      await shoot('send-bar', 'batch-stopping');
      await page().getByTestId('batch-results').waitFor({ timeout: 20_000 });
    } finally {
      app.emulator.clearFaults();
    }
    const started = passUpdates().length;
    assert.ok(started > 0 && started < 30, `started ${started}`);
    const done = await page().locator('[data-testid="batch-row"][data-status="done"]').count();
    const skipped = await page().locator('[data-testid="batch-row"][data-status="skipped"]').count();
    assert.equal(done, started, 'every started send finished and is reported');
    assert.equal(skipped, 30 - started);
    await page().getByTestId('batch-summary').filter({ hasText: `${30 - started} not sent because the batch was stopped` }).waitFor();
    await page().getByTestId('batch-send-rest').filter({ hasText: `Send the ${30 - started} not sent` }).waitFor();
    const history = await app.services.drafts.history.query({ kind: 'pass-update' });
    assert.equal(history.records.filter((r) => r.status === 'sent').length, 30 + 3 + 27 + started);
    await shoot('results', 'batch-stopped');
    await app.failIfAppErrorVisible();
  });

  test('the Drafts page sends two selected drafts at once', async () => {
    const store = app.services.drafts.drafts;
    const profileId = app.profiles.find('Emulator')!.id;
    const ready = async (name: string, recipient: string) => {
      const draft = await store.create({ kind: 'pass-update', name, profileId });
      const pkPass = await store.addFile(draft.id, pkpassPath);
      const current = await store.get(draft.id);
      if (current.kind !== 'pass-update') throw new Error('unreachable');
      await store.save({ ...current, payload: { ...current.payload, pkPass, passContent: { ...PASS_CONTENT, recipients: { recipient: [{ id: recipient }] } } } });
    };
    await ready('Gold tier refresh', '61001');
    await ready('Silver tier refresh', '61002');
    await store.create({ kind: 'pass-update', name: 'Bronze tier (no pass yet)', profileId });

    await app.navigate('Drafts');
    const row = (name: string) => app.page.locator('[data-page="drafts"]').getByTestId('draft-row').filter({ hasText: name });
    await row('Silver tier refresh').waitFor();
    await row('Gold tier refresh').getByTestId('draft-select').check();
    await row('Silver tier refresh').getByTestId('draft-select').check();
    const sendSelected = app.page.getByTestId('drafts-send-selected');
    await sendSelected.filter({ hasText: 'Send selected (2)' }).waitFor();
    await app.screenshot('drafts-selected');

    app.emulator.clearRequests();
    await sendSelected.click();
    const results = app.page.getByTestId('drafts-send-results');
    await results.getByTestId('drafts-send-summary').filter({ hasText: 'Sent 2 of 2.' }).waitFor();
    assert.equal(await results.locator('[data-testid="drafts-send-row"][data-status="sent"]').count(), 2);
    // In the order of the list (newest change first).
    assert.deepEqual((await results.getByTestId('drafts-send-row').allInnerTexts()).map((t) => t.split('\t')[0]), [
      'Silver tier refresh',
      'Gold tier refresh',
    ]);
    assert.equal(await results.getByTestId('drafts-send-request-id').count(), 2);
    assert.deepEqual(passUpdates().map(onlyRecipient).sort(), ['61001', '61002']);
    await app.screenshot('drafts-sent-many');
    await app.failIfAppErrorVisible();
  });
});
