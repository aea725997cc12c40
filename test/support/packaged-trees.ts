// Packs the app for every installer target of electron-builder.yml with electron-builder itself (its `dir` target:
// the file tree an installer holds), with electron-builder.yml as it is except for what needs the real Electron
// runtime, which cannot be downloaded on this project's machines:
// - electronDist: a stand-in Electron (the file names electron-builder renames, edits or copies; placeholder bytes);
// - electronFuses off (flipping them needs the real binary's fuse wire), disableAsarIntegrity (embedding the
//   archive's hash edits the real .exe's resources and Info.plist), win.signAndEditExecutable false (rcedit needs the
//   real .exe and Wine), mac.identity null (no signing; electron-builder skips it off macOS anyway).
// Everything else runs as in `npm run dist`: the beforePack hook, the files and asarUnpack rules, the node_modules
// collection, the archive.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from './cli';

const require = createRequire(import.meta.url);
// electron-builder reads its YAML with js-yaml (a dependency of app-builder-lib), so the test reads it the same way.
const yaml = require('js-yaml') as { load(text: string): unknown };

type Os = 'mac' | 'win' | 'linux';

export interface PackedTarget {
  /** `${os}-${arch}`, os as electron-builder names it. */
  name: string;
  os: Os;
  arch: string;
  /** The folder that holds the app's archive (app.asar, app.asar.unpacked). */
  resources: string;
}

