// A secret is bound to the server origin and login URL it was entered for (issue #18, points 1 and 9): an edit that
// moves the profile elsewhere without the secret is refused, a hand-edited config.json does not take the secret
// along, and the connection test neither says "Connected" after a redirect to another origin nor blames the wrong
// host for a closed port. Real keychain, real settings file, emulators and plain servers on loopback.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createKeychain } from '../../../main/platform/keychain';
import { ProfileService, secretAccount } from '../../../main/profiles/profile-service';
import { secretBindingAccount } from '../../../main/profiles/secret-binding';
import { openSettingsStore, PROFILES_KEY } from '../../../main/platform/settings-store';
import { startEmulator } from '../../../main/emulator/server';
import { EngagementError } from '../../../main/core/errors';
import type { AppError } from '../../../preload/contract';
import { withTempDir } from '../../support/temp-dir';

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EngagementError) return error.appError;
    throw error;
  }
  throw new Error('expected a refusal, but it succeeded');
}

async function listen(server: Server, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((done) => server.listen(0, host, done));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

/** A server that records every request's headers and body and answers 200 to everything. */
async function recorder(host: string): Promise<{ url: string; seen: { headers: IncomingHttpHeaders; body: string }[]; close(): Promise<void> }> {
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","claims_token":{"value":"t","exp":9999999999999}}');
    });
  });
  const url = await listen(server, host);
  return { url, seen, close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }) };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

