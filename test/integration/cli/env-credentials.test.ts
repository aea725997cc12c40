// The built CLI in a CI pipeline (issue #16, point 4): credentials from the environment against the emulator over
// loopback, with the real keychain snapshotted around each run; secrets that the keychain cannot take are refused
// (exit 3) rather than lost; listings tell a keychain they could not ask from one that holds nothing; --json prints
// one object even for a usage error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Draft } from '../../../preload/contract';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { runCliProcess, type CliRun } from '../../support/cli';
import { makeP12 } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

/** Given only in the environment: no keychain item may ever hold it. */
const PASSWORD = 'Env-Only-Secret-4b81c';
/** The password of profiles saved the usual way (keychain). */
const SAVED_PASSWORD = 'Saved-Secret-0c2d9';
const SAVED_USER = 'desk-admin';
const API_KEY = 'env-api-key-77d0e2aa';
const USER = 'ci-runner';
const PASSPHRASE = 'p12-pass';
/** A session bus address where nothing listens: the keychain cannot be reached at all. */
const NO_BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/engagement-desk-bus' };

let emulator: Emulator;
let tmp: { dir: string; remove(): Promise<void> };
let certPath: string;
let homes = 0;

/** A data folder path of its own for each test (not created). */
const freshHome = () => join(tmp.dir, `home-${++homes}`);

function envProfile(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ENGAGEMENT_DESK_URL: emulator.url,
    ENGAGEMENT_DESK_AUTH: 'basic',
    ENGAGEMENT_DESK_USER: USER,
    ENGAGEMENT_DESK_SECRET: PASSWORD,
    ...extra,
  };
}

/**
 * The keychain items of Engagement Desk that have these attributes, as secret-tool prints them on stdout (label and
 * secret; it prints the attributes on stderr). Other test files write there at the same time, so a run is proved
 * not to have written by what it would have written: its secret, its profile's entries.
 */
function keychainItems(...attributes: string[]): string[] {
  const out = execFileSync('secret-tool', ['search', '--all', '--unlock', 'service', 'Engagement Desk', ...attributes], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split(/^(?=\[\/)/m).filter((item) => item.trim() !== '');
}

/** No keychain item holds the secret, and none is stored under these accounts (profile:<id>, profile-origin:<id>). */
async function assertKeychainFree(secret: string, accounts: string[] = []): Promise<void> {
  if (process.platform === 'win32') {
    // The Credential Manager cannot be listed by service (Wine's cannot at all): each account is asked by name.
    const { AsyncEntry } = await import('@napi-rs/keyring');
    for (const account of accounts) assert.equal(await new AsyncEntry('Engagement Desk', account).getPassword(), null, `the keychain has an entry ${account}`);
    return;
  }
  const holding = keychainItems().filter((item) => item.includes(`secret = ${secret}\n`));
  assert.deepEqual(holding, [], 'the keychain holds the secret');
  for (const account of accounts) assert.deepEqual(keychainItems('username', account), [], `the keychain has an entry ${account}`);
}

/** The keychain accounts of a saved profile: its secret and where the secret may go. */
async function accountsOf(home: string, name: string): Promise<string[]> {
  const config = JSON.parse(await readFile(join(home, 'config.json'), 'utf8')) as { profiles: { id: string; name: string }[] };
  const id = config.profiles.find((p) => p.name === name)?.id;
  assert.ok(id, `no profile ${name}`);
  return [`profile:${id}`, `profile-origin:${id}`];
}

/** Every file under a folder with the SHA-256 of its content ('' when the folder does not exist). */
async function folderSnapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    const info = await stat(path);
    files.set(name, info.isFile() ? createHash('sha256').update(await readFile(path)).digest('hex') : 'folder');
  }
  return files;
}

async function textUnder(dir: string): Promise<string> {
  let text = '';
  for (const name of existsSync(dir) ? await readdir(dir, { recursive: true }) : []) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) text += await readFile(path, 'latin1');
  }
  return text;
}

/** A new data folder with one profile saved the usual way (its password in the keychain). */
async function homeWithSavedProfile(name: string): Promise<string> {
  const home = freshHome();
  await mkdir(home);
  const added = await runCliProcess(['profile', 'add', name, '--url', emulator.url, '--auth', 'basic', '--user', SAVED_USER, '--password-stdin'], {
    home,
    stdin: SAVED_PASSWORD,
  });
  assert.equal(added.code, 0, added.stderr);
  return home;
}

