// Bad-input rows of issue #16 point 4: the CLI's secrets. A secret the keychain cannot take is refused (exit 3) with
// what to do, not kept in a process about to end; a profile from the environment (ENGAGEMENT_DESK_URL) that lacks a
// part names the variable to set; a usage error with --json is one JSON object. Each row runs the built CLI in a data
// folder of its own and proves that nothing was written there or to the keychain.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCliProcess, type CliRun } from '../../support/cli';
import { err, type BadInput, type Seen } from './cases';
import { EMULATOR_PASSWORD, type World } from './world';

/** A session bus address where nothing listens: no keychain at all, as on a headless CI runner. */
const NO_BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/engagement-desk-bus' };
/** A secret only these rows use: no keychain item may hold it afterwards. */
const ROW_SECRET = 'cli-secrets-row-Pw-5e1';

let homes = 0;
/** A data folder path of the row's own, created only when `create`. */
function rowHome(w: World, create = false): string {
  const home = join(w.temp.dir, `cli-secrets-${++homes}`);
  if (create) mkdirSync(home, { recursive: true });
  return home;
}

/** The refusal a --json run printed, as "code (exit N)" and its message. */
function refusal(run: CliRun): Seen {
  const out = run.json() as { ok: boolean; error?: { code: string; message: string } };
  if (out.ok) throw new Error(`the CLI succeeded: ${run.stdout}`);
  return err(`${out.error?.code} (exit ${run.code})`, out.error?.message ?? '');
}

/** Nothing of the row went anywhere: its data folder is as it was (absent or empty), no keychain item holds its secret. */
function nothingWritten(home: string, existed: boolean): void {
  if (existed ? readdirSync(home).length !== 0 : existsSync(home)) throw new Error(`something was written to ${home}`);
  const items = execFileSync('secret-tool', ['search', '--all', '--unlock', 'service', 'Engagement Desk'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (items.includes(`secret = ${ROW_SECRET}\n`)) throw new Error("the row's secret is in the keychain");
}

const homeOf = new Map<string, string>();

function envRow(name: string, env: (w: World) => NodeJS.ProcessEnv, expected: Seen): BadInput {
  return {
    name,
    category: 'profile',
    via: 'cli',
    act: async (w) => {
      const home = rowHome(w);
      homeOf.set(name, home);
      return refusal(await runCliProcess(['cert', 'download', '--app', 'App1', '--out', w.downloads, '--json'], { home, env: env(w) }));
    },
    expected: () => expected,
    verify: () => nothingWritten(homeOf.get(name)!, false),
  };
}

export const CLI_SECRETS_INPUTS: BadInput[] = [
  {
    name: 'profile add with no usable keychain, from the CLI (nothing saved, exit 3)',
    category: 'profile',
    via: 'cli',
    act: async (w) => {
      const home = rowHome(w, true);
      homeOf.set('no-keychain', home);
      const run = await runCliProcess(['profile', 'add', 'ci', '--url', w.emulator.url, '--auth', 'basic', '--user', 'admin', '--password-stdin', '--json'], {
        home,
        stdin: ROW_SECRET,
        env: NO_BUS,
      });
      return refusal(run);
    },
    expected: () =>
      err(
        'keychain-unavailable (exit 3)',
        'Nothing was saved: the secret could not be stored in the OS keychain. The OS keychain is not available, so secrets cannot be read from it or saved in it. Start your keyring (GNOME Keyring, KWallet) and try again. Until then give the secret to each command in ENGAGEMENT_DESK_SECRET. Or, for this run only, add --session-secret (the secret is forgotten when the command ends).',
      ),
    verify: () => {
      const home = homeOf.get('no-keychain')!;
      // Opening the data folder makes its draft and outbox folders; no profile is saved without its secret.
      if (existsSync(join(home, 'config.json'))) throw new Error('the profile was saved without its secret');
      nothingWritten(join(home, 'no-such-folder'), false);
    },
  },
  envRow(
    'profile from the environment without ENGAGEMENT_DESK_AUTH',
    (w) => ({ ENGAGEMENT_DESK_URL: w.emulator.url, ENGAGEMENT_DESK_USER: 'admin', ENGAGEMENT_DESK_SECRET: ROW_SECRET }),
    err('validation (exit 2)', 'ENGAGEMENT_DESK_URL is set, so the profile comes from the environment, but ENGAGEMENT_DESK_AUTH is not set: set it to one of basic, token, apikey.'),
  ),
  envRow(
    'profile from the environment with an unknown ENGAGEMENT_DESK_AUTH',
    (w) => ({ ENGAGEMENT_DESK_URL: w.emulator.url, ENGAGEMENT_DESK_AUTH: 'password', ENGAGEMENT_DESK_USER: 'admin', ENGAGEMENT_DESK_SECRET: ROW_SECRET }),
    err('validation (exit 2)', 'ENGAGEMENT_DESK_URL is set, so the profile comes from the environment, but ENGAGEMENT_DESK_AUTH is "password": set it to one of basic, token, apikey.'),
  ),
  envRow(
    'profile from the environment without ENGAGEMENT_DESK_SECRET',
    (w) => ({ ENGAGEMENT_DESK_URL: w.emulator.url, ENGAGEMENT_DESK_AUTH: 'apikey' }),
    err('auth-missing (exit 3)', 'ENGAGEMENT_DESK_URL is set, so the profile comes from the environment, but ENGAGEMENT_DESK_SECRET is not set: set it to the App API key.'),
  ),
  envRow(
    'profile from the environment without ENGAGEMENT_DESK_USER for Basic',
    (w) => ({ ENGAGEMENT_DESK_URL: w.emulator.url, ENGAGEMENT_DESK_AUTH: 'basic', ENGAGEMENT_DESK_SECRET: ROW_SECRET }),
    err('validation (exit 2)', 'Enter the user name: Basic authentication needs one.'),
  ),
  {
    name: 'a send with neither --profile nor ENGAGEMENT_DESK_URL, from the CLI',
    category: 'form',
    via: 'cli',
    act: async (w) => refusal(await runCliProcess(['cert', 'download', '--app', 'App1', '--out', w.downloads, '--json'], { home: rowHome(w) })),
    expected: () =>
      err(
        'validation (exit 2)',
        'Name the server profile with --profile NAME, or describe one in the environment with ENGAGEMENT_DESK_URL, ENGAGEMENT_DESK_AUTH, ENGAGEMENT_DESK_USER and ENGAGEMENT_DESK_SECRET.',
      ),
  },
  {
    name: 'unknown option with --json, from the CLI (one JSON object)',
    category: 'form',
    via: 'cli',
    act: async (w) => refusal(await runCliProcess(['profile', 'add', 'x', '--url', w.emulator.url, '--auth', 'basic', '--pasword-stdin', '--json'], { home: rowHome(w), stdin: EMULATOR_PASSWORD })),
    expected: () => err('usage (exit 2)', "Unknown option '--pasword-stdin'\n(Did you mean --password-stdin?)"),
  },
];
