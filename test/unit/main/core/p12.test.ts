import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { CheckReport, CheckReportOf } from '../../../../preload/contract';
import { inspectPkcs12, pkcs12OpensWith } from '../../../../main/core/p12';
import { makeCertificate, makeP12, type CertificateFiles } from '../../../support/fixtures';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';

const DAY = 86_400_000;
const codes = (report: CheckReport) => report.issues.map((i) => i.code);
const details = (report: CheckReportOf<'p12'>) => {
  assert.ok(report.details, 'the report has details');
  return report.details;
};

describe('inspectPkcs12', () => {
  let dir: TempDir;
  let certificate: CertificateFiles;
  before(async () => {
    dir = await makeTempDir();
    certificate = await makeCertificate(dir.dir, { days: 365, subject: '/CN=MPNS Test Service/O=Example Org/C=US' });
  });
  after(() => dir.remove());

  const variants = [
    { label: 'OpenSSL 3 default (PBES2 AES-256, SHA-256 MAC)', legacy: false, legacyEncryption: false, algorithm: 'aes256-CBC' },
    { label: 'legacy (-legacy: RC2-40 + 3DES, SHA-1 MAC)', legacy: true, legacyEncryption: true, algorithm: 'pbeWithSHAAnd40BitRC2-CBC' },
    { label: 'Windows style (3DES for both, SHA-1 MAC)', legacy: '3des', legacyEncryption: true, algorithm: 'pbeWithSHAAnd3-KeyTripleDES-CBC' },
  ] as const;

  for (const variant of variants) {
    for (const passphrase of ['correct horse', 'pässwörd-€', '']) {
      test(`opens ${variant.label} with passphrase ${JSON.stringify(passphrase)}`, async () => {
        const p12 = await makeP12(dir.dir, { passphrase, legacy: variant.legacy, certificate });
        const bytes = await readFile(p12.path);
        const report = inspectPkcs12(bytes, passphrase);
        assert.deepEqual(report.issues, []);
        assert.equal(report.ok, true);
        const facts = details(report);
        assert.equal(facts.subject, 'CN=MPNS Test Service, O=Example Org, C=US');
        assert.equal(facts.issuer, facts.subject);
        assert.equal(facts.sha256Fingerprint, certificate.sha256Fingerprint, 'fingerprint as openssl prints it');
        assert.equal(facts.serialNumber, certificate.serialNumber, 'serial as openssl prints it');
        assert.equal(facts.hasPrivateKey, true);
        assert.equal(facts.certificateCount, 1);
        assert.equal(facts.legacyEncryption, variant.legacyEncryption);
        assert.ok(facts.algorithms.includes(variant.algorithm), facts.algorithms.join());
        assert.ok(facts.daysLeft === 364 || facts.daysLeft === 365, String(facts.daysLeft));
        assert.ok(Date.parse(facts.notAfter!) > Date.parse(facts.notBefore!));
        assert.equal(pkcs12OpensWith(bytes, passphrase), true);
        assert.equal(pkcs12OpensWith(bytes, `${passphrase}x`), false);
      });
    }
  }

  test('a wrong passphrase is told apart from a broken file', async () => {
    const p12 = await makeP12(dir.dir, { passphrase: 'right', certificate });
    const report = inspectPkcs12(await readFile(p12.path), 'wrong');
    assert.deepEqual(codes(report), ['p12-wrong-passphrase']);
    assert.equal(report.ok, false);
    assert.equal(report.details, undefined, 'nothing is revealed without the passphrase');
    assert.doesNotMatch(report.issues[0]!.message, /right|wrong'/, 'the passphrase never appears in a message');
  });

  test('a wrong passphrase on a legacy file is detected too', async () => {
    const p12 = await makeP12(dir.dir, { passphrase: 'right', legacy: true, certificate });
    assert.deepEqual(codes(inspectPkcs12(await readFile(p12.path), 'Right')), ['p12-wrong-passphrase']);
  });

  test('random bytes, a PEM file and a truncated p12 are not PKCS#12', async () => {
    assert.deepEqual(codes(inspectPkcs12(randomBytes(2048), 'x')), ['p12-not-pkcs12']);
    assert.deepEqual(codes(inspectPkcs12(await readFile(certificate.certPath), 'x')), ['p12-not-pkcs12']);
    const p12 = await readFile((await makeP12(dir.dir, { passphrase: 'x', certificate })).path);
    const truncated = inspectPkcs12(p12.subarray(0, p12.length / 2), 'x');
    assert.equal(truncated.ok, false);
    assert.ok(['p12-not-pkcs12', 'p12-wrong-passphrase'].includes(truncated.issues[0]!.code));
    assert.deepEqual(codes(inspectPkcs12(new Uint8Array(), 'x')), ['p12-not-pkcs12']);
  });

  test('a certificate-only export (-nokeys) reports the missing private key', async () => {
    const p12 = await makeP12(dir.dir, { passphrase: 'abc', noKey: true, certificate });
    const report = inspectPkcs12(await readFile(p12.path), 'abc');
    assert.deepEqual(codes(report), ['p12-no-private-key']);
    assert.equal(details(report).hasPrivateKey, false);
    assert.equal(details(report).subject, 'CN=MPNS Test Service, O=Example Org, C=US');
  });

  test('a key-only export (-nocerts) reports the missing certificate', async () => {
    const p12 = await makeP12(dir.dir, { passphrase: 'abc', noCert: true, certificate });
    const report = inspectPkcs12(await readFile(p12.path), 'abc');
    assert.deepEqual(codes(report), ['p12-no-certificate']);
    assert.equal(details(report).hasPrivateKey, true);
  });

  test('an expired certificate is an error with the date', async () => {
    const p12 = await makeP12(dir.dir, {
      passphrase: 'abc',
      notBefore: new Date(Date.UTC(2020, 0, 1)),
      notAfter: new Date(Date.UTC(2021, 0, 1)),
    });
    const report = inspectPkcs12(await readFile(p12.path), 'abc');
    assert.deepEqual(codes(report), ['p12-expired']);
    assert.match(report.issues[0]!.message, /2021-01-01/);
    assert.ok(details(report).daysLeft! < 0);
  });

  test('a certificate that is not valid yet is an error', async () => {
    const start = new Date(Date.now() + 10 * DAY);
    const p12 = await makeP12(dir.dir, { passphrase: 'abc', notBefore: start, notAfter: new Date(start.getTime() + 365 * DAY) });
    assert.deepEqual(codes(inspectPkcs12(await readFile(p12.path), 'abc')), ['p12-not-yet-valid']);
  });

  test('a certificate expiring within 30 days is a warning that does not block', async () => {
    const p12 = await makeP12(dir.dir, { passphrase: 'abc', days: 10 });
    const report = inspectPkcs12(await readFile(p12.path), 'abc');
    assert.deepEqual(codes(report), ['p12-expiring-soon']);
    assert.equal(report.issues[0]!.severity, 'warning');
    assert.equal(report.ok, true);
  });

  test('the clock can be injected: the same file is fine today and expiring soon later', async () => {
    const bytes = await readFile((await makeP12(dir.dir, { passphrase: 'abc', certificate })).path);
    const notAfter = Date.parse(details(inspectPkcs12(bytes, 'abc')).notAfter!);
    assert.deepEqual(codes(inspectPkcs12(bytes, 'abc', new Date(notAfter - 31 * DAY))), []);
    assert.deepEqual(codes(inspectPkcs12(bytes, 'abc', new Date(notAfter - 29 * DAY))), ['p12-expiring-soon']);
    assert.deepEqual(codes(inspectPkcs12(bytes, 'abc', new Date(notAfter + 1000))), ['p12-expired']);
  });
});
