// A keychain that holds nothing and never fails: for tests of stores that must not depend on the real one.
import type { SecretStore } from '../../main/platform/keychain';

export const NO_SECRETS: SecretStore = {
  set: async () => 'session',
  get: async () => undefined,
  delete: async () => undefined,
  storageOf: async () => 'none',
  lastProblem: () => undefined,
};
