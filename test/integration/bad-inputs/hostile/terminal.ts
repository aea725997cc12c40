// Bad-input rows of issue #18 (hostile servers, files and pages): terminal. Each row names the exact message the user
// sees and catalogue.test.ts proves that nothing the user had was lost.
// Point 4: what a server or a file controls reaches a terminal with its control and bidi characters escaped (the
// built CLI, its stdout and stderr checked byte for byte). Point 8: a damaged line of the send history is reported
// with its line number, left in the file, and the other sends are still shown.
import { MPNS_RETIRED_NOTE } from '../../../../main/cli/admin-commands';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, truncate, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isInert } from '../../../../main/core/inert';
import type { HistoryQueryResult } from '../../../../preload/contract';
import { runCliProcess, type CliRun } from '../../../support/cli';
import { at, err, verdict, type BadInput, type Seen } from '../cases';
import { EMULATOR_PASSWORD, KEPT_APP, PASSPHRASE, type World } from '../world';

/** Clears the screen (ESC and one-byte CSI forms), homes the cursor, rings the bell and draws a password prompt that
 * was never there, with a right-to-left override and an isolate around it. */
const FAKE_PROMPT = '\x1b[2J\x9b2K\x1b[H\u2066Password for admin: \u202e\x07\u2069';
const HOSTILE_BODY = JSON.stringify({ id: '-1', message: `Server failure${FAKE_PROMPT}` });
const SERVER_FAILED = 'The server failed to process the request (HTTP 500): ';

/** The CLI's own data folder for these rows, with the emulator saved as "Emulator" through the CLI itself (once). */
let home: Promise<string> | undefined;
function cliHome(w: World): Promise<string> {
  home ??= (async () => {
    const dir = join(w.temp.dir, 'cli-terminal');
    mkdirSync(dir, { recursive: true });
    const added = await runCliProcess(['profile', 'add', 'Emulator', '--url', w.emulator.url, '--auth', 'basic', '--user', 'admin', '--password-stdin'], {
      home: dir,
      stdin: EMULATOR_PASSWORD,
    });
    if (added.code !== 0) throw new Error(`profile add failed: ${added.stderr}`);
    return dir;
  })();
  return home;
}

async function cli(w: World, args: string[], stdin?: string): Promise<CliRun> {
  const run = await runCliProcess(args, { home: await cliHome(w), ...(stdin !== undefined ? { stdin } : {}) });
  // Whatever else the row checks: not one raw control or bidi character reached the terminal.
  for (const line of `${run.stdout}${run.stderr}`.split('\n')) {
    if (!isInert(line)) throw new Error(`raw control characters reached the terminal: ${JSON.stringify(line)}`);
  }
  return run;
}

/** The one "Error: ..." line a human run printed on stderr, with its exit code. */
function humanError(run: CliRun): Seen {
  // The MPNS retirement note (issue #17) precedes the error of a certificate command: exactly it, then the error.
  const lines = run.stderr.trimEnd().split('\n').filter((line, i) => !(i === 0 && line === MPNS_RETIRED_NOTE));
  if (run.code === 0 || lines.length !== 1 || !lines[0]!.startsWith('Error: ')) throw new Error(`expected one error line, got (exit ${run.code}):\n${run.stderr}`);
  return err(`stderr (exit ${run.code})`, lines[0]!.slice('Error: '.length));
}

// ---- The send history of the world's app: a damaged line is added, then taken out again by teardown. -----------

const history = { path: '', size: -1 };

async function damageHistory(w: World, line: string): Promise<number> {
  history.path = w.services.drafts.history.path;
  // One readable send at least, so "the other sends are shown" is proved.
  if (!existsSync(history.path)) await w.services.drafts.history.append(goodRecord(w));
  const text = await readFile(history.path, 'utf8');
  history.size = Buffer.byteLength(text);
  await appendFile(history.path, line);
  return text.split('\n').length; // the number the damaged line gets (the text ends with a line feed)
}

async function restoreHistory(): Promise<void> {
  if (history.size >= 0) await truncate(history.path, history.size);
}

function goodRecord(w: World) {
  return {
    kind: 'cert-upload' as const,
    source: 'app' as const,
    profileId: w.profileIds.Emulator!,
    profileName: 'Emulator',
    endpoint: 'POST /api/v1/applications/{appId}/windows',
    appId: KEPT_APP,
    files: [],
    status: 'sent' as const,
    durationMs: 1,
  };
}

/** The History page's first notice, as the app's handler hands it over; the readable sends must still be there. */
async function historyNotice(w: World): Promise<Seen> {
  const outcome = await w.invoke('historyQuery', {});
  if (!outcome.ok) return err(outcome.error.code, outcome.error.message);
  const result = outcome.value as HistoryQueryResult;
  if (result.records.length === 0) throw new Error('the readable sends were not shown');
  const first = result.problems[0];
  return first ? verdict(`history-line-unreadable (${result.skippedLines})`, first.message) : verdict('none', 'no problem reported');
}

const where = (path: string) =>
  `It is not shown, and it is kept as it was in ${path}; the other sends are shown. To see it again, correct that line in a text editor (or remove it if it is not needed).`;
const lineMessage = (line: string, reason: string) => `Line ${line} of the send history could not be read: ${reason}. ${where(history.path)}`;

async function historyUnchangedButTheLine(expectedTail: string): Promise<void> {
  const text = await readFile(history.path, 'utf8');
  if (!text.endsWith(expectedTail)) throw new Error('the damaged line was not left in the history file as it was');
}