describe('a secret stays with the origin it was entered for', () => {
  test('an edit that moves the server or the login URL without the secret is refused, and nothing is changed', async () => {
    await withTempDir('origin-edit', async (dir) => {
      const secrets = createKeychain();
      const store = openSettingsStore(dir);
      const service = new ProfileService({ store, secrets });
      const elsewhere = await recorder('127.0.0.2');
      try {
        const saved = await service.save({ name: 'Prod', baseUrl: 'https://engage.example.com:8443/vpns', authMode: 'basic', username: 'admin' }, 'Pa55-prod');
        const before = JSON.stringify(store.get(PROFILES_KEY));
        const moved = await appErrorOf(service.save({ id: saved.id, name: 'Prod', baseUrl: elsewhere.url, authMode: 'basic', username: 'admin' }));
        assert.deepEqual([moved.code, moved.message], [
          'validation',
          `The server of the profile "Prod" changes from https://engage.example.com:8443 to ${elsewhere.url}, and its password was entered for https://engage.example.com:8443 only. Enter the password again to save the new server address, or keep the old one.`,
        ]);
        const login = await appErrorOf(
          service.save({ id: saved.id, name: 'Prod', baseUrl: saved.baseUrl, authMode: 'token', username: 'admin', loginUrl: `${elsewhere.url}/login` }),
        );
        assert.deepEqual([login.code, login.message], [
          'validation',
          `The login URL of the profile "Prod" changes from https://engage.example.com:8443/authService/accounts/login to ${elsewhere.url}/login, and its password was entered for the old one only. Enter the password again to save the new login URL, or keep the old one.`,
        ]);
        // Another scheme or port is another origin too.
        assert.equal((await appErrorOf(service.save({ id: saved.id, name: 'Prod', baseUrl: 'http://engage.example.com:8443/vpns', authMode: 'basic', username: 'admin' }))).code, 'validation');
        assert.equal((await appErrorOf(service.save({ id: saved.id, name: 'Prod', baseUrl: 'https://engage.example.com/vpns', authMode: 'basic', username: 'admin' }))).code, 'validation');
        assert.equal(JSON.stringify(store.get(PROFILES_KEY)), before, 'config.json is unchanged');
        assert.equal(await secrets.get(secretAccount(saved.id)), 'Pa55-prod', 'the secret is kept');
        await service.testConnection('Prod').catch(() => undefined);
        assert.equal(elsewhere.seen.length, 0, 'nothing reached the other origin');

        // A new context root on the same origin, or the default login URL spelt out, keeps the secret.
        const newPath = await service.save({ id: saved.id, name: 'Prod', baseUrl: 'https://engage.example.com:8443/other', authMode: 'token', username: 'admin', loginUrl: 'https://engage.example.com:8443/authService/accounts/login' });
        assert.equal(newPath.hasSecret, true);
        // With the secret given again, the move is saved and the secret is bound to the new place.
        const rebound = await service.save({ id: saved.id, name: 'Prod', baseUrl: elsewhere.url, authMode: 'basic', username: 'admin' }, 'Pa55-new');
        assert.equal(rebound.baseUrl, elsewhere.url);
        assert.deepEqual(JSON.parse((await secrets.get(secretBindingAccount(saved.id))) ?? '{}'), {
          server: elsewhere.url,
          login: `${elsewhere.url}/authService/accounts/login`,
        });
        await service.testConnection('Prod');
        assert.equal(elsewhere.seen[0]?.headers.authorization, `Basic ${Buffer.from('admin:Pa55-new').toString('base64')}`);

        // A login URL the profile does not use is no move: Basic sends the password to the server only.
        const loginAt = `${elsewhere.url}/authService/accounts/login`;
        const tokenAt = await service.save({ name: 'Token', baseUrl: 'https://t.example.com', authMode: 'token', username: 'admin', loginUrl: loginAt }, 'Pa55-t');
        assert.equal((await service.save({ id: tokenAt.id, name: 'Token', baseUrl: 'https://t.example.com', authMode: 'basic', username: 'admin' })).hasSecret, true);
        assert.equal((await service.save({ id: tokenAt.id, name: 'Token', baseUrl: 'https://t.example.com', authMode: 'token', username: 'admin', loginUrl: loginAt })).hasSecret, true);
        assert.equal((await appErrorOf(service.save({ id: tokenAt.id, name: 'Token', baseUrl: 'https://t.example.com', authMode: 'token', username: 'admin' }))).code, 'validation');

        // A profile with no secret stored has nothing to protect: it moves freely.
        const bare = await service.save({ name: 'Bare', baseUrl: 'https://a.example.com', authMode: 'apikey' });
        assert.equal((await service.save({ id: bare.id, name: 'Bare', baseUrl: 'https://b.example.com', authMode: 'apikey' })).baseUrl, 'https://b.example.com');

        await service.remove('Prod');
        assert.equal(await secrets.get(secretBindingAccount(saved.id)), undefined, 'removing the profile removes the binding too');
      } finally {
        await service.remove('Prod').catch(() => undefined);
        await service.remove('Bare').catch(() => undefined);
        await service.remove('Token').catch(() => undefined);
        await service.close();
        await elsewhere.close();
      }
    });
  });

  test('a config.json edited by hand does not take the secret to the new origin (the app and the CLI alike)', async () => {
    await withTempDir('origin-hand-edit', async (dir) => {
      const emulator = await startEmulator({ dataDir: join(dir, 'e'), apiKeys: ['key-1'], users: [{ username: 'admin', password: 'Pa55' }] });
      const elsewhere = await recorder('127.0.0.2');
      const store = openSettingsStore(dir);
      const app = new ProfileService({ store, secrets: createKeychain() });
      const ids: string[] = [];
      try {
        for (const [name, authMode] of [['Key', 'apikey'], ['Basic', 'basic'], ['Token', 'token']] as const) {
          const secret = authMode === 'apikey' ? 'key-1' : 'Pa55';
          const view = await app.save({ name, baseUrl: emulator.url, authMode, ...(authMode === 'apikey' ? {} : { username: 'admin' }) }, secret);
          ids.push(view.id);
          await app.testConnection(name); // the app now holds the secret in memory, and a client with a claims token
        }
        // Hand edits: two profiles point at another origin, the third logs in at another origin.
        const edited = (store.get(PROFILES_KEY) as { name: string; baseUrl: string; loginUrl?: string }[]).map((p) =>
          p.name === 'Token' ? { ...p, loginUrl: `${elsewhere.url}/login` } : { ...p, baseUrl: elsewhere.url },
        );
        store.set(PROFILES_KEY, edited);
        const cli = new ProfileService({ store: openSettingsStore(dir), secrets: createKeychain() });
        try {
          for (const service of [app, cli]) {
            const key = await appErrorOf(service.testConnection('Key'));
            assert.deepEqual([key.code, key.message], [
              'auth-missing',
              `The App API key of the profile "Key" was entered for ${emulator.origin}, but the profile now points at ${elsewhere.url}. Engagement Desk sends a App API key only to the server it was entered for: open the profile and enter the App API key again if ${elsewhere.url} is right.`,
            ]);
            assert.equal((await appErrorOf(service.testConnection('Basic'))).code, 'auth-missing');
            const token = await appErrorOf(service.testConnection('Token'));
            assert.deepEqual([token.code, token.message], [
              'auth-missing',
              `The password of the profile "Token" was entered for the login URL ${emulator.origin}/authService/accounts/login, but the profile now logs in at ${elsewhere.url}/login. Engagement Desk sends a password only where it was entered for: open the profile and enter the password again if the new login URL is right.`,
            ]);
          }
          assert.equal(elsewhere.seen.length, 0, 'no request reached the other origin');
        } finally {
          await cli.close();
        }
      } finally {
        for (const id of ids) await app.remove(id).catch(() => undefined);
        await app.close();
        await emulator.close();
        await elsewhere.close();
      }
    });
  });
});

