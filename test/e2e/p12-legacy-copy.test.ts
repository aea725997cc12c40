// The certificate page beside a .p12 protected the modern way (issue #16 point 6), in the real renderer with the real
// handlers: the check's note says what older Java servers do with it, and "Make a compatible copy…" writes a 3DES /
// SHA-1 copy with the same passphrase where the save dialog chose, leaving the original as it was.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CheckReportOf } from '../../preload/contract';
import { inspectPkcs12 } from '../../main/core/p12';
import { makeP12, type P12Fixture } from '../support/fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-harness';

const PASSPHRASE = 'modern-Export-Pass';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('a compatible copy of a modern .p12', () => {
  let app: E2eApp;
  let p12: P12Fixture;

  before(async () => {
    app = await startE2eApp();
    p12 = await makeP12(app.workDir, { passphrase: PASSPHRASE });
  });
  after(async () => {
    await app?.close();
  });

  test('the note names the refusal, and the button writes a copy that reads as 3DES with a SHA-1 MAC', async () => {
    const form = app.page.getByRole('form', { name: 'Upload certificate' });
    await app.navigate('Certificate upload');
    await app.dropFiles('p12-drop', [p12.path]);
    await form.getByTestId('chosen-file').waitFor();
    await form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    const note = form.getByTestId('p12-legacy-note');
    await note.waitFor();
    assert.match(await note.innerText(), /refuse the upload with "keystore password was incorrect"/);
    const original = sha256(await readFile(p12.path));

    const destination = join(app.workDir, 'for-java.p12');
    app.dialogs.answerSave(destination);
    await form.getByTestId('p12-legacy-copy').click();
    const result = form.getByTestId('p12-legacy-result');
    await result.waitFor();
    assert.match(await result.innerText(), /pbeWithSHAAnd3-KeyTripleDES-CBC, MAC sha1/);
    assert.deepEqual(app.dialogs.saved.at(-1), { kind: 'p12', defaultName: p12.path.split('/').pop()!.replace(/\.p12$/, '-legacy.p12') });
    await app.failIfAppErrorVisible();

    const copy = inspectPkcs12(await readFile(destination), PASSPHRASE) as CheckReportOf<'p12'>;
    assert.deepEqual(copy.issues, []);
    assert.equal(copy.details?.modernEncryption, undefined);
    assert.equal(copy.details?.sha256Fingerprint, p12.sha256Fingerprint);
    assert.equal(sha256(await readFile(p12.path)), original, 'the original changed');
  });
});