function builderConfig(): Record<string, Record<string, unknown>> {
  return yaml.load(readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, Record<string, unknown>>;
}

/** Every os and arch electron-builder.yml builds installers for, in the order packTargets packs them. */
export const PACKED_TARGETS: { os: Os; arch: string }[] = (['win', 'mac', 'linux'] as const).flatMap((os) => {
  const targets = (builderConfig()[os]?.target ?? []) as { arch?: string[] }[];
  const archs = [...new Set(targets.flatMap((t) => t.arch ?? ['x64']))].sort();
  return archs.map((arch) => ({ os, arch }));
});

const PLIST = (name: string) => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>CFBundleExecutable</key><string>${name}</string>
<key>CFBundleIdentifier</key><string>com.github.Electron</string>
<key>CFBundleName</key><string>${name}</string>
</dict></plist>
`;

function put(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

/** A stand-in Electron for one os, in dir; its folder. */
function standInElectron(dir: string, os: Os): string {
  const dist = join(dir, `electron-${os}`);
  if (os === 'mac') {
    const contents = join(dist, 'Electron.app/Contents');
    put(join(contents, 'Info.plist'), PLIST('Electron'));
    put(join(contents, 'MacOS/Electron'), 'stand-in');
    put(join(contents, 'Resources/electron.icns'), 'stand-in');
    for (const suffix of ['', ' (GPU)', ' (Plugin)', ' (Renderer)']) {
      const helper = join(contents, `Frameworks/Electron Helper${suffix}.app/Contents`);
      put(join(helper, 'Info.plist'), PLIST(`Electron Helper${suffix}`));
      put(join(helper, `MacOS/Electron Helper${suffix}`), 'stand-in');
    }
  } else {
    put(join(dist, os === 'win' ? 'electron.exe' : 'electron'), 'stand-in');
    put(join(dist, 'resources/stand-in.txt'), 'stand-in');
    put(join(dist, 'LICENSE'), 'stand-in');
  }
  return dist;
}

/** electron-builder.yml with the overrides of the header, as a config file in dir; its path. */
function testConfig(dir: string, electronDist: string): string {
  const config = builderConfig();
  delete config.electronFuses;
  const file = join(dir, 'electron-builder.json');
  const merged = {
    ...config,
    directories: { ...config.directories, output: join(dir, 'dist') },
    electronDist,
    disableAsarIntegrity: true,
    win: { ...config.win, signAndEditExecutable: false },
    mac: { ...config.mac, identity: null },
  };
  writeFileSync(file, JSON.stringify(merged, null, 2));
  return file;
}

/** electron-builder's output folder name for an os and arch: win-unpacked, win-arm64-unpacked, mac, mac-arm64… */
const APP_OUT_DIR = /^(mac|win|linux)(?:-(arm64|ia32|armv7l|universal))?(?:-unpacked)?$/;

/** Runs a command to its end; its exit code (or signal) and everything it printed. */
function runToEnd(cmd: string, argv: string[], cwd: string): Promise<{ status: number | string; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('close', (code, signal) => done({ status: code ?? signal ?? 'unknown', output }));
  });
}

/**
 * Runs electron-builder (its CLI, in a child process) once per os, with `dir` targets for that os's archs, into
 * work/<os>/; every tree it made. The three run at once: most of their time is electron-builder asking npm for the
 * production dependencies, once per arch. Throws with electron-builder's output when one fails.
 */
export async function packTargets(work: string): Promise<PackedTarget[]> {
  const cli = join(REPO_ROOT, 'node_modules/electron-builder/cli.js');
  const oses = [...new Set(PACKED_TARGETS.map((t) => t.os))];
  const runs = await Promise.all(
    oses.map(async (os) => {
      const dir = join(work, os);
      mkdirSync(dir, { recursive: true });
      const archs = PACKED_TARGETS.filter((t) => t.os === os).map((t) => `--${t.arch}`);
      const argv = [cli, `--${os}`, 'dir', ...archs, '--config', testConfig(dir, standInElectron(dir, os)), '--publish', 'never'];
      return { os, dir, ...(await runToEnd(process.execPath, argv, REPO_ROOT)) };
    }),
  );
  const packed: PackedTarget[] = [];
  for (const { os, dir, status, output } of runs) {
    if (status !== 0) throw new Error(`electron-builder --${os} failed (${status}):\n${output}`);
    for (const name of readdirSync(join(dir, 'dist')).sort()) {
      const match = APP_OUT_DIR.exec(name);
      if (!match) continue;
      const appOut = join(dir, 'dist', name);
      const resources = os === 'mac' ? join(appOut, 'Engagement Desk.app/Contents/Resources') : join(appOut, 'resources');
      const arch = match[2] ?? 'x64';
      packed.push({ name: `${os}-${arch}`, os, arch, resources });
    }
  }
  return packed;
}

const PE_MACHINES: Record<number, string> = { 0x8664: 'x64', 0xaa64: 'arm64', 0x14c: 'ia32' };
const MACHO_CPUS: Record<number, string> = { 0x01000007: 'x64', 0x0100000c: 'arm64', 7: 'ia32' };
const ELF_MACHINES: Record<number, string> = { 0x3e: 'x64', 0xb7: 'arm64', 0x03: 'ia32', 0x28: 'arm' };

/** The executable format and machine an object file's header declares (PE, 64-bit Mach-O, ELF). */
export function machineOf(bytes: Buffer): { format: string; arch: string } {
  if (bytes.length >= 64 && bytes.toString('latin1', 0, 2) === 'MZ') {
    const pe = bytes.readUInt32LE(0x3c);
    if (bytes.toString('latin1', pe, pe + 4) !== 'PE\0\0') return { format: 'unknown', arch: 'MZ without a PE header' };
    const machine = bytes.readUInt16LE(pe + 4);
    return { format: 'pe', arch: PE_MACHINES[machine] ?? `machine 0x${machine.toString(16)}` };
  }
  if (bytes.length >= 8 && bytes.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = bytes.readUInt32LE(4);
    return { format: 'macho', arch: MACHO_CPUS[cpu] ?? `cputype 0x${cpu.toString(16)}` };
  }
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0xcafebabe) {
    // A universal (fat) Mach-O holds several architectures: never the one-arch file a target should carry.
    return { format: 'macho-universal', arch: `${bytes.readUInt32BE(4)} architectures` };
  }
  if (bytes.length >= 20 && bytes.readUInt32BE(0) === 0x7f454c46) {
    const machine = bytes.readUInt16LE(18);
    return { format: 'elf', arch: ELF_MACHINES[machine] ?? `e_machine 0x${machine.toString(16)}` };
  }
  return { format: 'unknown', arch: `magic 0x${bytes.subarray(0, 4).toString('hex')}` };
}
