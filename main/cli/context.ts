// What every CLI command gets: its streams, the environment, and the same services the app builds, opened on
// demand (listing help must not touch the keychain or start an emulator). They are also loaded on demand: a
// command that opens none (check, --help) never loads the HTTP client, the settings store or the keychain binding.
import type { Profile } from '../../preload/contract';
import type { AppServices } from '../services';
import type { OpenedSendServices } from '../send-services';
import { fail } from '../core/errors';
import { inert } from '../core/inert';
import { redactText, redactValue } from '../core/secret-redaction';
import { defaultDataDir } from '../platform/paths';
import type { SecretStore } from '../platform/keychain';
import type { DraftServices } from '../drafts/draft-services';
import type { SendServices } from './env-credentials';
import { ENV, environmentSecret } from './env-names';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Reads standard input (for --password-stdin and friends), stopping with StdinTooLongError (secret-input.ts) as
   * soon as it holds more than maxBytes: readStdinUpTo(process.stdin, maxBytes) does both.
   */
  readStdin(maxBytes: number): Promise<string>;
  /** Prompts on the terminal without echo; undefined when there is no terminal. */
  promptSecret?(question: string): Promise<string>;
  /** Asks on the terminal with echo (a confirmation); undefined when there is no terminal. */
  promptLine?(question: string): Promise<string>;
  stdinIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export type CliServices = AppServices;

export interface OpenOptions {
  /** The user asked for a secret kept for this run only when the keychain cannot take it (--session-secret). */
  sessionSecrets?: boolean;
}

export interface CliContext extends CliIo {
  dataDir: string;
  openServices(options?: OpenOptions): Promise<CliServices>;
  /**
   * The services a command that sends uses, and the profile it sends with: the one --profile names (its secret from
   * ENGAGEMENT_DESK_SECRET when that is set), or without --profile the one ENGAGEMENT_DESK_URL describes.
   */
  openSendServices(profile: string | undefined): Promise<{ services: SendServices; profile: string }>;
  /**
   * The services, for a command that works with one profile (the one --profile names, or a draft's own, by name or
   * id): ENGAGEMENT_DESK_SECRET is its secret. May be called after openServices, before the secret is first used.
   */
  openServicesFor(profile: string): Promise<CliServices>;
  /** Closes the services if a command opened them (clients, the in-process Sandbox emulator). */
  close(): Promise<void>;
}

export function createCliContext(rawIo: CliIo): CliContext {
  // ENGAGEMENT_DESK_SECRET is never printed, whatever a server or a library says back with it.
  const envSecret = environmentSecret(rawIo.env);
  const io: CliIo = envSecret
    ? { ...rawIo, stdout: (text) => rawIo.stdout(redactText(text, envSecret)), stderr: (text) => rawIo.stderr(redactText(text, envSecret)) }
    : rawIo;
  const dataDir = defaultDataDir(io.env);
  let services: CliServices | undefined;
  /** The send-only services (send-services.ts) a transfer command opened, when nothing opened the whole set. */
  let sendOnly: OpenedSendServices | undefined;
  let environment: (SendServices & { profileName: string; close(): Promise<void> }) | undefined;
  /** The profile --profile named, whose secret ENGAGEMENT_DESK_SECRET gives. */
  let secretFor: string | undefined;
  /** What both kinds of services are opened with: the settings store, the keychain (ENGAGEMENT_DESK_SECRET for the
   * named profile) and the client's limits. `profiles` gives the opened services' profiles once they exist. */
  const serviceOptions = async (options: OpenOptions, profiles: () => { find(idOrName: string): Profile | undefined }) => {
    const [{ createKeychain }, { openSettingsStore }, envCredentials] = await Promise.all([
      import('../platform/keychain'),
      import('../platform/settings-store'),
      import('./env-credentials'),
    ]);
    const maxCertificateBytes = maxCertificateBytesFrom(io.env.ENGAGEMENT_DESK_MAX_CERTIFICATE_BYTES);
    const sessionSecrets = options.sessionSecrets === true;
    let secrets = keychainOnly(createKeychain({ unavailableNote: cliUnavailableNote(sessionSecrets) }), sessionSecrets);
    if (envSecret !== undefined) {
      // Read when a secret is asked for: a command may name its profile after opening (a draft names its own).
      secrets = envCredentials.withEnvironmentSecret(secrets, envSecret, () => (secretFor === undefined ? undefined : profiles().find(secretFor)));
    }
    return {
      dataDir,
      store: openSettingsStore(dataDir),
      secrets,
      source: 'cli' as const,
      ...(maxCertificateBytes !== undefined ? { clientOptions: { maxCertificateBytes } } : {}),
      ...(envSecret !== undefined ? { redactHistory: <T>(record: T) => redactValue(record, envSecret) } : {}),
    };
  };
  // On stderr, like a quarantined draft: --json keeps exactly one object on stdout.
  const warnSettingsProblems = (opened: { settingsProblems: readonly { message: string }[] }) => {
    for (const problem of opened.settingsProblems) io.stderr(`Warning: ${inert(problem.message)}\n`);
  };
  const ctx: CliContext = {
    ...io,
    dataDir,
    async openServices(options: OpenOptions = {}) {
      if (services) return services;
      const { openAppServices } = await import('../services');
      const opened: CliServices = await openAppServices(await serviceOptions(options, () => opened.profiles));
      services = opened;
      warnSettingsProblems(opened);
      return services;
    },
    async openServicesFor(profile) {
      secretFor = profile;
      return ctx.openServices();
    },
    async openSendServices(profile) {
      if (profile !== undefined) {
        secretFor = profile;
        if (services) return { services, profile };
        if (!sendOnly) {
          // Only the profiles and the send actions: no drafts store, outbox or their schemas for a one-shot send.
          const { openSendServices } = await import('../send-services');
          const opened: OpenedSendServices = await openSendServices(await serviceOptions({}, () => opened.profiles));
          sendOnly = opened;
          warnSettingsProblems(opened);
        }
        return { services: sendOnly, profile };
      }
      if (!io.env[ENV.url]) {
        fail(
          'validation',
          `Name the server profile with --profile NAME, or describe one in the environment with ${ENV.url}, ${ENV.auth}, ${ENV.user} and ${ENV.secret}.`,
        );
      }
      if (!environment) {
        const { openEnvironmentServices } = await import('./env-credentials');
        const maxCertificateBytes = maxCertificateBytesFrom(io.env.ENGAGEMENT_DESK_MAX_CERTIFICATE_BYTES);
        environment = await openEnvironmentServices(io.env, dataDir, maxCertificateBytes !== undefined ? { maxCertificateBytes } : {});
      }
      return { services: environment, profile: environment.profileName };
    },
    async close() {
      const opened = services;
      const openedForSend = sendOnly;
      const fromEnvironment = environment;
      services = undefined;
      sendOnly = undefined;
      environment = undefined;
      await opened?.close();
      await openedForSend?.close();
      await fromEnvironment?.close();
    },
  };
  return ctx;
}

