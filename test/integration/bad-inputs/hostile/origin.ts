// Bad-input rows of issue #18 (hostile servers, files and pages): origin. Each row names the exact message the user
// sees and catalogue.test.ts proves that nothing the user had was lost. Here: a secret stays with the server origin
// and login URL it was entered for (point 1), and the connection test tells where it really went (point 9).
import { mkdirSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openSettingsStore, PROFILES_KEY } from '../../../../main/platform/settings-store';
import { runCliProcess } from '../../../support/cli';
import { assertNothingReached, downloadCert, err, seen, type BadInput, type Seen } from '../cases';
import { EMULATOR_PASSWORD, type World } from '../world';

/** How many requests the other origin (127.0.0.2) had recorded when the row started. */
let elsewhereBefore = 0;
/** config.json's profiles before a row edits the file by hand, put back afterwards. */
let handEdited: unknown;
let closedPort = 0;

/** The app's profile form saves an existing world profile with these changes and no secret. */
function editWithoutSecret(w: World, name: string, changes: Record<string, unknown>): Promise<Seen> {
  elsewhereBefore = w.elsewhere.seen.length;
  const current = w.services.profiles.require(name);
  return w
    .invoke('profileSave', {
      profile: { id: current.id, name, baseUrl: current.baseUrl, authMode: current.authMode, username: current.username, ...changes },
    })
    .then(seen);
}

/** Edits config.json by hand, as a user with a text editor (or anything else that can write it) would. */
function editConfigByHand(w: World, change: (profile: { name: string; baseUrl: string; loginUrl?: string }) => object): void {
  const store = openSettingsStore(w.dataDir);
  handEdited = store.get(PROFILES_KEY);
  store.set(PROFILES_KEY, (handEdited as { name: string; baseUrl: string }[]).map((p) => (p.name === 'Scripted' ? change(p) : p)));
}

