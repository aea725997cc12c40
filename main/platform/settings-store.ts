// Preferences and profiles live in <dataDir>/config.json. The Electron app reads and writes it with electron-store;
// plain Node (the CLI, tests) uses `conf`, the library electron-store is built on, because electron-store imports
// electron when loaded. Both see the same file with the same format.
//
// Both libraries throw on a file that is not JSON (clearInvalidConfig: false, so they never silently wipe it), so
// recoverSettingsFile runs first: a damaged file is set aside beside config.json (never deleted), the app starts
// from defaults, and the problem is reported like a quarantined draft (file, message, time).
import { copyFileSync, constants, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import Conf from 'conf';
import type { Profile } from '../../preload/contract';
import { isProcessAlive, renameRetryingSync, syncDirectorySync, tempWriterPid, isAtomicTempName, writeFileAtomicSync } from './atomic-file';

/** The subset of the electron-store / conf API the app relies on. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  readonly path: string;
  /** What opening the file found wrong and set aside (empty when it was fine). */
  readonly problems?: readonly SettingsProblem[];
}

/** A damaged settings file that was set aside: the same shape as a quarantined draft's problem, plus the copy. */
export interface SettingsProblem {
  /** The settings file (config.json). */
  file: string;
  /** Where the damaged content was kept. */
  copy: string;
  message: string;
  at: string;
}

export const SETTINGS_FILE_NAME = 'config';
export const PROFILES_KEY = 'profiles';

/** Temp files conf's writer (atomically) leaves when killed mid-write: config.json.tmp-<10 digits><6 hex>. */
const CONF_TEMP = /^config\.json\.tmp-\d{10}[0-9a-f]{6}$/;
/** A synchronous settings write takes milliseconds; a conf temp this old belongs to a writer that is gone. */
const STALE_CONF_TEMP_MS = 60_000;

export interface OpenSettingsOptions {
  /** Age past which a conf temp file counts as abandoned (tests that just killed the writer pass 0). */
  staleTempMs?: number;
  now?: () => Date;
}

export function openSettingsStore(dataDir: string, options: OpenSettingsOptions = {}): KeyValueStore {
  const problem = recoverSettingsFile(dataDir, options);
  const conf = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: SETTINGS_FILE_NAME,
    projectName: 'engagement-desk',
    // electron-store's defaults, so either library can open a file the other wrote.
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
  });
  const problems = problem ? [problem] : [];
  return withCachedReads({
    get: (key) => conf.get(key),
    set: (key, value) => {
      conf.set(key, value);
      // conf fsyncs the file before its rename but not the folder, which makes the rename itself durable.
      syncDirectorySync(dataDir);
    },
    delete: (key) => {
      conf.delete(key);
      syncDirectorySync(dataDir);
    },
    get path() {
      return conf.path;
    },
    problems,
  });
}

/**
 * conf and electron-store read and parse config.json on every get, so that a change made by another process (the
 * CLI beside the app) is seen at once; a batch asks for the profiles a few times per send. This keeps what was
 * read while the file is the same file: both libraries replace it by a rename on every write, so any write, from
 * any process, gives it a new identity (inode, size, times) and the next get reads it again. Values are handed
 * out as copies, as the libraries do, so a caller that changes one cannot change the cache.
 */
export function withCachedReads(store: KeyValueStore): KeyValueStore {
  let identity: string | undefined;
  const values = new Map<string, unknown>();
  const current = () => {
    const info = statSync(store.path, { bigint: true, throwIfNoEntry: false });
    const now = info ? `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}` : 'none';
    if (now !== identity) {
      identity = now;
      values.clear();
    }
  };
  return {
    get(key) {
      current();
      if (!values.has(key)) values.set(key, store.get(key));
      return structuredClone(values.get(key));
    },
    set(key, value) {
      values.clear();
      identity = undefined;
      store.set(key, value);
    },
    delete(key) {
      values.clear();
      identity = undefined;
      store.delete(key);
    },
    get path() {
      return store.path;
    },
    ...(store.problems ? { problems: store.problems } : {}),
  };
}

/**
 * Make config.json safe to open, synchronously (electron-store opens it in a constructor). Not JSON, truncated,
 * or not a JSON object: the file is renamed aside and the app starts from defaults. An object with damaged
 * profile entries: a copy of the whole file is kept aside and the readable rest is written back. Also removes
 * temp files that killed writers left. Returns the problem to show the user, if any.
 */
