// The emulator's gateway filter: HTTP Basic, claims tokens (three header spellings) and App API keys.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorUser } from './credentials';
import type { RecordedRequest } from './records';

/** The docs spell the claims-token header three ways; the live server's choice is unconfirmed, so accept all. */
export const TOKEN_HEADERS = ['x-voltmx-authorization', 'x-kony-authorization', 'x-hcl-authorization'] as const;
export const API_KEY_HEADERS = ['x-voltmx-app-api-key', 'x-kony-app-api-key'] as const;

export type AuthRecord = RecordedRequest['auth'];

export interface AuthOutcome {
  ok: boolean;
  record: AuthRecord;
}

interface IssuedToken {
  user: string;
  exp: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly onIssued?: (value: string) => void) {}

  issue(user: string, ttlMs: number): { value: string; exp: number } {
    const value = randomBytes(32).toString('base64url');
    const exp = Date.now() + ttlMs;
    this.tokens.set(value, { user, exp });
    this.onIssued?.(value);
    return { value, exp };
  }

  /** A refresh token for a login answer: never accepted back (the app does not use it), but reported like a claims token. */
  refreshToken(): string {
    const value = randomBytes(32).toString('base64url');
    this.onIssued?.(value);
    return value;
  }

  /** The token's user while it is unexpired; expired tokens are forgotten. */
  userFor(value: string): string | undefined {
    const token = this.tokens.get(value);
    if (!token) return undefined;
    if (Date.now() >= token.exp) {
      this.tokens.delete(value);
      return undefined;
    }
    return token.user;
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function checkPassword(users: readonly EmulatorUser[], username: string, password: string): boolean {
  // Compare against every user so the time taken says nothing about which part was wrong.
  let ok = false;
  for (const user of users) {
    if (sameSecret(user.username, username) && sameSecret(user.password, password)) ok = true;
  }
  return ok;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

/**
 * Accepts the request when any presented credential is valid (a client may send the token under two header
 * names). The record names the credential that worked, else the first one presented.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  users: readonly EmulatorUser[],
  apiKeys: readonly string[],
  tokens: TokenStore,
): AuthOutcome {
  let presented: AuthRecord | undefined;
  const authorization = headerValue(headers, 'authorization');
  if (authorization !== undefined) {
    const match = /^basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization);
    if (match) {
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const username = colon < 0 ? decoded : decoded.slice(0, colon);
      const password = colon < 0 ? '' : decoded.slice(colon + 1);
      const record: AuthRecord = { scheme: 'basic', user: username };
      if (colon >= 0 && checkPassword(users, username, password)) return { ok: true, record };
      presented = record;
    }
  }
  for (const name of TOKEN_HEADERS) {
    const value = headerValue(headers, name);
    if (value === undefined) continue;
    const user = tokens.userFor(value);
    if (user !== undefined) return { ok: true, record: { scheme: 'token', user, headerName: name } };
    presented ??= { scheme: 'token', headerName: name };
  }
  for (const name of API_KEY_HEADERS) {
    const value = headerValue(headers, name);
    if (value === undefined) continue;
    if (apiKeys.some((key) => sameSecret(key, value))) return { ok: true, record: { scheme: 'apikey', headerName: name } };
    presented ??= { scheme: 'apikey', headerName: name };
  }
  return { ok: false, record: presented ?? { scheme: 'none' } };
}

const SECRET_HEADER = /authorization|api-key|apikey|token|secret|password|passphrase|cookie/i;

/** Request headers as recorded: lower-case names, credentials replaced by '<redacted>'. */
export function recordableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = SECRET_HEADER.test(name) ? '<redacted>' : Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
