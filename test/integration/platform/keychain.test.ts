// Runs against the real Secret Service (test/run.mjs starts a private D-Bus session with gnome-keyring).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { APP_SESSION_NOTE, createKeychain, KEYCHAIN_SERVICE } from '../../../main/platform/keychain';

/** The entry as another process reads it from the OS store: secret-tool on Linux, the Credential Manager on Windows. */
function secretToolLookup(account: string): string | undefined {
  try {
    if (process.platform === 'win32') {
      // No secret-tool there: a second Node process reads the Credential Manager through the keyring binding alone.
      const read = `const { Entry } = require('@napi-rs/keyring'); const s = new Entry(process.argv[1], process.argv[2]).getPassword(); if (s == null) process.exit(3); process.stdout.write(s);`;
      return execFileSync(process.execPath, ['-e', read, KEYCHAIN_SERVICE, account], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    }
    return execFileSync('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'username', account], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
}

describe('keychain (OS Secret Service)', () => {
  test('stores, reads and deletes a secret in the real keyring', async () => {
    const keychain = createKeychain();
    const account = `profile:${randomUUID()}`;
    assert.equal(await keychain.storageOf(account), 'none');
    assert.equal(await keychain.set(account, 'pässwörd with spaces'), 'keychain');
    assert.equal(await keychain.get(account), 'pässwörd with spaces');
    assert.equal(await keychain.storageOf(account), 'keychain');
    // A second, independent reader (another process) sees it: it really is in the OS keyring.
    assert.equal(secretToolLookup(account), 'pässwörd with spaces', 'secret-tool (libsecret-tools), or on Windows a second process, must find the entry');
    await keychain.delete(account);
    assert.equal(secretToolLookup(account), undefined);
    assert.equal(await keychain.get(account), undefined);
    assert.equal(await keychain.storageOf(account), 'none');
  });

  test('calls run one at a time, in order, and a failing call does not stall the ones behind it', async () => {
    let running = 0;
    let most = 0;
    const order: string[] = [];
    const keychain = createKeychain({
      entryFactory: (_service, account) => {
        const step = async <T>(value: T): Promise<T> => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running -= 1;
          order.push(account);
          if (account === 'fail') throw new Error('Platform failure: boom');
          return value;
        };
        return { setPassword: () => step(undefined), getPassword: () => step('s'), deleteCredential: () => step(true) };
      },
    });
    const accounts = Array.from({ length: 30 }, (_, i) => (i === 7 ? 'fail' : `a${i}`));
    const results = await Promise.all(accounts.map((a) => keychain.get(a)));
    assert.equal(most, 1, 'two keychain calls overlapped');
    // The failing call is tried once more (a restarting keyring), still before the calls queued behind it.
    assert.deepEqual(order, [...accounts.slice(0, 8), 'fail', ...accounts.slice(8)]);
    assert.equal(results[7], undefined);
    assert.equal(results[8], 's');
  });

  test('an unavailable keychain keeps the secret for this session only and says why', async () => {
    const keychain = createKeychain({
      entryFactory: () => {
        throw new Error('Platform failure: no Secret Service on the bus');
      },
    });
    assert.equal(await keychain.set('profile:x', 'hunter2'), 'session');
    assert.equal(await keychain.get('profile:x'), 'hunter2');
    assert.equal(await keychain.storageOf('profile:x'), 'session');
    const problem = keychain.lastProblem() ?? '';
    assert.match(problem, /keychain is not available/);
    assert.match(problem, /this session only/);
    assert.ok(!problem.includes('hunter2'));
    // A fresh store (a new process) has nothing: the secret never reached a file.
    const next = createKeychain({ entryFactory: () => { throw new Error('still down'); } });
    assert.equal(await next.get('profile:x'), undefined);
  });

  test('a keyring that restarts under a call (its connection dropped) is tried once more; a locked one and one known down are not', async () => {
    const made: string[] = [];
    const failingOnce = (message: string) => {
      let failed = false;
      return (_service: string, account: string) => {
        made.push(account);
        if (!failed) {
          failed = true;
          throw new Error(message);
        }
        return { setPassword: async () => undefined, getPassword: async () => 'kept', deleteCredential: async () => true };
      };
    };
    const restarting = createKeychain({ entryFactory: failingOnce('Platform failure: DBus error: Message recipient disconnected from message bus without replying') });
    assert.equal(await restarting.get('profile:r'), 'kept', 'the second try reaches the restarted keyring');
    assert.equal(restarting.lastProblem(), undefined);
    assert.deepEqual(made.splice(0), ['profile:r', 'profile:r']);

    const locked = createKeychain({ entryFactory: failingOnce('Platform failure: the collection is locked') });
    assert.equal(await locked.get('profile:l'), undefined, 'a locked keyring needs the user, not a retry');
    assert.match(locked.lastProblem() ?? '', /is locked/);
    assert.deepEqual(made.splice(0), ['profile:l']);

    const down = createKeychain({ entryFactory: () => { made.push('down'); throw new Error('Platform failure: no Secret Service on the bus'); } });
    await down.get('profile:d');
    assert.deepEqual(made.splice(0), ['down', 'down'], 'the first failure is retried once');
    await down.get('profile:d');
    assert.deepEqual(made.splice(0), ['down'], 'once known down, a call is answered at once');
  });

  test("the problem ends with the front end's own note on a secret entered meanwhile (a CLI run keeps none for a session)", async () => {
    const refusing = () => {
      throw new Error('Platform failure: no Secret Service on the bus');
    };
    const cli = createKeychain({ entryFactory: refusing, unavailableNote: 'Until then give the secret in ENGAGEMENT_DESK_SECRET.' });
    await cli.get('profile:y');
    assert.equal(
      cli.lastProblem(),
      'The OS keychain is not available, so secrets cannot be read from it or saved in it. ' +
        `Start ${process.platform === 'linux' ? 'your keyring (GNOME Keyring, KWallet)' : 'the system keychain'} and try again. Until then give the secret in ENGAGEMENT_DESK_SECRET.`,
    );
    const app = createKeychain({ entryFactory: refusing });
    await app.get('profile:y');
    assert.equal(app.lastProblem(), cli.lastProblem()?.replace('Until then give the secret in ENGAGEMENT_DESK_SECRET.', APP_SESSION_NOTE));
  });

  test('Linux pins the Secret Service: a session bus without it fails instead of using the kernel keyring', { skip: process.platform !== 'linux' }, async () => {
    // With no D-Bus address at all the Secret Service cannot be reached; the store must not fall back silently.
    const { spawnSync } = await import('node:child_process');
    const script = `
      import { createKeychain } from './main/platform/keychain.ts';
      const k = createKeychain();
      const where = await k.set('profile:pin-test', 'x');
      console.log(where);`;
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, encoding: 'utf8' });
    assert.equal(result.stdout.trim(), 'session', result.stderr);
  });
});
