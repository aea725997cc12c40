// Where a profile's secret was entered for (issue #18): the server's origin and the login URL, kept in the keychain
// beside the secret and compared with the profile before the secret is saved over or handed out.
import type { Profile } from '../../preload/contract';
import { loginUrlFor } from '../core/server-url';

/** The keychain entry beside the secret that names where it was entered for (issue #18): never config.json, which
 * anything (a hand edit, a compromised page through an earlier hole) may change. */
export function secretBindingAccount(profileId: string): string {
  return `profile-origin:${profileId}`;
}

/** Where a secret may go: the server's origin (scheme, host, port) and the login URL, as they were when it was entered. */
export interface SecretBinding {
  server: string;
  login: string;
}

export function bindingOf(profile: Pick<Profile, 'baseUrl' | 'loginUrl'>): SecretBinding {
  return { server: new URL(profile.baseUrl).origin, login: loginUrlFor(profile.baseUrl, profile.loginUrl) };
}

/** Whether the secret may go where the profile now sends it: its server, and its login URL when it logs in with
 * the secret (claims tokens; Basic and API keys never go to the login URL). */
export function bindingAllows(binding: SecretBinding, profile: Pick<Profile, 'baseUrl' | 'loginUrl' | 'authMode'>): boolean {
  const now = bindingOf(profile);
  return now.server === binding.server && (profile.authMode !== 'token' || now.login === binding.login);
}

export function parseBinding(raw: string | undefined): SecretBinding | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as unknown;
    if (typeof value === 'object' && value !== null) {
      const { server, login } = value as Record<string, unknown>;
      if (typeof server === 'string' && typeof login === 'string') return { server, login };
    }
  } catch {
    // A damaged binding binds nothing: the caller binds the secret to the profile as it is now.
  }
  return undefined;
}
