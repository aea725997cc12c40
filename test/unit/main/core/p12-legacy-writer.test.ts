// The PKCS#12 writer of compatible copies (issue #16 point 6): what it writes is read by OpenSSL with and without the
// legacy provider, by our own reader, with the same key, certificate and passphrase; and the check tells a modern
// file (PBES2/AES, HMAC-SHA-256) from a classic one.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { CheckReportOf } from '../../../../preload/contract';
import { inspectPkcs12, modernProtection, readPkcs12Contents } from '../../../../main/core/p12';
import { bmpPassword, pkcs12Kdf, writeLegacyPkcs12 } from '../../../../main/core/p12-legacy-writer';
import { NODE_PKCS12_PRIMITIVES } from '../../../../main/checks/p12-legacy-copy';
import { makeCertificate, makeP12, type CertificateFiles } from '../../../support/fixtures';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';

const run = promisify(execFile);

/** openssl pkcs12 on a file, the passphrase through the environment; answers its stdout. */
async function openssl(path: string, passphrase: string, extra: string[]): Promise<string> {
  const { stdout } = await run('openssl', ['pkcs12', '-in', path, '-passin', 'env:ED_P12_PASS', ...extra], {
    env: { ...process.env, ED_P12_PASS: passphrase },
  });
  return stdout;
}

