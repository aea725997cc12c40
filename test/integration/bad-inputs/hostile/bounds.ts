// Bad-input rows of issue #18 (hostile servers, files and pages): bounds. Each row names the exact message the user
// sees and catalogue.test.ts proves that nothing the user had was lost.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCliProcess } from '../../../support/cli';
import { withIterations } from '../../../support/p12-iterations';
import {
  APP_ID_RULE,
  CERT_NOT_UPLOADED,
  NOTHING_SENT,
  at,
  base,
  checkDropped,
  downloadCert,
  err,
  importRecipients,
  input,
  saveProfile,
  seen,
  uploadCert,
  verdict,
  type BadInput,
  type Seen,
} from '../cases';
import { PASSPHRASE, type World } from '../world';

const ROUNDS_8M =
  'The certificate file asks for 8,000,000 key-derivation rounds (MAC); at most 50,000 are accepted, and tools write 2,048 to 10,000. Export the certificate again with the usual settings (for example openssl pkcs12 -export without -iter).';
const DOT_SEGMENT = (id: string) =>
  `The application ID "${id}" is not an ID: in a URL it names a folder, so the request would go to another endpoint. ${APP_ID_RULE}${NOTHING_SENT}`;
const TEN_MB = 'x'.repeat(10 * 1024 * 1024);

/** The emulator's requests so far whose path is not an application's (what `..` or `.` would have reached). */
const strayRequests = (w: World) => w.emulator.requests.filter((r) => /\/api\/v1\/(windows|downloadwindowscert)/.test(r.path)).length;
let strayBefore = 0;

async function hostileP12(w: World): Promise<string> {
  return input(w, 'slow-kdf.p12', withIterations(await readFile(w.files.p12), 8_000_000));
}

/** The built CLI with --json, in its own data folder holding one profile without a secret (nothing is read from
 * the keychain: the app id is refused first). */
let cliHome: Promise<string> | undefined;
async function cli(w: World, args: string[]): Promise<Seen> {
  cliHome ??= (async () => {
    const home = join(w.temp.dir, 'cli-bounds');
    await mkdir(home, { recursive: true });
    const added = await runCliProcess(['profile', 'add', 'Emulator', '--url', w.emulator.url, '--auth', 'basic', '--user', 'admin'], { home });
    if (added.code !== 0) throw new Error(`profile add failed: ${added.stderr}`);
    return home;
  })();
  const run = await runCliProcess([...args, '--json'], { home: await cliHome });
  const out = run.json() as { ok: boolean; error?: { code: string; message: string } };
  if (out.ok) throw new Error(`the CLI succeeded: ${run.stdout}`);
  return err(`${out.error?.code} (exit ${run.code})`, out.error?.message ?? '');
}

export const HOSTILE_BOUNDS_INPUTS: BadInput[] = [
  // --- key-derivation rounds in a .p12 ----------------------------------------------------------------------------
  {
    name: '.p12 asking for 8 million key-derivation rounds, dropped without a passphrase',
    category: 'file',
    via: 'ipc',
    act: async (w) => checkDropped(w, await hostileP12(w), 'p12'),
    expected: () => verdict('p12-unsupported', ROUNDS_8M),
  },
  {
    name: '.p12 asking for 8 million key-derivation rounds, uploaded with its passphrase',
    category: 'file',
    via: 'service',
    act: async (w) => {
      strayBefore = w.emulator.requests.length;
      return uploadCert(w, await hostileP12(w), { passphrase: PASSPHRASE });
    },
    expected: () => err('validation', `${CERT_NOT_UPLOADED}${ROUNDS_8M}${NOTHING_SENT}`),
    verify: (w) => {
      if (w.emulator.requests.length !== strayBefore) throw new Error('the upload reached the server');
    },
  },
  // --- secrets ------------------------------------------------------------------------------------------------------
  {
    name: '10 MB password saved with a profile',
    category: 'profile',
    via: 'ipc',
    act: (w) => saveProfile(w, { name: 'Huge secret', baseUrl: w.emulator.url }, TEN_MB),
    expected: () =>
      err(
        'validation',
        'The password or API key is longer than 4,096 characters, more than any real one: check that you pasted the password or API key and nothing else. (secret)',
      ),
  },
  {
    name: '10 KB passphrase remembered for a draft',
    category: 'form',
    via: 'ipc',
    act: async (w) => seen(await w.invoke('draftsSetPassphrase', { id: w.keptDraft.id, passphrase: 'p'.repeat(10_000), remember: true })),
    expected: () =>
      err(
        'validation',
        'The passphrase is longer than 4,096 characters, more than any real one: check that you pasted the passphrase and nothing else. (passphrase)',
      ),
  },
  // --- recipients -----------------------------------------------------------------------------------------------------
  {
    name: 'recipients CSV of a million rows (7 MB)',
    category: 'file',
    via: 'ipc',
    act: async (w) => {
      const rows = Array.from({ length: 1_000_000 }, (_, i) => String(i + 1)).join('\n');
      return importRecipients(w, (at.millionCsv = await input(w, 'million.csv', `id\n${rows}\n`)));
    },
    expected: () =>
      err(
        'validation',
        `Recipients file ${base(at.millionCsv!)}, line 100002: the file has more than 100,000 recipients, and a batch takes at most 100,000; split it into files of at most 100,000 recipients.`,
      ),
  },
  // --- app ids are one URL segment ---------------------------------------------------------------------------------------
  {
    name: 'app ID ".." (would upload to POST /api/v1/windows)',
    category: 'form',
    via: 'service',
    act: (w) => {
      strayBefore = strayRequests(w);
      return uploadCert(w, w.files.p12, { appId: '..' });
    },
    expected: () => err('validation', DOT_SEGMENT('..')),
    verify: (w) => {
      if (strayRequests(w) !== strayBefore) throw new Error('a request reached /api/v1/windows');
    },
  },
  {
    name: 'app ID "." (download)',
    category: 'form',
    via: 'ipc',
    act: (w) => downloadCert(w, { appId: '.' }),
    expected: () => err('validation', DOT_SEGMENT('.')),
  },
  {
    // The app's payload guard refuses control characters in any field first; the CLI and drafts reach this check.
    name: 'app ID with an escape sequence (upload, as the CLI sends it)',
    category: 'form',
    via: 'service',
    act: (w) => uploadCert(w, w.files.p12, { appId: 'App\u001b[2J' }),
    expected: () => err('validation', `The application ID "App\\u001b[2J" contains a control character (U+001B). ${APP_ID_RULE}${NOTHING_SENT}`),
  },
  {
    name: 'app ID "..", from the CLI (same text as the app)',
    category: 'form',
    via: 'cli',
    act: (w) => {
      strayBefore = strayRequests(w);
      return cli(w, ['cert', 'download', '--profile', 'Emulator', '--app', '..', '--out', w.downloads]);
    },
    expected: () => err('validation (exit 2)', DOT_SEGMENT('..')),
    verify: (w) => {
      if (strayRequests(w) !== strayBefore) throw new Error('a request reached /api/v1/downloadwindowscert');
    },
  },
];
