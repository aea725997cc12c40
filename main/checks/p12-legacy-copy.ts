// A copy of a .p12 that older Java servers read (3DES, SHA-1 MAC, the same passphrase), written next to the user's
// file and never over it: the copy is read back and compared with the original before it is kept.
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { link, lstat, open, readFile, realpath, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fail } from '../core/errors';
import { readPkcs12Contents } from '../core/p12';
import { Pkcs12ReadError } from '../core/p12-kdf-budget';
import { writeLegacyPkcs12, type Pkcs12Primitives } from '../core/p12-legacy-writer';
import { atomicTempName } from '../platform/atomic-file';
import { MAX_P12_BYTES } from './file-checks';

export const NODE_PKCS12_PRIMITIVES: Pkcs12Primitives = {
  sha1: (data) => createHash('sha1').update(data).digest(),
  hmacSha1: (key, data) => createHmac('sha1', key).update(data).digest(),
  tripleDesCbc: (key, iv, data) => {
    const cipher = createCipheriv('des-ede3-cbc', key, iv);
    return Buffer.concat([cipher.update(data), cipher.final()]);
  },
  randomBytes: (count) => randomBytes(count),
};

export interface LegacyCopyResult {
  path: string;
  bytes: number;
  sha256: string;
  /** What the original used and what the copy uses, as the check names them. */
  from: string[];
  to: string[];
}

const same = (a: Uint8Array[], b: Uint8Array[]) => a.length === b.length && a.every((item, i) => Buffer.compare(item, b[i]!) === 0);

function refusal(error: unknown, path: string): never {
  if (error instanceof Pkcs12ReadError) {
    fail(error.code === 'p12-wrong-passphrase' ? 'validation' : 'file', `No copy was made of ${path}: ${error.message}`);
  }
  throw error;
}

async function readOriginal(path: string): Promise<Uint8Array> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    fail('file', code === 'ENOENT' ? `File not found: ${path}.` : `Could not read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!info.isFile()) fail('file', `${path} is not a regular file. Choose the .p12 or .pfx certificate file.`);
  if (info.size > MAX_P12_BYTES) fail('file', `${path} is ${info.size.toLocaleString('en')} bytes, too large for a certificate file (at most 1 MiB). Choose the .p12 or .pfx file.`);
  return readFile(path);
}

/**
 * Writes the compatible copy of `input` at `output` (a new file: an existing one, the original above all, is never
 * replaced) and answers what it wrote. The copy is read back with the passphrase and must hold the same key and
 * certificates, or it is removed and the command fails.
 */
export async function writeLegacyCopy(input: string, output: string, passphrase: string): Promise<LegacyCopyResult> {
  const source = resolve(input);
  const target = resolve(output);
  const original = await readOriginal(source);
  const exists = await lstat(target).then(
    () => true,
    () => false,
  );
  if (exists) {
    const isOriginal = (await realpath(target).catch(() => target)) === (await realpath(source));
    fail(
      'validation',
      isOriginal
        ? `The copy would replace the original ${source}. Give the copy another name, for example ${join(dirname(source), basename(source).replace(/(\.(p12|pfx))?$/i, '-legacy.p12'))}.`
        : `${target} already exists. Give the copy a new name: an existing file is never replaced.`,
    );
  }
  let contents;
  try {
    contents = readPkcs12Contents(original, passphrase);
  } catch (error) {
    refusal(error, source);
  }
  const written = writeLegacyPkcs12({ privateKeyInfo: contents.privateKeyInfo, certificates: contents.certificates, passphrase }, NODE_PKCS12_PRIMITIVES);

  // Read back before it is kept: the same key and certificates, with the same passphrase.
  let check;
  try {
    check = readPkcs12Contents(written, passphrase);
  } catch (error) {
    fail('internal', `The copy could not be read back (${error instanceof Error ? error.message : String(error)}), so it was not saved. ${source} is unchanged.`);
  }
  if (Buffer.compare(check.privateKeyInfo, contents.privateKeyInfo) !== 0 || !same(check.certificates, contents.certificates)) {
    fail('internal', `The copy read back does not hold the same key and certificates, so it was not saved. ${source} is unchanged.`);
  }

  // Written beside the target, then linked into place: link() never replaces a file that appeared meanwhile.
  const temp = join(dirname(target), atomicTempName(basename(target)));
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(written);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temp, target);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') fail('validation', `${target} already exists. Give the copy a new name: an existing file is never replaced.`);
    if (code === 'ENOENT') fail('file', `The folder ${dirname(target)} does not exist. Choose an existing folder for the copy.`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') fail('file', `Cannot write in ${dirname(target)}. Choose another folder for the copy.`);
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  return {
    path: target,
    bytes: written.length,
    sha256: createHash('sha256').update(written).digest('hex'),
    from: contents.algorithms,
    to: check.algorithms,
  };
}
