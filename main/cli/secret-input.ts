// Secrets are never command-line arguments (they would land in shell history and `ps`): they come from stdin
// with the -stdin flags, or from a no-echo prompt on a terminal.
import { MAX_SECRET_LENGTH } from '../../preload/contract/constants';
import { fail } from '../core/errors';
import type { CliIo } from './context';

/**
 * How much of standard input a secret may take, in bytes: MAX_SECRET_LENGTH characters of up to 4 UTF-8 bytes each
 * and a line ending. Reading stops there, so a 100 MB pipe costs at most this much memory.
 */
export const MAX_SECRET_STDIN_BYTES = 4 * MAX_SECRET_LENGTH + 2;

function tooLong(what: string, flag: string): never {
  fail(
    'validation',
    `The ${what} given with ${flag} is longer than ${MAX_SECRET_LENGTH.toLocaleString('en')} characters, more than any real one: pipe in only the ${what} (for example from a file that holds nothing else).`,
  );
}

/** Thrown by readStdinUpTo when the input goes past its limit; readSecret turns it into the user's message. */
export class StdinTooLongError extends Error {
  constructor(readonly maxBytes: number) {
    super(`Standard input is longer than ${maxBytes} bytes.`);
  }
}

/**
 * Reads a stream (standard input) as UTF-8 and stops as soon as it holds more than maxBytes: the rest is never read
 * into memory. The CLI's readStdin is this over process.stdin.
 */
export async function readStdinUpTo(stream: AsyncIterable<Uint8Array | string>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += bytes.length;
    // Leaving the loop early ends the iteration, which destroys the stream: nothing more is buffered.
    if (total > maxBytes) throw new StdinTooLongError(maxBytes);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readSecret(
  io: CliIo,
  options: { fromStdin: boolean; prompt: string; flag: string; required: boolean },
): Promise<string | undefined> {
  const what = options.prompt.replace(/:\s*$/, '').toLowerCase();
  // A terminal prompt ends at Enter; its answer is held to the same length as a piped secret.
  const bounded = (secret: string): string => (secret.length > MAX_SECRET_LENGTH ? tooLong(what, options.flag) : secret);
  if (options.fromStdin) {
    if (io.stdinIsTTY && io.promptSecret) return bounded(await io.promptSecret(options.prompt));
    let text: string;
    try {
      text = await io.readStdin(MAX_SECRET_STDIN_BYTES);
    } catch (error) {
      if (error instanceof StdinTooLongError) tooLong(what, options.flag);
      throw error;
    }
    // One trailing newline is what `echo` and here-strings add; the secret itself may contain spaces.
    return bounded(text.replace(/\r?\n$/, ''));
  }
  if (io.stdinIsTTY && io.promptSecret) return bounded(await io.promptSecret(options.prompt));
  if (options.required) {
    fail('validation', `No terminal to ask for the ${what}: pipe it in with ${options.flag}.`);
  }
  return undefined;
}
