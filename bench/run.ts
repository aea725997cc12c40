// `npm run bench`: the performance benchmark of issue #6. Builds the two helper processes, starts the emulator in
// its own process, runs every scenario, prints the table and writes bench/results/latest.json (+ latest.md).
// BENCH_QUICK=1 runs a small smoke version (small sizes, one run each) and writes to a temp file instead, unless
// BENCH_OUTPUT names the file. BENCH_ONLY=download,upload,batch,checks,drafts,renderer,cli runs only those groups.
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BENCH_OUT, REPO_ROOT, runTimed, startEmulatorProcess, type BenchConfig, type BenchRow } from './lib';
import { checkRows } from './scenarios/checks';
import { cliRows } from './scenarios/cli';
import { draftRows } from './scenarios/drafts';
import { rendererRows } from './scenarios/renderer';
import { batchRows, downloadRows, uploadRows } from './scenarios/transfers';

const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const wanted = (group: string) => !only || only.includes(group);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function buildHelpers(): Promise<void> {
  await rm(BENCH_OUT, { recursive: true, force: true }); // chunk names are content hashes: old ones would pile up
  await build({
    entryPoints: { 'ours-process': join(REPO_ROOT, 'bench/ours-process.ts'), 'emulator-process': join(REPO_ROOT, 'bench/emulator-process.ts') },
    outdir: BENCH_OUT,
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
}

function cell(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return `${value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : 1 })} ${unit}`;
}

export function formatTable(rows: BenchRow[]): string {
  const header = ['scenario', 'ours (median)', 'reference (median)', 'ratio', 'our peak RSS', 'target', 'pass?'];
  const lines = rows.map((r) => [
    r.scenario,
    cell(r.ours, r.unit),
    r.reference === undefined ? '—' : `${cell(r.reference, r.unit)}${r.referenceLabel ? ` (${r.referenceLabel})` : ''}`,
    r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}x`,
    r.oursPeakRssMB === undefined ? '—' : `${r.oursPeakRssMB} MB`,
    r.target,
    r.pass === null ? '—' : r.pass ? 'yes' : 'NO',
  ]);
  const md = [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`);
  return `${md.join('\n')}\n`;
}

async function main(): Promise<void> {
  const started = Date.now();
  // Other work on the machine skews every figure; the load average is recorded so a reader can tell.
  const loadAtStart = loadavg().map((v) => Math.round(v * 100) / 100);
  await buildHelpers();
  const workDir = await mkdtemp(join(tmpdir(), 'engagement-desk-bench-'));
  const config: BenchConfig = { quick, runs: quick ? 1 : 5, workDir, log };
  const emulatorDataDir = join(workDir, 'emulator');
  const emulator = await startEmulatorProcess(emulatorDataDir);
  const rows: BenchRow[] = [];
  try {
    const step = async (name: string, run: () => Promise<BenchRow | BenchRow[]>) => {
      const t = Date.now();
      log(`${name}...`);
      let result: BenchRow | BenchRow[];
      try {
        result = await run();
      } catch (error) {
        // One broken scenario must not hide the others' figures: it becomes a failed row carrying the reason.
        log(`${name} FAILED: ${error instanceof Error ? error.message : String(error)}`);
        result = { id: name, scenario: `${name} (failed to run)`, unit: 'ms', ours: Number.NaN, target: '-', pass: false, runs: 0, samples: { ours: [] }, notes: String(error instanceof Error ? error.message : error).slice(0, 500) };
      }
      rows.push(...(Array.isArray(result) ? result : [result]));
      log(`${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    };
    if (wanted('download')) await step('download', () => downloadRows(config, emulator, emulatorDataDir));
    if (wanted('upload')) await step('upload', () => uploadRows(config, emulator));
    if (wanted('batch')) await step('batch', () => batchRows(config, emulator));
    if (wanted('checks')) await step('checks', () => checkRows(config));
    if (wanted('drafts')) await step('drafts', () => draftRows(config));
    if (wanted('renderer')) await step('renderer', () => rendererRows(config));
    if (wanted('cli')) await step('cli', () => cliRows(config, emulator, emulatorDataDir));
  } finally {
    await emulator.stop();
    await rm(workDir, { recursive: true, force: true });
  }

  const curl = (await runTimed('curl', ['--version'])).stdout.split('\n')[0] ?? '';
  const result = {
    generatedAt: new Date().toISOString(),
    quick,
    durationS: Math.round((Date.now() - started) / 1000),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '',
      memoryGB: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      curl,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadavg().map((v) => Math.round(v * 100) / 100),
    },
    method:
      'Emulator in its own process on 127.0.0.1; ours and curl run as child processes, alternately, timed from spawn to exit ' +
      '(both pay their start-up); medians of the runs; peak RSS is the child process\'s own maxRSS. Both processes share ' +
      'the same cores as the emulator.',
    rows,
  };
  const table = formatTable(rows);
  process.stdout.write(`\n${table}\n`);
  const output = process.env.BENCH_OUTPUT ?? (quick ? join(tmpdir(), 'engagement-desk-bench-quick.json') : join(REPO_ROOT, 'bench/results/latest.json'));
  await mkdir(join(output, '..'), { recursive: true });
  await writeFile(output, `${JSON.stringify(result, null, 2)}\n`);
  if (!quick && !process.env.BENCH_OUTPUT) await writeFile(join(REPO_ROOT, 'bench/results/latest.md'), table);
  log(`results written to ${output} (${result.durationS} s)`);
  if (rows.some((r) => r.pass === false)) log('some targets were missed (see the pass? column)');
}

/**
 * The CLI rows keep a profile's password in the OS keychain. On Linux, unless a Secret Service is already provided
 * (as test/run.mjs provides one), the benchmark re-runs itself in a private D-Bus session with an unlocked
 * gnome-keyring whose data lives in a temporary folder, so it never touches the user's own keyring.
 */
function rerunWithPrivateKeyring(): boolean {
  if (process.platform !== 'linux' || process.env.ENGAGEMENT_DESK_TEST_KEYRING_READY === '1' || !wanted('cli')) return false;
  const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  if (!have('dbus-run-session') || !have('gnome-keyring-daemon')) return false; // the transfer rows then say why they failed
  const xdg = mkdtempSync(join(tmpdir(), 'engagement-desk-bench-keyring-'));
  const inner = `printf '%s' engagement-desk-bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$0" "$@"`;
  const child = spawn('dbus-run-session', ['--', 'sh', '-c', inner, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, XDG_DATA_HOME: xdg, ENGAGEMENT_DESK_TEST_KEYRING_READY: '1' },
  });
  child.on('exit', (code, signal) => {
    rmSync(xdg, { recursive: true, force: true });
    process.exit(code ?? (signal ? 1 : 0));
  });
  return true;
}

if (!rerunWithPrivateKeyring()) await main();
