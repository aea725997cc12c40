// `engagement-desk p12 legacy IN OUT` (issue #16 point 6), the built CLI: a copy of an OpenSSL 3 / Windows (AES-256,
// HMAC-SHA-256) file that older Java servers read, with the same passphrase, checked by OpenSSL; the original is
// never replaced and a refusal writes nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { runCliProcess } from '../../support/cli';
import { makeP12, type P12Fixture } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const run = promisify(execFile);
const PASSPHRASE = 'Legacy-copy pässword';

let dir: TempDir;
let modern: P12Fixture;
let originalHash: string;
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
const cli = (args: string[], stdin = PASSPHRASE) => runCliProcess(args, { home: join(dir.dir, 'home'), stdin });

before(async () => {
  dir = await makeTempDir('p12-legacy');
  modern = await makeP12(dir.dir, { passphrase: PASSPHRASE });
  originalHash = await sha256(modern.path);
});
after(() => dir.remove());

describe('engagement-desk p12 legacy', () => {
  test('writes a 3DES / SHA-1 copy with the same passphrase that OpenSSL reads with and without -legacy', async () => {
    const out = join(dir.dir, 'for-java.p12');
    const result = await cli(['p12', 'legacy', modern.path, out, '--passphrase-stdin', '--json']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const body = result.json() as { ok: boolean; path: string; bytes: number; sha256: string; from: string[]; to: string[] };
    assert.equal(body.path, out);
    assert.deepEqual(body.to, ['pbeWithSHAAnd3-KeyTripleDES-CBC', 'MAC sha1']);
    assert.ok(body.from.includes('aes256-CBC'), body.from.join());
    assert.equal(body.sha256, await sha256(out));
    assert.equal(await sha256(modern.path), originalHash, 'the original changed');
    // The copy holds a private key: only its owner may read it.
    if (process.platform !== 'win32') {
      // (Windows files have no such mode bits; there the user's profile folder keeps it private.)
      const { stdout: mode } = await run('stat', ['-c', '%a', out]);
      assert.equal(mode.trim(), '600');
    }

    // OpenSSL reads the copy (on Linux: Wine cannot start Linux's openssl, and the lane's bridge does not take
    // Windows paths; the check below reads it back on every platform).
    if (process.platform !== 'win32') {
      for (const legacy of [true, false]) {
        const { stdout, stderr } = await run('openssl', ['pkcs12', '-in', out, '-passin', 'env:ED_PASS', '-nodes', '-info', ...(legacy ? ['-legacy'] : [])], {
          env: { ...process.env, ED_PASS: PASSPHRASE },
        });
        assert.match(stderr, /MAC: sha1/);
        assert.match(stdout, /BEGIN CERTIFICATE/);
        assert.match(stdout, /BEGIN PRIVATE KEY/);
      }
      const { stdout: fingerprint } = await run('sh', ['-c', `openssl pkcs12 -in "$1" -passin env:ED_PASS -nokeys | openssl x509 -noout -fingerprint -sha256`, 'sh', out], {
        env: { ...process.env, ED_PASS: PASSPHRASE },
      });
      assert.equal(fingerprint.trim().split('=')[1], modern.sha256Fingerprint);
    }

    // The check of the copy has no note; the original's names the command.
    const checked = await cli(['check', out, '--passphrase-stdin']);
    assert.equal(checked.code, 0, checked.stdout);
    assert.doesNotMatch(checked.stdout, /Note:/);
    const original = await cli(['check', modern.path, '--passphrase-stdin']);
    assert.match(original.stdout, /Note: {9}This file is protected with AES-256 \(PBES2\) and an HMAC-SHA-256 MAC.*engagement-desk p12 legacy FILE COPY\.p12\./);
  });

  for (const [what, outName, stdin, expected] of [
    ['the original as the copy', 'ORIGINAL', PASSPHRASE, { code: 'validation', exit: 2, message: /^The copy would replace the original .*\. Give the copy another name, for example .*-legacy\.p12\.$/ }],
    ['an existing file as the copy', 'existing.p12', PASSPHRASE, { code: 'validation', exit: 2, message: /already exists\. Give the copy a new name: an existing file is never replaced\.$/ }],
    ['a wrong passphrase', 'never.p12', 'not the passphrase', { code: 'validation', exit: 2, message: /^No copy was made of .*: The passphrase is wrong for this certificate file\./ }],
  ] as const) {
    test(`refuses ${what}, and writes nothing`, async () => {
      const existing = join(dir.dir, 'existing.p12');
      await writeFile(existing, 'keep me');
      const out = outName === 'ORIGINAL' ? modern.path : join(dir.dir, outName);
      const before = await readdir(dir.dir);
      const result = await cli(['p12', 'legacy', modern.path, out, '--passphrase-stdin', '--json'], stdin);
      assert.equal(result.code, expected.exit, result.stdout);
      const error = result.json().error as { code: string; message: string };
      assert.equal(error.code, expected.code);
      assert.match(error.message, expected.message);
      assert.deepEqual(await readdir(dir.dir), before, 'a file was written or removed');
      assert.equal(await readFile(existing, 'utf8'), 'keep me');
      assert.equal(await sha256(modern.path), originalHash);
      if (outName === 'never.p12') assert.equal(existsSync(out), false);
    });
  }
});