/**
 * `outbox flush`: ENGAGEMENT_DESK_SECRET is the secret of the profile --profile names, or of the one profile the
 * entries use. Entries of several profiles need --profile to say which (the others use the keychain).
 */
export async function useEnvironmentSecretForOutbox(ctx: CliContext, drafts: Pick<DraftServices, 'outbox'>, profile: string | undefined): Promise<void> {
  if (profile !== undefined) {
    (await ctx.openServicesFor(profile)).profiles.require(profile);
    return;
  }
  if (environmentSecret(ctx.env) === undefined) return;
  const services = await ctx.openServices();
  const ids = [...new Set((await drafts.outbox.list()).entries.map((entry) => entry.profileId))];
  if (ids.length > 1) {
    const names = ids.map((id) => `"${inert(services.profiles.find(id)?.name ?? id)}"`).join(', ');
    fail('validation', `${ENV.secret} is one profile's secret, but the outbox holds entries of the profiles ${names}. Name the profile it belongs to with --profile NAME; the others use the keychain. Nothing was sent.`);
  }
  if (ids[0] !== undefined) await ctx.openServicesFor(ids[0]);
}

/** What becomes of a secret while the keychain cannot be used, as true for a CLI run: it is kept only when the
 * user asked (--session-secret), and then only until the command ends. */
export function cliUnavailableNote(sessionSecrets: boolean): string {
  return sessionSecrets
    ? 'Until then a secret you enter is kept for this run only (--session-secret) and is gone when this command ends.'
    : `Until then give the secret to each command in ${ENV.secret}.`;
}

/**
 * The keychain as the CLI uses it: a secret it cannot store there is refused (exit 3) rather than kept in a process
 * that is about to end, unless the user asked for that (--session-secret).
 */
function keychainOnly(keychain: SecretStore, sessionSecrets: boolean): SecretStore {
  if (sessionSecrets) return keychain;
  return {
    ...keychain,
    async set(account, secret) {
      const where = await keychain.set(account, secret);
      if (where === 'keychain') return where;
      const problem = keychain.lastProblem() ?? 'The OS keychain is not available.';
      await keychain.delete(account);
      fail(
        'keychain-unavailable',
        `Nothing was saved: the secret could not be stored in the OS keychain. ${problem} Or, for this run only, add --session-secret (the secret is forgotten when the command ends).`,
      );
    },
  };
}

/**
 * ENGAGEMENT_DESK_MAX_CERTIFICATE_BYTES raises the largest certificate body a download accepts (1 MiB by default, a
 * bound against a hostile server): only benchmarks and tests that move bodies far larger than a certificate set it.
 */
function maxCertificateBytesFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const bytes = Number(value);
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    fail('validation', `ENGAGEMENT_DESK_MAX_CERTIFICATE_BYTES must be a whole number of bytes (got "${value}"). Unset it to keep the 1 MiB limit.`);
  }
  return bytes;
}
