#!/usr/bin/env node
// Runs every suite (unit, integration, e2e) with node's test runner.
// On Linux the integration and e2e suites use the real Secret Service, so unless one is already reachable this
// script re-executes itself inside a private D-Bus session with an unlocked gnome-keyring whose data lives in a
// fresh temporary XDG_DATA_HOME (an existing login keyring made with another password would not unlock).
// The e2e apps keep their folders and recordings under one per-run root (ENGAGEMENT_DESK_LEAK_ROOT); once every
// suite has finished, a last phase (test/security/leak-scan.phase.ts) scans all of it for the secrets used, and
// the output ends with one summary line over both phases.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
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
  const runDir = mkdtempSync(join(tmpdir(), 'engagement-desk-run-'));
  const leakRoot = join(runDir, 'leaks');
  const env = {
    ...process.env,
    ENGAGEMENT_DESK_TEST: '1',
    ENGAGEMENT_DESK_LEAK_ROOT: leakRoot,
    ENGAGEMENT_DESK_LEAK_FULL: args.length === 0 ? '1' : '0',
  };

  const suites = await runPhase('suites', files, env, runDir);
  // Only when some e2e app ran (and so recorded something).
  const leaks = existsSync(join(leakRoot, 'recordings'))
    ? await runPhase('leaks', ['test/security/leak-scan.phase.ts'], env, runDir)
    : undefined;
  const total = { pass: 0, fail: 0, skipped: 0 };
  for (const phase of [suites, leaks]) {
    if (!phase) continue;
    total.pass += phase.counts.pass;
    total.fail += phase.counts.fail + phase.counts.cancelled;
    total.skipped += phase.counts.skipped + phase.counts.todo;
  }
  const failed = suites.code !== 0 || (leaks !== undefined && leaks.code !== 0);
  // A crashed runner may report no failing test: never let that read as a pass.
  if (failed && total.fail === 0) total.fail = 1;
  if (failed) console.log(`Kept for inspection: ${runDir}`);
  else rmSync(runDir, { recursive: true, force: true });
  console.log(`\nTotal: ${total.pass} passed, ${total.fail} failed, ${total.skipped} skipped`);
  process.exit(failed ? 1 : 0);
}

/** One run of node's test runner: spec output on the terminal, TAP to a file for the counts. */
function runPhase(name, testFiles, env, runDir) {
  const tap = join(runDir, `${name}.tap`);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      '--test-concurrency=2',
      ...testFiles,
    ],
    { stdio: 'inherit', cwd: root, env },
  );
  return new Promise((done) => {
    child.on('exit', (code, signal) => {
      const counts = { pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
      const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
      for (const key of Object.keys(counts)) {
        const match = [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].pop();
        if (match) counts[key] = Number(match[1]);
      }
      done({ code: code ?? (signal ? 1 : 0), counts });
    });
  });
}
