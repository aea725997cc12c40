#!/usr/bin/env node
// Runs every suite (unit, integration, e2e) with node's test runner.
// On Linux the integration and e2e suites use the real Secret Service, so unless one is already reachable this
// script re-executes itself inside a private D-Bus session with an unlocked gnome-keyring whose data lives in a
// fresh temporary XDG_DATA_HOME (an existing login keyring made with another password would not unlock).
// The e2e apps keep their folders and recordings under one per-run root (ENGAGEMENT_DESK_LEAK_ROOT); once every
// suite has finished, a last phase (test/security/leak-scan.phase.ts) scans all of it for the secrets used, and
// the output ends with one summary line over both phases.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const args = process.argv.slice(2);
/** The keyring this run started, once it is up (see startKeyring). */
let activeKeyring;
/** How many times a run restarts its gnome-keyring after an abort before it gives up (see startKeyring). */
const KEYRING_RESTARTS = 3;
/** Each phase stops after this many minutes (CI's hard limit is 90; a quiet run takes about 7). */
const LIMIT_MINUTES = Number(process.env.ENGAGEMENT_DESK_TEST_LIMIT_MINUTES ?? 40);

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

const KEYRING_PASSWORD = 'engagement-desk-test';

/**
 * The private session bus: Debian's session configuration (its limits included), except that the Secret Service cannot be started on
 * demand. The suites' keyring is the daemon this script starts (unlocked) and watches; were it to die, an
 * activated replacement would come up locked, and the next keychain call would wait forever on an unlock prompt
 * that cannot be shown (the CI run of 2026-12-06 hung for 90 minutes that way). Without activation such a call
 * fails at once, and the watcher below stops the run and says why.
 */
function writeBusConfig(dir) {
  const services = join(dir, 'services');
  mkdirSync(services);
  for (const name of ['org.freedesktop.secrets', 'org.gnome.keyring']) {
    writeFileSync(join(services, `${name}.service`), `[D-BUS Service]\nName=${name}\nExec=/bin/false\n`);
  }
  const config = join(dir, 'session.conf');
  // Services are looked up in the order their folders are listed: this one first, then Debian's own.
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <servicedir>${services}</servicedir>
  <include>/usr/share/dbus-1/session.conf</include>
</busconfig>
`,
  );
  return config;
}

if (needsPrivateKeyring()) {
  const missing = ['dbus-run-session', 'dbus-send', 'gnome-keyring-daemon'].filter(
    (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0,
  );
  if (missing.length > 0) {
    console.error(`Missing ${missing.join(', ')}: install the Debian packages dbus and gnome-keyring (see README).`);
    process.exit(2);
  }
  const home = mkdtempSync(join(tmpdir(), 'engagement-desk-keyring-'));
  const xdg = join(home, 'data');
  mkdirSync(xdg);
  const config = writeBusConfig(home);
  const child = spawn('dbus-run-session', [`--config-file=${config}`, '--', process.execPath, fileURLToPath(import.meta.url), ...args], {
    stdio: 'inherit',
    env: { ...process.env, XDG_DATA_HOME: xdg, ENGAGEMENT_DESK_TEST_KEYRING_READY: '1', ENGAGEMENT_DESK_TEST_KEYRING_START: '1' },
  });
  child.on('exit', (code, signal) => {
    rmSync(home, { recursive: true, force: true });
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
  const keyring = process.env.ENGAGEMENT_DESK_TEST_KEYRING_START === '1' ? await startKeyring() : undefined;
  const env = {
    ...process.env,
    ENGAGEMENT_DESK_TEST_KEYRING_START: undefined,
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
  keyring?.stop();
  // Last, on a full run: the Windows lane (Windows Node under Wine), when this machine has Wine and MinGW.
  const windows = args.length === 0 && process.env.ENGAGEMENT_DESK_WINDOWS_LANE !== '0' ? await runWindowsLane() : undefined;
  if (windows) {
    total.pass += windows.counts.pass;
    total.fail += windows.counts.fail;
    total.skipped += windows.counts.skipped;
  }
  const failed =
    suites.code !== 0 || (leaks !== undefined && leaks.code !== 0) || keyring?.lost !== undefined || (windows !== undefined && windows.code !== 0);
  // A crashed runner may report no failing test: never let that read as a pass.
  if (failed && total.fail === 0) total.fail = 1;
  if (failed) console.log(`Kept for inspection: ${runDir}`);
  else rmSync(runDir, { recursive: true, force: true });
  if (keyring?.restarts) console.log(`\ngnome-keyring-daemon aborted and was started again ${keyring.restarts} time(s) during the run (see above).`);
  console.log(`\nTotal: ${total.pass} passed, ${total.fail} failed, ${total.skipped} skipped`);
  process.exit(failed ? 1 : 0);
}

/**
 * Starts the suites' own unlocked gnome-keyring on the private bus and watches it. gnome-keyring 42 to 50 abort on a
 * race between short-lived Secret Service clients (gkd_secret_service_get_pkcs11_session: assertion 'client'
 * failed; upstream gnome-keyring #190, #196, #199), which the suites' CLI runs are: a desktop's systemd starts it
 * again at once, and so does this runner, on the same keyring file and unlocked, up to KEYRING_RESTARTS times (each
 * restart is printed, and counted on the last line). Past that, or if it cannot start, the running phase is stopped
 * with a message: every later keychain call would fail, and the cause is the daemon, not the test that meets it.
 */
async function startKeyring() {
  const keyring = {
    lost: undefined,
    restarts: 0,
    stopping: false,
    daemon: undefined,
    onLost: () => {},
    stop() {
      keyring.stopping = true;
      keyring.daemon?.kill('SIGTERM');
    },
  };
  const owned = () =>
    spawnSync('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'], { encoding: 'utf8' }).stdout.includes('boolean true');
  const giveUp = (why) => {
    keyring.lost = why;
    console.error(
      `\nThe suites' gnome-keyring-daemon ended (${why}) while tests were running: every later keychain call ` +
        'would fail or wait on an unlock prompt. Stopping the run. If it aborted, its last lines above say why ' +
        "(gnome-keyring aborts on a race between short-lived Secret Service clients: assertion 'client' failed).",
    );
    keyring.onLost();
  };
  const launch = async () => {
    const daemon = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    daemon.stdin.end(KEYRING_PASSWORD);
    keyring.daemon = daemon;
    let ended;
    daemon.on('exit', (code, signal) => {
      ended = signal ? `signal ${signal}` : `exit code ${code}`;
      if (keyring.stopping || keyring.daemon !== daemon) return;
      if (keyring.restarts >= KEYRING_RESTARTS) return giveUp(`${ended}, after ${keyring.restarts} restarts`);
      keyring.restarts += 1;
      console.error(`\nThe suites' gnome-keyring-daemon ended (${ended}); starting it again on the same keyring (restart ${keyring.restarts} of ${KEYRING_RESTARTS}).`);
      launch().then(
        (up) => {
          if (!up) giveUp(`${ended}; it did not come back`);
        },
        (error) => giveUp(`${ended}; restarting it failed: ${error.message}`),
      );
    });
    for (let i = 0; i < 100 && !owned(); i += 1) {
      if (ended) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (ended || !owned()) return false;
    raisePriority(daemon.pid, busDaemonPid());
    return true;
  };
  if (!(await launch())) {
    console.error('gnome-keyring-daemon did not come up on the private D-Bus session within 10 s.');
    process.exit(2);
  }
  activeKeyring = keyring;
  return keyring;
}

