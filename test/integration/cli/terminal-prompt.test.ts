// The CLI on a real terminal: a secret typed at the prompt is read with echo off and is the one that logs in, and a
// confirmation reads the typed answer. The built CLI runs under script(1), which gives it a pseudo-terminal as its
// standard input and output, as a shell window does. (The prompts load node:readline when they first ask: issue #19.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { cliCommand, runCliProcess } from '../../support/cli';
import { makeP12 } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

const SCRIPT = '/usr/bin/script';
const PASSWORD = 'Typed-At-The-Terminal-7c3e';
const USER = 'tty-admin';
const skip = process.platform === 'win32' ? 'Windows has no script(1) to give the CLI a pseudo-terminal' : !existsSync(SCRIPT) ? `${SCRIPT} (util-linux) is not installed` : false;
if (skip) console.log(`# terminal prompts not tried: ${skip}`);

let emulator: Emulator;
let tmp: { dir: string; remove(): Promise<void> };
let home: string;

const shellQuote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/** Runs the CLI on a pseudo-terminal and types each answer once its prompt has appeared; answers the exit code and
 * everything the terminal showed. */
function onTerminal(args: string[], answers: Array<{ after: string; type: string }>): Promise<{ code: number; screen: string }> {
  const [command, argv] = cliCommand(args);
  const child = spawn(SCRIPT, ['-qec', [command, ...argv].map(shellQuote).join(' '), '/dev/null'], {
    env: { ...process.env, ENGAGEMENT_DESK_HOME: home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let searchFrom = 0;
  let next = 0;
  const onOutput = (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    const answer = answers[next];
    if (answer === undefined) return;
    const at = screen.indexOf(answer.after, searchFrom);
    if (at < 0) return;
    searchFrom = at + answer.after.length;
    next += 1;
    child.stdin.write(answer.type);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code: code ?? 1, screen });
    });
  });
}

before(async () => {
  if (skip) return;
  tmp = await makeTempDir('terminal-prompt');
  home = join(tmp.dir, 'home');
  await mkdir(home);
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), users: [{ username: USER, password: PASSWORD }] });
});

after(async () => {
  await emulator?.close();
  await tmp?.remove();
});

describe('the CLI on a terminal', { skip }, () => {
  test('a password typed at the prompt is not echoed, goes to the keychain and logs in', async () => {
    const added = await onTerminal(['profile', 'add', 'typed', '--url', emulator.url, '--auth', 'basic', '--user', USER, '--json'], [
      { after: 'Password:', type: `${PASSWORD}\r` },
    ]);
    assert.equal(added.code, 0, added.screen);
    assert.match(added.screen, /Password:/);
    assert.ok(!added.screen.includes(PASSWORD), `the password was echoed: ${added.screen}`);
    assert.match(added.screen, /"secretStorage":"keychain"/);
    // The saved secret is the typed one: the server takes it (a wrong one answers 401).
    const apps = await runCliProcess(['apps', 'list', '--profile', 'typed', '--json'], { home });
    assert.equal(apps.code, 0, apps.stderr + apps.stdout);
  });

  test('a removal asks for confirmation on the terminal: anything but yes keeps the certificate, yes removes it', async () => {
    const cert = join(tmp.dir, 'tty.p12');
    await rename((await makeP12(tmp.dir, { passphrase: 'tty-pass' })).path, cert);
    const up = await runCliProcess(['cert', 'upload', '--profile', 'typed', '--app', 'Tty-App', '--cert', cert, '--passphrase-stdin', '--json'], { home, stdin: 'tty-pass\n' });
    assert.equal(up.code, 0, up.stderr + up.stdout);
    const remove = ['cert', 'remove', '--profile', 'typed', '--app', 'Tty-App', '--no-backup'];
    const kept = await onTerminal(remove, [{ after: 'Type yes to remove:', type: 'no\r' }]);
    assert.notEqual(kept.code, 0, kept.screen);
    assert.match(kept.screen, /Not removed: the removal was not confirmed/);
    assert.notEqual(await emulator.storedCertificate('Tty-App'), undefined, 'the certificate was kept');
    const removed = await onTerminal(remove, [{ after: 'Type yes to remove:', type: 'yes\r' }]);
    assert.equal(removed.code, 0, removed.screen);
    assert.equal(await emulator.storedCertificate('Tty-App'), undefined, 'the certificate was removed');
  });
});
