// Profiles over the real settings file (conf) and the real OS keychain.
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createKeychain } from '../../../main/platform/keychain';
import { ProfileService, secretAccount } from '../../../main/profiles/profile-service';
import { createSandbox } from '../../../main/profiles/sandbox';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { EngagementError } from '../../../main/core/errors';
import { startEmulator } from '../../../main/emulator/server';
import { appErrorOf, codeOf } from '../../support/errors';
import { withTempDir } from '../../support/temp-dir';

async function allFileText(dir: string): Promise<string> {
  let text = '';
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) text += await readFile(path, 'latin1');
  }
  return text;
}

/** The app and the CLI side by side: two services over one settings folder and the one OS keychain. */
function appBesideCli(dir: string): { app: ProfileService; cli: ProfileService; close(): Promise<void> } {
  const app = new ProfileService({ store: openSettingsStore(dir), secrets: createKeychain() });
  const cli = new ProfileService({ store: openSettingsStore(dir), secrets: createKeychain() });
  return { app, cli, close: async () => void (await Promise.all([app.close(), cli.close()])) };
}

describe('ProfileService', () => {
  test('saves settings to config.json and the secret only to the keychain; removing deletes both', async () => {
    await withTempDir('profiles', async (dir) => {
      const secrets = createKeychain();
      const service = new ProfileService({ store: openSettingsStore(dir), secrets });
      const view = await service.save(
        { name: 'Prod', baseUrl: 'https://engage.example.com:8443/vpns/', authMode: 'basic', username: 'admin' },
        'Sup3r-Secret-Pa55',
      );
      assert.equal(view.baseUrl, 'https://engage.example.com:8443/vpns');
      assert.equal(view.secretStorage, 'keychain');
      assert.equal(view.hasSecret, true);
      assert.equal(view.insecureTransport, false);
      assert.deepEqual(view.tokenHeaders, ['X-VoltMX-Authorization', 'X-Kony-Authorization']);
      assert.equal(await secrets.get(secretAccount(view.id)), 'Sup3r-Secret-Pa55');
      const onDisk = await allFileText(dir);
      assert.match(onDisk, /engage\.example\.com/);
      assert.ok(!onDisk.includes('Sup3r-Secret-Pa55'), 'the secret must not be in any file');

      // A second service over the same folder (the CLI next to the app) sees the same profile and secret.
      const other = new ProfileService({ store: openSettingsStore(dir), secrets: createKeychain() });
      const [seen] = await other.list();
      assert.equal(seen?.name, 'Prod');
      assert.equal(seen?.hasSecret, true);

      // Editing without a secret keeps the stored one; renaming keeps the id (and so the keychain entry).
      const renamed = await service.save({ id: view.id, name: 'Production', baseUrl: view.baseUrl, authMode: 'basic', username: 'admin' });
      assert.equal(renamed.id, view.id);
      assert.equal(renamed.hasSecret, true);

      assert.equal(await service.remove('Production'), true);
      assert.equal(await secrets.get(secretAccount(view.id)), undefined);
      assert.deepEqual(await service.list(), []);
    });
  });

  test('refuses bad input with a message, and keeps what was saved', async () => {
    await withTempDir('profiles-bad', async (dir) => {
      const service = new ProfileService({ store: openSettingsStore(dir), secrets: createKeychain() });
      // Plain http to another machine needs the user's word (issue #16): refused without it, nothing saved.
      const refused = await appErrorOf(service.save({ name: 'A', baseUrl: 'http://engage.internal:8080', authMode: 'apikey' }));
      assert.equal(refused.code, 'validation');
      assert.match(refused.message, /plain http.*--allow-http/);
      assert.deepEqual(await service.list(), []);
      await service.save({ name: 'A', baseUrl: 'http://engage.internal:8080', authMode: 'apikey', allowHttp: true });
      assert.equal(await codeOf(service.save({ name: 'a', baseUrl: 'http://x', authMode: 'apikey', allowHttp: true })), 'validation');
      assert.equal(await codeOf(service.save({ name: 'B', baseUrl: 'not a url', authMode: 'apikey' })), 'validation');
      assert.equal(await codeOf(service.save({ name: 'C', baseUrl: 'https://x', authMode: 'basic' })), 'validation');
      assert.equal(await codeOf(service.save({ id: 'missing', name: 'D', baseUrl: 'https://x', authMode: 'apikey' })), 'not-found');
      const views = await service.list();
      assert.deepEqual(views.map((v) => v.name), ['A']);
      assert.equal(views[0]?.insecureTransport, true);
      assert.equal(views[0]?.hasSecret, false);
    });
  });

  test('the built-in Sandbox is listed first, cannot be changed, and works out of the box', async () => {
    await withTempDir('profiles-sandbox', async (dir) => {
      const service = new ProfileService({ store: openSettingsStore(dir), secrets: createKeychain(), sandbox: createSandbox(dir) });
      try {
        const [sandbox] = await service.list();
        assert.equal(sandbox?.name, 'Sandbox');
        assert.equal(sandbox?.builtIn, true);
        assert.equal(sandbox?.secretStorage, 'built-in');
        assert.equal(await codeOf(service.remove('Sandbox')), 'validation');
        assert.equal(await codeOf(service.save({ name: 'sandbox', baseUrl: 'https://x', authMode: 'apikey' })), 'validation');
        const result = await service.testConnection('Sandbox');
        assert.match(result.message, /PASSED/);
        // The emulator keeps its data under the app's data folder.
        assert.ok((await readdir(dir)).includes('sandbox'));
      } finally {
        await service.close();
      }
    });
  });

  test('a profile edited elsewhere (the CLI beside the app) is used as edited at the next send', async () => {
    await withTempDir('profiles-edited-elsewhere', async (dir) => {
      const first = await startEmulator({ dataDir: join(dir, 'e1'), apiKeys: ['key-1'] });
      const second = await startEmulator({ dataDir: join(dir, 'e2'), apiKeys: ['key-1'] });
      const { app, cli, close } = appBesideCli(dir);
      try {
        const saved = await app.save({ name: 'Moving', baseUrl: first.url, authMode: 'apikey' }, 'key-1');
        await app.testConnection('Moving');
        assert.equal(first.requests.length, 1);
        // Moving a profile to another origin needs its secret again (issue #18): the key goes with the new address.
        await cli.save({ id: saved.id, name: 'Moving', baseUrl: second.url, authMode: 'apikey' }, 'key-1');
        await app.testConnection('Moving');
        assert.equal(first.requests.length, 1, 'nothing more to the old address');
        assert.equal(second.requests.length, 1, 'the app follows the edit');
      } finally {
        await app.remove('Moving').catch(() => undefined);
        await close();
        await first.close();
        await second.close();
      }
    });
  });

  test('a secret changed elsewhere (the CLI beside the app) is read again when the server refuses the old one', async () => {
    await withTempDir('profiles-secret-elsewhere', async (dir) => {
      let server = await startEmulator({ dataDir: join(dir, 'e'), apiKeys: ['old-key'] });
      const { app, cli, close } = appBesideCli(dir);
      try {
        const saved = await app.save({ name: 'Rotating', baseUrl: server.url, authMode: 'apikey' }, 'old-key');
        await app.testConnection('Rotating');
        // The key is rotated on the server, and saved with the CLI; the app still holds the old one.
        const port = server.port;
        await server.close();
        server = await startEmulator({ dataDir: join(dir, 'e'), port, apiKeys: ['new-key'] });
        await cli.save({ id: saved.id, name: 'Rotating', baseUrl: server.url, authMode: 'apikey' }, 'new-key');
        await app.testConnection('Rotating');
        assert.deepEqual(server.requests.map((r) => r.status), [401, 200], 'refused once with the old key, then sent with the new one');
        // A key that is simply wrong is still reported, after one look at the keychain and no second request.
        await server.close();
        server = await startEmulator({ dataDir: join(dir, 'e'), port, apiKeys: ['another-key'] });
        assert.equal(await codeOf(app.testConnection('Rotating')), 'auth-rejected');
        assert.equal(server.requests.length, 1);
      } finally {
        await app.remove('Rotating').catch(() => undefined);
        await close();
        await server.close();
      }
    });
  });

  test('an unknown profile name says which ones exist', async () => {
    await withTempDir('profiles-unknown', async (dir) => {
      const service = new ProfileService({ store: openSettingsStore(dir), secrets: createKeychain() });
      await service.save({ name: 'Staging', baseUrl: 'https://s', authMode: 'apikey' });
      try {
        service.require('Prod');
        assert.fail('expected not-found');
      } catch (error) {
        assert.ok(error instanceof EngagementError);
        assert.equal(error.appError.code, 'not-found');
        assert.match(error.message, /Staging/);
      }
    });
  });
});
