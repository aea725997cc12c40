// Each installer carries the keychain binding's native binary for its own OS and architecture, and only that one.
// npm installs the build machine's binary alone (@napi-rs/keyring's optionalDependencies are filtered by os/cpu), so
// electron-builder.yml leaves node_modules' @napi-rs/keyring-* out of every package and takes the target's one from
// .packaging/keyring/<os>-<arch>/, which stageKeyring fills (electron-builder's beforePack hook, before-pack.mjs).
// The binary comes from the npm registry at exactly the version of our @napi-rs/keyring, kept in a cache folder.
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheFolder, installedVersion, unpackFromRegistry } from './registry.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../../..');

/** Where the staged binary package of each target lies (electron-builder.yml: .packaging/keyring/${os}-${arch}). */
export const STAGE = join(root, '.packaging/keyring');

/**
 * The keyring's binary package per electron-builder target: `${os}-${arch}`, os as electron-builder names it
 * (mac, win, linux). The names are those @napi-rs/keyring's loader requires on that platform (index.js).
 */
export const KEYRING_PACKAGES = {
  'mac-x64': '@napi-rs/keyring-darwin-x64',
  'mac-arm64': '@napi-rs/keyring-darwin-arm64',
  'win-x64': '@napi-rs/keyring-win32-x64-msvc',
  'win-arm64': '@napi-rs/keyring-win32-arm64-msvc',
  'linux-x64': '@napi-rs/keyring-linux-x64-gnu',
  'linux-arm64': '@napi-rs/keyring-linux-arm64-gnu',
};

/** The version of @napi-rs/keyring the app is built with; every binary package must be at the same one. */
export function keyringVersion() {
  return installedVersion(root, '@napi-rs/keyring');
}

/** The target's binary package from the registry, in the cache; its folder. */
export function fetchKeyring(target) {
  const pkg = KEYRING_PACKAGES[target];
  if (!pkg) {
    const known = Object.keys(KEYRING_PACKAGES).join(', ');
    throw new Error(`No keychain binary is known for the target ${target}; targets with one: ${known}. Change the targets in electron-builder.yml.`);
  }
  const version = keyringVersion();
  const cache = cacheFolder('engagement-desk-packaging');
  const dest = join(cache, `${pkg.replace('/', '+')}@${version}`);
  try {
    unpackFromRegistry(`${pkg}@${version}`, dest);
  } catch (error) {
    throw new Error(
      `The keychain binary for ${target} (${pkg}@${version}) could not be fetched from the npm registry. A build ` +
        `needs the registry once per target and version (the binaries are kept in ${cache}); check the network or ` +
        `npm's registry setting and build again.\n${error.message}`,
    );
  }
  const meta = JSON.parse(readFileSync(join(dest, 'package.json'), 'utf8'));
  if (meta.name !== pkg || meta.version !== version) {
    rmSync(dest, { recursive: true, force: true });
    throw new Error(`The cached ${pkg} was ${meta.name}@${meta.version}, not ${version}; it is removed, build again.`);
  }
  return dest;
}

/** Leaves in .packaging/keyring/<target>/ the target's binary package alone (its package.json and .node file). */
export function stageKeyring(target) {
  const from = fetchKeyring(target);
  const meta = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
  const dir = join(STAGE, target);
  rmSync(dir, { recursive: true, force: true });
  const to = join(dir, meta.name.split('/')[1]);
  for (const file of ['package.json', meta.main]) cpSync(join(from, file), join(to, file));
  return { pkg: meta.name, dir: to, binary: join(to, meta.main) };
}
