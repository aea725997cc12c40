// Pass update with a pkPass import in the real renderer against the emulator: drop the .pkpass and images, name
// the image parts, fill passContent in the form and the JSON view, send, copy the requestId; a failed send keeps
// every field and file.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makePkpass, makePng } from '../support/fixtures';
import { startE2eApp, type E2eApp, useEmulatorProfile } from '../support/e2e-harness';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const IMPORT_UPDATE = '/api/v1/message/pass/import/update';

describe('pass update with a pkPass import', () => {
  let app: E2eApp;
  let pkpassPath: string;
  let imagePaths: string[];

  before(async () => {
    app = await startE2eApp();
    pkpassPath = (await makePkpass(app.workDir, { name: 'loyalty.pkpass' })).path;
    imagePaths = [];
    for (const [name, png] of [
      ['Company Logo.png', makePng(160, 50)],
      ['icon@2x.png', makePng(58, 58)],
      ['strip.png', makePng(375, 123)],
    ] as const) {
      const path = join(app.workDir, name);
      await writeFile(path, png);
      imagePaths.push(path);
    }
    await useEmulatorProfile(app);
  });
  after(async () => {
    await app?.close();
  });

  const page = () => app.page.locator('[data-page="pass-update"]');
  const fieldNames = () => page().getByTestId('image-field-name');

  test('drop the pass and images, fill the form and JSON, send, and copy the requestId', async () => {
    await app.navigate('Pass update');
    await app.dropFiles('pkpass-drop', [pkpassPath]);
    await page().getByTestId('chosen-file').filter({ hasText: 'loyalty.pkpass' }).waitFor();
    await page().getByTestId('pkpass-check').filter({ hasText: /\S/ }).waitFor();

    await app.dropFiles('images-drop', imagePaths);
    await page().getByTestId('image-row').nth(2).waitFor();
    assert.deepEqual(
      await Promise.all((await fieldNames().all()).map((input) => input.inputValue())),
      ['logo', 'icon@2x', 'strip'],
      'field names default to the role in the file name',
    );

    // A duplicate field name is refused (and blocks Send) until it is renamed.
    await fieldNames().nth(2).fill('logo');
    await page().getByText('Another image already uses the field name “logo”').first().waitFor();
    assert.equal(await page().getByTestId('pass-send').isDisabled(), true);
    await fieldNames().nth(2).fill('strip');

    // The form: recipients, an SMS on issue with the link placeholder inserted at the cursor, an email on update.
    await page().getByTestId('recipient-id').first().fill('48494');
    await page().getByRole('button', { name: 'Add recipient' }).click();
    await page().getByTestId('recipient-id').nth(1).fill('50001');
    const sms = page().getByTestId('issue-sms');
    await sms.getByRole('checkbox').check();
    const smsMessage = page().getByTestId('issue-sms-message');
    await smsMessage.fill('Your card: ');
    await smsMessage.press('End');
    await sms.getByRole('button', { name: 'Insert pass link' }).click();
    assert.equal(await smsMessage.inputValue(), 'Your card: ##SMS Pass Link##');
    const email = page().getByTestId('update-email');
    await email.getByRole('checkbox').check();
    await email.getByLabel('Subject').fill('Your card was updated');
    await email.getByLabel('Sender name').fill('Loyalty Team');
    await email.getByLabel('Sender email').fill('loyalty@example.com');
    await page().getByTestId('update-email-message').fill('See ');
    await email.getByRole('button', { name: 'Insert pass link' }).click();

    // The JSON view follows the form...
    const json = page().getByTestId('pass-json');
    const fromForm = JSON.parse(await json.inputValue());
    assert.deepEqual(fromForm.recipients.recipient, [{ id: '48494' }, { id: '50001' }]);
    // ...an invalid edit keeps the text and shows the syntax error...
    const broken = (await json.inputValue()).replace('"50001"', '"50001",,');
    await json.fill(broken);
    await page().getByText(/JSON syntax error at line \d+, column \d+/).waitFor();
    assert.equal(await json.inputValue(), broken);
    assert.equal(await page().getByTestId('pass-send').isDisabled(), true);
    await app.screenshot('pass-update-json-error');
    // ...and a valid edit updates the form.
    await json.fill(JSON.stringify({ ...fromForm, recipients: { recipient: [{ id: '48494' }, { id: '77777' }] } }, null, 2));
    await page().locator('[data-testid="recipient-id"][value="77777"]').waitFor();
    await app.screenshot('pass-update-ready');
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('pass-update-ready-dark');
    await app.page.emulateMedia({ colorScheme: 'light' });
    await app.failIfAppErrorVisible();

    app.emulator.clearRequests();
    await page().getByTestId('pass-send').click();
    const result = page().getByTestId('pass-result');
    await result.filter({ hasText: 'Queued.' }).waitFor();
    const requestId = await page().getByTestId('pass-request-id').inputValue();
    assert.match(requestId, /^\d+$/);
    await app.screenshot('pass-update-sent');

    const request = app.emulator.requests.find((r) => r.method === 'POST' && r.path.endsWith(IMPORT_UPDATE));
    assert.ok(request, 'the emulator received the pass update');
    assert.equal(request.status, 200);
    const pkPart = request.parts.find((p) => p.name === 'pkPass');
    assert.equal(pkPart?.sha256, sha256(await readFile(pkpassPath)));
    for (const [index, name] of ['logo', 'icon@2x', 'strip'].entries()) {
      const part: { sha256: string } | undefined = request.parts.find((p) => p.name === name);
      assert.equal(part?.sha256, sha256(await readFile(imagePaths[index]!)), `image part ${name}`);
    }
    const sent = JSON.parse(request.parts.find((p) => p.name === 'passContent')?.text ?? '{}');
    assert.deepEqual(sent.recipients.recipient, [{ id: '48494' }, { id: '77777' }]);
    const issueSms = sent.passIntegrationConfig.passIssueNotificationDetails.find((n: { channel: string }) => n.channel === 'SMS');
    assert.deepEqual([issueSms.enabled, issueSms.messageContent], [true, 'Your card: ##SMS Pass Link##']);
    const updateEmail = sent.passIntegrationConfig.passUpdateNotificationDetails.find((n: { channel: string }) => n.channel === 'EMAIL');
    assert.equal(updateEmail.messageContent, 'See ##Email Pass Link##');
    assert.equal(updateEmail.senderEmail, 'loyalty@example.com');

    await result.getByRole('button', { name: 'Copy' }).click();
    await result.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await app.page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()), requestId);
    await app.failIfAppErrorVisible();
  });

  test('a failed send (500, then a dropped connection) keeps every field and file', async () => {
    await app.navigate('Pass update');
    const jsonBefore = await page().getByTestId('pass-json').inputValue();
    app.emulator.injectFault({ path: IMPORT_UPDATE, status: 500, body: '{"id":"-1","message":"Pass service unavailable"}', contentType: 'application/json' });
    await page().getByTestId('pass-send').click();
    assert.match(await app.waitForAppError('Pass service unavailable'), /HTTP 500/);
    await app.screenshot('pass-update-error-500');
    assert.equal(await page().getByTestId('pass-json').inputValue(), jsonBefore);
    assert.equal(await page().getByTestId('image-row').count(), 3);
    await page().getByTestId('chosen-file').filter({ hasText: 'loyalty.pkpass' }).waitFor();
    await app.dismissAppErrors();

    // A connection dropped mid-request: the outcome is unknown and only an explicit, confirmed "Send again" resends.
    app.emulator.injectFault({ path: IMPORT_UPDATE, resetAfterBytes: 2000 });
    await page().getByTestId('pass-send').click();
    const unknown = page().locator('[data-testid="pass-result"][data-outcome="outcome-unknown"]');
    await unknown.waitFor();
    assert.match(await unknown.innerText(), /may have reached the server/);
    assert.equal(await page().getByTestId('pass-json').inputValue(), jsonBefore);
    assert.equal(await page().getByTestId('image-row').count(), 3);
    await unknown.getByRole('button', { name: 'Send again…' }).click();
    await unknown.getByRole('button', { name: 'Yes, send again' }).click();
    await page().getByTestId('pass-result').filter({ hasText: 'Queued.' }).waitFor();
    await app.failIfAppErrorVisible();
  });
});
