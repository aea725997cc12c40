// Credentials from the environment, for CI (the way gh reads GH_TOKEN):
// - ENGAGEMENT_DESK_SECRET with --profile NAME: the password or App API key of that saved profile, for this run only;
// - ENGAGEMENT_DESK_URL without --profile: a whole profile from ENGAGEMENT_DESK_URL, _AUTH, _USER, _SECRET and the
//   optional _LOGIN_URL, validated by the same ProfileService as a saved one but held in memory: nothing of it goes
//   to config.json or the keychain. Its sends are recorded in the history only when the data folder already exists
//   (a machine that keeps a history keeps every send in it; a bare CI runner gets no folder created for it).
import { existsSync } from 'node:fs';
import type { Profile } from '../../preload/contract';
import { AUTH_MODES, type AuthMode } from '../../preload/contract/constants';
import { fail } from '../core/errors';
import { redactValue } from '../core/secret-redaction';
import type { SecretStore } from '../platform/keychain';
import type { KeyValueStore } from '../platform/settings-store';
import { DownloadJournal } from '../platform/atomic-file';
import { HistoryStore } from '../history/history-store';
import { ProfileService, secretAccount } from '../profiles/profile-service';
import { bindingOf, secretBindingAccount } from '../profiles/secret-binding';
import type { EngagementActions } from '../sending/engagement-actions';
import type { HistoryWriter } from '../sending/send-record';
import type { ClientOptions } from '../server/engagement-client';
import { join } from 'node:path';
import { ENV, environmentSecret } from './env-names';

export { ENV, environmentSecret } from './env-names';

/** The name the profile from the environment has in messages and history lines. */
export const ENVIRONMENT_PROFILE_NAME = 'environment';

/** What the commands that send need: the profiles (to find the one named) and the send actions. */
export interface SendServices {
  profiles: ProfileService;
  actions: EngagementActions;
}

/** A SecretStore that lives in this process only: the environment profile's secret, never the keychain. */
function memorySecrets(): SecretStore {
  const held = new Map<string, string>();
  return {
    async set(account, secret) {
      held.set(account, secret);
      return 'session';
    },
    get: async (account) => held.get(account),
    async delete(account) {
      held.delete(account);
    },
    storageOf: async (account) => (held.has(account) ? 'session' : 'none'),
    lastProblem: () => undefined,
  };
}

/** config.json's shape, in memory: what the environment profile is saved to. */
function memoryStore(): KeyValueStore {
  const values = new Map<string, unknown>();
  return {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
    path: '(environment)',
  };
}

/**
 * The services over the profile that ENGAGEMENT_DESK_URL and its companions describe, checked like a profile being
 * saved. Answers the profile's name for the commands to pass on.
 */
export async function openEnvironmentServices(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  clientOptions: ClientOptions = {},
): Promise<SendServices & { profileName: string; close(): Promise<void> }> {
  const auth = (env[ENV.auth] ?? '').trim();
  if (!AUTH_MODES.includes(auth as AuthMode)) {
    fail(
      'validation',
      `${ENV.url} is set, so the profile comes from the environment, but ${ENV.auth} is ${auth ? `"${auth}"` : 'not set'}: set it to one of ${AUTH_MODES.join(', ')}.`,
    );
  }
  const secret = environmentSecret(env);
  if (secret === undefined) {
    fail(
      'auth-missing',
      `${ENV.url} is set, so the profile comes from the environment, but ${ENV.secret} is not set: set it to the ${auth === 'apikey' ? 'App API key' : 'password'}.`,
    );
  }
  const user = env[ENV.user]?.trim();
  const loginUrl = env[ENV.loginUrl]?.trim();
  const secrets = memorySecrets();
  const dataDirExists = existsSync(dataDir);
  const profiles = new ProfileService({
    store: memoryStore(),
    secrets,
    clientOptions: {
      ...clientOptions,
      // A download's temp is swept at the next start only where there is a data folder to note it in.
      ...(dataDirExists ? { downloadJournal: new DownloadJournal(join(dataDir, 'downloads-in-progress')) } : {}),
    },
  });
  // The same checks as a profile being saved (URL, user name, login URL), in memory.
  const view = await profiles.save(
    {
      name: ENVIRONMENT_PROFILE_NAME,
      baseUrl: env[ENV.url] ?? '',
      authMode: auth as AuthMode,
      ...(user ? { username: user } : {}),
      ...(loginUrl ? { loginUrl } : {}),
    },
    secret,
  );
  const history: HistoryWriter = dataDirExists ? new HistoryStore(dataDir) : { append: async () => ({ id: '' }) };
  const { buildSendActions } = await import('../send-services');
  const actions = buildSendActions(profiles, history, 'cli', (record) => redactValue(record, secret));
  return { profiles, actions, profileName: view.name, close: () => profiles.close() };
}

/**
 * The keychain as a command with ENGAGEMENT_DESK_SECRET and --profile sees it: the named profile's secret (and where
 * it may go: the profile as it is now) come from the environment and the keychain is not asked for them, nor written.
 * Every other account goes to the keychain as usual.
 */
export function withEnvironmentSecret(inner: SecretStore, secret: string, target: () => Profile | undefined): SecretStore {
  const mine = (account: string): Profile | undefined => {
    const profile = target();
    if (!profile || profile.builtIn) return undefined;
    return account === secretAccount(profile.id) || account === secretBindingAccount(profile.id) ? profile : undefined;
  };
  return {
    async set(account, value) {
      // The binding of an environment secret is never stored: it is the profile as it is now, for this run.
      if (mine(account)) return 'session';
      return inner.set(account, value);
    },
    async get(account) {
      const profile = mine(account);
      if (!profile) return inner.get(account);
      return account === secretAccount(profile.id) ? secret : JSON.stringify(bindingOf(profile));
    },
    delete: (account) => inner.delete(account),
    storageOf: async (account) => (mine(account) ? 'session' : inner.storageOf(account)),
    lastProblem: () => inner.lastProblem(),
  };
}

