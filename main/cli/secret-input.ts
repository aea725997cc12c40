// Secrets are never command-line arguments (they would land in shell history and `ps`): they come from stdin
// with the -stdin flags, or from a no-echo prompt on a terminal.
import { fail } from '../core/errors';
import type { CliIo } from './context';

export async function readSecret(
  io: CliIo,
  options: { fromStdin: boolean; prompt: string; flag: string; required: boolean },
): Promise<string | undefined> {
  if (options.fromStdin) {
    if (io.stdinIsTTY && io.promptSecret) return io.promptSecret(options.prompt);
    // One trailing newline is what `echo` and here-strings add; the secret itself may contain spaces.
    return (await io.readStdin()).replace(/\r?\n$/, '');
  }
  if (io.stdinIsTTY && io.promptSecret) return io.promptSecret(options.prompt);
  if (options.required) {
    fail('validation', `No terminal to ask for the ${options.prompt.replace(/:\s*$/, '').toLowerCase()}: pipe it in with ${options.flag}.`);
  }
  return undefined;
}
