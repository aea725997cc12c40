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

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
