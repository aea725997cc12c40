// Row 4: the local checks the app runs on every drop and before every send, on a typical pass, a 20 MB pass of
// 1,000 entries, and a .p12, timed in a child process over many iterations.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeP12, makePkpass, samplePassContent } from '../../test/support/fixtures';
import { round, runOurs, toMB, type BenchConfig, type BenchRow } from '../lib';
import { makeLargePkpass } from './files';

interface CheckResult {
  medianMs: number;
  samples: number[];
  ok: boolean;
  issues: number;
}

export async function checkRows(config: BenchConfig): Promise<BenchRow[]> {
  const dir = join(config.workDir, 'checks');
  await mkdir(dir, { recursive: true });
  const bigBytes = config.quick ? 2 * 1024 * 1024 : 20 * 1024 * 1024;
  const bigEntries = config.quick ? 100 : 1000;
  const typical = (await makePkpass(dir, { name: 'typical.pkpass' })).path;
  const big = await makeLargePkpass(dir, 'big.pkpass', bigBytes, bigEntries);
  const passphrase = 'bench-passphrase';
  const p12 = (await makeP12(dir, { passphrase })).path;
  const iterations = config.quick ? 3 : 50;
  const { report } = await runOurs('checks', {
    cases: [
      { name: 'typical', request: { path: typical, kind: 'pkpass' }, iterations },
      { name: 'big', request: { path: big, kind: 'pkpass' }, iterations: config.quick ? 2 : 10 },
      { name: 'p12', request: { path: p12, kind: 'p12', passphrase }, iterations },
    ],
    passContent: { value: samplePassContent(), iterations: config.quick ? 10 : 1000 },
  });
  const results = report.results as Record<string, CheckResult>;
  const rss = toMB(report.maxRssBytes);
  const row = (id: string, scenario: string, r: CheckResult, limitMs: number): BenchRow => ({
    id,
    scenario,
    unit: 'ms',
    ours: round(r.medianMs, 2),
    oursPeakRssMB: rss,
    target: `< ${limitMs} ms`,
    pass: r.medianMs < limitMs && r.ok,
    runs: r.samples.length,
    samples: { ours: r.samples.map((v) => round(v, 2)) },
    ...(r.ok ? {} : { notes: `the check reported ${r.issues} error(s): the fixture is not a clean file` }),
  });
  return [
    row('check-pkpass', '4a. check a typical .pkpass', results.typical!, 50),
    row('check-pkpass-big', `4b. check a ${bigBytes / 1024 / 1024} MB .pkpass (${bigEntries} entries)`, results.big!, 1000),
    // The issue sets no figure for a .p12: most of its time is the key derivation (2,048 PBKDF2 and PKCS#12-KDF
    // iterations) that any reader must do. Reported, with 50 ms shown for comparison with the pass rows.
    row('check-pass-content', '4d. check a typical passContent (per call, as the editor does on each change)', results.passContent!, 1),
    { ...row('check-p12', '4c. check a .p12 (with passphrase)', results.p12!, 50), target: 'report (no target; 50 ms for comparison)', pass: results.p12!.ok ? null : false },
  ];
}