function putConfigBack(w: World): void {
  if (handEdited !== undefined) openSettingsStore(w.dataDir).set(PROFILES_KEY, handEdited);
  handEdited = undefined;
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

const origin = (url: string) => new URL(url).origin;

export const HOSTILE_ORIGIN_INPUTS: BadInput[] = [
  {
    name: 'profile edit moves the server to another origin without the password',
    category: 'profile',
    via: 'ipc',
    act: (w) => editWithoutSecret(w, 'Emulator', { baseUrl: w.elsewhere.url }),
    expected: (w) =>
      err(
        'validation',
        `The server of the profile "Emulator" changes from ${origin(w.emulator.url)} to ${w.elsewhere.url}, and its password was entered for ${origin(w.emulator.url)} only. Enter the password again to save the new server address, or keep the old one.`,
      ),
    verify: async (w) => {
      // The page's next step, Test connection, goes to the profile's own server, never to the other origin.
      await w.invoke('profileTest', { id: w.profileIds.Emulator });
      assertNothingReached(w.elsewhere.seen, 'edited profile', elsewhereBefore);
    },
  },
  {
    name: 'profile edit moves the server to another port of the same host without the password',
    category: 'profile',
    via: 'ipc',
    act: (w) => editWithoutSecret(w, 'Emulator', { baseUrl: w.scriptedUrl }),
    expected: (w) =>
      err(
        'validation',
        `The server of the profile "Emulator" changes from ${origin(w.emulator.url)} to ${w.scriptedUrl}, and its password was entered for ${origin(w.emulator.url)} only. Enter the password again to save the new server address, or keep the old one.`,
      ),
  },
  {
    name: 'profile edit moves the login URL to another origin without the password',
    category: 'profile',
    via: 'ipc',
    act: (w) => editWithoutSecret(w, 'Emulator', { authMode: 'token', loginUrl: `${w.elsewhere.url}/authService/accounts/login` }),
    expected: (w) =>
      err(
        'validation',
        `The login URL of the profile "Emulator" changes from ${origin(w.emulator.url)}/authService/accounts/login to ${w.elsewhere.url}/authService/accounts/login, and its password was entered for the old one only. Enter the password again to save the new login URL, or keep the old one.`,
      ),
    verify: (w) => assertNothingReached(w.elsewhere.seen, 'edited login URL', elsewhereBefore),
  },
  {
    name: 'config.json edited by hand to send a profile to another origin',
    category: 'profile',
    via: 'ipc',
    setup: (w) => editConfigByHand(w, (p) => ({ ...p, baseUrl: w.elsewhere.url })),
    act: async (w) => {
      elsewhereBefore = w.elsewhere.seen.length;
      return seen(await w.invoke('profileTest', { id: w.profileIds.Scripted }));
    },
    expected: (w) =>
      err(
        'auth-missing',
        `The password of the profile "Scripted" was entered for ${w.scriptedUrl}, but the profile now points at ${w.elsewhere.url}. Engagement Desk sends a password only to the server it was entered for: open the profile and enter the password again if ${w.elsewhere.url} is right.`,
      ),
    verify: (w) => assertNothingReached(w.elsewhere.seen, 'hand-edited profile', elsewhereBefore),
    teardown: putConfigBack,
  },
  {
    name: 'config.json edited by hand to log in at another origin',
    category: 'profile',
    via: 'ipc',
    setup: (w) => editConfigByHand(w, (p) => ({ ...p, authMode: 'token', loginUrl: `${w.elsewhere.url}/login` })),
    act: async (w) => {
      elsewhereBefore = w.elsewhere.seen.length;
      return seen(await w.invoke('profileTest', { id: w.profileIds.Scripted }));
    },
    expected: (w) =>
      err(
        'auth-missing',
        `The password of the profile "Scripted" was entered for the login URL ${w.scriptedUrl}/authService/accounts/login, but the profile now logs in at ${w.elsewhere.url}/login. Engagement Desk sends a password only where it was entered for: open the profile and enter the password again if the new login URL is right.`,
      ),
    verify: (w) => assertNothingReached(w.elsewhere.seen, 'hand-edited login URL', elsewhereBefore),
    teardown: putConfigBack,
  },
  {
    name: 'profile add --replace moves the server to another origin without --password-stdin',
    category: 'profile',
    via: 'cli',
    act: async (w) => {
      const home = join(w.temp.dir, 'cli-origin');
      mkdirSync(home, { recursive: true });
      const add = ['profile', 'add', 'Moving', '--auth', 'basic', '--user', 'admin'];
      const first = await runCliProcess([...add, '--url', w.emulator.url, '--password-stdin'], { home, stdin: EMULATOR_PASSWORD });
      if (first.code !== 0) throw new Error(`profile add failed: ${first.stderr}`);
      const moved = await runCliProcess([...add, '--url', w.elsewhere.url, '--replace', '--json'], { home });
      const out = moved.json() as { ok: boolean; error?: { code: string; message: string } };
      await runCliProcess(['profile', 'remove', 'Moving'], { home });
      if (out.ok) throw new Error(`the CLI moved the profile: ${moved.stdout}`);
      return err(`${out.error?.code} (exit ${moved.code})`, out.error?.message ?? '');
    },
    expected: (w) =>
      err(
        'validation (exit 2)',
        `The server of the profile "Moving" changes from ${origin(w.emulator.url)} to ${w.elsewhere.url}, and its password was entered for ${origin(w.emulator.url)} only. Run profile add again with --replace and --password-stdin (or on a terminal) to give the password to save the new server address, or keep the old one.`,
      ),
  },
  {
    name: 'connection test redirected to another origin',
    category: 'server',
    via: 'ipc',
    act: async (w) => {
      elsewhereBefore = w.elsewhere.seen.length;
      w.script.handler = (req, res) => res.writeHead(302, { location: `${w.elsewhere.url}${req.url ?? '/'}` }).end();
      return seen(await w.invoke('profileTest', { id: w.profileIds.Scripted }));
    },
    expected: (w) =>
      err(
        'unexpected-response',
        `The server at ${w.scriptedUrl} redirected to ${w.elsewhere.url}, another server, so the connection was not confirmed (Engagement Desk does not send your credentials there). If ${w.elsewhere.url} is your Engagement server, put its address in the profile; otherwise ask the server's administrator why it redirects.`,
      ),
    verify: (w) => assertNothingReached(w.elsewhere.seen, 'redirected connection test', elsewhereBefore),
  },
  {
    name: 'download redirected to a closed port',
    category: 'server',
    via: 'ipc',
    act: async (w) => {
      closedPort = await freePort();
      w.script.handler = (req, res) => res.writeHead(302, { location: `http://127.0.0.1:${closedPort}${req.url ?? '/'}` }).end();
      return downloadCert(w, { profile: 'Scripted' });
    },
    expected: () =>
      err('network', `Could not connect to 127.0.0.1:${closedPort}: the connection was refused. Is the server running and is the URL right?`),
  },
];
