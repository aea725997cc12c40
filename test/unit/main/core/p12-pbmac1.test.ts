// PBMAC1-protected PKCS#12 files (RFC 9579; OpenSSL 3.4+ `-pbmac1_pbkdf2`, FIPS setups), built by test/support/pbmac1.ts:
// the reader verifies the MAC, tells a wrong passphrase from a changed MAC, and holds PBKDF2's rounds to the KDF budget.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { CheckReportOf } from '../../../../preload/contract';
import { inspectPkcs12, pkcs12OpenResult, readPkcs12Contents } from '../../../../main/core/p12';
import { PBMAC1_OIDS as OIDS, withPbmac1 } from '../../../support/pbmac1';
import { makeCertificate, makeP12, type CertificateFiles } from '../../../support/fixtures';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';

const PASSPHRASE = 'fips pässphrase';
const codes = (bytes: Buffer, passphrase: string) => inspectPkcs12(bytes, passphrase).issues.map((i) => i.code);

describe('PBMAC1 (RFC 9579) files', () => {
  let dir: TempDir;
  let certificate: CertificateFiles;
  let original: Buffer;
  before(async () => {
    dir = await makeTempDir();
    certificate = await makeCertificate(dir.dir, { days: 365, subject: '/CN=FIPS Test/O=Example Org' });
    original = await readFile((await makeP12(dir.dir, { passphrase: PASSPHRASE, certificate })).path);
  });
  after(() => dir.remove());

  test('opens with the right passphrase, its MAC verified, and the check names PBMAC1', () => {
    const report = inspectPkcs12(withPbmac1(original, { passphrase: PASSPHRASE }), PASSPHRASE) as CheckReportOf<'p12'>;
    assert.deepEqual(report.issues, []);
    assert.equal(report.details?.sha256Fingerprint, certificate.sha256Fingerprint);
    assert.ok(report.details?.algorithms.includes('MAC PBMAC1'), report.details?.algorithms.join());
    assert.match(report.details?.modernEncryption ?? '', /AES-256 \(PBES2\) and a PBMAC1 \(RFC 9579\) MAC/);
  });

  test('a wrong passphrase is a wrong passphrase', () => {
    assert.deepEqual(codes(withPbmac1(original, { passphrase: PASSPHRASE }), 'not it'), ['p12-wrong-passphrase']);
  });

  test('a MAC that was changed is told apart from a wrong passphrase, and from "unsupported"', () => {
    const issues = inspectPkcs12(withPbmac1(original, { passphrase: PASSPHRASE, forge: true }), PASSPHRASE).issues;
    assert.deepEqual(issues, [
      {
        severity: 'error',
        code: 'p12-integrity',
        message: "The certificate file's integrity check (PBMAC1) fails, although the passphrase opens it: the file was changed after it was exported. Export the certificate again.",
      },
    ]);
    // A MAC computed with another passphrase than the contents' is the same finding.
    assert.deepEqual(codes(withPbmac1(original, { passphrase: 'other' }), PASSPHRASE), ['p12-integrity']);
  });

  test('the verdict alone (what the emulator answers by) keeps a changed MAC apart from a wrong passphrase and from "not a PKCS#12"', () => {
    assert.equal(pkcs12OpenResult(withPbmac1(original, { passphrase: PASSPHRASE }), PASSPHRASE), 'ok');
    assert.equal(pkcs12OpenResult(withPbmac1(original, { passphrase: PASSPHRASE }), 'not it'), 'wrong-passphrase');
    assert.equal(pkcs12OpenResult(withPbmac1(original, { passphrase: PASSPHRASE, forge: true }), PASSPHRASE), 'integrity');
    assert.equal(pkcs12OpenResult(Buffer.from('not a certificate at all, just text'), PASSPHRASE), 'not-pkcs12');
  });

  test("PBKDF2's rounds are held to the KDF budget before anything is derived", () => {
    const issues = inspectPkcs12(withPbmac1(original, { passphrase: PASSPHRASE, iterations: 5_000_000 }), PASSPHRASE).issues;
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.code, 'p12-unsupported');
    assert.match(issues[0]?.message ?? '', /asks for 5,000,000 key-derivation rounds/);
  });

  test('a PBKDF2 function it does not know is "unsupported", named', () => {
    const issues = inspectPkcs12(withPbmac1(original, { passphrase: PASSPHRASE, prf: OIDS.hmacSha224 }), PASSPHRASE).issues;
    assert.deepEqual(issues.map((i) => i.message), [
      'This PKCS#12 file uses a PBMAC1 integrity check with the PBKDF2 function 1.2.840.113549.2.8, which cannot be read. Export it again with the usual settings.',
    ]);
  });

  test('its key and certificate can be written again (the compatible copy)', () => {
    const contents = readPkcs12Contents(withPbmac1(original, { passphrase: PASSPHRASE }), PASSPHRASE);
    assert.equal(contents.certificates.length, 1);
    assert.deepEqual(contents, { ...readPkcs12Contents(original, PASSPHRASE), algorithms: contents.algorithms });
  });
});
