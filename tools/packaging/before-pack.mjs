// electron-builder's beforePack hook (electron-builder.yml): before each target's app is packed, puts that target's
// keychain binary package, and no other, where the yml's `files` take it from (keyring.mjs).
import { stageKeyring } from './keyring.mjs';

/** electron-builder's Arch enum, by value (builder-util: ia32 0, x64 1, armv7l 2, arm64 3, universal 4). */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export default async function beforePack(context) {
  const os = context.packager.platform.buildConfigurationKey;
  const target = `${os}-${ARCH_NAMES[context.arch] ?? context.arch}`;
  const { pkg } = stageKeyring(target);
  console.log(`  • keychain binary for ${target}: ${pkg}`);
}
