// Row 7: the engagement-desk CLI as a script runs it, one whole process per command, against what the same machine
// does with no work at all (`node -e 0`) or with curl. Start-up is what a script looping over apps pays every call.
// The transfer rows use a profile on the benchmark's emulator whose password is in the OS keychain, as a user's
// would be (npm run bench provides a private keyring on Linux, as the test runner does).
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CertificateStore } from '../../main/emulator/certificate-store';
import { makePkpass, makePng, samplePassJson } from '../../test/support/fixtures';
import { writeZip } from '../../test/support/zip-writer';
import { CLI_NODE, CURL_USER, alternate, median, round, runCli, runTimed, type BenchConfig, type BenchRow, type EmulatorProcess, type ProcessRun } from '../lib';
import { removeAndSettle, writeRandomFile } from './files';

const MB = 1024 * 1024;
const IMPORT_UPDATE = '/api/v1/message/pass/import/update';

function ok(run: ProcessRun, what: string): ProcessRun {
  if (run.code !== 0) throw new Error(`${what} exited with ${run.code}: ${(run.stderr.trim() || run.stdout.trim()).slice(0, 500)}`);
  return run;
}

function ratioRow(
  id: string,
  scenario: string,
  referenceLabel: string,
  samples: { ours: number[]; reference: number[] },
  limit: number,
  notes: string,
): BenchRow {
  const ours = median(samples.ours);
  const reference = median(samples.reference);
  return {
    id,
    scenario,
    unit: 'ms',
    ours: round(ours),
    reference: round(reference),
    referenceLabel,
    ratio: round(ours / reference, 2),
    target: `<= ${limit}x ${referenceLabel.startsWith('node') ? 'node -e 0' : 'curl'}`,
    pass: ours / reference <= limit,
    runs: samples.ours.length,
    samples: { ours: samples.ours.map((v) => round(v)), reference: samples.reference.map((v) => round(v)) },
    notes,
  };
}

