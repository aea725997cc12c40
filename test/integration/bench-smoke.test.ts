// The benchmark end to end in its quick form (small sizes, one run each): every row must come out with numbers,
// so `npm run bench` cannot silently rot. Needs the renderer build (`npm test` builds first).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { makeTempDir } from '../support/temp-dir';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const EXPECTED_ROWS = [
  'download',
  'download-hashed',
  'download-cli',
  'upload',
  'upload-cli',
  'batch',
  'batch-warm',
  'batch-app',
  'batch-cli',
  'check-pkpass',
  'check-pkpass-big',
  'check-pass-content',
  'check-p12',
  'drafts-save',
  'drafts-list',
  'drafts-list-cold',
  'renderer-bundle',
  'renderer-interactive',
  'cli-version',
  'cli-check',
  'cli-download',
  'cli-upload',
];

let tmp: { dir: string; remove(): Promise<void> } | undefined;
after(async () => tmp?.remove());

test('BENCH_QUICK=1 runs every scenario and writes a row with numbers for each', { timeout: 180_000 }, async () => {
  tmp = await makeTempDir('bench-smoke');
  const output = join(tmp.dir, 'quick.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
    cwd: root,
    env: { ...process.env, BENCH_QUICK: '1', BENCH_OUTPUT: output },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  assert.equal(code, 0, `bench failed:\n${stderr}\n${stdout}`);

  const result = JSON.parse(await readFile(output, 'utf8')) as {
    quick: boolean;
    rows: Array<{ id: string; ours: number; reference?: number; ratio?: number; oursPeakRssMB?: number; target: string; pass: boolean | null; samples: { ours: number[] } }>;
  };
  assert.equal(result.quick, true);
  assert.deepEqual(result.rows.map((r) => r.id), EXPECTED_ROWS);
  for (const row of result.rows) {
    assert.ok(Number.isFinite(row.ours) && row.ours > 0, `${row.id}: ours is ${row.ours}`);
    assert.ok(row.samples.ours.length >= 1, `${row.id}: no samples`);
    // Judged rows say yes or no; the CLI start-up rows are information only.
    assert.equal(typeof row.pass, row.id.endsWith('-cli') || ['download-hashed', 'batch-warm', 'batch-app', 'check-p12'].includes(row.id) ? 'object' : 'boolean', `${row.id}: pass is ${row.pass}`);
    assert.ok(row.target.length > 0);
  }
  for (const id of ['download', 'download-hashed', 'download-cli', 'upload', 'upload-cli', 'batch', 'batch-warm', 'batch-app', 'batch-cli']) {
    const row = result.rows.find((r) => r.id === id)!;
    assert.ok(Number.isFinite(row.reference) && row.reference! > 0, `${id}: no curl figure`);
    assert.ok(Number.isFinite(row.ratio) && row.ratio! > 0, `${id}: no ratio`);
    assert.ok(row.oursPeakRssMB! > 10 && row.oursPeakRssMB! < 2000, `${id}: implausible peak RSS ${row.oursPeakRssMB}`);
  }
  // The judged download stops once the file is saved; the SHA-256 comes later in every run, never before.
  const saved = result.rows.find((r) => r.id === 'download')!.samples.ours;
  const hashed = result.rows.find((r) => r.id === 'download-hashed')!.samples.ours;
  assert.equal(hashed.length, saved.length);
  hashed.forEach((ms, i) => assert.ok(ms >= saved[i]!, `run ${i}: hashed at ${ms} ms, before saved at ${saved[i]} ms`));
  // The table printed for humans has a line per row.
  assert.equal(stdout.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !l.startsWith('| scenario')).length, EXPECTED_ROWS.length);
});
