// What every CLI command gets: its streams, the environment, and the same services the app builds, opened on
// demand (listing help must not touch the keychain or start an emulator).
import { EngagementActions } from '../adapters/engagement-actions';
import { createKeychain, type SecretStore } from '../adapters/keychain';
import { defaultDataDir } from '../adapters/paths';
import { ProfileService } from '../adapters/profiles';
import { createSandbox } from '../adapters/sandbox';
import { openSettingsStore, type KeyValueStore } from '../adapters/settings-store';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of standard input (for --password-stdin and friends). */
  readStdin(): Promise<string>;
  /** Prompts on the terminal without echo; undefined when there is no terminal. */
  promptSecret?(question: string): Promise<string>;
  stdinIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export interface CliServices {
  store: KeyValueStore;
  secrets: SecretStore;
  profiles: ProfileService;
  actions: EngagementActions;
  dataDir: string;
  close(): Promise<void>;
}

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
      const store = openSettingsStore(dataDir);
      const secrets = createKeychain();
      const profiles = new ProfileService({ store, secrets, sandbox: createSandbox(dataDir) });
      const opened: CliServices = {
        store,
        secrets,
        profiles,
        actions: new EngagementActions(profiles),
        dataDir,
        close: () => profiles.close(),
      };
      services = opened;
      return opened;
    },
    async close() {
      const opened = services;
      services = undefined;
      await opened?.close();
    },
  };
}
