// Rows 1-3: download to disk, multipart upload, and 1,000 small pass updates, each against curl doing the same
// requests to the same emulator with the same Basic credentials. Both sides are child processes timed from
// spawn to exit, so both pay their own start-up.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CertificateStore } from '../../main/emulator/certificate-store';
import { randomBytes } from 'node:crypto';
import { makePkpass, makePng, samplePassJson } from '../../test/support/fixtures';
import { writeZip } from '../../test/support/zip-writer';
import {
  CURL_USER,
  alternate,
  median,
  round,
  runOurs,
  runTimed,
  toMB,
  type BenchConfig,
  type BenchRow,
  type EmulatorProcess,
} from '../lib';
import { removeAndSettle, writeRandomFile } from './files';

const MB = 1024 * 1024;
const IMPORT_UPDATE = '/api/v1/message/pass/import/update';
const PASS_CONTENT = { recipients: { recipient: [{ id: '1000000000000000001' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 };

async function curl(args: string[]): Promise<{ wallMs: number; stdout: string }> {
  const run = await runTimed('curl', ['-sS', '--fail', '-u', CURL_USER, ...args]);
  if (run.code !== 0) throw new Error(`curl exited with ${run.code}: ${run.stderr.trim()}`);
  return run;
}

/**
 * Two rows per transfer. The judged one times the transfer inside our process, as the desktop app's long-running
 * main process makes it; the second times that whole process (as a one-shot CLI run pays it), Node's start-up and module loading included
 * (about 0.3 s here, against curl's few milliseconds), and is reported without a target.
 */
function transferRows(
  base: Omit<BenchRow, 'ours' | 'reference' | 'ratio' | 'pass' | 'samples' | 'unit' | 'notes'>,
  samples: { ours: number[]; reference: number[] },
  inProcess: number[],
  rss: number[],
  limitRatio: number,
  rssLimitMB?: number,
): BenchRow[] {
  const reference = median(samples.reference);
  const peak = Math.max(...rss);
  const row = (ours: number[], variant: Partial<BenchRow>): BenchRow => ({
    ...base,
    unit: 'ms',
    ours: round(median(ours)),
    reference: round(reference),
    ratio: round(median(ours) / reference, 2),
    oursPeakRssMB: toMB(peak),
    pass: median(ours) / reference <= limitRatio && (rssLimitMB === undefined || peak < rssLimitMB * MB),
    samples: { ours: ours.map((v) => round(v)), reference: samples.reference.map((v) => round(v)) },
    ...variant,
  });
  return [
    row(inProcess, { scenario: `${base.scenario}, in the app's process`, notes: 'transfer timed inside our running process (the desktop app case)' }),
    row(samples.ours, {
      id: `${base.id}-cli`,
      scenario: `${base.scenario}, whole process`,
      target: 'report (includes Node start-up)',
      pass: null,
      notes: 'our process from start to exit, Node start-up and module loading included',
    }),
  ];
}

export async function downloadRows(config: BenchConfig, emulator: EmulatorProcess, emulatorDataDir: string): Promise<BenchRow[]> {
  const size = config.quick ? 16 * MB : 256 * MB;
  const appId = 'bench-download';
  const dir = join(config.workDir, 'download');
  await mkdir(dir, { recursive: true });
  // Seed the emulator's store directly: a body this size is not a real .p12, which its upload would refuse.
  const store = new CertificateStore(emulatorDataDir);
  await store.init();
  const staged = join(await store.stagingDir(appId), 'bench.tmp-upload');
  const sha256 = await writeRandomFile(staged, size);
  await store.commit(appId, staged, { fileName: 'bench.p12', size, sha256 });
  const url = `${emulator.url}/api/v1/applications/downloadwindowscert?appId=${appId}`;
  const oursPath = join(dir, 'ours.p12');
  const curlPath = join(dir, 'curl.p12');
  const rss: number[] = [];
  const opMs: number[] = [];
  const hashedMs: number[] = [];
  const withHash: number[] = [];

  const ours = async () => {
    const { run, report } = await runOurs('download', { baseUrl: emulator.url, appId, destination: oursPath });
    if (report.sha256 !== sha256) throw new Error('our download does not match the stored body');
    rss.push(report.maxRssBytes);
    opMs.push(report.opMs);
    hashedMs.push(Number(report.hashedMs));
    await removeAndSettle(oursPath);
    return run.wallMs;
  };
  const reference = async () => {
    const fetched = await curl(['-o', curlPath, url]);
    // curl does not fsync; ours does before its rename, so curl's run includes a sync of the file.
    const synced = await runTimed('sync', [curlPath]);
    if ((await stat(curlPath)).size !== size) throw new Error('curl download has the wrong size');
    // Ours also reports the SHA-256 of what it saved; the same work on curl's side, for a reported comparison.
    // openssl, which uses the CPU's SHA instructions as Node does (coreutils' sha256sum here does not).
    const hashed = await runTimed('openssl', ['dgst', '-sha256', '-r', curlPath]);
    if (hashed.code === 0 && hashed.stdout.startsWith(sha256)) withHash.push(fetched.wallMs + synced.wallMs + hashed.wallMs);
    await removeAndSettle(curlPath);
    return fetched.wallMs + synced.wallMs;
  };
  if (!config.quick) await alternate(1, ours, reference); // warm-up: page cache, sockets, disk
  rss.length = 0;
  opMs.length = 0;
  hashedMs.length = 0;
  withHash.length = 0;
  const samples = await alternate(config.runs, ours, reference);
  const rows = transferRows(
    {
      id: 'download',
      scenario: `1. download ${size / MB} MB to disk (fsync + rename)`,
      referenceLabel: 'curl -o FILE && sync FILE',
      target: '<= 1.2x curl, peak RSS < 150 MB',
      runs: config.runs,
    },
    samples,
    opMs,
    rss,
    1.2,
    150,
  );
  rows[0]!.notes = 'timed inside our running process until the file is durable at its destination (fsynced and renamed: the app shows it saved); its SHA-256 follows, see the next row';
  if (withHash.length === samples.reference.length) {
    const reference = median(withHash);
    rows.splice(1, 0, {
      ...rows[0]!,
      id: 'download-hashed',
      scenario: `${rows[0]!.scenario.replace(", in the app's process", '')}, then its SHA-256 shown`,
      ours: round(median(hashedMs)),
      reference: round(reference),
      referenceLabel: 'curl -o FILE && sync FILE && openssl dgst -sha256 FILE',
      ratio: round(median(hashedMs) / reference, 2),
      target: 'report (ours also shows the SHA-256 of what it saved; curl computes none)',
      pass: null,
      samples: { ours: hashedMs.map((v) => round(v)), reference: withHash.map((v) => round(v)) },
      notes: 'until our result carries the SHA-256 (read back from the saved file), against a curl run that also hashes it',
    });
  }
  return rows;
}

export async function uploadRows(config: BenchConfig, emulator: EmulatorProcess): Promise<BenchRow[]> {
  const size = config.quick ? 8 * MB : 100 * MB;
  const dir = join(config.workDir, 'upload');
  await mkdir(dir, { recursive: true });
  const pkpass = join(dir, 'big.pkpass');
  // One big stored (uncompressed) entry beside pass.json: really `size` bytes on the wire, whatever compresses.
  await writeFile(
    pkpass,
    writeZip([
      { name: 'pass.json', data: JSON.stringify(samplePassJson()) },
      { name: 'payload.bin', data: randomBytes(size), method: 'store' },
    ]),
  );
  const logo = join(dir, 'logo.png');
  const icon = join(dir, 'icon.png');
  await writeFile(logo, makePng(320, 100));
  await writeFile(icon, makePng(58, 58));
  const contentPath = join(dir, 'content.json');
  await writeFile(contentPath, JSON.stringify(PASS_CONTENT));
  const images = [
    { fieldName: 'logo', path: logo },
    { fieldName: 'icon', path: icon },
  ];
  const rss: number[] = [];
  const opMs: number[] = [];
  const ours = async () => {
    const { run, report } = await runOurs('upload', { baseUrl: emulator.url, pkpass, images, passContent: PASS_CONTENT });
    rss.push(report.maxRssBytes);
    opMs.push(report.opMs);
    return run.wallMs;
  };
  const reference = async () => {
    const run = await curl([
      '-F', `pkPass=@${pkpass};type=application/vnd.apple.pkpass`,
      '-F', `logo=@${logo};type=image/png`,
      '-F', `icon=@${icon};type=image/png`,
      '-F', `passContent=<${contentPath};type=application/json`,
      `${emulator.url}${IMPORT_UPDATE}`,
    ]);
    if (!run.stdout.includes('requestId')) throw new Error(`curl upload was not queued: ${run.stdout}`);
    return run.wallMs;
  };
  if (!config.quick) await alternate(1, ours, reference);
  rss.length = 0;
  opMs.length = 0;
  const samples = await alternate(config.runs, ours, reference);
  await emulator.clearRequests();
  return transferRows(
    {
      id: 'upload',
      scenario: `2. multipart upload of a ${size / MB} MB pkpass + 2 images`,
      referenceLabel: 'curl -F (same parts)',
      target: '<= 1.2x curl, peak RSS < 150 MB',
      runs: config.runs,
    },
    samples,
    opMs,
    rss,
    1.2,
    150,
  );
}

export async function batchRows(config: BenchConfig, emulator: EmulatorProcess): Promise<BenchRow[]> {
  const count = config.quick ? 50 : 1000;
  // A run here lasts about 0.2 s, so a passing disturbance on the machine moves one sample a lot: more samples
  // (they cost little) keep the medians steady.
  const runs = config.quick ? 1 : 11;
  const concurrency = 16;
  const dir = join(config.workDir, 'batch');
  await mkdir(join(dir, 'content'), { recursive: true });
  const pkpass = (await makePkpass(dir, { name: 'small.pkpass' })).path;
  const logo = join(dir, 'logo.png');
  await writeFile(logo, makePng(160, 50));
  const ids = Array.from({ length: count }, (_, i) => (7_000_000_000_000_000_000n + BigInt(i)).toString());
  const url = `${emulator.url}${IMPORT_UPDATE}`;
  // curl gets the same 1,000 requests, each with its own passContent, from one config file.
  const blocks: string[] = [];
  for (const [i, id] of ids.entries()) {
    const contentPath = join(dir, 'content', `${i}.json`);
    await writeFile(contentPath, JSON.stringify({ ...PASS_CONTENT, recipients: { recipient: [{ id }] } }));
    blocks.push(
      [
        `url = "${url}"`,
        `user = "${CURL_USER}"`,
        `form = "pkPass=@${pkpass};type=application/vnd.apple.pkpass"`,
        `form = "logo=@${logo};type=image/png"`,
        `form = "passContent=<${contentPath};type=application/json"`,
        'output = "/dev/null"',
        'silent',
        'show-error',
        'fail',
      ].join('\n'),
    );
  }
  const curlConfig = join(dir, 'curl.config');
  await writeFile(curlConfig, `${blocks.join('\nnext\n')}\n`);

  const verify = async (who: string, expected = count) => {
    const received = (await emulator.requests()).filter((r) => r.path === IMPORT_UPDATE);
    const ok = received.filter((r) => r.status === 200).length;
    await emulator.clearRequests();
    if (received.length !== expected || ok !== expected) throw new Error(`${who}: ${ok} of ${received.length} requests answered 200, expected ${expected}`);
  };
  const earlierIds = ids.map((id) => (BigInt(id) + 1_000_000n).toString());
  const rss: number[] = [];
  const inProcess: number[] = [];
  const inWarmProcess: number[] = [];
  const throughApp: number[] = [];
  const appRss: number[] = [];
  const batchConfig = { baseUrl: emulator.url, pkpass, images: [{ fieldName: 'logo', path: logo }], passContent: PASS_CONTENT, ids, concurrency };
  const ours = async () => {
    await emulator.clearRequests();
    const { run, report } = await runOurs('batch', batchConfig);
    rss.push(report.maxRssBytes);
    inProcess.push(count / (report.opMs / 1000));
    await verify('ours');
    // The same batch in a process that has already sent one (a desktop app that has been in use).
    const warm = await runOurs('batch', { ...batchConfig, earlierIds });
    inWarmProcess.push(count / (warm.report.opMs / 1000));
    await verify('ours (after an earlier batch)', 2 * count);
    // The same batch through the app's whole send path: checks, profile, one fsynced history line per send.
    const app = await runOurs('batch-app', batchConfig);
    throughApp.push(count / (app.report.opMs / 1000));
    appRss.push(app.report.maxRssBytes);
    await verify('ours (through the app)');
    return count / (run.wallMs / 1000);
  };
  const reference = async () => {
    await emulator.clearRequests();
    const run = await runTimed('curl', ['--parallel', '--parallel-max', String(concurrency), '--parallel-immediate', '-K', curlConfig]);
    if (run.code !== 0) throw new Error(`curl --parallel exited with ${run.code}: ${run.stderr.trim().slice(0, 500)}`);
    await verify('curl');
    return count / (run.wallMs / 1000);
  };
  if (!config.quick) {
    // A real server has long been running when a batch arrives. The emulator is a Node process whose request
    // path is still being compiled over its first several thousand requests, so it serves 5,000 untimed ones
    // first: neither side is then measured against a server that is still warming up.
    for (let i = 0; i < 5; i++) await reference();
    await alternate(1, ours, reference);
  }
  rss.length = 0;
  inProcess.length = 0;
  inWarmProcess.length = 0;
  throughApp.length = 0;
  appRss.length = 0;
  const samples = await alternate(runs, ours, reference);
  const curlRate = median(samples.reference);
  const row = (rates: number[], variant: Partial<BenchRow>): BenchRow => ({
    id: 'batch',
    scenario: `3. ${count} pass updates, concurrency ${concurrency}, keep-alive`,
    unit: 'req/s',
    ours: round(median(rates)),
    reference: round(curlRate),
    referenceLabel: `curl --parallel --parallel-max ${concurrency} --parallel-immediate -K (same ${count} requests)`,
    // As a time ratio (curl's rate / ours), so that above 1 means slower here too.
    ratio: round(curlRate / median(rates), 2),
    oursPeakRssMB: toMB(Math.max(...rss)),
    target: '>= curl rate (ratio <= 1.0)',
    pass: median(rates) >= curlRate,
    runs,
    samples: { ours: rates.map((v) => round(v)), reference: samples.reference.map((v) => round(v)) },
    ...variant,
  });
  return [
    row(inProcess, {
      scenario: `3. ${count} pass updates, concurrency ${concurrency}, keep-alive, in the app's process`,
      notes: "rate inside our process, measured from its first request (the app's first batch after it starts)",
    }),
    row(inWarmProcess, {
      id: 'batch-warm',
      scenario: `3. ${count} pass updates, concurrency ${concurrency}, keep-alive, in the app's process after an earlier batch`,
      target: 'report (the judged row is the first batch)',
      pass: null,
      notes: 'the same process has sent one untimed batch of the same size first (an app that has been in use)',
    }),
    row(throughApp, {
      id: 'batch-app',
      scenario: `3. ${count} pass updates, concurrency ${concurrency}, keep-alive, through the app's whole send path (checks, history)`,
      target: 'report (curl records nothing)',
      pass: null,
      oursPeakRssMB: toMB(Math.max(...appRss)),
      notes: 'AppServices.actions.sendPassBatch in a fresh process, as the passBatch IPC handler and the CLI call it: per-send checks and one fsynced history line per send',
    }),
    row(samples.ours, {
      id: 'batch-cli',
      scenario: `3. ${count} pass updates, concurrency ${concurrency}, keep-alive, whole process`,
      target: 'report (includes Node start-up)',
      pass: null,
      notes: 'the first row\'s process from start to exit, Node start-up and module loading included',
    }),
  ];
}
