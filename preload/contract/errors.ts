// Results and errors: errors cross IPC as data, because only `message` survives a thrown Error.
import { z } from 'zod';

export const ERROR_CODES = [
  'auth-missing', // no credentials stored for the profile
  'auth-rejected', // the server answered 401 / 403
  'bad-request', // 400 (the server's message says why)
  'client-error', // any other 4xx
  'server-error', // 5xx
  'network', // refused, reset, DNS, unreachable
  'tls', // certificate or handshake failure
  'timeout', // connect, headers or body idle timeout
  'cancelled', // the user (or a signal) cancelled
  'unexpected-response', // HTML or JSON where a file was expected, a 200 without the documented body
  'validation', // local checks refused the input
  'file', // a local file could not be read or written
  'keychain-unavailable', // the OS keychain is missing or locked
  'not-found', // a local thing (profile, draft) does not exist
  'internal', // a bug: anything not classified above
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Sub-codes a caller acts on: the code says what kind of failure, the reason which one. `detail` stays free text
 * for people (a server's message, an OS error code, a list of problems). */
export const ERROR_REASONS = [
  'connect-failed', // network: refused, DNS, unreachable: the request never left this machine
  'connect-timeout', // timeout while connecting: nothing was sent
  'socket-timeout', // the OS gave up on the socket (ETIMEDOUT): nothing was sent unless the body had started
  'interrupted', // the app stopped while the request was being sent: whether the server got it is unknown
  'revision-conflict', // a draft save named a revision that is no longer the stored one
  'passphrase-needed', // the certificate passphrase must be typed before this can be sent
  'confirm-resend', // resending an entry whose outcome is unknown needs the user's explicit say-so
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export const appErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryable: z.boolean(),
  httpStatus: z.number().int().optional(),
  reason: z.enum(ERROR_REASONS).optional(),
  detail: z.string().optional(),
});
export type AppError = z.infer<typeof appErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };
