// Secrets (passwords, API keys, remembered passphrases) live only in the OS keychain, behind this small facade
// (GitHub Desktop's token-store pattern). On Linux the Secret Service is required explicitly, so a missing or
// locked keyring is reported instead of silently falling back to the kernel keyring. When the keychain cannot be
// used the secret is kept in this process's memory for the session only: never in a file.
import { AsyncEntry } from '@napi-rs/keyring';

export const KEYCHAIN_SERVICE = 'Engagement Desk';

export type SecretStorage = 'keychain' | 'session' | 'none';

export interface SecretStore {
  /** Stores the secret; answers where it went ('session' when the keychain is unavailable). */
  set(account: string, secret: string): Promise<'keychain' | 'session'>;
  get(account: string): Promise<string | undefined>;
  delete(account: string): Promise<void>;
  storageOf(account: string): Promise<SecretStorage>;
  /** Why the keychain could not be used the last time it failed, and what becomes of a secret entered meanwhile, as
   * the user is told it; undefined when it works. */
  lastProblem(): string | undefined;
}

/** What the app does with a secret entered while the keychain cannot be used: keeps it in memory for the session. */
export const APP_SESSION_NOTE = 'Until then a secret you enter is kept for this session only.';

export interface KeychainOptions {
  service?: string;
  /**
   * The sentence said after the keychain's problem: what becomes of a secret entered meanwhile, which depends on the
   * front end (the app keeps it for its session, a CLI run ends). Default APP_SESSION_NOTE.
   */
  unavailableNote?: string;
  /** Replaced in tests that need a keychain which refuses every call. */
  entryFactory?: (service: string, account: string) => Pick<AsyncEntry, 'setPassword' | 'getPassword' | 'deleteCredential'>;
}

function defaultEntry(service: string, account: string): AsyncEntry {
  return new AsyncEntry(service, account, { linux: { store: 'secret-service' } });
}

/** A message that names the problem and what to do, without the secret (the native error never holds it); the
 * caller's note on what becomes of a secret entered meanwhile follows it (KeychainOptions.unavailableNote). */
export function describeKeychainFailure(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  // The native text ("Platform failure: DBus error: ...") means nothing to a user: say locked or unavailable.
  const locked = /locked|unlock|prompt/i.test(raw);
  const keyring = process.platform === 'linux' ? 'your keyring (GNOME Keyring, KWallet)' : 'the system keychain';
  const state = locked ? 'is locked' : 'is not available';
  const hint = locked ? `Unlock ${keyring} and try again.` : `Start ${keyring} and try again.`;
  return `The OS keychain ${state}, so secrets cannot be read from it or saved in it. ${hint}`;
}

// One keychain call at a time in this process, whichever facade makes it. gnome-keyring 42 (Debian 12) aborts on
// an assertion ("gkd_secret_service_get_pkcs11_session: assertion 'client' failed") when many Secret Service
// sessions are negotiated at once, taking every secret of the user's session down with it; the next call meets a
// new, locked daemon. A listing of many profiles used to ask for all of their secrets at once.
let queue: Promise<unknown> = Promise.resolve();

/** How long a keychain that just failed is given before its one retry (see attempt). */
export const KEYCHAIN_RETRY_MS = 500;

/**
 * Runs one keychain call, and once more after KEYCHAIN_RETRY_MS when it failed in a way a restarting keyring
 * explains: the Secret Service gone from the bus, or its connection dropped. gnome-keyring 42 to 50 abort on a
 * race between short-lived clients ("gkd_secret_service_get_pkcs11_session: assertion 'client' failed", upstream
 * gnome-keyring #190, #196, #199) and systemd or D-Bus start it again at once. A locked keyring, a missing bus or a
 * keychain already known to be failing in this process is answered at once.
 */
async function attempt<T>(call: () => Promise<T>, mayRetry: boolean): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const raw = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error);
    const restarting = !/locked|unlock|prompt|Failed to connect to socket/i.test(raw);
    if (!mayRetry || !restarting) throw error;
    await new Promise((resolve) => setTimeout(resolve, KEYCHAIN_RETRY_MS));
    return call();
  }
}

export function createKeychain(options: KeychainOptions = {}): SecretStore {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const makeEntry = options.entryFactory ?? defaultEntry;
  const note = options.unavailableNote ?? APP_SESSION_NOTE;
  const session = new Map<string, string>();
  let problem: string | undefined;

  function withEntry<T>(account: string, use: (entry: ReturnType<typeof makeEntry>) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      try {
        const result = await attempt(() => use(makeEntry(service, account)), problem === undefined);
        problem = undefined;
        return result;
      } catch (error) {
        problem = describeKeychainFailure(error);
        throw error;
      }
    };
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    async set(account, secret) {
      try {
        await withEntry(account, (entry) => entry.setPassword(secret));
        session.delete(account);
        return 'keychain';
      } catch {
        session.set(account, secret);
        return 'session';
      }
    },
    async get(account) {
      const inSession = session.get(account);
      if (inSession !== undefined) return inSession;
      try {
        return (await withEntry(account, (entry) => entry.getPassword())) ?? undefined;
      } catch {
        return undefined;
      }
    },
    async delete(account) {
      session.delete(account);
      try {
        await withEntry(account, (entry) => entry.deleteCredential());
      } catch {
        // Nothing stored there, or the keychain is unavailable: the session copy is gone either way.
      }
    },
    async storageOf(account) {
      if (session.has(account)) return 'session';
      try {
        const stored = await withEntry(account, (entry) => entry.getPassword());
        return stored === null ? 'none' : 'keychain';
      } catch {
        return 'none';
      }
    },
    lastProblem: () => (problem === undefined ? undefined : `${problem} ${note}`),
  };
}
