// One way to finish a command: --json prints exactly one object on stdout; otherwise a human line on stdout and
// errors on stderr. The exit code comes from the error code (issue #2's table).
import type { AppError } from '../../preload/contract';
import { exitCodeFor, toAppError } from '../core/errors';
import type { CliIo } from './context';

export function succeed(io: CliIo, json: boolean, value: Record<string, unknown>, human: string | string[]): number {
  if (json) io.stdout(`${JSON.stringify({ ok: true, ...value })}\n`);
  else io.stdout(`${Array.isArray(human) ? human.join('\n') : human}\n`);
  return 0;
}

export function failWith(io: CliIo, json: boolean, error: unknown): number {
  const appErr: AppError = toAppError(error);
  if (json) {
    const payload: Record<string, unknown> = { code: appErr.code, message: appErr.message };
    if (appErr.httpStatus !== undefined) payload.httpStatus = appErr.httpStatus;
    io.stdout(`${JSON.stringify({ ok: false, error: payload })}\n`);
  } else {
    io.stderr(`Error: ${appErr.message}\n`);
    if (appErr.detail && appErr.detail !== appErr.message && appErr.detail.includes('\n')) io.stderr(`${appErr.detail}\n`);
  }
  return exitCodeFor(appErr.code);
}

export { formatBytes } from '../core/format';

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
