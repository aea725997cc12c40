// What every CLI command gets: its streams, the environment, and the same services the app builds, opened on
// demand (listing help must not touch the keychain or start an emulator). They are also loaded on demand: a
// command that opens none (check, --help) never loads the HTTP client, the settings store or the keychain binding.
import type { AppServices } from '../services';
import { fail } from '../core/errors';
import { inert } from '../core/inert';
import { defaultDataDir } from '../platform/paths';

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
  stdinIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export type CliServices = AppServices;

export interface CliContext extends CliIo {
  dataDir: string;
  openServices(): Promise<CliServices>;
  /** Closes the services if a command opened them (clients, the in-process Sandbox emulator). */
  close(): Promise<void>;
}

export function createCliContext(io: CliIo): CliContext {
  const dataDir = defaultDataDir(io.env);
  let services: CliServices | undefined;
  return {
    ...io,
    dataDir,
    async openServices() {
      if (services) return services;
      const [{ openAppServices }, { createKeychain }, { openSettingsStore }] = await Promise.all([
        import('../services'),
        import('../platform/keychain'),
        import('../platform/settings-store'),
      ]);
      const maxCertificateBytes = maxCertificateBytesFrom(io.env.ENGAGEMENT_DESK_MAX_CERTIFICATE_BYTES);
      services = await openAppServices({
        dataDir,
        store: openSettingsStore(dataDir),
        secrets: createKeychain(),
        source: 'cli',
        ...(maxCertificateBytes !== undefined ? { clientOptions: { maxCertificateBytes } } : {}),
      });
      // On stderr, like a quarantined draft: --json keeps exactly one object on stdout.
      for (const problem of services.settingsProblems) io.stderr(`Warning: ${inert(problem.message)}\n`);
      return services;
    },
    async close() {
      const opened = services;
      services = undefined;
      await opened?.close();
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
