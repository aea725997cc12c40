// The installers' keychain binaries (tools/packaging/keyring.mjs), where a build cannot have one: a target no binary
// package exists for, and a registry that cannot be reached. Each says what happened and what to do, and leaves
// nothing half-fetched in the cache. (What the packages hold is test/integration/packaging/packaged-trees.test.ts.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { REPO_ROOT } from '../../support/cli';
import { withTempDir } from '../../support/temp-dir';

const KEYRING = pathToFileURL(join(REPO_ROOT, 'tools/packaging/keyring.mjs')).href;

/** fetchKeyring(target) in a child Node with the cache in dir; what it threw (its first line), or 'fetched'. */
function fetchIn(dir: string, target: string, env: Record<string, string> = {}): string {
  const script = `const m = await import(${JSON.stringify(KEYRING)});
    try { m.fetchKeyring(${JSON.stringify(target)}); console.log('fetched'); } catch (e) { console.log(e.message.split('\\n')[0]); }`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, XDG_CACHE_HOME: dir, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

test('a target without a keychain binary package is refused, naming the targets that have one', async () => {
  await withTempDir('packaging', async (dir) => {
    assert.equal(
      fetchIn(dir, 'mac-universal'),
      'No keychain binary is known for the target mac-universal; targets with one: mac-x64, mac-arm64, win-x64, ' +
        'win-arm64, linux-x64, linux-arm64. Change the targets in electron-builder.yml.',
    );
  });
});

test('an unreachable registry is reported with what a build needs, and the cache keeps no partial package', async () => {
  await withTempDir('packaging', async (dir) => {
    // Port 9 (discard) on loopback: refused at once; no retries, so npm gives up at its first attempt.
    const message = fetchIn(dir, 'win-arm64', { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' });
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/@napi-rs/keyring/package.json'), 'utf8')) as { version: string };
    assert.equal(
      message,
      `The keychain binary for win-arm64 (@napi-rs/keyring-win32-arm64-msvc@${version}) could not be fetched from the ` +
        `npm registry. A build needs the registry once per target and version (the binaries are kept in ` +
        `${join(dir, 'engagement-desk-packaging')}); check the network or npm's registry setting and build again.`,
    );
    assert.deepEqual(readdirSync(join(dir, 'engagement-desk-packaging')), []);
  });
});
