// The CLI as administrators install it: the package `npm pack` makes, installed into an empty prefix with npm, on
// nothing but Node and npm. It must carry the built CLI, its license and README and nothing else of the repository,
// pull only the keychain binding from the registry (no Electron), and work: Sandbox upload, keychain, every command.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../../support/cli';
import { makeP12 } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** npm's own settings from the `npm test` that started us (npm_config_*) must not steer the npm we run. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, ...extra };
}

function run(command: string, args: string[], options: { cwd: string; stdin?: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  const child = spawn(command, args, { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })));
}

const npmMissing = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status !== 0;
if (npmMissing) console.log('# skipped: npm is not on PATH, so the package cannot be packed and installed here');

let tmp: TempDir;
let tarball: string;
let packedFiles: string[];
let prefix: string;
let bin: string;
let home: string;

before(async () => {
  if (npmMissing) return;
  tmp = await makeTempDir('package');
  // What `npm pack` sees on a clean clone once its prepack has built the CLI: the manifest, README, LICENSE and
  // out/cli. (Packing the working tree itself would also take the app's build, which npm always packs as "main",
  // and its prepack would remove out/ under the other suites' feet.)
  assert.ok(existsSync(join(REPO_ROOT, 'out/cli/engagement-desk.js')), 'run `npm run build` first');
  const stage = join(tmp.dir, 'stage');
  await mkdir(join(stage, 'out'), { recursive: true });
  for (const name of ['package.json', 'README.md', 'LICENSE']) await cp(join(REPO_ROOT, name), join(stage, name));
  await cp(join(REPO_ROOT, 'out/cli'), join(stage, 'out/cli'), { recursive: true });
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp.dir], { cwd: stage });
  assert.equal(packed.code, 0, packed.stderr);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  assert.ok(info);
  tarball = join(tmp.dir, info.filename);
  packedFiles = info.files.map((f) => f.path).sort();

  prefix = join(tmp.dir, 'prefix');
  home = join(tmp.dir, 'home');
  await mkdir(home);
  // --prefer-offline: the keychain binding comes from npm's cache when it is there (it is after `npm ci`).
  const installed = await run('npm', ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: tmp.dir });
  assert.equal(installed.code, 0, installed.stderr);
  bin = join(prefix, process.platform === 'win32' ? 'engagement-desk.cmd' : 'bin/engagement-desk');
});

after(async () => {
  await tmp?.remove();
});

const cli = (args: string[], stdin?: string) =>
  run(bin, args, { cwd: tmp.dir, env: { ENGAGEMENT_DESK_HOME: home }, ...(stdin !== undefined ? { stdin } : {}) });

describe('the engagement-desk package', { skip: npmMissing && 'npm is not on PATH' }, () => {
  test('carries the built CLI, LICENSE and README only', () => {
    assert.ok(packedFiles.includes('out/cli/engagement-desk.js'));
    assert.ok(packedFiles.includes('out/cli/package.json'), 'the bundle says it is ESM');
    for (const name of ['LICENSE', 'README.md', 'package.json']) assert.ok(packedFiles.includes(name), name);
    const others = packedFiles.filter(
      (f) => !['LICENSE', 'README.md', 'package.json', 'out/cli/package.json'].includes(f) && !/^out\/cli\/(chunks\/)?[\w-]+\.js$/.test(f),
    );
    assert.deepEqual(others, [], 'no sources, tests, benchmarks, source maps, renderer or Electron bundle');
  });

  test('installs with the keychain binding as its only dependency (no Electron)', async () => {
    const modules = join(prefix, process.platform === 'win32' ? '' : 'lib', 'node_modules');
    assert.deepEqual(await readdir(modules), ['engagement-desk']);
    const own = (await readdir(join(modules, 'engagement-desk/node_modules'), { recursive: true })).filter((p) => !p.includes('/'));
    assert.deepEqual(own.sort(), ['@napi-rs']);
    const napi = await readdir(join(modules, 'engagement-desk/node_modules/@napi-rs'));
    assert.ok(napi.every((name) => name.startsWith('keyring')), napi.join(', '));
  });

  test('the installed binary answers --version and lists every command', async () => {
    const version = await cli(['--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const help = await cli(['--help']);
    assert.equal(help.code, 0, help.stderr);
    for (const command of ['profile', 'cert', 'pass', 'drafts', 'outbox', 'history', 'check', 'emulator']) {
      assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), command);
    }
  });

  test('uploads a certificate to the Sandbox and keeps a password in the keychain', async () => {
    const p12 = join(tmp.dir, 'mpns.p12');
    await rename((await makeP12(tmp.dir, { passphrase: 'pkg-p12-pass' })).path, p12);
    const upload = await cli(['cert', 'upload', '--profile', 'Sandbox', '--app', 'from-the-package', '--cert', p12, '--passphrase-stdin'], 'pkg-p12-pass');
    assert.equal(upload.code, 0, upload.stderr);
    assert.match(upload.stdout, /Details updated successfully/);

    const added = await cli(['profile', 'add', 'packaged', '--url', 'https://engagement.example.com/vpns', '--auth', 'basic', '--user', 'ops', '--password-stdin', '--json'], 'Package-Test-Secret-5d1\n');
    assert.equal(added.code, 0, added.stderr);
    assert.equal((JSON.parse(added.stdout) as { profile: { secretStorage: string } }).profile.secretStorage, 'keychain');
    const removed = await cli(['profile', 'remove', 'packaged', '--json']);
    assert.equal(removed.code, 0, removed.stderr);
  });
});
