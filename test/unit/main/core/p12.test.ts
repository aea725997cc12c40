import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { after, before, describe, test } from 'node:test';
import type { CheckReport, CheckReportOf } from '../../../../preload/contract';
import {
  inspectPkcs12,
  MAX_P12_KDF_ITERATIONS,
  MAX_P12_KDF_TOTAL_ITERATIONS,
  pkcs12OpenResult,
  pkcs12OpensWith,
  withKdfBudget,
} from '../../../../main/core/p12';
import { makeCertificate, makeP12, type CertificateFiles } from '../../../support/fixtures';
import { withIterations } from '../../../support/p12-iterations';
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

  describe('key-derivation rounds (issue #18: a hostile file must not keep the thread busy)', () => {
    /** Counts the rounds forge derives while `run` runs, through the same entry points p12.ts bounds. */
    function roundsDerived(run: () => void): number {
      const pbe = (forge.pki as unknown as { pbe: Record<string, (...args: unknown[]) => unknown> }).pbe;
      const p12 = forge.pkcs12 as unknown as Record<string, (...args: unknown[]) => unknown>;
      const pkcs5 = forge.pkcs5 as unknown as Record<string, (...args: unknown[]) => unknown>;
      const saved = [pbe.generatePkcs12Key!, p12.generateKey!, pkcs5.pbkdf2!] as const;
      let rounds = 0;
      pbe.generatePkcs12Key = (...args) => ((rounds += Number(args[3])), saved[0].apply(pbe, args));
      p12.generateKey = (...args) => ((rounds += Number(args[3])), saved[1].apply(p12, args));
      pkcs5.pbkdf2 = (...args) => ((rounds += Number(args[2])), saved[2].apply(pkcs5, args));
      try {
        run();
      } finally {
        [pbe.generatePkcs12Key, p12.generateKey, pkcs5.pbkdf2] = saved;
      }
      return rounds;
    }

    test('8 million rounds are refused before anything is derived, with or without a passphrase', async () => {
      for (const legacy of [false, true]) {
        const hostile = withIterations(await readFile((await makeP12(dir.dir, { passphrase: 'abc', legacy, certificate })).path), 8_000_000);
        for (const passphrase of ['abc', '', undefined]) {
          let report: CheckReport | undefined;
          assert.equal(roundsDerived(() => (report = inspectPkcs12(hostile, passphrase))), 0, `legacy ${legacy}, passphrase ${passphrase}`);
          assert.deepEqual(codes(report!), ['p12-unsupported']);
          assert.equal(
            report!.issues[0]!.message,
            'The certificate file asks for 8,000,000 key-derivation rounds (MAC); at most 50,000 are accepted, and tools write 2,048 to 10,000. Export the certificate again with the usual settings (for example openssl pkcs12 -export without -iter).',
          );
        }
        assert.equal(pkcs12OpenResult(hostile, 'abc'), 'unsupported');
      }
    });

    test('a count hidden in the encryption alone (MAC as usual) is refused too', async () => {
      const bytes = await readFile((await makeP12(dir.dir, { passphrase: 'abc', certificate })).path);
      const hostile = withIterations(bytes, 8_000_000, { mac: false });
      let report: CheckReport | undefined;
      assert.equal(roundsDerived(() => (report = inspectPkcs12(hostile, undefined))), 0);
      assert.deepEqual(codes(report!), ['p12-unsupported']);
      assert.match(report!.issues[0]!.message, /8,000,000 key-derivation rounds \(encryption\)/);
      // With a passphrase too: the counts shown in the clear are read before the MAC key is derived.
      assert.equal(roundsDerived(() => (report = inspectPkcs12(hostile, 'abc'))), 0);
      assert.deepEqual(codes(report!), ['p12-unsupported']);
      // One round over the limit is refused as well.
      assert.deepEqual(codes(inspectPkcs12(withIterations(bytes, MAX_P12_KDF_ITERATIONS + 1), 'abc')), ['p12-unsupported']);
    });

    test('without a passphrase nothing is derived: the report asks for it', async () => {
      const bytes = await readFile((await makeP12(dir.dir, { passphrase: '', certificate })).path);
      let report: CheckReport | undefined;
      assert.equal(roundsDerived(() => (report = inspectPkcs12(bytes, undefined))), 0);
      assert.deepEqual(codes(report!), ['p12-passphrase-needed']);
      assert.equal(report!.ok, true);
      assert.deepEqual(codes(inspectPkcs12(randomBytes(2048), undefined)), ['p12-not-pkcs12']);
    });

    test('a check stops once all its derivations pass 100,000 rounds (many encrypted parts, each under the limit)', () => {
      // forge's derivations are replaced by free ones here: only the counting is under test, not the hashing.
      const pkcs5 = forge.pkcs5 as unknown as Record<string, (...args: unknown[]) => unknown>;
      const real = pkcs5.pbkdf2!;
      const derived: number[] = [];
      pkcs5.pbkdf2 = (_password, _salt, count) => (derived.push(Number(count)), 'key');
      try {
        const derive = () => forge.pkcs5.pbkdf2('pw', 'salt', MAX_P12_KDF_ITERATIONS, 32);
        assert.throws(
          () => withKdfBudget(() => [derive(), derive(), derive()]),
          { message: `The certificate file asks for more than ${MAX_P12_KDF_TOTAL_ITERATIONS.toLocaleString('en')} key-derivation rounds in all (too many encrypted parts). Export the certificate again with the usual settings.` },
        );
        assert.deepEqual(derived, [50_000, 50_000], 'the third derivation never ran');
        assert.deepEqual(withKdfBudget(() => [derive()]), ['key'], 'the budget is per check');
      } finally {
        pkcs5.pbkdf2 = real;
      }
    });

    test('a file exported with 20,000 rounds (twice what Windows and Java write) still opens', async () => {
      const path = join(dir.dir, 'twenty-thousand.p12');
      await promisify(execFile)(
        'openssl',
        ['pkcs12', '-export', '-out', path, '-inkey', certificate.keyPath, '-in', certificate.certPath, '-passout', 'pass:abc', '-iter', '20000'],
        { cwd: dir.dir },
      );
      const report = inspectPkcs12(await readFile(path), 'abc');
      assert.deepEqual(report.issues, []);
    });
  });
});
