// Reading the documented success bodies. Ids are 64-bit and sometimes arrive as bare JSON numbers beyond 2^53, so
// they are taken from the raw text, never from a parsed JS number (engagement-api.md Decision 7).
import type { CertUploadResult, PassUpdateResult } from '../../preload/contract';
import { appError, EngagementError } from './errors';

function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const memberPatterns = new Map<string, RegExp>();

/** The raw digits of a JSON member that may be a string or a bare (possibly huge) number. */
export function rawIdMember(raw: string, member: string): string | undefined {
  let pattern = memberPatterns.get(member);
  if (!pattern) {
    pattern = new RegExp(`"${member}"\\s*:\\s*(?:"([^"\\\\]*)"|(-?\\d+))`);
    memberPatterns.set(member, pattern);
  }
  const match = pattern.exec(raw);
  return match ? (match[1] ?? match[2]) : undefined;
}

function unexpected(what: string, raw: string): EngagementError {
  const sample = raw.trim().slice(0, 200);
  return new EngagementError(
    appError('unexpected-response', `The server's answer was not ${what}. It said: ${sample === '' ? '(nothing)' : sample}`),
  );
}

/** `{"message":"Details updated successfully","id":"appid"}`; an id of -1 or blank means failure (house style). */
export function readCertUploadResponse(raw: string): CertUploadResult {
  const body = parseJsonObject(raw);
  if (!body) throw unexpected('the JSON confirmation the upload API documents', raw);
  const id = rawIdMember(raw, 'id') ?? '';
  const message = typeof body.message === 'string' ? body.message : '';
  if (id === '' || id === '-1') {
    throw new EngagementError(
      appError('bad-request', `The server did not accept the certificate${message ? `: ${message}` : '.'}`, {
        ...(message ? { detail: message } : {}),
      }),
    );
  }
  return { id, message: message || 'Details updated successfully' };
}

/** `{"requestId":"2318508739642895844","description":"Request Queued. "}` */
export function readPassQueuedResponse(raw: string): PassUpdateResult {
  const body = parseJsonObject(raw);
  if (!body) throw unexpected('the JSON "Request Queued" answer the pass API documents', raw);
  const requestId = rawIdMember(raw, 'requestId') ?? rawIdMember(raw, 'requestid');
  if (!requestId || !/^\d+$/.test(requestId)) {
    const said = typeof body.description === 'string' ? body.description : typeof body.message === 'string' ? body.message : '';
    throw new EngagementError(
      appError('unexpected-response', `The server answered without a request id${said ? `: ${said.trim()}` : '.'}`),
    );
  }
  const description = typeof body.description === 'string' ? body.description.trim() : 'Request Queued.';
  return { requestId, description };
}

export function readHealthResponse(raw: string): string {
  const body = parseJsonObject(raw);
  if (!body) return 'The server answered.';
  const status = typeof body.healthCheck === 'string' ? body.healthCheck : undefined;
  const version = typeof body.version === 'string' ? body.version : undefined;
  return `Connected. Health check ${status ?? 'answered'}${version ? `, server version ${version}` : ''}.`;
}
