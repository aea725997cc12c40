// The ready-made "Sandbox" profile: the built-in emulator started in-process on loopback the first time it is
// used, with its certificates kept under <dataDir>/sandbox so they survive restarts.
import { join } from 'node:path';
import type { Profile } from '../../preload/contract';
import { DEFAULT_TOKEN_HEADERS } from '../../preload/contract';
import { SANDBOX_USERS } from '../emulator/credentials';
import type { Emulator } from '../emulator/server';

export const SANDBOX_PROFILE_ID = 'sandbox';

export interface SandboxProvider {
  /** Starts the emulator on first use and answers its base URL. */
  baseUrl(): Promise<string>;
  /** The URL when running, else undefined (listing profiles does not start it). */
  currentUrl(): string | undefined;
  profile(): Profile;
  /** The Sandbox credentials are published, not secret: they are never stored in the keychain. */
  secret(): string;
  close(): Promise<void>;
}

export function createSandbox(dataDir: string): SandboxProvider {
  let emulator: Emulator | undefined;
  let starting: Promise<Emulator> | undefined;
  const user = SANDBOX_USERS[0];
  if (!user) throw new Error('The emulator defines no sandbox user.');
  return {
    async baseUrl() {
      // Loaded on first use: a CLI run against a real server never pays for the emulator's code.
      starting ??= import('../emulator/server').then(({ startEmulator }) => startEmulator({ dataDir: join(dataDir, 'sandbox') }));
      emulator = await starting;
      return emulator.url;
    },
    currentUrl: () => emulator?.url,
    profile: () => ({
      id: SANDBOX_PROFILE_ID,
      name: 'Sandbox',
      baseUrl: emulator?.url ?? 'http://127.0.0.1 (built-in emulator, starts on first use)',
      authMode: 'basic',
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
