// Profiles: where a server is and how to sign in to it. The secret itself never crosses to the renderer.
import { z } from 'zod';
import { AUTH_MODES, MAX_SECRET_LENGTH, type AuthMode } from './constants';
import { profileIdField } from './fields';

export { AUTH_MODES, DEFAULT_API_KEY_HEADERS, DEFAULT_TOKEN_HEADERS, MAX_SECRET_LENGTH, type AuthMode } from './constants';

const headerName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'A header name may contain only letters, digits and - _ . etc.');

export const profileInputSchema = z.strictObject({
  /** Absent when creating a profile. */
  id: z.string().min(1).max(100).optional(),
  name: z.string().trim().min(1, 'Give the profile a name.').max(80, 'Keep the name under 80 characters.'),
  baseUrl: z.string().trim().min(1, 'Enter the server URL, for example https://host:8443/vpns.').max(2048, 'The URL is too long.'),
  authMode: z.enum(AUTH_MODES),
  username: z.string().trim().max(200).optional(),
  tokenHeaders: z.array(headerName).max(5).optional(),
  loginUrl: z.string().trim().max(2048, 'The URL is too long.').optional(),
  /** The user confirmed plain http for a server or login URL off this machine (credentials travel unencrypted). */
  allowHttp: z.boolean().optional(),
});
export type ProfileInput = z.infer<typeof profileInputSchema>;

export interface Profile {
  id: string;
  name: string;
  /** Includes any context root, e.g. https://host:8443/vpns; the client appends /api/v1/... */
  baseUrl: string;
  authMode: AuthMode;
  username?: string;
  tokenHeaders: string[];
  /** Login URL for claims tokens; default <origin>/authService/accounts/login. */
  loginUrl?: string;
  /** The built-in Sandbox profile, pointing at the in-process emulator. */
  builtIn?: boolean;
  /** The user confirmed plain http for this profile's server or login URL. */
  allowHttp?: boolean;
}

/** The kinds of server (engagement-api.md decision 8), told from the base URL's host. */
export const SERVER_KINDS = ['voltmx-cloud', 'kony-cloud', 'on-premises'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** Where the profile's secret is: the OS keychain, this session's memory (keychain unavailable), built into the
 * Sandbox profile (not a secret), or nowhere yet. */
export type SecretStorage = 'keychain' | 'session' | 'built-in' | 'none';

/** What the renderer may know about a profile: never the secret itself. */
export interface ProfileView extends Profile {
  hasSecret: boolean;
  secretStorage: SecretStorage;
  /** Credentials would travel over plain http. */
  insecureTransport: boolean;
  /** Volt MX Cloud, Kony Cloud or on-premises, from the base URL. */
  serverKind: ServerKind;
  /** The kind in words, with an on-premises server's context root ("On-premises (/kpns)"). */
  serverKindLabel: string;
  /** Token profiles: the login URL the claims-token login goes to (the configured one, else the kind's default). */
  loginUrlInUse?: string;
}

/** A secret the user types or pastes: bounded, with a message that says what to do. */
export function secretField(what: 'password or API key' | 'passphrase') {
  // The message is made when a secret is refused, not when the contract loads: toLocaleString starts ICU, which
  // cost every CLI command 30 to 140 ms at start-up.
  return z.string().max(MAX_SECRET_LENGTH, {
    error: () =>
      `The ${what} is longer than ${MAX_SECRET_LENGTH.toLocaleString('en')} characters, more than any real one: check that you pasted the ${what} and nothing else.`,
  });
}

export const profileSaveSchema = z.strictObject({
  profile: profileInputSchema,
  /** Password (basic, token) or API key; absent keeps the stored secret. */
  secret: secretField('password or API key').optional(),
});
export type ProfileSaveRequest = z.infer<typeof profileSaveSchema>;

export const profileIdSchema = z.strictObject({ id: profileIdField });

export interface ConnectionTestResult {
  message: string;
  latencyMs: number;
  /** The health check found nothing under the profile's context root but this base URL answers (decision 8). */
  suggestedBaseUrl?: string;
}
