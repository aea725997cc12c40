#!/usr/bin/env node
// Runs every suite (unit, integration, e2e) with node's test runner.
// On Linux the integration and e2e suites use the real Secret Service, so unless one is already reachable this
// script re-executes itself inside a private D-Bus session with an unlocked gnome-keyring whose data lives in a
// fresh temporary XDG_DATA_HOME (an existing login keyring made with another password would not unlock).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const args = process.argv.slice(2);

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') continue;
    if (statSync(full).isDirectory()) found.push(...findTests(full));
    else if (name.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

function needsPrivateKeyring() {
  if (process.platform !== 'linux') return false;
  if (process.env.ENGAGEMENT_DESK_TEST_KEYRING_READY === '1') return false;
  return true;
}

if (needsPrivateKeyring()) {
  const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter(
    (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0,
  );
  if (missing.length > 0) {
    console.error(`Missing ${missing.join(', ')}: install the Debian packages dbus and gnome-keyring (see README).`);
    process.exit(2);
  }
  const xdg = mkdtempSync(join(tmpdir(), 'engagement-desk-keyring-'));
  const inner = [
    // gnome-keyring prints the variables it exports; the control socket is found through XDG_RUNTIME_DIR.
    `printf '%s' engagement-desk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null`,
    `exec node "${fileURLToPath(import.meta.url)}" "$@"`,
  ].join(' && ');
  const child = spawn('dbus-run-session', ['--', 'sh', '-c', inner, 'sh', ...args], {
    stdio: 'inherit',
    env: { ...process.env, XDG_DATA_HOME: xdg, ENGAGEMENT_DESK_TEST_KEYRING_READY: '1' },
  });
  child.on('exit', (code, signal) => {
    rmSync(xdg, { recursive: true, force: true });
    process.exit(code ?? (signal ? 1 : 0));
  });
} else {
  const roots = args.length > 0 ? args.map((a) => resolve(a)) : [join(root, 'test')];
  const files = roots
    .flatMap((p) => (statSync(p).isDirectory() ? findTests(p) : [p]))
    .map((f) => relative(root, f))
    .sort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
    { stdio: 'inherit', cwd: root, env: { ...process.env, ENGAGEMENT_DESK_TEST: '1' } },
  );
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
