// The ready-made "Sandbox" profile: the built-in emulator started in-process on loopback the first time it is
// used, with its certificates kept under <dataDir>/sandbox so they survive restarts.
import { join } from 'node:path';
import type { Profile } from '../../preload/contract';
import { DEFAULT_TOKEN_HEADERS } from '../../preload/contract/constants';
import { SANDBOX_USERS } from '../emulator/credentials';
import type { Emulator } from '../emulator/server';

export const SANDBOX_PROFILE_ID = 'sandbox';

/** How the Sandbox's emulator models the server: on-premises (HTTP Basic on one origin) or a cloud tenant (claims
 * tokens from an identity service on another origin, decision 12). */
export type SandboxKind = 'on-premises' | 'cloud';

/** The Sandbox kind chosen with ENGAGEMENT_DESK_SANDBOX_KIND=cloud|on-premises (default on-premises). */
export function sandboxKindFromEnv(env: NodeJS.ProcessEnv = process.env): SandboxKind {
  const value = env.ENGAGEMENT_DESK_SANDBOX_KIND?.trim().toLowerCase();
  return value === 'cloud' ? 'cloud' : 'on-premises';
}

export interface SandboxProvider {
  /** Starts the emulator on first use and answers its base URL. */
  baseUrl(): Promise<string>;
  /** The URL when running, else undefined (listing profiles does not start it). */
  currentUrl(): string | undefined;
  /** The login URL when running (a cloud Sandbox logs in on its identity origin). */
  currentLoginUrl(): string | undefined;
  readonly kind: SandboxKind;
  profile(): Profile;
  /** The Sandbox credentials are published, not secret: they are never stored in the keychain. */
  secret(): string;
  close(): Promise<void>;
}

export function createSandbox(dataDir: string, kind: SandboxKind = sandboxKindFromEnv()): SandboxProvider {
  let emulator: Emulator | undefined;
  let starting: Promise<Emulator> | undefined;
  const user = SANDBOX_USERS[0];
  if (!user) throw new Error('The emulator defines no sandbox user.');
  return {
    async baseUrl() {
      // Loaded on first use: a CLI run against a real server never pays for the emulator's code.
      starting ??= import('../emulator/server').then(({ startEmulator }) => startEmulator({ dataDir: join(dataDir, 'sandbox'), cloud: kind === 'cloud' }));
      emulator = await starting;
      return emulator.url;
    },
    currentUrl: () => emulator?.url,
    currentLoginUrl: () => (kind === 'cloud' ? emulator?.loginUrl : undefined),
    kind,
    profile: () => ({
      id: SANDBOX_PROFILE_ID,
      name: 'Sandbox',
      baseUrl: emulator?.url ?? 'http://127.0.0.1 (built-in emulator, starts on first use)',
      // A cloud tenant signs in with claims tokens from its identity service; on-premises the Sandbox uses Basic.
      authMode: kind === 'cloud' ? 'token' : 'basic',
      ...(kind === 'cloud' && emulator ? { loginUrl: emulator.loginUrl } : {}),
      username: user.username,
      tokenHeaders: [...DEFAULT_TOKEN_HEADERS],
      builtIn: true,
    }),
    secret: () => user.password,
    async close() {
      const running = emulator ?? (starting ? await starting.catch(() => undefined) : undefined);
      emulator = undefined;
      starting = undefined;
      await running?.close();
    },
  };
}
