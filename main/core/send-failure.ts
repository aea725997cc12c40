// Whether a failed send may have reached the server: the one rule the sender, the outbox and the history share.
import type { AppError } from '../../preload/contract';
import { assertNever } from './assert-never';

/** How a failed send leaves things (classifySendFailure). */
export type SendFailureVerdict = 'not-sent' | 'outcome-unknown' | 'failed';

/**
 * How a failed send leaves things, from the AppError the client threw:
 * - 'not-sent': the request never left this machine (refused, DNS, unreachable, connect timeout). Safe to retry,
 *   so the outbox keeps it queued and sends it by itself when the server is back.
 * - 'outcome-unknown': the connection dropped or timed out after the request (or part of it) went out, or the
 *   server answered something unreadable. The server may have acted on it: never resent without the user.
 * - 'failed': the server answered no (4xx/5xx), or a local problem (validation, file, credentials). Not retried.
 * `bodyStarted`: the client had begun to stream the request body (a cancel after that may have reached the server).
 * Whether a network failure or timeout happened before the connection existed is its typed `reason` (toAppError).
 */
export function classifySendFailure(error: Pick<AppError, 'code' | 'reason'>, bodyStarted: boolean): SendFailureVerdict {
  switch (error.code) {
    case 'network':
      return error.reason === 'connect-failed' ? 'not-sent' : 'outcome-unknown';
    case 'timeout':
      if (error.reason === 'connect-timeout') return 'not-sent';
      if (error.reason === 'socket-timeout' && !bodyStarted) return 'not-sent';
      return 'outcome-unknown';
    case 'cancelled':
      return bodyStarted ? 'outcome-unknown' : 'failed';
    case 'unexpected-response':
      return 'outcome-unknown';
    case 'auth-missing':
    case 'auth-rejected':
    case 'bad-request':
    case 'client-error':
    case 'server-error':
    case 'tls':
    case 'validation':
    case 'file':
    case 'keychain-unavailable':
    case 'not-found':
    case 'internal':
      return 'failed';
    default:
      return assertNever(error.code, 'error code');
  }
}