/** The private bus's dbus-daemon, which carries every keychain call to gnome-keyring. */
function busDaemonPid() {
  const out = spawnSync(
    'dbus-send',
    ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.GetConnectionUnixProcessID', 'string:org.freedesktop.DBus'],
    { encoding: 'utf8' },
  ).stdout;
  const pid = /uint32 (\d+)/.exec(out ?? '')?.[1];
  return pid ? Number(pid) : undefined;
}

/**
 * The keychain binding (dbus-secret-service) waits 2 s for each Secret Service answer, then drops its connection;
 * gnome-keyring 42 then aborts on the OpenSession it still has queued for the departed client. On two cores loaded
 * by parallel suites, Chromium and the emulator, a starved daemon can pass those 2 s, so the daemon and the bus get
 * the CPU first where the runner may raise them (as root, as in CI); elsewhere they keep their priority.
 */
function raisePriority(...pids) {
  for (const pid of pids) {
    if (pid === undefined) continue;
    try {
      setPriority(pid, -10);
    } catch {
      // Not permitted (not root): the run goes on at normal priority.
    }
  }
}

/** tools/windows/lane.mjs, its output passed through; its counts come from its last line. */
function runWindowsLane() {
  const env = { ...process.env };
  for (const key of ['ENGAGEMENT_DESK_TEST_KEYRING_START', 'ENGAGEMENT_DESK_TEST_KEYRING_READY']) delete env[key];
  const child = spawn(process.execPath, [join(root, 'tools/windows/lane.mjs'), '--if-present'], { stdio: ['ignore', 'pipe', 'inherit'], cwd: root, env });
  let text = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    text += chunk;
  });
  return new Promise((done) => {
    child.on('exit', (code, signal) => {
      const match = [...text.matchAll(/^Windows: (\d+) passed, (\d+) failed, (\d+) skipped$/gm)].pop();
      const counts = match ? { pass: Number(match[1]), fail: Number(match[2]), skipped: Number(match[3]) } : { pass: 0, fail: 0, skipped: 0 };
      done({ code: code ?? (signal ? 1 : 0), counts });
    });
  });
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
    // Its own process group, so that a stop takes the test files' processes with it.
    { stdio: 'inherit', cwd: root, env, detached: true },
  );
  let stopped;
  const stop = (why) => {
    if (stopped) return;
    stopped = why;
    // SIGINT first: the runner then lists the files it was running. Then the whole group.
    child.kill('SIGINT');
    setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 15_000).unref();
  };
  const limit = setTimeout(() => {
    console.error(`\nThe ${name} phase ran past ${LIMIT_MINUTES} minutes (ENGAGEMENT_DESK_TEST_LIMIT_MINUTES): stopping it.`);
    stop('time limit');
  }, LIMIT_MINUTES * 60_000);
  if (activeKeyring) activeKeyring.onLost = () => stop('keyring lost');
  const forward = () => stop('interrupted');
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((done) => {
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (activeKeyring) activeKeyring.onLost = () => {};
      const counts = { pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
      const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
      for (const key of Object.keys(counts)) {
        const match = [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].pop();
        if (match) counts[key] = Number(match[1]);
      }
      done({ code: stopped ? 1 : (code ?? (signal ? 1 : 0)), counts });
    });
  });
}
