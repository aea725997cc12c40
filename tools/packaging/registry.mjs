// Fetches packages from the npm registry with npm itself (`npm pack`), for the tools that need another platform's
// files: the Windows lane (Windows Node, the Windows keychain binary) and the installers (each target's keychain
// binary). The registry is the only source; what is fetched is kept, so a second run needs no network.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** A folder under the user's cache (XDG_CACHE_HOME or ~/.cache), made when missing. */
export function cacheFolder(name) {
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The version of a package installed in the project's node_modules. */
export function installedVersion(root, pkg) {
  return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

/** Runs a command to its end; its standard output, or an error that quotes everything it printed. */
export function run(cmd, argv, options = {}) {
  const result = spawnSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  if (result.status !== 0) {
    const why = result.error ? result.error.message : (result.status ?? result.signal);
    throw new Error(`${cmd} ${argv.join(' ')} failed (${why}):\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  return result.stdout;
}

/**
 * npm with these arguments: the npm that runs this script when npm does (npm_execpath, e.g. `npm run dist`), else
 * the one on PATH (on Windows npm.cmd, which only a shell starts; the arguments given here need no quoting).
 */
function npm(argv, options) {
  const cli = process.env.npm_execpath;
  if (cli && /\.c?js$/.test(cli)) return run(process.execPath, [cli, ...argv], options);
  if (process.platform === 'win32') return run('npm.cmd', argv, { ...options, shell: true });
  return run('npm', argv, options);
}

/**
 * `npm pack name@version` unpacked at dest (the tarball's package/ folder), unless dest is there already. The
 * tarball is unpacked beside dest and moved into place whole, so an interrupted fetch never leaves half a package.
 * npm and tar run in that folder with relative names only (Git for Windows' tar reads `C:` as a remote host).
 */
export function unpackFromRegistry(spec, dest) {
  if (existsSync(dest)) return;
  const parent = resolve(dest, '..');
  mkdirSync(parent, { recursive: true });
  const work = mkdtempSync(join(parent, '.pack-'));
  try {
    const tarball = npm(['pack', spec, '--silent', '--pack-destination', '.'], { cwd: work }).trim().split('\n').pop().trim();
    run('tar', ['xzf', tarball], { cwd: work });
    renameSync(join(work, 'package'), dest);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
