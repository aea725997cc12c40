// The history in the real renderer (issue #5): sends made through the forms (a success, a 500) are listed with
// their files' SHA-256 and the server's answer, filter by status and text, and export as CSV and JSON whose rows
// are the records main holds, without any secret.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeP12, type P12Fixture } from '../support/fixtures';
import { startE2eApp, type E2eApp, E2E_ADMIN, useEmulatorProfile } from '../support/e2e-harness';
import type { HistoryRecord } from '../../preload/contract';

const PASSWORD = E2E_ADMIN.password;
const P12_PASSPHRASE = 'p12-Export-Pass';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** RFC 4180 rows (quoted cells may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('the send history', () => {
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

  test('sends are listed, filtered, and exported as CSV and JSON matching the records', async () => {
    const form = app.page.getByRole('form', { name: 'Upload certificate' });
    await app.navigate('Certificate upload');
    await form.getByLabel('Application ID').fill('HistoryApp9');
    await app.dropFiles('p12-drop', [p12.path]);
    await form.getByTestId('chosen-file').waitFor();
    await form.getByLabel('Passphrase', { exact: true }).fill(P12_PASSPHRASE);
    await form.getByTestId('upload-submit').and(app.page.locator(':enabled')).waitFor();
    await form.getByTestId('upload-submit').click();
    await app.page.getByTestId('upload-result').filter({ hasText: 'Uploaded.' }).waitFor();
    app.emulator.injectFault({ path: /\/windows$/, status: 500, body: '{"id":"-1","message":"Certificate store offline"}', contentType: 'application/json' });
    await form.getByTestId('upload-submit').click();
    await app.waitForAppError('Certificate store offline');
    await app.dismissAppErrors();

    await app.navigate('History');
    const rows = app.page.locator('[data-page="history"]').getByTestId('history-row');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    // Newest first: the failure, then the success; each with the file's short SHA-256 and size.
    assert.equal(await rows.nth(0).getAttribute('data-status'), 'failed');
    assert.equal(await rows.nth(1).getAttribute('data-status'), 'sent');
    const digest = sha256(await readFile(p12.path));
    assert.match(await rows.nth(1).innerText(), new RegExp(`${digest.slice(0, 12)}…`));
    assert.match(await rows.nth(0).innerText(), /Certificate store offline/);
    assert.match(await rows.nth(0).innerText(), /HTTP 500/);
    await app.screenshot('history');
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('history-dark');
    await app.page.emulateMedia({ colorScheme: 'light' });

    await app.page.getByTestId('history-status').selectOption('sent');
    await app.page.locator('[data-page="history"] [data-testid="history-count"]', { hasText: /^1 send$/ }).waitFor();
    assert.equal(await rows.count(), 1);
    await app.page.getByTestId('history-status').selectOption('');
    await app.page.getByTestId('history-text').fill('no-such-thing');
    await app.page.getByTestId('history-empty').waitFor();
    await app.page.getByTestId('history-text').fill('historyapp9');
    await rows.nth(1).waitFor();

    const records: HistoryRecord[] = (await app.services.drafts.history.query()).records;
    assert.equal(records.length, 2);

    const csvPath = join(app.workDir, 'history.csv');
    app.dialogs.answerSave(csvPath);
    await app.page.getByTestId('history-export-csv').click();
    await app.page.getByTestId('history-exported').filter({ hasText: '2 sends' }).waitFor();
    assert.deepEqual(app.dialogs.saved.at(-1)?.kind, 'csv');
    const csvText = await readFile(csvPath, 'utf8');
    const [header, ...lines] = parseCsv(csvText);
    assert.ok(header);
    const column = (name: string) => header.indexOf(name);
    assert.equal(lines.length, records.length);
    lines.forEach((cells, index) => {
      const record = records[index]!;
      assert.equal(cells[column('id')], record.id);
      assert.equal(cells[column('status')], record.status);
      assert.equal(cells[column('appId')], 'HistoryApp9');
      assert.equal(cells[column('sha256')], digest);
      assert.equal(cells[column('sizes')], String(record.files[0]?.size));
      assert.equal(cells[column('profile')], 'Emulator');
    });
    assert.equal(csvText.includes(P12_PASSPHRASE) || csvText.includes(PASSWORD), false, 'no secret in the export');

    const jsonPath = join(app.workDir, 'history.json');
    app.dialogs.answerSave(jsonPath);
    await app.page.getByTestId('history-export-json').click();
    await app.page.getByTestId('history-exported').filter({ hasText: 'history.json' }).waitFor();
    assert.deepEqual(JSON.parse(await readFile(jsonPath, 'utf8')), records);
    await app.failIfAppErrorVisible();
  });
});