function assertNoSecret(run: CliRun, ...secrets: string[]): void {
  for (const secret of secrets) {
    assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `the secret was printed:\n${run.stdout}\n${run.stderr}`);
  }
}

before(async () => {
  tmp = await makeTempDir('cli-env');
  emulator = await startEmulator({
    dataDir: join(tmp.dir, 'emulator'),
    users: [
      { username: USER, password: PASSWORD },
      { username: SAVED_USER, password: SAVED_PASSWORD },
    ],
    apiKeys: [API_KEY],
    contextRoot: '/vpns',
  });
  certPath = join(tmp.dir, 'mpns.p12');
  await rename((await makeP12(tmp.dir, { passphrase: PASSPHRASE })).path, certPath);
});

after(async () => {
  await emulator.close();
  await tmp.remove();
});

describe('a whole profile from the environment (no --profile, ENGAGEMENT_DESK_URL set)', () => {
  test('sends, and writes nothing to the keychain and no data folder where there was none', async () => {
    const home = freshHome();
    const run = await runCliProcess(['cert', 'upload', '--app', 'EnvApp', '--cert', certPath, '--passphrase-stdin', '--json'], {
      home,
      stdin: PASSPHRASE,
      env: envProfile(),
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.json().ok, true);
    assert.ok(existsSync(join(tmp.dir, 'emulator')), 'the emulator received the certificate');
    assert.equal(existsSync(home), false, 'a data folder was created for a run from the environment');
    await assertKeychainFree(PASSWORD);
    assertNoSecret(run, PASSWORD);

    const download = await runCliProcess(['cert', 'download', '--app', 'EnvApp', '--out', join(tmp.dir, 'env-download.p12'), '--json'], {
      home,
      env: envProfile(),
    });
    assert.equal(download.code, 0, download.stdout + download.stderr);
    assert.equal(existsSync(home), false);
  });

  test('in an existing data folder, only the history gains the line of the send (without the secret)', async () => {
    // The folder as a machine that also keeps saved profiles has it.
    const home = await homeWithSavedProfile('saved');
    const filesBefore = await folderSnapshot(home);

    const run = await runCliProcess(['cert', 'upload', '--app', 'EnvApp2', '--cert', certPath, '--passphrase-stdin', '--json'], {
      home,
      stdin: PASSPHRASE,
      env: envProfile(),
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    await assertKeychainFree(PASSWORD);
    if (process.platform !== 'win32') {
      // The same search finds what profile add stored: an absence above is an absence.
      assert.ok(keychainItems().some((item) => item.includes(`secret = ${SAVED_PASSWORD}\n`)), 'the search does not see the saved secret');
      const [savedAccount] = await accountsOf(home, 'saved');
      assert.equal(keychainItems('username', savedAccount!).length, 1, 'the search by account does not see the saved entry');
    }
    const filesAfter = await folderSnapshot(home);
    const changed = [...filesAfter].filter(([name, hash]) => filesBefore.get(name) !== hash).map(([name]) => name);
    const removed = [...filesBefore.keys()].filter((name) => !filesAfter.has(name));
    assert.deepEqual(removed, []);
    // The history file, and its folder when this was the first send.
    assert.deepEqual(changed.filter((name) => name !== 'history'), [join('history', 'history.jsonl')]);
    const lines = (await readFile(join(home, 'history', 'history.jsonl'), 'utf8')).trim().split('\n');
    const line = JSON.parse(lines[lines.length - 1]!) as { profileName: string; status: string; appId: string };
    assert.deepEqual([line.profileName, line.status, line.appId], ['environment', 'sent', 'EnvApp2']);
    assert.ok(!(await textUnder(home)).includes(PASSWORD), 'the secret is in a file of the data folder');

    // The saved profiles are as they were: no "environment" profile appears.
    const list = await runCliProcess(['profile', 'list', '--json'], { home });
    assert.deepEqual((list.json().profiles as { name: string }[]).map((p) => p.name), ['Sandbox', 'saved']);
  });

  test('an App API key profile from the environment', async () => {
    const run = await runCliProcess(['cert', 'upload', '--app', 'EnvApp3', '--cert', certPath, '--passphrase-stdin', '--json'], {
      home: freshHome(),
      stdin: PASSPHRASE,
      env: { ENGAGEMENT_DESK_URL: emulator.url, ENGAGEMENT_DESK_AUTH: 'apikey', ENGAGEMENT_DESK_SECRET: API_KEY },
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assertNoSecret(run, API_KEY);
  });

  test('a wrong secret is rejected (exit 3) and the message does not repeat it', async () => {
    const wrong = 'not-the-Env-password-91';
    const run = await runCliProcess(['cert', 'download', '--app', 'EnvApp', '--out', tmp.dir, '--json'], {
      home: freshHome(),
      env: envProfile({ ENGAGEMENT_DESK_SECRET: wrong }),
    });
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.equal((run.json().error as { code: string }).code, 'auth-rejected');
    assertNoSecret(run, wrong);
  });

  test('missing or wrong variables are named, with what to set', async () => {
    const noAuth = await runCliProcess(['cert', 'download', '--app', 'A', '--out', tmp.dir, '--json'], {
      home: freshHome(),
      env: { ENGAGEMENT_DESK_URL: emulator.url },
    });
    assert.equal(noAuth.code, 2);
    assert.deepEqual(noAuth.json().error, {
      code: 'validation',
      message: 'ENGAGEMENT_DESK_URL is set, so the profile comes from the environment, but ENGAGEMENT_DESK_AUTH is not set: set it to one of basic, token, apikey.',
    });
    const noSecret = await runCliProcess(['cert', 'download', '--app', 'A', '--out', tmp.dir, '--json'], {
      home: freshHome(),
      env: { ENGAGEMENT_DESK_URL: emulator.url, ENGAGEMENT_DESK_AUTH: 'basic', ENGAGEMENT_DESK_USER: USER },
    });
    assert.equal(noSecret.code, 3);
    assert.deepEqual(noSecret.json().error, {
      code: 'auth-missing',
      message: 'ENGAGEMENT_DESK_URL is set, so the profile comes from the environment, but ENGAGEMENT_DESK_SECRET is not set: set it to the password.',
    });
    const noProfile = await runCliProcess(['cert', 'download', '--app', 'A', '--out', tmp.dir, '--json'], { home: freshHome() });
    assert.equal(noProfile.code, 2);
    assert.match((noProfile.json().error as { message: string }).message, /^Name the server profile with --profile NAME, or describe one in the environment/);
  });
});

describe('ENGAGEMENT_DESK_SECRET with --profile', () => {
  test("gives a saved profile's password for this run, and the keychain is neither asked nor written", async () => {
    const home = freshHome();
    await mkdir(home);
    // Saved without a secret (no terminal, no -stdin flag): CI keeps the profile, not the password.
    const added = await runCliProcess(['profile', 'add', 'ci', '--url', emulator.url, '--auth', 'basic', '--user', USER, '--json'], { home });
    assert.equal(added.code, 0, added.stderr);
    assert.equal((added.json().profile as { secretStorage: string }).secretStorage, 'none');
    const configBefore = await readFile(join(home, 'config.json'), 'utf8');

    const run = await runCliProcess(['cert', 'upload', '--profile', 'ci', '--app', 'EnvApp4', '--cert', certPath, '--passphrase-stdin', '--json'], {
      home,
      stdin: PASSPHRASE,
      env: { ENGAGEMENT_DESK_SECRET: PASSWORD },
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    await assertKeychainFree(PASSWORD, await accountsOf(home, 'ci'));
    assert.equal(await readFile(join(home, 'config.json'), 'utf8'), configBefore);
    assert.ok(!(await textUnder(home)).includes(PASSWORD), 'the secret is in a file of the data folder');
    assertNoSecret(run, PASSWORD);

    // Without the variable, the next run has no password: the environment's was for that run only.
    const later = await runCliProcess(['cert', 'download', '--profile', 'ci', '--app', 'EnvApp4', '--out', tmp.dir, '--json'], { home });
    assert.equal(later.code, 3, later.stdout);
    assert.equal((later.json().error as { code: string }).code, 'auth-missing');
  });

  test("the administrator's commands (apps, certs expiry) take it too", async () => {
    const home = freshHome();
    await mkdir(home);
    const added = await runCliProcess(['profile', 'add', 'ci-admin', '--url', emulator.url, '--auth', 'basic', '--user', USER, '--json'], { home });
    assert.equal(added.code, 0, added.stderr);
    const apps = await runCliProcess(['apps', 'list', '--profile', 'ci-admin', '--json'], { home, env: { ENGAGEMENT_DESK_SECRET: PASSWORD } });
    assert.equal(apps.code, 0, apps.stdout + apps.stderr);
    assert.ok((apps.json().apps as unknown[]).length > 0);
    const expiry = await runCliProcess(['certs', 'expiry', '--profile', 'ci-admin', '--json'], { home, env: { ENGAGEMENT_DESK_SECRET: PASSWORD } });
    assert.equal(expiry.code, 0, expiry.stdout + expiry.stderr);
    await assertKeychainFree(PASSWORD, await accountsOf(home, 'ci-admin'));
    assertNoSecret(apps, PASSWORD);
    // Without it, the saved profile has no password.
    const later = await runCliProcess(['apps', 'list', '--profile', 'ci-admin', '--json'], { home });
    assert.equal(later.code, 3, later.stdout);
  });

  test('profile test, drafts send and outbox flush take it too: a draft queued while the server was down is flushed with it', async () => {
    // A server of its own, stopped and started again on the same port.
    const own = await startEmulator({ dataDir: join(tmp.dir, 'emulator-drafts'), users: [{ username: USER, password: PASSWORD }], contextRoot: '/vpns' });
    const port = own.port;
    let server: Emulator | undefined = own;
    const home = freshHome();
    await mkdir(home);
    const env = { ENGAGEMENT_DESK_SECRET: PASSWORD };
    try {
      const added = await runCliProcess(['profile', 'add', 'ci-drafts', '--url', own.url, '--auth', 'basic', '--user', USER, '--json'], { home });
      assert.equal(added.code, 0, added.stderr);
      const profileId = (added.json().profile as { id: string }).id;

      const tested = await runCliProcess(['profile', 'test', 'ci-drafts', '--json'], { home, env });
      assert.equal(tested.code, 0, tested.stdout + tested.stderr);
      assert.match(String(tested.json().message), /PASSED|Connected/);
      const untested = await runCliProcess(['profile', 'test', 'ci-drafts', '--json'], { home });
      assert.equal((untested.json().error as { code: string }).code, 'auth-missing', 'without the variable there is no password');

      // A certificate draft as the app saves one, its passphrase remembered in the keychain (not the profile's secret).
      const { DraftsStore } = await import('../../../main/drafts/drafts-store');
      const { createKeychain } = await import('../../../main/platform/keychain');
      const { draftPassphraseAccount } = await import('../../../main/drafts/draft-sender');
      const store = await DraftsStore.open({ dataDir: home });
      const draft = await store.create({ kind: 'cert-upload', profileId, appId: 'EnvDraftApp', name: 'CI cert' });
      const cert = await store.addFile(draft.id, certPath);
      await store.save({ ...draft, payload: { appId: 'EnvDraftApp', cert, rememberPassphrase: true } } as Draft);
      await store.settled();
      const keychain = createKeychain();
      await keychain.set(draftPassphraseAccount(draft.id), PASSPHRASE);
      try {
        await server.close();
        server = undefined;
        // The server is down: with the secret the send gets as far as the network and is queued (exit 6).
        const queued = await runCliProcess(['drafts', 'send', draft.id, '--json'], { home, env });
        assert.equal(queued.code, 6, queued.stdout + queued.stderr);
        assert.equal((queued.json().result as { status: string }).status, 'queued');

        server = await startEmulator({ dataDir: join(tmp.dir, 'emulator-drafts'), users: [{ username: USER, password: PASSWORD }], contextRoot: '/vpns', port });
        const flushed = await runCliProcess(['outbox', 'flush', '--json'], { home, env });
        assert.equal(flushed.code, 0, flushed.stdout + flushed.stderr);
        assert.equal((flushed.json().result as { sent: number }).sent, 1);
        assert.ok(await server.storedCertificate('EnvDraftApp'), 'the queued certificate reached the server');

        const direct = await runCliProcess(['drafts', 'send', draft.id, '--json'], { home, env });
        assert.equal(direct.code, 0, direct.stdout + direct.stderr);
        assert.equal((direct.json().result as { status: string }).status, 'sent');
        for (const run of [tested, queued, flushed, direct]) assertNoSecret(run, PASSWORD);
        await assertKeychainFree(PASSWORD, await accountsOf(home, 'ci-drafts'));
        assert.ok(!(await textUnder(home)).includes(PASSWORD), 'the secret is in a file of the data folder');
      } finally {
        await keychain.delete(draftPassphraseAccount(draft.id));
      }
    } finally {
      await server?.close();
    }
  });

  test('outbox flush with entries of several profiles asks which one the secret belongs to, and sends nothing', async () => {
    // A port where nothing listens: each send is queued.
    const dead: Server = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/vpns`;
    await new Promise((resolve) => dead.close(resolve));
    const home = freshHome();
    await mkdir(home);
    const env = { ENGAGEMENT_DESK_SECRET: PASSWORD };
    const { DraftsStore } = await import('../../../main/drafts/drafts-store');
    const store = await DraftsStore.open({ dataDir: home });
    const drafts: string[] = [];
    for (const name of ['ci-one', 'ci-two']) {
      const added = await runCliProcess(['profile', 'add', name, '--url', url, '--auth', 'basic', '--user', USER, '--json'], { home });
      assert.equal(added.code, 0, added.stderr);
      const draft = await store.create({ kind: 'cert-upload', profileId: (added.json().profile as { id: string }).id, appId: 'EnvTwoApp', name: `cert ${name}` });
      const cert = await store.addFile(draft.id, certPath);
      await store.save({ ...draft, payload: { appId: 'EnvTwoApp', cert, rememberPassphrase: false } } as Draft);
      drafts.push(draft.id);
    }
    await store.settled();
    for (const id of drafts) {
      const queued = await runCliProcess(['drafts', 'send', id, '--passphrase-stdin', '--json'], { home, env, stdin: PASSPHRASE });
      assert.equal(queued.code, 6, queued.stdout + queued.stderr);
    }
    const flush = await runCliProcess(['outbox', 'flush', '--json'], { home, env });
    assert.equal(flush.code, 2, flush.stdout + flush.stderr);
    assert.deepEqual(flush.json().error, {
      code: 'validation',
      message:
        'ENGAGEMENT_DESK_SECRET is one profile\'s secret, but the outbox holds entries of the profiles "ci-one", "ci-two". Name the profile it belongs to with --profile NAME; the others use the keychain. Nothing was sent.',
    });
    const unknown = await runCliProcess(['outbox', 'flush', '--profile', 'ci-three', '--json'], { home, env });
    assert.equal((unknown.json().error as { code: string }).code, 'not-found');
    const listed = await runCliProcess(['outbox', 'list', '--json'], { home });
    const entries = (listed.json().outbox as { entries: Array<{ state: string; attempts: number }> }).entries;
    assert.deepEqual(entries.map((e) => [e.state, e.attempts]), [['queued', 1], ['queued', 1]], 'nothing was tried again');
  });

  test('a server that echoes the secret back: it is cut out of the output and of the history line', async () => {
    // Answers every request with a 500 whose text repeats the Basic password it was sent.
    const echo: Server = createServer((req, res) => {
      const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `login ${basic} failed` }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const home = freshHome();
      await mkdir(home);
      const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/vpns`;
      const run = await runCliProcess(['cert', 'upload', '--app', 'EchoApp', '--cert', certPath, '--passphrase-stdin'], {
        home,
        stdin: PASSPHRASE,
        env: { ENGAGEMENT_DESK_URL: url, ENGAGEMENT_DESK_AUTH: 'basic', ENGAGEMENT_DESK_USER: USER, ENGAGEMENT_DESK_SECRET: PASSWORD },
      });
      assert.equal(run.code, 5, run.stdout + run.stderr);
      assert.match(run.stderr, new RegExp(`login ${USER}:\\[redacted\\] failed`));
      assertNoSecret(run, PASSWORD);
      const history = await readFile(join(home, 'history', 'history.jsonl'), 'utf8');
      assert.match(history, /\[redacted\]/);
      assert.ok(!history.includes(PASSWORD), 'the secret is in the history');
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }
  });
});

describe('no usable keychain', { skip: process.platform === 'win32' ? 'made here by pointing the CLI at a D-Bus session without a Secret Service (Linux)' : false }, () => {
  test('profile add fails with exit 3 and saves nothing, unless --session-secret asks for a secret for this run', async () => {
    const home = freshHome();
    const run = await runCliProcess(['profile', 'add', 'nokeys', '--url', emulator.url, '--auth', 'basic', '--user', USER, '--password-stdin', '--json'], {
      home,
      stdin: PASSWORD,
      env: NO_BUS,
    });
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.deepEqual(run.json().error, {
      code: 'keychain-unavailable',
      message:
        'Nothing was saved: the secret could not be stored in the OS keychain. The OS keychain is not available, so secrets cannot be read from it or saved in it. Start your keyring (GNOME Keyring, KWallet) and try again. Until then give the secret to each command in ENGAGEMENT_DESK_SECRET. Or, for this run only, add --session-secret (the secret is forgotten when the command ends).',
    });
    assert.equal(existsSync(join(home, 'config.json')), false, 'the profile was saved without its secret');

    const session = await runCliProcess(
      ['profile', 'add', 'nokeys', '--url', emulator.url, '--auth', 'basic', '--user', USER, '--password-stdin', '--session-secret'],
      { home, stdin: PASSWORD, env: NO_BUS },
    );
    assert.equal(session.code, 0, session.stderr);
    assert.match(session.stdout, /\[secret for this run only\]/);
    assert.ok(
      session.stdout.includes(
        'Warning: The OS keychain is not available, so secrets cannot be read from it or saved in it. Start your keyring (GNOME Keyring, KWallet) and try again. Until then a secret you enter is kept for this run only (--session-secret) and is gone when this command ends. Later commands can take it from ENGAGEMENT_DESK_SECRET.\n',
      ),
      session.stdout,
    );
    assert.doesNotMatch(session.stdout + session.stderr, /this session only/);
    assertNoSecret(session, PASSWORD);
  });

  test('a listing says "keychain unavailable" for a secret it could not ask about, not "no secret stored"', async () => {
    const home = await homeWithSavedProfile('stored');

    const human = await runCliProcess(['profile', 'list'], { home, env: NO_BUS });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^stored .*\[keychain unavailable\] {2}On-premises \(\/vpns\)$/m);
    assert.doesNotMatch(human.stdout, /no secret stored/);
    assert.match(human.stderr, /^Warning: The OS keychain is not available/);

    const json = await runCliProcess(['profile', 'list', '--json'], { home, env: NO_BUS });
    const stored = (json.json().profiles as { name: string; secretStorage: string; hasSecret: unknown }[]).find((p) => p.name === 'stored');
    assert.deepEqual([stored?.secretStorage, stored?.hasSecret], ['unknown', null]);

    // With the keychain back, the secret is there: it was never lost.
    const back = await runCliProcess(['profile', 'list', '--json'], { home });
    const again = (back.json().profiles as { name: string; secretStorage: string }[]).find((p) => p.name === 'stored');
    assert.equal(again?.secretStorage, 'keychain');
  });
});

describe('--json on usage errors', () => {
  for (const [what, args, message] of [
    ['an unknown option', ['profile', 'list', '--bogus'], "Unknown option '--bogus'"],
    ['a missing argument', ['profile', 'remove'], "Missing required argument 'name'"],
    ['a missing option', ['cert', 'upload', '--profile', 'x'], "Required option '--app <appId>' not specified"],
    ['an unknown command', ['frobnicate'], "Unknown command 'frobnicate'"],
  ] as const) {
    test(`${what}: one JSON object on stdout, exit 2`, async () => {
      const run = await runCliProcess([...args, '--json'], { home: freshHome() });
      assert.equal(run.code, 2);
      assert.deepEqual(run.json(), { ok: false, error: { code: 'usage', message } });
      assert.equal(run.stderr, '');
    });
  }
});