export async function cliRows(config: BenchConfig, emulator: EmulatorProcess, emulatorDataDir: string): Promise<BenchRow[]> {
  const dir = join(config.workDir, 'cli');
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true });
  // Row 7c downloads a body far larger than any certificate, so it lifts the client's 1 MiB limit (issue #18).
  const env = { ENGAGEMENT_DESK_HOME: home, ENGAGEMENT_DESK_MAX_CERTIFICATE_BYTES: String(512 * MB) };
  const cli = (args: string[], input?: string) => runCli(args, { env, ...(input !== undefined ? { input } : {}) });
  // The same Node as the CLI's, starting and doing nothing.
  const nodeE0 = async () => ok(await runTimed(CLI_NODE, ['-e', '0']), 'node -e 0').wallMs;
  // Short runs move a lot with any disturbance on the machine: many of them, alternated, and medians.
  const startRuns = config.quick ? 3 : 21;
  const rows: BenchRow[] = [];

  const version = async () => {
    const run = ok(await cli(['--version']), 'engagement-desk --version');
    if (!/^\d+\.\d+\.\d+\n$/.test(run.stdout)) throw new Error(`engagement-desk --version printed ${JSON.stringify(run.stdout)}`);
    return run.wallMs;
  };
  await alternate(2, version, nodeE0); // warm-up: page cache, and Node's compile cache filled by a first run
  rows.push(ratioRow('cli-version', '7a. engagement-desk --version, whole process', 'node -e 0', await alternate(startRuns, version, nodeE0), 2, 'spawn to exit; the reference is Node starting and doing nothing'));

  const typical = (await makePkpass(dir, { name: 'typical.pkpass' })).path;
  const check = async () => {
    const run = ok(await cli(['check', typical]), 'engagement-desk check');
    if (!run.stdout.includes('ok')) throw new Error(`engagement-desk check did not pass the typical pass: ${run.stdout}`);
    return run.wallMs;
  };
  await alternate(2, check, nodeE0);
  rows.push(ratioRow('cli-check', '7b. engagement-desk check of a typical .pkpass, whole process', 'node -e 0', await alternate(startRuns, check, nodeE0), 3, 'every check of the pass (zip, manifest hashes, signature, pass.json, images), spawn to exit'));

  // A profile on the emulator, its password stored in the keychain by the CLI itself.
  const added = await cli(['profile', 'add', 'bench', '--url', emulator.url, '--auth', 'basic', '--user', CURL_USER.split(':')[0]!, '--password-stdin', '--replace', '--json'], `${CURL_USER.split(':')[1]}\n`);
  ok(added, 'engagement-desk profile add');
  const storage = (JSON.parse(added.stdout) as { profile: { secretStorage: string } }).profile.secretStorage;
  if (storage !== 'keychain') throw new Error(`the transfer rows need the OS keychain (the password went to: ${storage}); on Linux run under a Secret Service`);

  const size = config.quick ? 16 * MB : 200 * MB;
  const appId = 'bench-cli-download';
  const store = new CertificateStore(emulatorDataDir);
  await store.init();
  const staged = join(await store.stagingDir(appId), 'bench.tmp-upload');
  const sha256 = await writeRandomFile(staged, size);
  await store.commit(appId, staged, { fileName: 'bench.p12', size, sha256 });
  const oursPath = join(dir, 'ours.p12');
  const curlPath = join(dir, 'curl.p12');
  const download = async () => {
    const run = ok(await cli(['cert', 'download', '--profile', 'bench', '--app', appId, '--out', oursPath, '--json']), 'engagement-desk cert download');
    if ((JSON.parse(run.stdout) as { sha256: string }).sha256 !== sha256) throw new Error('the CLI download does not match the stored body');
    await removeAndSettle(oursPath);
    return run.wallMs;
  };
  const curlDownload = async () => {
    const fetched = ok(await runTimed('curl', ['-sS', '--fail', '-u', CURL_USER, '-o', curlPath, `${emulator.url}/api/v1/applications/downloadwindowscert?appId=${appId}`]), 'curl');
    const synced = ok(await runTimed('sync', [curlPath]), 'sync');
    if ((await stat(curlPath)).size !== size) throw new Error('curl download has the wrong size');
    await removeAndSettle(curlPath);
    return fetched.wallMs + synced.wallMs;
  };
  if (!config.quick) await alternate(1, download, curlDownload);
  rows.push(
    ratioRow(
      'cli-download',
      `7c. engagement-desk cert download of ${size / MB} MB, whole process`,
      'curl -o FILE && sync FILE',
      await alternate(config.runs, download, curlDownload),
      1.3,
      'the CLI saves atomically (fsync, rename) and prints the SHA-256 it reads back; curl is followed by a sync of its file',
    ),
  );

  const uploadSize = config.quick ? 8 * MB : 100 * MB;
  const pkpass = join(dir, 'big.pkpass');
  await writeFile(pkpass, writeZip([{ name: 'pass.json', data: JSON.stringify(samplePassJson()) }, { name: 'payload.bin', data: randomBytes(uploadSize), method: 'store' }]));
  const logo = join(dir, 'logo.png');
  const icon = join(dir, 'icon.png');
  await writeFile(logo, makePng(320, 100));
  await writeFile(icon, makePng(58, 58));
  const contentPath = join(dir, 'content.json');
  await writeFile(contentPath, JSON.stringify({ recipients: { recipient: [{ id: '1000000000000000001' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 }));
  const upload = async () => {
    // The payload is random bytes in an unsigned zip (as in row 2), which the pass checks rightly refuse; curl
    // checks nothing either, so the CLI sends it as is.
    const run = ok(
      await cli(['pass', 'update', '--profile', 'bench', '--pkpass', pkpass, '--content', contentPath, '--image', `logo=${logo}`, '--image', `icon=${icon}`, '--skip-checks', '--json']),
      'engagement-desk pass update',
    );
    if (!run.stdout.includes('requestId')) throw new Error(`the CLI upload was not queued: ${run.stdout}`);
    return run.wallMs;
  };
  const curlUpload = async () => {
    const run = ok(
      await runTimed('curl', [
        '-sS', '--fail', '-u', CURL_USER,
        '-F', `pkPass=@${pkpass};type=application/vnd.apple.pkpass`,
        '-F', `logo=@${logo};type=image/png`,
        '-F', `icon=@${icon};type=image/png`,
        '-F', `passContent=<${contentPath};type=application/json`,
        `${emulator.url}${IMPORT_UPDATE}`,
      ]),
      'curl -F',
    );
    if (!run.stdout.includes('requestId')) throw new Error(`curl upload was not queued: ${run.stdout}`);
    return run.wallMs;
  };
  if (!config.quick) await alternate(1, upload, curlUpload);
  rows.push(
    ratioRow(
      'cli-upload',
      `7d. engagement-desk pass update of a ${uploadSize / MB} MB pkpass + 2 images, whole process`,
      'curl -F (same parts)',
      await alternate(config.runs, upload, curlUpload),
      1.5,
      'the same parts as row 2, with --skip-checks (the payload is not a signed pass; curl checks nothing)',
    ),
  );
  await emulator.clearRequests();
  return rows;
}
