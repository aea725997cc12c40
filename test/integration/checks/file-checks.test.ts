import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkFile, MAX_P12_BYTES } from '../../../main/checks/file-checks';
import { makeP12, makePkpass, makePng } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('checkFile', () => {
  let dir: TempDir;
  before(async () => {
    dir = await makeTempDir();
  });
  after(() => dir.remove());

  test('p12: modern and legacy files open with the passphrase; file facts are filled in', async () => {
    for (const legacy of [false, true]) {
      const p12 = await makeP12(dir.dir, { passphrase: 'Secr3t!', legacy });
      const report = await checkFile({ path: p12.path, kind: 'p12', passphrase: 'Secr3t!' });
      assert.equal(report.ok, true, JSON.stringify(report.issues));
      assert.equal(report.file?.path, p12.path);
      assert.ok(report.file!.size > 1000);
      assert.equal(report.kind, 'p12');
      assert.equal(report.details?.sha256Fingerprint, p12.sha256Fingerprint);
    }
  });

  test('p12: a wrong passphrase blocks; no passphrase yet only asks for it', async () => {
    const p12 = await makeP12(dir.dir, { passphrase: 'right' });
    const wrong = await checkFile({ path: p12.path, kind: 'p12', passphrase: 'wrong' });
    assert.deepEqual(codes(wrong.issues), ['p12-wrong-passphrase']);
    assert.equal(wrong.ok, false);
    const pending = await checkFile({ path: p12.path, kind: 'p12' });
    assert.deepEqual(codes(pending.issues), ['p12-passphrase-needed']);
    assert.equal(pending.issues[0]?.severity, 'info');
  });

  test('p12: a file that is not PKCS#12 is told even without a passphrase', async () => {
    const path = join(dir.dir, 'random.p12');
    await writeFile(path, randomBytes(3000));
    assert.deepEqual(codes((await checkFile({ path, kind: 'p12' })).issues), ['p12-not-pkcs12']);
  });

  test('p12: an oversized file is refused without being parsed', async () => {
    const path = join(dir.dir, 'huge.p12');
    await writeFile(path, Buffer.alloc(MAX_P12_BYTES + 1, 0x30));
    const report = await checkFile({ path, kind: 'p12', passphrase: 'x' });
    assert.deepEqual(codes(report.issues), ['p12-not-pkcs12']);
    assert.match(report.issues[0]!.message, /KB/);
  });

  test('missing files, folders and empty files come back as issues, not exceptions', async () => {
    const missing = await checkFile({ path: join(dir.dir, 'nope.pkpass'), kind: 'pkpass' });
    assert.deepEqual(codes(missing.issues), ['file-unreadable']);
    assert.match(missing.issues[0]!.message, /not found/);
    const folder = join(dir.dir, 'folder.p12');
    await mkdir(folder);
    assert.deepEqual(codes((await checkFile({ path: folder, kind: 'p12' })).issues), ['file-not-regular']);
    const empty = join(dir.dir, 'empty.png');
    await writeFile(empty, '');
    assert.deepEqual(codes((await checkFile({ path: empty, kind: 'image' })).issues), ['file-empty']);
  });

  test('pkpass: a good pass passes; a tampered one fails with the reason', async () => {
    const good = await makePkpass(dir.dir);
    const report = await checkFile({ path: good.path, kind: 'pkpass' });
    assert.deepEqual(report.issues, []);
    assert.equal(report.kind, 'pkpass');
    const facts = report.details;
    assert.ok(facts);
    assert.equal(facts.signer?.verified, true);
    assert.equal(facts.preview?.organizationName, 'Example Org');

    const tampered = await makePkpass(dir.dir, { tamperPassJson: true });
    const bad = await checkFile({ path: tampered.path, kind: 'pkpass' });
    assert.deepEqual(codes(bad.issues), ['pkpass-manifest-mismatch']);
    assert.equal(bad.ok, false);
  });

  test('pkpass: missing signature, expired signer and path traversal', async () => {
    const unsigned = await makePkpass(dir.dir, { sign: false });
    assert.deepEqual(codes((await checkFile({ path: unsigned.path, kind: 'pkpass' })).issues), ['pkpass-missing-file']);

    const expired = await makePkpass(dir.dir, {
      signer: { notBefore: new Date(Date.UTC(2019, 0, 1)), notAfter: new Date(Date.UTC(2020, 0, 1)) },
    });
    assert.deepEqual(codes((await checkFile({ path: expired.path, kind: 'pkpass' })).issues), ['pkpass-signer-expired']);

    const evil = await makePkpass(dir.dir, { rawEntries: [{ name: '../evil', data: 'x' }] });
    assert.deepEqual(codes((await checkFile({ path: evil.path, kind: 'pkpass' })).issues), ['pkpass-unsafe-path']);
  });

  test('pkpass: a pass with a lying zip bomb entry is refused', async () => {
    const bomb = await makePkpass(dir.dir, {
      rawEntries: [{ name: 'thumbnail.png', data: Buffer.alloc(5 * 1024 * 1024), declaredUncompressedSize: 100 }],
    });
    const report = await checkFile({ path: bomb.path, kind: 'pkpass' });
    assert.ok(codes(report.issues).includes('pkpass-zip-bomb'), JSON.stringify(report.issues));
    assert.equal(report.ok, false);
  });

  test('image: role from the request or from the file name; dimensions and format', async () => {
    const logo = join(dir.dir, 'logo@2x.png');
    await writeFile(logo, makePng(320, 100));
    const named = await checkFile({ path: logo, kind: 'image' });
    assert.deepEqual(named.issues, []);
    assert.deepEqual(named.details, { width: 320, height: 100, bitDepth: 8, colorType: 6, role: 'logo@2x' });

    const upload = join(dir.dir, 'brand.png');
    await writeFile(upload, makePng(600, 100));
    const asLogo = await checkFile({ path: upload, kind: 'image', role: 'logo' });
    assert.deepEqual(codes(asLogo.issues), ['image-dimensions']);
    assert.equal(asLogo.ok, true, 'a warning does not block');
    assert.deepEqual(codes((await checkFile({ path: upload, kind: 'image' })).issues), [], 'no role: only the format is judged');
    const fieldName = await checkFile({ path: upload, kind: 'image', role: 'imageFieldName1' });
    assert.deepEqual(fieldName.issues.map((i) => [i.code, i.severity]), [['image-unknown-role', 'info']]);

    const jpeg = join(dir.dir, 'photo.png');
    await writeFile(jpeg, Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...randomBytes(200)]));
    const notPng = await checkFile({ path: jpeg, kind: 'image', role: 'strip' });
    assert.deepEqual(codes(notPng.issues), ['image-not-png']);
    assert.equal(notPng.ok, false);
  });
});
