// Pure pieces of the three ways in (engagement-api.md section A and Decision 2).
import { DEFAULT_API_KEY_HEADERS } from '../../preload/contract/constants';

export function basicAuthorization(username: string, password: string): string {
  // RFC 7617: UTF-8 user-pass, Base64 without line wrapping.
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export interface ClaimsToken {
  value: string;
  /** Expiry instant in epoch milliseconds. */
  expiresAt: number;
  /** When the login answered (epoch ms): with `expiresAt`, the token's lifetime. */
  receivedAt?: number;
}

/** Renew at most this long before `exp`, so a long-lived token never expires mid-upload of a large file. */
export const TOKEN_RENEWAL_SKEW_MS = 60_000;
/** ...and at most this share of the token's lifetime before it: a token that lives a minute or less is still reused
 * for most of its life instead of logging in once per send (issue #16). */
export const TOKEN_RENEWAL_SHARE = 0.15;

/** How long before `exp` the token is renewed: 60 s, or 15% of its lifetime when that is shorter. */
export function tokenRenewalMargin(token: ClaimsToken): number {
  if (token.receivedAt === undefined) return TOKEN_RENEWAL_SKEW_MS;
  const lifetime = Math.max(0, token.expiresAt - token.receivedAt);
  return Math.min(TOKEN_RENEWAL_SKEW_MS, lifetime * TOKEN_RENEWAL_SHARE);
}

export function tokenIsFresh(token: ClaimsToken | undefined, now: number): token is ClaimsToken {
  return token !== undefined && token.expiresAt - tokenRenewalMargin(token) > now;
}

/**
 * Reads the login response. `exp` is documented as epoch milliseconds (one page says seconds but shows ms), so a
 * value that is plainly in seconds is scaled; a missing `exp` is treated as "valid for 10 minutes".
 */
export function parseLoginResponse(body: unknown, now: number): ClaimsToken | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const claims = (body as { claims_token?: unknown }).claims_token;
  if (typeof claims !== 'object' || claims === null) return undefined;
  const value = (claims as { value?: unknown }).value;
  if (typeof value !== 'string' || value === '') return undefined;
  const rawExp = Number((claims as { exp?: unknown }).exp);
  let expiresAt = Number.isFinite(rawExp) && rawExp > 0 ? rawExp : now + 10 * 60_000;
  if (expiresAt < 1e11) expiresAt *= 1000;
  return { value, expiresAt, receivedAt: now };
}

export function tokenHeaders(headerNames: readonly string[], token: string): Record<string, string> {
  return Object.fromEntries(headerNames.map((name) => [name, token]));
}

export function apiKeyHeaders(key: string): Record<string, string> {
  return Object.fromEntries(DEFAULT_API_KEY_HEADERS.map((name) => [name, key]));
}