export const HOSTILE_TERMINAL_INPUTS: BadInput[] = [
  {
    name: 'server message with ESC[2J and a fake password prompt, from the CLI (shown escaped on stderr)',
    category: 'server',
    via: 'cli',
    act: async (w) => {
      w.emulator.injectFault({ path: /downloadwindowscert/, status: 500, body: HOSTILE_BODY });
      return humanError(await cli(w, ['cert', 'download', '--profile', 'Emulator', '--app', KEPT_APP, '--out', w.downloads]));
    },
    expected: () => err('stderr (exit 5)', `${SERVER_FAILED}Server failure\\x1b[2J\\x9b2K\\x1b[H\\u2066Password for admin: \\u202e\\x07\\u2069. Try again later.`),
  },
  {
    name: 'server message with ESC[2J and a fake password prompt, from the CLI with --json (the same data, escaped as JSON)',
    category: 'server',
    via: 'cli',
    act: async (w) => {
      w.emulator.injectFault({ path: /downloadwindowscert/, status: 500, body: HOSTILE_BODY });
      const run = await cli(w, ['cert', 'download', '--profile', 'Emulator', '--app', KEPT_APP, '--out', w.downloads, '--json']);
      const out = run.json() as { ok: boolean; error?: { code: string; message: string } };
      return err(`${out.error?.code} (exit ${run.code})`, out.error?.message ?? '');
    },
    expected: () => err('server-error (exit 5)', `${SERVER_FAILED}Server failure${FAKE_PROMPT}. Try again later.`),
  },
  {
    name: 'certificate path with an ESC sequence and a right-to-left override, from the CLI',
    category: 'file',
    via: 'cli',
    act: async (w) => {
      at.hostileCertPath = join(w.inputs, 'missing\u202ep12.exe\x1b[2J.p12');
      return humanError(await cli(w, ['cert', 'upload', '--profile', 'Emulator', '--app', 'App1', '--cert', at.hostileCertPath, '--passphrase-stdin'], PASSPHRASE));
    },
    expected: (w) => err('stderr (exit 2)', `The certificate was not uploaded: File not found: ${w.inputs}/missing\\u202ep12.exe\\x1b[2J.p12. Nothing was sent.`),
  },
  {
    name: 'history line with a wrong field type (status: 5), in the app',
    category: 'file',
    via: 'ipc',
    act: async (w) => {
      at.historyLine = String(await damageHistory(w, '{"id":"h5","at":"2026-01-01T00:00:00.000Z","kind":"cert-upload","source":"app","profileId":"p","profileName":"P","endpoint":"E","files":[],"status":5,"durationMs":1}\n'));
      return historyNotice(w);
    },
    expected: () =>
      verdict(
        'history-line-unreadable (1)',
        lineMessage(at.historyLine!, 'its status is 5, not one of sent, failed, not-sent, outcome-unknown, cancelled'),
      ),
    verify: () => historyUnchangedButTheLine('"status":5,"durationMs":1}\n'),
    teardown: restoreHistory,
  },
  {
    name: 'history line that is not JSON, in the app',
    category: 'file',
    via: 'ipc',
    act: async (w) => {
      at.historyLine = String(await damageHistory(w, 'garbage \x1b[2J not json\n'));
      return historyNotice(w);
    },
    expected: () => verdict('history-line-unreadable (1)', lineMessage(at.historyLine!, 'it is not valid JSON')),
    verify: () => historyUnchangedButTheLine('garbage \x1b[2J not json\n'),
    teardown: restoreHistory,
  },
  {
    name: 'history cut off in its last line (a crash while writing), in the app',
    category: 'file',
    via: 'ipc',
    act: async (w) => {
      at.historyLine = String(await damageHistory(w, '{"id":"torn","at":"2026-01-0'));
      return historyNotice(w);
    },
    expected: () =>
      verdict(
        'history-line-unreadable (1)',
        lineMessage(at.historyLine!, 'the line is cut off (the app or the command line stopped while writing it)'),
      ),
    verify: () => historyUnchangedButTheLine('{"id":"torn","at":"2026-01-0'),
    teardown: restoreHistory,
  },
  {
    name: 'history line with a wrong field type, from the CLI (a warning on stderr, the other sends on stdout)',
    category: 'file',
    via: 'cli',
    act: async (w) => {
      const dir = await cliHome(w);
      // The CLI's own history: one readable send (the refused upload of a row above may or may not be in it).
      history.path = join(dir, 'history', 'history.jsonl');
      mkdirSync(join(dir, 'history'), { recursive: true });
      history.size = existsSync(history.path) ? (await readFile(history.path)).length : 0;
      const before = history.size > 0 ? (await readFile(history.path, 'utf8')).split('\n').length - 1 : 0;
      await appendFile(history.path, `${JSON.stringify({ ...goodRecord(w), id: 'ok', at: '2026-01-01T00:00:00.000Z' })}\n{"id":"bad","at":"x","status":[]}\n`);
      at.historyLine = String(before + 2);
      const run = await cli(w, ['history']);
      if (run.code !== 0 || !run.stdout.includes(`2026-01-01T00:00:00.000Z  sent`)) throw new Error(`the readable sends were not shown:\n${run.stdout}${run.stderr}`);
      const warning = run.stderr.trimEnd().split('\n');
      if (warning.length !== 1 || !warning[0]!.startsWith('Warning: ')) throw new Error(`expected one warning, got:\n${run.stderr}`);
      return verdict(`stderr (exit ${run.code})`, warning[0]!.slice('Warning: '.length));
    },
    expected: () => verdict('stderr (exit 0)', lineMessage(at.historyLine!, 'its kind is missing')),
    teardown: restoreHistory,
  },
];