const pemBody = (pem: string, label: string) =>
  new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`).exec(pem)?.[0].replace(/\s+/g, '');

describe('writeLegacyPkcs12', () => {
  let dir: TempDir;
  let certificate: CertificateFiles;
  before(async () => {
    dir = await makeTempDir();
    certificate = await makeCertificate(dir.dir, { days: 365, subject: '/CN=MPNS Test Service/O=Example Org/C=US' });
  });
  after(() => dir.remove());

  test('the KDF keeps key, IV and MAC material apart, and takes the passphrase as a BMPString', async () => {
    // A fixed check of the arithmetic on its own: 20 bytes of MAC key differ by id, salt and password.
    const salt = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const a = pkcs12Kdf(NODE_PKCS12_PRIMITIVES, bmpPassword('x'), salt, 3, 1, 20);
    const b = pkcs12Kdf(NODE_PKCS12_PRIMITIVES, bmpPassword('y'), salt, 3, 1, 20);
    const c = pkcs12Kdf(NODE_PKCS12_PRIMITIVES, bmpPassword('x'), salt, 1, 1, 24);
    assert.equal(a.length, 20);
    assert.equal(c.length, 24);
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(a, c.subarray(0, 20));
    assert.deepEqual(bmpPassword('é'), Uint8Array.from([0x00, 0xe9, 0x00, 0x00]));
  });

  for (const passphrase of ['correct horse', 'pässwörd-€', '']) {
    test(`a copy of an OpenSSL 3 file (AES-256, SHA-256 MAC), passphrase ${JSON.stringify(passphrase)}, reads the same everywhere`, async () => {
      const modern = await makeP12(dir.dir, { passphrase, certificate });
      const original = await readFile(modern.path);
      const contents = readPkcs12Contents(original, passphrase);
      assert.ok(contents.algorithms.includes('aes256-CBC'), contents.algorithms.join());

      const copy = writeLegacyPkcs12({ ...contents, passphrase }, NODE_PKCS12_PRIMITIVES);
      const path = join(dir.dir, `copy-${passphrase.length}.p12`);
      await writeFile(path, copy);

      // Our reader: the classic algorithms, no warning, the same key and certificate.
      const report = inspectPkcs12(copy, passphrase) as CheckReportOf<'p12'>;
      assert.deepEqual(report.issues, []);
      assert.deepEqual(report.details?.algorithms, ['pbeWithSHAAnd3-KeyTripleDES-CBC', 'MAC sha1']);
      assert.equal(report.details?.legacyEncryption, true);
      assert.equal(report.details?.modernEncryption, undefined);
      assert.equal(report.details?.sha256Fingerprint, certificate.sha256Fingerprint);
      const back = readPkcs12Contents(copy, passphrase);
      assert.deepEqual(back.privateKeyInfo, contents.privateKeyInfo);
      assert.deepEqual(back.certificates, contents.certificates);

      // OpenSSL, as an older tool reads it (-legacy) and with its default provider: the MAC verifies, both parts
      // decrypt, and they are the key and certificate the file was made from.
      const info = await openssl(path, passphrase, ['-info', '-noout', '-legacy']);
      assert.equal(info, '');
      const { stderr } = await run('openssl', ['pkcs12', '-in', path, '-passin', 'env:ED_P12_PASS', '-info', '-noout'], {
        env: { ...process.env, ED_P12_PASS: passphrase },
      });
      assert.match(stderr, /MAC: sha1, Iteration 2048/);
      assert.match(stderr, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
      assert.match(stderr, /PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
      const pem = await openssl(path, passphrase, ['-nodes']);
      assert.equal(pemBody(pem, 'CERTIFICATE'), pemBody(await readFile(certificate.certPath, 'utf8'), 'CERTIFICATE'));
      const key = pemBody(pem, 'PRIVATE KEY');
      const { stdout: expectedKey } = await run('openssl', ['pkey', '-in', certificate.keyPath]);
      assert.equal(key, pemBody(expectedKey, 'PRIVATE KEY'));
      // The key and the certificate are paired by their localKeyId, as Java's KeyStore expects.
      assert.equal((pem.match(/localKeyID:/g) ?? []).length, 2);
    });
  }

  test('a wrong passphrase does not open the copy (in OpenSSL either)', async () => {
    const modern = await makeP12(dir.dir, { passphrase: 'right', certificate });
    const copy = writeLegacyPkcs12({ ...readPkcs12Contents(await readFile(modern.path), 'right'), passphrase: 'right' }, NODE_PKCS12_PRIMITIVES);
    assert.deepEqual(
      inspectPkcs12(copy, 'wrong').issues.map((i) => i.code),
      ['p12-wrong-passphrase'],
    );
    const path = join(dir.dir, 'wrong.p12');
    await writeFile(path, copy);
    await assert.rejects(openssl(path, 'wrong', ['-info', '-noout']));
  });
});

describe('the check names modern protection', () => {
  test('in words, for PBES2/AES and SHA-2 MACs only', () => {
    assert.equal(modernProtection(['PBES2', 'aes256-CBC', 'hmacWithSHA256', 'MAC sha256']), 'AES-256 (PBES2) and an HMAC-SHA-256 MAC');
    assert.equal(modernProtection(['pbeWithSHAAnd3-KeyTripleDES-CBC', 'MAC sha256']), 'an HMAC-SHA-256 MAC');
    assert.equal(modernProtection(['pbeWithSHAAnd40BitRC2-CBC', 'pbeWithSHAAnd3-KeyTripleDES-CBC', 'MAC sha1']), undefined);
    assert.equal(modernProtection(['pbeWithSHAAnd3-KeyTripleDES-CBC', 'no MAC']), undefined);
  });

  test('an OpenSSL 3 file gets the note with what to do (not an issue: current servers read it); a -legacy one does not', async () => {
    const dir = await makeTempDir();
    try {
      const modern = await makeP12(dir.dir, { passphrase: 'pw' });
      const report = inspectPkcs12(await readFile(modern.path), 'pw') as CheckReportOf<'p12'>;
      assert.deepEqual(report.issues, []);
      assert.equal(
        report.details?.modernEncryption,
        'This file is protected with AES-256 (PBES2) and an HMAC-SHA-256 MAC, as OpenSSL 3 and current Windows exports are. Older Java-based servers cannot read that and refuse the upload with "keystore password was incorrect", even with the right passphrase. If the server refuses it so, upload a compatible copy (3DES, SHA-1 MAC, same passphrase): engagement-desk p12 legacy FILE COPY.p12.',
      );
      const legacy = await makeP12(dir.dir, { passphrase: 'pw', legacy: true });
      const classic = inspectPkcs12(await readFile(legacy.path), 'pw') as CheckReportOf<'p12'>;
      assert.deepEqual(classic.issues, []);
      assert.equal(classic.details?.modernEncryption, undefined);
    } finally {
      await dir.remove();
    }
  });
});
