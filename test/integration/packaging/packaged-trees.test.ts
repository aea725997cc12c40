// What each installer carries (issue #20 item 3): electron-builder itself packs the built app (out/, so
// `npm run build` first) for every target of electron-builder.yml as --dir trees, the file tree an installer holds:
// Windows x64 and arm64, macOS x64 and arm64, Linux x64. Per target it proves that the keychain binary is the target's
// own (its name, its version, and the machine type in its PE / Mach-O / ELF header), that no other architecture's
// binary, no CLI, no source map, no TypeScript and no test file ships, that the loader finds the binary by the
// name it requires, and that package.json's main is in the archive. On a Linux x64 machine the Linux package's
// keychain binding is also loaded from the packed tree and used against the real Secret Service.
// What the test changes in electron-builder.yml, because the Electron runtime cannot be downloaded here, is in
// test/support/packaged-trees.ts (a stand-in Electron; no fuses, no asar integrity, no rcedit, no signing).
// The keychain binaries come from the npm registry (once; then from the cache, like the Windows lane's).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../../support/cli';
import { machineOf, packTargets, PACKED_TARGETS, type PackedTarget } from '../../support/packaged-trees';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  extractAll(archive: string, dest: string): void;
  statFile(archive: string, path: string): { unpacked?: boolean };
  extractFile(archive: string, path: string): Buffer;
};

interface KeyringModule {
  KEYRING_PACKAGES: Record<string, string>;
  keyringVersion(): string;
}
const keyring = (await import(pathToFileURL(join(REPO_ROOT, 'tools/packaging/keyring.mjs')).href)) as KeyringModule;

/** Every file under dir, as /-separated paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => path.split('\\').join('/'))
    .sort();
}

/** The files of the build that the app needs: out/ without the CLI and the source maps. */
function appBuildFiles(): string[] {
  return filesUnder(join(REPO_ROOT, 'out'))
    .filter((path) => !path.startsWith('cli/') && !path.endsWith('.map'))
    .map((path) => `out/${path}`);
}

/** The keychain binding's loader, as every target ships it (README, .d.ts and sources stay out). */
const LOADER_FILES = ['LICENSE', 'index.js', 'keytar.js', 'package.json'].map((f) => `node_modules/@napi-rs/keyring/${f}`);

/** Files a package must not hold: sources, maps, tests, and the repository's own folders other than out/. */
const DEV_ONLY = /\.map$|\.(ts|tsx|mts|cts)$|\.test\.|^(main|preload|renderer|test|bench|tools|\.packaging)\/|(^|\/)(test|tests|__tests__)\//;

