// What a hostile server or a damaged file can make the CLI print (issue #18, points 4 and 8): the built CLI against
// an emulator whose answer carries ESC[2J and a fake prompt, a profile and a history holding control and bidi
// characters, and a history file with damaged lines.
import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { isInert } from '../../../main/core/inert';
import { MPNS_RETIRED_NOTE } from '../../../main/cli/admin-commands';
import { runCliProcess } from '../../support/cli';
import { makeP12 } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

const PASSWORD = 'Hostile-Terminal-Pw-41';
const USER = 'admin';
/** Clears the screen, homes the cursor, and draws a prompt that was never there. */
const FAKE_PROMPT = '\x1b[2J\x1b[HPassword for admin: \x07\x9b2K';
const HOSTILE_MESSAGE = `Server failure${FAKE_PROMPT}`;

let emulator: Emulator;
let tmp: { dir: string; remove(): Promise<void> };
let home: string;
let certPath: string;

const cli = (args: string[], stdin?: string) => runCliProcess(args, { home, ...(stdin !== undefined ? { stdin } : {}) });

/** Nothing a terminal would act on: no C0 but line feeds, no DEL, C1 or bidi controls. */
function assertTerminalSafe(text: string, what: string): void {
  for (const line of text.split('\n')) assert.ok(isInert(line), `${what} holds raw control characters: ${JSON.stringify(line)}`);
}

before(async () => {
  tmp = await makeTempDir('cli-hostile');
  home = join(tmp.dir, 'home');
  await mkdir(home);
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), users: [{ username: USER, password: PASSWORD }] });
  certPath = join(tmp.dir, 'push.p12');
  await rename((await makeP12(tmp.dir, { passphrase: 'p12-pass' })).path, certPath);
  const added = await cli(['profile', 'add', 'local', '--url', emulator.url, '--auth', 'basic', '--user', USER, '--password-stdin'], PASSWORD);
  assert.equal(added.code, 0, added.stderr);
});

after(async () => {
  await emulator?.close();
  await tmp?.remove();
});

describe('the CLI shows untrusted text inert', () => {
  test('a server message with ESC[2J and a fake prompt is shown escaped on stderr, and stays data in --json', async () => {
    emulator.injectFault({ path: /downloadwindowscert/, status: 500, body: JSON.stringify({ id: '-1', message: HOSTILE_MESSAGE }) });
    const human = await cli(['cert', 'download', '--profile', 'local', '--app', 'App1', '--out', tmp.dir]);
    assert.equal(human.code, 5, human.stderr);
    // The MPNS retirement note (issue #17) comes first, then the error line.
    assert.equal(
      human.stderr,
      `${MPNS_RETIRED_NOTE}\n` +
      'Error: The server failed to process the request (HTTP 500): Server failure\\x1b[2J\\x1b[HPassword for admin: \\x07\\x9b2K. Try again later.\n',
    );
    assertTerminalSafe(human.stdout + human.stderr, 'the human output');

    emulator.injectFault({ path: /downloadwindowscert/, status: 500, body: JSON.stringify({ id: '-1', message: HOSTILE_MESSAGE }) });
    const json = await cli(['cert', 'download', '--profile', 'local', '--app', 'App1', '--out', tmp.dir, '--json']);
    assertTerminalSafe(json.stdout + json.stderr, 'the --json output');
    const error = json.json().error as { message: string };
    // The data is the server's, unchanged: JSON escapes carry it.
    assert.equal(error.message, `The server failed to process the request (HTTP 500): ${HOSTILE_MESSAGE}. Try again later.`);
  });

  test('profile names, history rows and their server messages are shown escaped; bidi controls too', async () => {
    const evil = 'prod\x1b]0;owned\x07\u202eexe.p12';
    const added = await cli(['profile', 'add', evil, '--url', emulator.url, '--auth', 'basic', '--user', USER, '--password-stdin'], PASSWORD);
    assert.equal(added.code, 0, added.stderr);
    assertTerminalSafe(added.stdout + added.stderr, 'profile add');
    assert.ok(added.stdout.includes('prod\\x1b]0;owned\\x07\\u202eexe.p12'), added.stdout);
    const list = await cli(['profile', 'list']);
    assertTerminalSafe(list.stdout + list.stderr, 'profile list');
    assert.ok(list.stdout.includes('prod\\x1b]0;owned\\x07\\u202eexe.p12'), list.stdout);

    // A refused upload is recorded with the server's message; `history` shows it escaped.
    emulator.injectFault({ method: 'POST', path: /windows$/, status: 500, body: JSON.stringify({ id: '-1', message: HOSTILE_MESSAGE }) });
    const upload = await cli(['cert', 'upload', '--profile', evil, '--app', 'App1', '--cert', certPath, '--passphrase-stdin'], 'p12-pass');
    assert.equal(upload.code, 5, upload.stderr);
    assertTerminalSafe(upload.stdout + upload.stderr, 'cert upload');
    const history = await cli(['history']);
    assert.equal(history.code, 0, history.stderr);
    assertTerminalSafe(history.stdout + history.stderr, 'history');
    assert.ok(history.stdout.includes('Server failure\\x1b[2J\\x1b[HPassword for admin:'), history.stdout);
    assert.ok(history.stdout.includes('prod\\x1b]0;owned'), history.stdout);
    const historyJson = await cli(['history', '--json']);
    assertTerminalSafe(historyJson.stdout, 'history --json');
    const records = historyJson.json().records as { profileName: string }[];
    assert.equal(records[0]?.profileName, evil);
  });
});

