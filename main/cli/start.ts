// The engagement-desk command line in this process: the terminal as the CLI's streams, then one command run.
// Loaded by index.ts once it knows the command line needs more than the version.
import { Writable } from 'node:stream';
import { createCliContext, type CliIo } from './context';
import { runCli } from './program';
import { readStdinUpTo } from './secret-input';

// node:readline (and its key-press and promise modules) loads when a prompt first asks, not on every start.
const readline = () => import('node:readline');

/** Asks on the terminal with echo off: the answer never appears on screen or in scrollback. */
async function promptSecret(question: string): Promise<string> {
  const { createInterface } = await readline();
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

/** Asks on the terminal, the answer shown as typed (a confirmation). */
async function promptLine(question: string): Promise<string> {
  const { createInterface } = await readline();
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  // Bounded while it reads: a 100 MB pipe stops at the limit instead of filling memory (readSecret says why).
  readStdin: (maxBytes) => readStdinUpTo(process.stdin, maxBytes),
  promptSecret,
  promptLine,
  stdinIsTTY: process.stdin.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
};

const ctx = createCliContext(io);
runCli(process.argv.slice(2), ctx)
  .then(async (code) => {
    await ctx.close();
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`Unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