describe('the packaged app of every installer target', { timeout: 240_000 }, () => {
  let work = '';
  let packed: PackedTarget[] = [];
  /** Per target, the archive extracted (its unpacked files included), to walk and to resolve modules in. */
  const extracted = new Map<string, string>();

  before(async () => {
    assert.ok(existsSync(join(REPO_ROOT, 'out/main/index.js')), 'out/ is missing: run npm run build first');
    work = mkdtempSync(join(tmpdir(), 'engagement-desk-packaging-'));
    packed = await packTargets(work);
    for (const target of packed) {
      const dest = join(work, 'extracted', `${target.os}-${target.arch}`);
      asar.extractAll(join(target.resources, 'app.asar'), dest);
      extracted.set(target.name, dest);
    }
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('electron-builder packed every target of electron-builder.yml', () => {
    assert.deepEqual(
      packed.map((t) => t.name).sort(),
      PACKED_TARGETS.map((t) => `${t.os}-${t.arch}`).sort(),
    );
  });

  for (const { os, arch } of PACKED_TARGETS) {
    const name = `${os}-${arch}`;
    const target = () => packed.find((t) => t.name === name) as PackedTarget;

    test(`${name}: its own keychain binary, unpacked, at our @napi-rs/keyring version, for ${arch} in its header`, () => {
      const pkg = keyring.KEYRING_PACKAGES[name] as string;
      const dir = `node_modules/${pkg}`;
      const meta = JSON.parse(readFileSync(join(extracted.get(name) as string, dir, 'package.json'), 'utf8')) as { name: string; version: string; main: string };
      assert.equal(meta.name, pkg);
      assert.equal(meta.version, keyring.keyringVersion());
      // The only unpacked file, and the archive says so (Electron reads it from app.asar.unpacked).
      const unpacked = join(target().resources, 'app.asar.unpacked');
      assert.deepEqual(filesUnder(unpacked), [`${dir}/${meta.main}`]);
      assert.equal(asar.statFile(join(target().resources, 'app.asar'), `${dir}/${meta.main}`).unpacked, true);
      const expectedFormat = { win: 'pe', mac: 'macho', linux: 'elf' }[os];
      assert.deepEqual(machineOf(readFileSync(join(unpacked, dir, meta.main))), { format: expectedFormat, arch });
    });

    test(`${name}: the archive holds the app's build, package.json and the keychain loader and binary, nothing else`, (t) => {
      const files = filesUnder(extracted.get(name) as string);
      const kB = (f: string) => Math.ceil(statSync(join(extracted.get(name) as string, f)).size / 1024);
      t.diagnostic(`${name}: ${files.map((f) => `${f} (${kB(f)} kB)`).join(', ')}`);
      const pkg = keyring.KEYRING_PACKAGES[name] as string;
      const binary = readdirSync(join(extracted.get(name) as string, 'node_modules', pkg)).filter((f) => f.endsWith('.node'));
      assert.equal(binary.length, 1);
      const expected = [...appBuildFiles(), 'package.json', ...LOADER_FILES, `node_modules/${pkg}/package.json`, `node_modules/${pkg}/${binary[0]}`].sort();
      assert.deepEqual(files, expected);
      // The same, as the mistakes it rules out (each would also break the list above).
      assert.deepEqual(files.filter((f) => f.startsWith('out/cli/')), [], 'the CLI does not ship');
      assert.deepEqual(files.filter((f) => DEV_ONLY.test(f)), [], 'no source, map, test, bench or tool file ships');
      const binaries = files.filter((f) => /^node_modules\/@napi-rs\/keyring-/.test(f) && !f.startsWith(`node_modules/${pkg}/`));
      assert.deepEqual(binaries, [], "no other target's keychain binary ships");
      // Beside the archive, only what the stand-in Electron brought.
      const beside = readdirSync(target().resources).filter((f) => f.startsWith('app') || f === 'out' || f === 'node_modules');
      assert.deepEqual(beside.sort(), ['app.asar', 'app.asar.unpacked']);
    });

    test(`${name}: package.json's main is in the archive, and the loader finds the binary by the name it requires`, () => {
      const root = extracted.get(name) as string;
      const manifest = JSON.parse(asar.extractFile(join(target().resources, 'app.asar'), 'package.json').toString('utf8')) as Record<string, unknown>;
      assert.equal(manifest.main, 'out/main/index.js');
      assert.equal(manifest.devDependencies, undefined, 'electron-builder drops devDependencies from the packed package.json');
      assert.equal(manifest.scripts, undefined, 'and the scripts');
      assert.ok(existsSync(join(root, 'out/main/index.js')), 'out/main/index.js is in the archive');
      // main imports @napi-rs/keyring (left out of the bundle); its index.js requires the binary package by name.
      const fromMain = createRequire(join(root, 'out/main/index.js'));
      const loader = fromMain.resolve('@napi-rs/keyring');
      assert.equal(relative(root, loader), join('node_modules/@napi-rs/keyring/index.js'));
      const pkg = keyring.KEYRING_PACKAGES[name] as string;
      assert.match(readFileSync(loader, 'utf8'), new RegExp(`require\\('${pkg}'\\)`));
      const binding = createRequire(loader).resolve(pkg);
      assert.equal(relative(root, binding).split('\\').join('/').replace(/[^/]+$/, ''), `node_modules/${pkg}/`);
      assert.match(binding, /\.node$/);
    });
  }

  test('linux-x64: the packed keychain binding loads from the package and keeps a secret in the Secret Service', (t) => {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      t.skip(`the Linux x64 binary cannot load on ${process.platform}-${process.arch}; its header is checked above`);
      return;
    }
    const root = extracted.get('linux-x64') as string;
    const script = `
      import { createRequire } from 'node:module';
      const { AsyncEntry } = createRequire(process.argv[1])('@napi-rs/keyring');
      const entry = new AsyncEntry('engagement-desk-packaging-test', 'account-' + process.pid, { linux: { store: 'secret-service' } });
      await entry.setPassword('s3cret ✓ packed');
      const got = await entry.getPassword();
      const deleted = await entry.deletePassword();
      const loaded = process.report.getReport().sharedObjects.filter((p) => p.endsWith('.node'));
      console.log(JSON.stringify({ got, deleted, loaded }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, join(root, 'out/main/index.js')], {
      cwd: work,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { got: string; deleted: boolean; loaded: string[] };
    assert.equal(result.got, 's3cret ✓ packed');
    assert.equal(result.deleted, true);
    assert.deepEqual(result.loaded, [join(root, 'node_modules/@napi-rs/keyring-linux-x64-gnu/keyring.linux-x64-gnu.node')]);
  });
});

describe('the keychain binary packages', () => {
  test("are the ones @napi-rs/keyring's loader requires, at its version, for every target electron-builder.yml builds", () => {
    const loader = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/@napi-rs/keyring/package.json'), 'utf8')) as {
      version: string;
      optionalDependencies: Record<string, string>;
    };
    for (const pkg of Object.values(keyring.KEYRING_PACKAGES)) {
      assert.equal(loader.optionalDependencies[pkg], loader.version, `${pkg} is a binary package of @napi-rs/keyring ${loader.version}`);
    }
    for (const { os, arch } of PACKED_TARGETS) assert.ok(keyring.KEYRING_PACKAGES[`${os}-${arch}`], `${os}-${arch} has a binary package`);
  });
});