export function recoverSettingsFile(dataDir: string, options: OpenSettingsOptions = {}): SettingsProblem | undefined {
  const now = options.now ?? (() => new Date());
  removeStaleSettingsTemps(dataDir, now().getTime() - (options.staleTempMs ?? STALE_CONF_TEMP_MS));
  const file = join(dataDir, `${SETTINGS_FILE_NAME}.json`);
  // Twice at most: another process (the app and the CLI start together) may set the same file aside first.
  for (let attempt = 0; attempt < 2; attempt++) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const verdict = judgeSettings(text);
    if (verdict.ok) return undefined;
    const at = now();
    const copy = join(dataDir, `${basename(file)}.damaged-${at.toISOString().replace(/[:.]/g, '-')}`);
    try {
      if (verdict.salvage) {
        copyFileSync(file, copy, constants.COPYFILE_EXCL);
        writeFileAtomicSync(file, JSON.stringify(verdict.salvage, null, '\t'));
      } else {
        renameRetryingSync(file, copy);
        syncDirectorySync(dataDir);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    return { file, copy, message: settingsProblemMessage(file, copy, verdict.reason, verdict.salvage !== undefined), at: at.toISOString() };
  }
  return undefined;
}

/** The text shown in the CLI (as "Warning: ...") and the app. */
export function settingsProblemMessage(file: string, copy: string, reason: string, salvaged: boolean): string {
  if (salvaged) {
    return `Some entries in the settings file ${file} could not be read (${reason}) and were left out. The file as it was is kept at ${copy}.`;
  }
  return (
    `The settings file ${file} could not be read (${reason}), so Engagement Desk started with default settings. ` +
    `Nothing was deleted: the damaged file is kept at ${copy}. Add your profiles again (their passwords and keys ` +
    `are still in the keychain), or repair the copy and put it back as ${basename(file)} while Engagement Desk is closed.`
  );
}

type Verdict = { ok: true } | { ok: false; reason: string; salvage?: Record<string, unknown> };

function judgeSettings(text: string): Verdict {
  if (text.trim() === '') return { ok: false, reason: 'the file is empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `it is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    return { ok: false, reason: `it holds ${what}, not a settings object` };
  }
  const settings = value as Record<string, unknown>;
  const profiles = settings[PROFILES_KEY];
  if (profiles === undefined) return { ok: true };
  if (!Array.isArray(profiles)) {
    const { [PROFILES_KEY]: _dropped, ...rest } = settings;
    return { ok: false, reason: `"${PROFILES_KEY}" is not a list`, salvage: rest };
  }
  const readable = profiles.filter(isSavedProfile);
  if (readable.length === profiles.length) return { ok: true };
  const bad = profiles.length - readable.length;
  return {
    ok: false,
    reason: `${bad} of ${profiles.length} saved profiles ${bad === 1 ? 'is' : 'are'} damaged`,
    salvage: { ...settings, [PROFILES_KEY]: readable },
  };
}

/** A saved profile as ProfileService writes it (the store holds no secrets). */
export function isSavedProfile(p: unknown): p is Profile {
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof (p as Profile).id === 'string' &&
    typeof (p as Profile).name === 'string' &&
    typeof (p as Profile).baseUrl === 'string' &&
    ['basic', 'token', 'apikey'].includes((p as Profile).authMode) &&
    Array.isArray((p as Profile).tokenHeaders)
  );
}

function removeStaleSettingsTemps(dataDir: string, cutoffMs: number): void {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return;
  }
  for (const name of names) {
    const ours = isAtomicTempName(name) && name.startsWith(`.${SETTINGS_FILE_NAME}.json.`);
    if (!ours && !CONF_TEMP.test(name)) continue;
    const path = join(dataDir, name);
    const pid = ours ? tempWriterPid(name) : undefined;
    const orphan = pid !== undefined && pid !== process.pid && !isProcessAlive(pid);
    try {
      if (orphan || statSync(path).mtimeMs <= cutoffMs) unlinkSync(path);
    } catch {
      // Gone already, or renamed into place by its writer just now.
    }
  }
}
