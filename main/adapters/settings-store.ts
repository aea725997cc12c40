// Preferences and profiles live in <dataDir>/config.json. The Electron app reads and writes it with electron-store;
// plain Node (the CLI, tests) uses `conf`, the library electron-store is built on, because electron-store imports
// electron when loaded. Both see the same file with the same format.
import Conf from 'conf';

/** The subset of the electron-store / conf API the app relies on. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  readonly path: string;
}

export const SETTINGS_FILE_NAME = 'config';

export function openSettingsStore(dataDir: string): KeyValueStore {
  const conf = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: SETTINGS_FILE_NAME,
    projectName: 'engagement-desk',
    // electron-store's defaults, so either library can open a file the other wrote.
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
  });
  return {
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
    get path() {
      return conf.path;
    },
  };
}
