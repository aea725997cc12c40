// Test files for the benchmark, built with the same fixture builders as the test suites.
import { createHash, randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makePkpass, samplePassImages } from '../../test/support/fixtures';
import { runTimed } from '../lib';

/** A file of random bytes written in 4 MiB chunks (never whole in memory); answers its SHA-256. */
export async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    let left = size;
    while (left > 0) {
      const chunk = randomBytes(Math.min(left, 4 * 1024 * 1024));
      hash.update(chunk);
      await handle.write(chunk);
      left -= chunk.length;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/**
 * A signed .pkpass of about `totalBytes` spread over `entries` extra files listed in the manifest (random, so
 * deflate cannot shrink them: the archive is really that big).
 */
export async function makeLargePkpass(dir: string, name: string, totalBytes: number, entries: number): Promise<string> {
  const files: Record<string, Uint8Array> = { ...samplePassImages() };
  const each = Math.max(1, Math.floor(totalBytes / entries));
  for (let i = 0; i < entries; i++) files[`assets/part-${String(i).padStart(4, '0')}.bin`] = randomBytes(each);
  return (await makePkpass(dir, { name, files })).path;
}

/**
 * Deletes a run's large download and commits that to disk before the next run starts: on a file system mounted with
 * `discard` (as here) the freed blocks are trimmed at the next journal commit, which would otherwise land in the
 * next run's fsync or sync, whichever side it is.
 */
export async function removeAndSettle(path: string): Promise<void> {
  await rm(path);
  const synced = await runTimed('sync', ['-f', dirname(path)]);
  if (synced.code !== 0) throw new Error(`sync -f failed: ${synced.stderr.trim()}`);
}