describe('one bad history line does not break the history', () => {
  test('a wrong field type, a line that is not JSON and a torn last line are reported; the other sends are shown', async () => {
    const file = join(home, 'history', 'history.jsonl');
    const good = (await readFile(file, 'utf8')).trim().split('\n');
    assert.ok(good.length >= 1, 'the upload above was recorded');
    const first = JSON.parse(good[0]!) as Record<string, unknown>;
    const wrongType = JSON.stringify({ ...first, id: 'bad-status', status: 5 });
    const notRecord = '[1,2,3]';
    await appendFile(file, `${wrongType}\nnot json at all\n${notRecord}\n${JSON.stringify({ ...first, id: 'ok-2' })}\n{"id":"torn","at":"2026-`);
    const before = await readFile(file, 'utf8');
    const n = good.length;

    const human = await cli(['history']);
    assert.equal(human.code, 0, human.stderr);
    assert.equal(human.stdout.trim().split('\n').length, n + 1, human.stdout);
    const warnings = human.stderr.trim().split('\n');
    const where = `It is not shown, and it is kept as it was in ${file}; the other sends are shown. To see it again, correct that line in a text editor (or remove it if it is not needed).`;
    assert.deepEqual(warnings, [
      `Warning: Line ${n + 1} of the send history could not be read: its status is 5, not one of sent, failed, not-sent, outcome-unknown, cancelled. ${where}`,
      `Warning: Line ${n + 2} of the send history could not be read: it is not valid JSON. ${where}`,
      `Warning: Line ${n + 3} of the send history could not be read: it is not a send record (a JSON object). ${where}`,
      `Warning: Line ${n + 5} of the send history could not be read: the line is cut off (the app or the command line stopped while writing it). ${where}`,
    ]);

    const json = await cli(['history', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const body = json.json() as { records: { id: string }[]; skippedLines: number; problems: { line: number; reason: string }[] };
    assert.equal(body.records.length, n + 1);
    assert.equal(body.records[0]?.id, 'ok-2');
    assert.equal(body.skippedLines, 4);
    assert.deepEqual(
      body.problems.map((p) => p.line),
      [n + 1, n + 2, n + 3, n + 5],
    );

    const csv = await cli(['history', '--csv', join(tmp.dir, 'history.csv'), '--json']);
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.json().count, n + 1);
    assert.equal(csv.json().skippedLines, 4);

    // Nothing was deleted or rewritten.
    assert.equal(await readFile(file, 'utf8'), before);
  });
});
