import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CheckReport } from '../../../preload/contract';
import { runCheckCommand } from '../../../main/cli/check-command';
import { makeP12, makePkpass, makePng, type P12Fixture, type PkpassFixture } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

async function runCheck(files: string[], options: { json: boolean; passphrase?: string; role?: string }) {
  let stdout = '';
  let stderr = '';
  const code = await runCheckCommand(files, options, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('engagement-desk check', () => {
  let dir: TempDir;
  let p12: P12Fixture;
  let pass: PkpassFixture;
  let content: string;
  before(async () => {
    dir = await makeTempDir();
    p12 = await makeP12(dir.dir, { passphrase: 'hunter2', legacy: true, subject: '/CN=MPNS Cert/O=Example Org' });
    pass = await makePkpass(dir.dir);
    content = join(dir.dir, 'content.json');
    await writeFile(content, JSON.stringify({ recipients: { recipient: [{ id: '48494' }] }, startTimeStamp: 0, endTimeStamp: 0 }));
  });
  after(() => dir.remove());

  test('human output: one block per file with the key facts, exit 0', async () => {
    const { code, stdout, stderr } = await runCheck([p12.path, pass.path, content], { json: false, passphrase: 'hunter2' });
    assert.equal(code, 0, stdout);
    assert.equal(stderr, '');
    assert.match(stdout, /^✔ .*\.p12 \(p12\): ok$/m);
    assert.match(stdout, /Subject: +CN=MPNS Cert, O=Example Org/);
    assert.ok(stdout.includes(`SHA-256:      ${p12.sha256Fingerprint}`));
    assert.match(stdout, /Private key: +yes/);
    assert.match(stdout, /^✔ .*\.pkpass \(pkpass\): ok$/m);
    assert.match(stdout, /Signature: +matches manifest.json/);
    assert.match(stdout, /passContent\): ok/);
    assert.doesNotMatch(stdout, /hunter2/, 'the passphrase is never printed');
  });

  test('--json: exactly one JSON object with every report, exit 2 on any error', async () => {
    const broken = join(dir.dir, 'broken.json');
    await writeFile(broken, '{"recipients": {"recipient": [{"id": 12}]}}');
    const { code, stdout } = await runCheck([p12.path, broken], { json: true, passphrase: 'wrong' });
    assert.equal(code, 2);
    const output = JSON.parse(stdout) as { ok: boolean; reports: CheckReport[] };
    assert.equal(stdout.trim().split('\n').length, 1);
    assert.equal(output.ok, false);
    assert.deepEqual(output.reports.map((r) => r.kind), ['p12', 'passContent']);
    assert.deepEqual(output.reports[0]!.issues.map((i) => i.code), ['p12-wrong-passphrase']);
    assert.equal(output.reports[1]!.issues[0]?.path, 'recipients.recipient.0.id');
    assert.equal(output.reports[1]!.file?.path, broken);
  });

  test('warnings keep exit code 0 and show as ⚠', async () => {
    const logo = join(dir.dir, 'wide.png');
    await writeFile(logo, makePng(900, 100));
    const { code, stdout } = await runCheck([logo], { json: false, role: 'logo' });
    assert.equal(code, 0);
    assert.match(stdout, /^⚠ .*wide\.png \(image\): ok, with warnings$/m);
    assert.match(stdout, /^ {2}⚠ .*900 x 100/m);
  });

  test('errors show as ✖ with the path of the problem', async () => {
    const bad = await makePkpass(dir.dir, { manifest: { wrongHash: ['icon.png'] } });
    const { code, stdout } = await runCheck([bad.path], { json: false });
    assert.equal(code, 2);
    assert.match(stdout, /^✖ .*\(pkpass\): cannot be sent$/m);
    assert.match(stdout, /^ {2}✖ icon\.png does not match .* \[icon\.png\]$/m);
  });

  test('a file of unknown kind is a usage error; the kind is sniffed when the extension says nothing', async () => {
    const mystery = join(dir.dir, 'mystery.bin');
    await writeFile(mystery, 'hello');
    const unknown = await runCheck([mystery], { json: true });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /cannot tell what kind of file/);
    assert.deepEqual(JSON.parse(unknown.stdout), { ok: false, reports: [], unrecognized: [mystery] });

    const noExtension = join(dir.dir, 'pass-without-extension');
    await writeFile(noExtension, await readFile(pass.path));
    const sniffed = await runCheck([noExtension], { json: true });
    assert.equal(sniffed.code, 0);
    assert.equal((JSON.parse(sniffed.stdout) as { reports: CheckReport[] }).reports[0]?.kind, 'pkpass');
  });

  test('no files is a usage error', async () => {
    const { code, stderr } = await runCheck([], { json: false });
    assert.equal(code, 2);
    assert.match(stderr, /at least one file/);
  });
});
