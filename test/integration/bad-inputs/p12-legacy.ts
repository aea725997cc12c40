// Bad-input rows of issue #16 point 6, .p12 compatibility: `engagement-desk p12 legacy IN OUT` never replaces a file
// (the original above all) and names why a copy cannot be made; a PBMAC1 file (RFC 9579) whose MAC was changed is
// told apart from a wrong passphrase. catalogue.test.ts proves the user's files unchanged, and each row that no copy
// appeared or nothing was sent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCliProcess } from '../../support/cli';
import { readFile } from 'node:fs/promises';
import { withPbmac1 } from '../../support/pbmac1';
import { CERT_NOT_UPLOADED, checkDropped, err, input, NOTHING_SENT, uploadCert, verdict, type BadInput, type Seen } from './cases';
import { PASSPHRASE, type World } from './world';

/** The refusal of one --json run of p12 legacy, as "code (exit N)" and its message. */
async function legacyCopy(w: World, from: string, to: string, passphrase = PASSPHRASE): Promise<Seen> {
  const run = await runCliProcess(['p12', 'legacy', from, to, '--passphrase-stdin', '--json'], { home: join(w.temp.dir, 'cli-p12'), stdin: passphrase });
  const out = run.json() as { ok: boolean; error?: { code: string; message: string } };
  if (out.ok) throw new Error(`the copy was made: ${run.stdout}`);
  return err(`${out.error?.code} (exit ${run.code})`, out.error?.message ?? '');
}

const copyOf = (w: World) => join(w.downloads, 'push-legacy.p12');
const noCopy = (w: World) => {
  if (existsSync(copyOf(w))) throw new Error('a copy was written');
};

const CHANGED_MAC =
  "The certificate file's integrity check (PBMAC1) fails, although the passphrase opens it: the file was changed after it was exported. Export the certificate again.";

/** The world's certificate as a PBMAC1 file whose MAC was changed, placed among the user's files. */
async function changedPbmac1(w: World): Promise<string> {
  return input(w, 'pbmac1-changed.p12', withPbmac1(await readFile(w.files.p12), { passphrase: PASSPHRASE, forge: true }));
}

export const P12_LEGACY_INPUTS: BadInput[] = [
  {
    name: 'PBMAC1 .p12 whose MAC was changed, as the drop check shows it',
    category: 'file',
    via: 'ipc',
    act: async (w) => checkDropped(w, await changedPbmac1(w), 'p12', { passphrase: PASSPHRASE }),
    expected: () => verdict('p12-integrity', CHANGED_MAC),
  },
  {
    name: 'PBMAC1 .p12 whose MAC was changed, uploaded',
    category: 'file',
    via: 'service',
    act: async (w) => uploadCert(w, await changedPbmac1(w)),
    expected: () => err('validation', `${CERT_NOT_UPLOADED}${CHANGED_MAC}${NOTHING_SENT}`),
  },
  {
    name: 'p12 legacy copy over its own original, from the CLI',
    category: 'file',
    via: 'cli',
    act: (w) => legacyCopy(w, w.files.p12, w.files.p12),
    expected: (w) =>
      err('validation (exit 2)', `The copy would replace the original ${w.files.p12}. Give the copy another name, for example ${w.files.p12.replace(/\.p12$/, '-legacy.p12')}.`),
  },
  {
    name: 'p12 legacy copy over an existing file, from the CLI',
    category: 'file',
    via: 'cli',
    act: async (w) => legacyCopy(w, w.files.p12, await input(w, 'kept.p12', 'a file the user keeps')),
    expected: (w) => err('validation (exit 2)', `${join(w.inputs, `${lastInput(w)}`)} already exists. Give the copy a new name: an existing file is never replaced.`),
  },
  {
    name: 'p12 legacy copy with a wrong passphrase, from the CLI',
    category: 'form',
    via: 'cli',
    act: (w) => legacyCopy(w, w.files.p12, copyOf(w), 'not-the-passphrase'),
    expected: (w) =>
      err(
        'validation (exit 2)',
        `No copy was made of ${w.files.p12}: The passphrase is wrong for this certificate file. Enter the passphrase that was set when the certificate was exported.`,
      ),
    verify: noCopy,
  },
  {
    name: 'p12 legacy copy of a file that is not PKCS#12, from the CLI',
    category: 'file',
    via: 'cli',
    act: async (w) => legacyCopy(w, await input(w, 'notes.p12', 'not a certificate at all, just text'), copyOf(w)),
    expected: (w) => err('file (exit 2)', `No copy was made of ${join(w.inputs, lastInput(w))}: This is not a PKCS#12 (.p12 / .pfx) file. Choose the certificate exported as .p12 or .pfx.`),
    verify: noCopy,
  },
];

/** The name input() gave the row's last file (its counter prefix included). */
function lastInput(w: World): string {
  return [...w.created.keys()].pop() ?? '';
}