describe('the connection test tells what really happened', () => {
  test('a health check redirected to another origin is not "Connected", and the other origin gets nothing', async () => {
    await withTempDir('origin-test-redirect', async (dir) => {
      const elsewhere = await recorder('127.0.0.2');
      const redirector = createServer((req, res) => res.writeHead(302, { location: `${elsewhere.url}${req.url ?? '/'}` }).end());
      const url = await listen(redirector);
      const service = new ProfileService({ store: openSettingsStore(dir), secrets: createKeychain() });
      try {
        await service.save({ name: 'Redirected', baseUrl: url, authMode: 'apikey' }, 'key-redirected');
        const error = await appErrorOf(service.testConnection('Redirected'));
        assert.deepEqual([error.code, error.message, error.httpStatus], [
          'unexpected-response',
          `The server at ${url} redirected to ${elsewhere.url}, another server, so the connection was not confirmed (Engagement Desk does not send your credentials there). If ${elsewhere.url} is your Engagement server, put its address in the profile; otherwise ask the server's administrator why it redirects.`,
          302,
        ]);
        assert.equal(elsewhere.seen.length, 0);
      } finally {
        await service.remove('Redirected').catch(() => undefined);
        await service.close();
        redirector.closeAllConnections();
        redirector.close();
        await elsewhere.close();
      }
    });
  });

  test('a redirect to a closed port names the host and port that refused, not the first one', async () => {
    await withTempDir('origin-test-closed', async (dir) => {
      const port = await closedPort();
      // Another port is another origin: the connection test refuses it outright (above), the download follows it
      // without credentials, and must then name the port that refused.
      const redirector = createServer((req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}${req.url ?? '/'}` }).end());
      const url = await listen(redirector);
      const service = new ProfileService({ store: openSettingsStore(dir), secrets: createKeychain() });
      try {
        await service.save({ name: 'Closed', baseUrl: url, authMode: 'apikey' }, 'key-closed');
        const client = await service.clientFor('Closed');
        const error = await appErrorOf(client.downloadMpnsCertificate('App1', join(dir, 'cert.p12')));
        assert.deepEqual([error.code, error.message], [
          'network',
          `Could not connect to 127.0.0.1:${port}: the connection was refused. Is the server running and is the URL right?`,
        ]);
      } finally {
        await service.remove('Closed').catch(() => undefined);
        await service.close();
        redirector.closeAllConnections();
        redirector.close();
      }
    });
  });
});
