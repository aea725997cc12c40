// `pass update --batch`: the CLI (in-process, real keychain) against the emulator over loopback.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { createCliContext } from '../../../main/cli/context';
import { runCli } from '../../../main/cli/program';
import { makePkpass, makePng } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

const USER = 'batch-admin';
const PASSWORD = 'Batch-Secret-31c9';
const IMPORT_UPDATE = '/api/v1/message/pass/import/update';

let emulator: Emulator;
let tmp: { dir: string; remove(): Promise<void> };
let home: string;
let pkpass: string;
let logo: string;
let content: string;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const ctx = createCliContext({
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => '',
    stdinIsTTY: false,
    stderrIsTTY: false,
    env: { ...process.env, ENGAGEMENT_DESK_HOME: home },
  });
  try {
    const code = await runCli(args, ctx);
    return { code, stdout, stderr };
  } finally {
    await ctx.close();
  }
}

const batchArgs = (csv: string, ...extra: string[]) => [
  'pass', 'update', '--profile', 'batch-local', '--pkpass', pkpass, '--content', content, '--image', `logo=${logo}`, '--batch', csv, ...extra,
];

const passUpdates = () => emulator.requests.filter((r) => r.path === IMPORT_UPDATE);

before(async () => {
  tmp = await makeTempDir('cli-batch');
  home = join(tmp.dir, 'home');
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), users: [{ username: USER, password: PASSWORD }] });
  pkpass = (await makePkpass(tmp.dir)).path;
  logo = join(tmp.dir, 'logo.png');
  await writeFile(logo, makePng(160, 50));
  content = join(tmp.dir, 'content.json');
  await writeFile(
    content,
    JSON.stringify({ recipients: { recipient: [{ id: 'replaced-per-row' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 }),
  );
  const ctx = createCliContext({
    stdout: () => undefined,
    stderr: () => undefined,
    readStdin: async () => '',
    stdinIsTTY: false,
    stderrIsTTY: false,
    env: { ...process.env, ENGAGEMENT_DESK_HOME: home },
  });
  const services = await ctx.openServices();
  await services.profiles.save({ name: 'batch-local', baseUrl: emulator.url, authMode: 'basic', username: USER }, PASSWORD);
  await ctx.close();
});

after(async () => {
  const ctx = createCliContext({
    stdout: () => undefined,
    stderr: () => undefined,
    readStdin: async () => '',
    stdinIsTTY: false,
    stderrIsTTY: false,
    env: { ...process.env, ENGAGEMENT_DESK_HOME: home },
  });
  await (await ctx.openServices()).profiles.remove('batch-local').catch(() => undefined);
  await ctx.close();
  await emulator.close();
  await tmp.remove();
});

describe('pass update --batch', () => {
  test('sends one update per CSV row, each to that row alone, 64-bit ids kept exact', async () => {
    // Ids beyond 2^53 would come out changed if anything parsed them as numbers.
    const ids = Array.from({ length: 50 }, (_, i) => (9_223_372_036_854_775_000n + BigInt(i * 7)).toString());
    const csv = join(tmp.dir, 'fifty.csv');
    await writeFile(csv, `name,id,email\r\n${ids.map((id, i) => `"Member, ${i}",${id},m${i}@example.com`).join('\r\n')}\r\n`);
    emulator.clearRequests();

    const run = await cli(batchArgs(csv, '--concurrency', '6', '--json'));
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const body = JSON.parse(run.stdout) as {
      ok: boolean;
      results: Array<{ index: number; line: number; id: string; ok: boolean; requestId?: string }>;
      summary: unknown;
    };
    assert.equal(body.ok, true);
    assert.deepEqual(body.summary, { sent: 50, failed: 0, skipped: 0 });
    assert.deepEqual(body.results.map((r) => r.id), ids);
    assert.deepEqual(body.results.map((r) => r.line), ids.map((_, i) => i + 2));
    for (const r of body.results) assert.match(String(r.requestId), /^\d{19}$/);

    const received = passUpdates();
    assert.equal(received.length, 50);
    const sentIds = received.map((r) => {
      assert.equal(r.status, 200);
      assert.deepEqual(r.parts.map((p) => p.name), ['pkPass', 'logo', 'passContent']);
      const text = r.parts.find((p) => p.name === 'passContent')?.text ?? '';
      const recipients = /"recipients":\{"recipient":\[(.*?)\]\}/.exec(text)?.[1];
      const only = /^\{"id":"(\d+)"\}$/.exec(recipients ?? '');
      assert.ok(only, `exactly one recipient id, as a string: ${text}`);
      return only[1];
    });
    assert.deepEqual([...sentIds].sort(), [...ids].sort());
    assert.ok(received.every((r) => r.auth.scheme === 'basic' && r.auth.user === USER));
  });

  test('a CSV without an id column is a usage error naming the line, and nothing is sent', async () => {
    const csv = join(tmp.dir, 'no-id.csv');
    await writeFile(csv, 'name,email\nAda,ada@example.com\n');
    emulator.clearRequests();
    const run = await cli(batchArgs(csv));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no-id\.csv, line 1: the header row has no "id" column/);
    assert.equal(passUpdates().length, 0);
  });

  test('bad quoting is a usage error with its line number (--json too)', async () => {
    const csv = join(tmp.dir, 'bad-quote.csv');
    await writeFile(csv, 'id,name\n1001,Ada\n1002,"Gr"ace"\n1003,Alan\n');
    emulator.clearRequests();
    const run = await cli(batchArgs(csv, '--json'));
    assert.equal(run.code, 2);
    const body = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; message: string } };
    assert.equal(body.ok, false);
    assert.equal(body.error.code, 'validation');
    assert.match(body.error.message, /line 3: unexpected text after a closing quote/);

    const unclosed = join(tmp.dir, 'unclosed.csv');
    await writeFile(unclosed, 'id,name\n1001,Ada\n\n1002,"Grace\n1003,Alan\n');
    const again = await cli(batchArgs(unclosed));
    assert.equal(again.code, 2);
    assert.match(again.stderr, /line 4: a quoted field is never closed/);
    assert.equal(passUpdates().length, 0);
  });

  test('server failures on some rows are reported per row and do not stop the others', async () => {
    const csv = join(tmp.dir, 'ten.csv');
    const ids = Array.from({ length: 10 }, (_, i) => String(5000 + i));
    await writeFile(csv, `id\n${ids.join('\n')}\n`);
    emulator.clearRequests();
    emulator.injectFault({ method: 'POST', path: IMPORT_UPDATE, status: 500, times: 3 });

    const run = await cli(batchArgs(csv, '--concurrency', '4'));
    assert.equal(run.code, 5, 'the exit code of a server error');
    assert.equal(passUpdates().length, 10);
    assert.match(run.stderr, /Sent 7 of 10, 3 failed\./);
    const rows = run.stdout.trim().split('\n');
    assert.match(rows[0] ?? '', /^line\s+recipient\s+result\s+detail$/);
    assert.equal(rows.length, 11);
    assert.equal(rows.filter((r) => /\bfailed\b.*HTTP 500/.test(r)).length, 3);
    assert.equal(rows.filter((r) => /\bsent\b\s+requestId \d{19}$/.test(r)).length, 7);

    const json = await cli(batchArgs(csv, '--json'));
    assert.equal(json.code, 0);
    assert.equal((JSON.parse(json.stdout) as { ok: boolean }).ok, true);
  });

  test('--concurrency out of range is a usage error', async () => {
    const csv = join(tmp.dir, 'one.csv');
    await writeFile(csv, 'id\n42\n');
    const run = await cli(batchArgs(csv, '--concurrency', '0'));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--concurrency takes a whole number from 1 to 64/);
  });
});
