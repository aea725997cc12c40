// Removing a profile drops every secret held for it: the keychain entry, a session-only secret (keychain
// unavailable), the claims token its client cached, and the passphrases typed for its queued outbox entries. Real
// parts throughout: the services the app builds (openAppServices), the OS keychain and the emulator over loopback.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openAppServices, type AppServices } from '../../../main/services';
import { createKeychain, type SecretStore } from '../../../main/platform/keychain';
import { secretAccount } from '../../../main/profiles/profile-service';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { LOGIN_PATH } from '../../../main/emulator/routes';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { codeOf } from '../../support/errors';
import { withTempDir } from '../../support/temp-dir';

const ADMIN = { username: 'admin', password: 'removal-Test-Passw0rd' };
const API_KEY = 'removal-test-app-api-key';

async function withApp(
  name: string,
  use: (world: { services: AppServices; emulator: Emulator; secrets: SecretStore }) => Promise<void>,
  secrets: SecretStore = createKeychain(),
): Promise<void> {
  await withTempDir(name, async (dir) => {
    const emulator = await startEmulator({ dataDir: join(dir, 'server'), users: [ADMIN], apiKeys: [API_KEY] });
    const dataDir = join(dir, 'data');
    const services = await openAppServices({ dataDir, store: openSettingsStore(dataDir), secrets, source: 'app', sandbox: false });
    try {
      await use({ services, emulator, secrets });
    } finally {
      for (const view of await services.profiles.list()) await services.profiles.remove(view.id);
      await services.close();
      await emulator.close();
    }
  });
}

const logins = (emulator: Emulator) => emulator.requests.filter((r) => r.path.endsWith(LOGIN_PATH) && r.status === 200).length;

describe('removing a profile drops its secrets', () => {
  test('the keychain entry is deleted, so the same profile saved again has no secret and must be given one', async () => {
    await withApp('removal-keychain', async ({ services, emulator, secrets }) => {
      const input = { name: 'Keyed', baseUrl: emulator.url, authMode: 'apikey' as const };
      const view = await services.profiles.save(input, API_KEY);
      assert.equal(view.secretStorage, 'keychain');
      assert.equal(await codeOf(services.profiles.testConnection(view.id)), 'no error');

      assert.equal(await services.profiles.remove(view.id), true);
      // A fresh facade reads the OS keychain itself, with no copy in this process.
      assert.equal(await createKeychain().get(secretAccount(view.id)), undefined);
      assert.equal(await secrets.storageOf(secretAccount(view.id)), 'none');

      const again = await services.profiles.save(input);
      assert.equal(again.hasSecret, false);
      assert.equal(await codeOf(services.profiles.testConnection(again.id)), 'auth-missing');
    });
  });

  test('a session-only secret (keychain unavailable) is gone from memory', async () => {
    const refusing = createKeychain({
      entryFactory: () => {
        throw new Error('org.freedesktop.DBus.Error.ServiceUnknown: no keyring');
      },
    });
    await withApp(
      'removal-session',
      async ({ services, emulator, secrets }) => {
        const input = { name: 'Session only', baseUrl: emulator.url, authMode: 'basic' as const, username: ADMIN.username };
        const view = await services.profiles.save(input, ADMIN.password);
        assert.equal(view.secretStorage, 'session');
        assert.equal(await codeOf(services.profiles.testConnection(view.id)), 'no error');

        await services.profiles.remove(view.id);
        assert.equal(await secrets.get(secretAccount(view.id)), undefined);
        assert.equal(await secrets.storageOf(secretAccount(view.id)), 'none');
        const again = await services.profiles.save(input);
        assert.equal(again.hasSecret, false);
        // Nothing to authenticate with: the app asks for the secret (naming the unavailable keychain).
        assert.match(await codeOf(services.profiles.testConnection(again.id)), /^(auth-missing|keychain-unavailable)$/);
      },
      refusing,
    );
  });

  test('the cached claims token is dropped: the profile saved again logs in again', async () => {
    await withApp('removal-token', async ({ services, emulator }) => {
      const input = { name: 'Token', baseUrl: emulator.url, authMode: 'token' as const, username: ADMIN.username };
      const view = await services.profiles.save(input, ADMIN.password);
      const client = await services.profiles.clientFor(view.id);
      await services.profiles.testConnection(view.id);
      await services.profiles.testConnection(view.id);
      assert.equal(logins(emulator), 1, 'the token is cached while the profile exists');

      await services.profiles.remove(view.id);
      // The removed client is closed: it can send nothing more, with its token or without.
      await assert.rejects(client.healthCheck());
      assert.equal(await codeOf(services.profiles.clientFor(view.id)), 'not-found');

      const again = await services.profiles.save(input, ADMIN.password);
      assert.equal(await codeOf(services.profiles.testConnection(again.id)), 'no error');
      assert.equal(logins(emulator), 2, 'a following request logs in again');
    });
  });

  test("the passphrases typed for the profile's queued outbox entries are forgotten, other profiles' kept", async () => {
    await withApp('removal-outbox', async ({ services, emulator }) => {
      const removed = await services.profiles.save({ name: 'Removed', baseUrl: emulator.url, authMode: 'apikey' }, API_KEY);
      const kept = await services.profiles.save({ name: 'Kept', baseUrl: emulator.url, authMode: 'apikey' }, API_KEY);
      const outbox = services.drafts.outbox;
      const queue = async (profileId: string) => {
        const draft = await services.drafts.drafts.create({ kind: 'cert-upload', profileId, appId: 'RemovalApp' });
        return outbox.enqueue(draft, { passphrase: 'p12-removal-Passphrase' });
      };
      const ofRemoved = await queue(removed.id);
      const ofKept = await queue(kept.id);
      assert.equal(outbox.hasPassphrase(ofRemoved.id), true);

      await services.profiles.remove(removed.id);
      assert.equal(outbox.hasPassphrase(ofRemoved.id), false);
      assert.equal(outbox.hasPassphrase(ofKept.id), true);
    });
  });
});
