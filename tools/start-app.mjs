// `npm start` after the build: launches Electron on the app, or, when the Electron runtime is missing and cannot
// be fetched (no access to GitHub), says so in one paragraph instead of the electron package's stack trace, whose
// advice (reinstall) cannot work offline either. ENGAGEMENT_DESK_ELECTRON_DIR points at another electron package
// folder (tests use an empty one).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function electronPackageDir() {
  if (process.env.ENGAGEMENT_DESK_ELECTRON_DIR) return process.env.ENGAGEMENT_DESK_ELECTRON_DIR;
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** The Electron executable if it is on disk, else undefined (never throws, never downloads). */
function installedElectron(dir) {
  if (!dir) return undefined;
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const base = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist');
  const executable = join(base, relative);
  return relative && existsSync(executable) ? executable : undefined;
}

/** Tries the electron package's own download once, quietly; its failure is explained below, not dumped. */
function tryDownload(dir) {
  const installer = join(dir, 'install.js');
  if (!existsSync(installer)) return;
  process.stdout.write('Fetching the Electron runtime (first start only)...\n');
  spawnSync(process.execPath, [installer], { cwd: dir, stdio: 'ignore', timeout: 300_000 });
}

const dir = electronPackageDir();
let executable = installedElectron(dir);
if (!executable && dir && !process.env.ENGAGEMENT_DESK_ELECTRON_DIR) {
  tryDownload(dir);
  executable = installedElectron(dir);
}

if (!executable) {
  process.stderr.write(
    'Engagement Desk cannot open its window: the Electron runtime is not installed and could not be downloaded ' +
      '(Electron fetches it from GitHub the first time the app starts, and this machine cannot reach it). The app ' +
      'is built in out/, and meanwhile the command line and the Sandbox work without Electron: try ' +
      '`npm run cli -- profile test Sandbox`, then any command with `--profile Sandbox`, or `npm run emulator`. To get the window, run `npm start` again on a network that reaches GitHub, or set ' +
      'ELECTRON_MIRROR to a mirror you can reach.\n',
  );
  process.exit(1);
}

const child = spawn(executable, [root, ...process.argv.slice(2)], { stdio: 'inherit', windowsHide: false });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
