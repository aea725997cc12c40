// Share a draft as ONE file (issue #5): a plain zip (stored, not compressed: certificates and passes are already
// compressed) holding manifest.json, draft.json and blobs/<sha256>. The manifest lists the SHA-256 and size of
// the draft JSON and of every blob; import checks every one of them, the entry names, sizes and the draft schema,
// and refuses the whole file on the first mismatch. The imported draft gets a new id.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline, Transform, type PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import type { Draft } from '../../preload/contract';
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  bundleManifestSchema,
  bundleProblems,
  draftFiles,
  MAX_DRAFT_FILE_BYTES,
  MAX_DRAFT_JSON_BYTES,
  parseDraftJson,
  type BundleManifest,
} from '../core/drafts';
import { appError, EngagementError, fail } from '../core/errors';
import { assertWindowsFileName, renameRetrying, syncDirectory } from '../platform/atomic-file';
import type { DraftsStore } from './drafts-store';

const MAX_MANIFEST_BYTES = 256 * 1024;
const MAX_ENTRIES = 64;
const MAX_BUNDLE_BYTES = 1024 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Export

export async function exportDraft(
  store: DraftsStore,
  draftId: string,
  destination: string,
  options: { profileName?: string; now?: () => Date } = {},
): Promise<{ path: string; bytes: number }> {
  assertWindowsFileName(destination);
  const draft = await store.get(draftId);
  const draftBytes = Buffer.from(JSON.stringify(draft, null, 2));
  const unique = new Map<string, { sha256: string; size: number; name: string }>();
  for (const { file } of draftFiles(draft)) unique.set(file.sha256, file);
  const blobs: Array<{ name: string; path: string; size: number; sha256: string }> = [];
  for (const file of unique.values()) {
    blobs.push({ name: `blobs/${file.sha256}`, path: await store.verifyBlob(file), size: file.size, sha256: file.sha256 });
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exportedAt: (options.now?.() ?? new Date()).toISOString(),
    ...(options.profileName ? { profileName: options.profileName } : {}),
    draft: { path: 'draft.json', sha256: sha256Of(draftBytes), size: draftBytes.length },
    blobs: blobs.map((b) => ({ path: b.name, sha256: b.sha256, size: b.size })),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
  return {
    path: destination,
    bytes: await writeZipAtomic(destination, [
      { name: 'manifest.json', data: manifestBytes },
      { name: 'draft.json', data: draftBytes },
      ...blobs,
    ]),
  };
}

type ZipSource = { name: string; data: Buffer } | { name: string; path: string; size: number; sha256: string };

/** Local header, data descriptor and central record of one stored entry with a UTF-8 name (no zip64). */
const ZIP_ENTRY_OVERHEAD = 30 + 16 + 46;

/**
 * Write a plain zip (stored entries) with yazl, which computes each CRC from the bytes as it writes them, so a file
 * that changes under the export can never produce a header that disagrees with its data. Every file is also hashed
 * on the way through and refused unless it still matches the manifest. Atomic: temp file, fsync, rename.
 */
async function writeZipAtomic(destination: string, sources: ZipSource[]): Promise<number> {
  let total = 22;
  for (const source of sources) {
    total += ZIP_ENTRY_OVERHEAD + 2 * Buffer.byteLength(source.name) + ('data' in source ? source.data.length : source.size);
  }
  // Bundles stay far below 4 GB; yazl would switch to zip64 above it, which older unzip tools cannot read.
  if (total > 0xfffffff0) fail('validation', 'The draft is too large to export as one file.');

  const temp = join(dirname(destination), `.${basename(destination)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as PassThrough;
  const reading = new Set<Readable>();
  // The first failure ends the read of the output below, which then removes the temp file.
  const abort = (error: Error) => output.destroy(error);
  zip.on('error', abort);
  const options = { compress: false, forceDosTimestamp: true, mtime: new Date() };
  for (const source of sources) {
    if ('data' in source) zip.addBuffer(source.data, source.name, options);
    else {
      zip.addReadStreamLazy(source.name, { ...options, size: source.size }, (callback) => {
        // Opened only when its turn comes, and checked as it streams: the bytes written are the bytes verified.
        const file = createReadStream(source.path);
        reading.add(file);
        const checked = pipeline(file, verifyAsRead(source), (error) => {
          reading.delete(file);
          if (error) abort(error);
        });
        callback(null, checked);
      });
    }
  }
  zip.end();

  let bytes = 0;
  try {
    for await (const chunk of output) {
      const data = chunk as Buffer;
      let done = 0;
      while (done < data.length) done += (await handle.write(data, done, data.length - done)).bytesWritten;
      bytes += data.length;
    }
    await handle.sync();
    await handle.close();
    await renameRetrying(temp, destination);
  } catch (error) {
    output.destroy();
    for (const file of reading) file.destroy();
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(destination));
  return bytes;
}

/** Passes a file's bytes through, failing at the end unless they are exactly the size and SHA-256 exported. */
function verifyAsRead(source: { name: string; size: number; sha256: string }): Transform {
  const hash = createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const changed =
        size !== source.size ? 'changed size' : hash.digest('hex') !== source.sha256 ? 'changed' : undefined;
      callback(changed ? new EngagementError(appError('file', `${source.name} ${changed} while it was being exported.`)) : null);
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Import

/**
 * Import an exported draft as a new draft. `resolveProfile` maps the exporting machine's profile (by name, then
 * id) to a local profile id; without a match the draft asks for a profile.
 */
export async function importDraft(
  store: DraftsStore,
  path: string,
  options: { resolveProfile?: (name: string | undefined, id: string | undefined) => string | undefined; now?: () => Date } = {},
): Promise<Draft> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) fail('file', `File not found: ${path}.`);
  if (info.size > MAX_BUNDLE_BYTES) refuse('the file is larger than any draft export can be');

  const zip = await openZip(path);
  try {
    const entries = await listEntries(zip);
    const byName = new Map<string, yauzl.Entry>();
    for (const entry of entries) {
      const name = entry.fileName;
      if (!(name === 'manifest.json' || name === 'draft.json' || /^blobs\/[0-9a-f]{64}$/.test(name))) {
        refuse(`unexpected entry "${name.slice(0, 100)}"`);
      }
      if (byName.has(name)) refuse(`the entry "${name}" appears twice`);
      if (entry.uncompressedSize > MAX_DRAFT_FILE_BYTES) refuse(`the entry "${name}" is too large`);
      byName.set(name, entry);
    }
    const manifestEntry = byName.get('manifest.json');
    const draftEntry = byName.get('draft.json');
    if (!manifestEntry) refuse('manifest.json is missing');
    if (!draftEntry) refuse('draft.json is missing');

    const manifestText = (await readEntry(zip, manifestEntry, MAX_MANIFEST_BYTES)).toString('utf8');
    let manifestValue: unknown;
    try {
      manifestValue = JSON.parse(manifestText);
    } catch {
      refuse('manifest.json is not valid JSON');
    }
    const parsedManifest = bundleManifestSchema.safeParse(manifestValue);
    if (!parsedManifest.success) {
      const issue = parsedManifest.error.issues[0];
      refuse(`manifest.json is not a draft export manifest (${issue?.path.join('.') || 'root'}: ${issue?.message})`);
    }
    const manifest = parsedManifest.data;

    const draftBytes = await readEntry(zip, draftEntry, MAX_DRAFT_JSON_BYTES);
    if (draftBytes.length !== manifest.draft.size || sha256Of(draftBytes) !== manifest.draft.sha256) {
      refuse('draft.json does not match its SHA-256 in the manifest: the file was changed after export');
    }
    let draft: Draft;
    try {
      draft = parseDraftJson(draftBytes.toString('utf8'));
    } catch (error) {
      refuse(`draft.json: ${(error as Error).message}`);
    }
    const problems = bundleProblems(draft, manifest);
    if (problems.length > 0) refuse(problems[0] ?? 'inconsistent manifest');
    const listed = new Set(manifest.blobs.map((b) => b.path));
    for (const name of byName.keys()) {
      if (name.startsWith('blobs/') && !listed.has(name)) refuse(`${name} is not listed in the manifest`);
    }

    // Every blob is streamed into the store and refused unless its bytes hash to the manifest's SHA-256.
    for (const blob of manifest.blobs) {
      const entry = byName.get(blob.path);
      if (!entry) refuse(`${blob.path} is listed in the manifest but missing`);
      if (entry.uncompressedSize !== blob.size) refuse(`${blob.path} has a different size than the manifest says`);
      const stream = await openEntryStream(zip, entry);
      try {
        await store.putBlob(stream, { sha256: blob.sha256, size: blob.size });
      } catch (error) {
        stream.destroy();
        const message = (error as Error).message;
        refuse(/SHA-256|larger/.test(message) ? `${blob.path} does not match its SHA-256 in the manifest: the file was changed after export` : message);
      }
    }

    const now = (options.now?.() ?? new Date()).toISOString();
    const profileId = options.resolveProfile?.(manifest.profileName, draft.profileId);
    const { profileId: _dropped, ...rest } = draft;
    const imported: Draft = {
      ...rest,
      ...(profileId ? { profileId } : {}),
      id: randomUUID(),
      createdAt: now,
      updatedAt: now,
      revision: 0,
    } as Draft;
    // A remembered secret stays with the draft it was remembered for: the import asks for it again.
    if (imported.kind === 'cert-upload') imported.payload = { ...imported.payload, rememberPassphrase: false };
    if (imported.kind === 'wns-credentials') imported.payload = { ...imported.payload, rememberSecret: false };
    return await store.save(imported);
  } finally {
    zip.close();
  }
}

function refuse(why: string): never {
  fail('validation', `This file is not a valid draft export and was not imported: ${why}.`);
}

function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true }, (error, zip) => {
      if (error || !zip) {
        reject(wrapZipError(error));
        return;
      }
      resolve(zip);
    });
  });
}

function wrapZipError(error: unknown): Error {
  try {
    refuse(`it is not a readable zip file (${error instanceof Error ? error.message : String(error)})`);
  } catch (wrapped) {
    return wrapped as Error;
  }
}

function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      if (entries.length > MAX_ENTRIES) {
        reject(wrapZipError(new Error('too many entries')));
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error) => reject(wrapZipError(error)));
    zip.readEntry();
  });
}

function openEntryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) reject(wrapZipError(error));
      else resolve(stream);
    });
  });
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  if (entry.uncompressedSize > limit) refuse(`${entry.fileName} is too large`);
  const stream = await openEntryStream(zip, entry);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > limit) refuse(`${entry.fileName} is too large`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof Error && error.name === 'EngagementError') throw error;
    refuse(`${entry.fileName} could not be read (${(error as Error).message})`);
  }
  return Buffer.concat(chunks);
}
