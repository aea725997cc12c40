// One way to finish a command: --json prints exactly one object on stdout; otherwise a human line on stdout and
// errors on stderr. The exit code comes from the error code (issue #2's table). Everything printed passes through
// main/core/inert.ts: a hostile server's ESC sequences or bidi controls reach the terminal escaped (issue #18).
import type { AppError } from '../../preload/contract';
import { exitCodeFor, toAppError } from '../core/errors';
import { inert, inertJson, inertLines } from '../core/inert';
import type { CliIo } from './context';

export function succeed(io: CliIo, json: boolean, value: Record<string, unknown>, human: string | string[]): number {
  if (json) io.stdout(jsonLine({ ok: true, ...value }));
  else io.stdout(`${inertLines(Array.isArray(human) ? human.join('\n') : human)}\n`);
  return 0;
}

/** The one JSON object of a --json run, as a line a terminal cannot act on (the data is unchanged). */
export function jsonLine(value: Record<string, unknown>): string {
  return `${inertJson(value)}\n`;
}

/** A human line of ours on stderr (a warning, a notice); untrusted values in it should already be inert(). */
export function printErr(io: Pick<CliIo, 'stderr'>, line: string): void {
  io.stderr(`${inertLines(line)}\n`);
}

export function failWith(io: CliIo, json: boolean, error: unknown): number {
  const appErr: AppError = toAppError(error);
  if (json) {
    const payload: Record<string, unknown> = { code: appErr.code, message: appErr.message };
    if (appErr.httpStatus !== undefined) payload.httpStatus = appErr.httpStatus;
    io.stdout(jsonLine({ ok: false, error: payload }));
  } else {
    // A message is one line; a server's text inside it may not add lines of its own.
    io.stderr(`Error: ${inert(appErr.message)}\n`);
    if (appErr.detail && appErr.detail !== appErr.message && appErr.detail.includes('\n')) {
      io.stderr(`${appErr.detail.split('\n').map(inert).join('\n')}\n`);
    }
  }
  return exitCodeFor(appErr.code);
}

export { formatBytes } from '../core/format';
export { inert } from '../core/inert';

/**
 * A command's action: the body prints its own success and sets the exit code; anything it throws is printed as
 * the error (one JSON object with --json) with the exit code for its class. Commander passes the options object
 * just before the command itself, after the positional arguments.
 */
export function commandAction<A extends unknown[]>(
  io: CliIo,
  setExit: (code: number) => void,
  body: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (error) {
      const options = args[args.length - 2] as { json?: unknown } | undefined;
      setExit(failWith(io, options?.json === true, error));
    }
  };
}
