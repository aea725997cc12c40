// Secrets from standard input or a prompt are bounded while they are read (issue #18): a 100 MB pipe once took 42 s
// and 4.4 GB before Node died. The command is run in-process over a real stream, the data folder and the keychain.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { Command } from 'commander';
import { MAX_SECRET_LENGTH } from '../../../preload/contract';
import { createCliContext, type CliIo } from '../../../main/cli/context';
import { registerProfileCommands } from '../../../main/cli/profile-commands';
import { MAX_SECRET_STDIN_BYTES, readSecret, readStdinUpTo } from '../../../main/cli/secret-input';
import { EngagementError, exitCodeFor } from '../../../main/core/errors';
import { withTempDir } from '../../support/temp-dir';

/** A pipe of `total` bytes made on demand, counting how much of it was read. */
function pipeOf(total: number): { stream: Readable; read: () => number } {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const stream = Readable.from(
    (function* () {
      while (sent < total) {
        const size = Math.min(chunk.length, total - sent);
        sent += size;
        yield chunk.subarray(0, size);
      }
    })(),
  );
  return { stream, read: () => sent };
}

const io = (readStdin: CliIo['readStdin'], promptSecret?: CliIo['promptSecret']): CliIo => ({
  stdout: () => {},
  stderr: () => {},
  readStdin,
  ...(promptSecret ? { promptSecret } : {}),
  stdinIsTTY: promptSecret !== undefined,
  stderrIsTTY: false,
  env: {},
});

const PASSWORD_FROM_STDIN = { fromStdin: true, prompt: 'Password: ', flag: '--password-stdin', required: false };
const TOO_LONG =
  'The password given with --password-stdin is longer than 4,096 characters, more than any real one: pipe in only the password (for example from a file that holds nothing else).';

describe('secrets read from standard input or a prompt', () => {
  test('a 100 MB pipe is refused after reading at most the limit and one chunk, with exit code 2', async () => {
    const pipe = pipeOf(100 * 1024 * 1024);
    const started = performance.now();
    await assert.rejects(readSecret(io((max) => readStdinUpTo(pipe.stream, max)), PASSWORD_FROM_STDIN), (error: unknown) => {
      assert.ok(error instanceof EngagementError);
      assert.equal(error.appError.message, TOO_LONG);
      assert.equal(exitCodeFor(error.appError.code), 2);
      return true;
    });
    assert.ok(pipe.read() <= MAX_SECRET_STDIN_BYTES + 64 * 1024, `read ${pipe.read()} bytes`);
    assert.ok(pipe.stream.destroyed, 'the rest of the pipe is not buffered');
    assert.ok(performance.now() - started < 5000);
  });

  test('secrets up to the limit pass; one character more is refused, piped or typed', async () => {
    const longest = 'é'.repeat(MAX_SECRET_LENGTH); // two UTF-8 bytes each: the byte bound leaves room for them
    const fromPipe = (text: string) => io((max) => readStdinUpTo(Readable.from([Buffer.from(text, 'utf8')]), max));
    assert.equal(await readSecret(fromPipe(`${longest}\r\n`), PASSWORD_FROM_STDIN), longest);
    assert.equal(await readSecret(fromPipe('pass word\n'), PASSWORD_FROM_STDIN), 'pass word');
    await assert.rejects(readSecret(fromPipe(`${longest}x`), PASSWORD_FROM_STDIN), { message: TOO_LONG });
    // A reader that ignores the bound is still held to it.
    await assert.rejects(readSecret(io(async () => 'x'.repeat(MAX_SECRET_LENGTH + 1)), PASSWORD_FROM_STDIN), { message: TOO_LONG });
    const typed = io(
      async () => '',
      async () => 'y'.repeat(MAX_SECRET_LENGTH + 1),
    );
    await assert.rejects(readSecret(typed, { ...PASSWORD_FROM_STDIN, fromStdin: false }), { message: TOO_LONG });
  });

  test('profile add --password-stdin with 10 MB refuses, exits 2 and saves nothing', async () => {
    await withTempDir('secret-input', async (home) => {
      let err = '';
      let out = '';
      let code = 0;
      const pipe = pipeOf(10 * 1024 * 1024);
      const ctx = createCliContext({
        ...io((max) => readStdinUpTo(pipe.stream, max)),
        stdout: (s) => (out += s),
        stderr: (s) => (err += s),
        env: { ENGAGEMENT_DESK_HOME: home },
      });
      const program = new Command('engagement-desk').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
      registerProfileCommands(program, ctx, (c) => (code = c));
      try {
        await program.parseAsync(['profile', 'add', 'big', '--url', 'http://127.0.0.1:9/', '--auth', 'basic', '--user', 'u', '--password-stdin'], { from: 'user' });
        assert.equal(code, 2);
        assert.match(err, /longer than 4,096 characters/);
        assert.equal((await ctx.openServices()).profiles.find('big'), undefined, 'no profile was saved');
      } finally {
        await ctx.close();
      }
    });
  });
});
