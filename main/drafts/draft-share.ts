// Share a draft as ONE file (issue #5): a plain zip (stored, not compressed: certificates and passes are already
// compressed) holding manifest.json, draft.json and blobs/<sha256>. The manifest lists the SHA-256 and size of
// the draft JSON and of every blob; import checks every one of them, the entry names, sizes and the draft schema,
// and refuses the whole file on the first mismatch. The imported draft gets a new id.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
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
import { fail } from '../core/errors';
import { syncDirectory } from '../platform/atomic-file';
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

  const writer = await ZipWriter.create(destination);
  try {
    await writer.addBuffer('manifest.json', manifestBytes);
    await writer.addBuffer('draft.json', draftBytes);
    for (const blob of blobs) await writer.addFile(blob.name, blob.path, blob.size);
    const bytes = await writer.finish();
    return { path: destination, bytes };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** A minimal zip writer: stored entries, UTF-8 names, no zip64 (bundles stay far below 4 GB), atomic at the end. */
class ZipWriter {
  private offset = 0;
  private readonly central: Buffer[] = [];
  private constructor(
    private readonly handle: Awaited<ReturnType<typeof open>>,
    private readonly temp: string,
    private readonly destination: string,
  ) {}

  static async create(destination: string): Promise<ZipWriter> {
    const temp = join(dirname(destination), `.${basename(destination)}.${randomBytes(6).toString('hex')}.tmp`);
    return new ZipWriter(await open(temp, 'wx', 0o600), temp, destination);
  }

  async addBuffer(name: string, data: Buffer): Promise<void> {
    await this.header(name, crc32(data), data.length);
    await this.write(data);
  }

  async addFile(name: string, path: string, size: number): Promise<void> {
    // Two passes: the CRC goes in the header before the data (no data descriptor, so any unzip reads it).
    let crc = 0;
    for await (const chunk of createReadStream(path)) crc = crc32(chunk as Buffer, crc);
    await this.header(name, crc, size);
    let written = 0;
    for await (const chunk of createReadStream(path)) {
      written += (chunk as Buffer).length;
      await this.write(chunk as Buffer);
    }
    if (written !== size) fail('file', `${name} changed size while it was being exported.`);
  }

  async finish(): Promise<number> {
    const start = this.offset;
    for (const record of this.central) await this.write(record);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.central.length, 8);
    end.writeUInt16LE(this.central.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
    await this.handle.sync();
    await this.handle.close();
    await rename(this.temp, this.destination);
    await syncDirectory(dirname(this.destination));
    return this.offset;
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await unlink(this.temp).catch(() => undefined);
  }

  private async header(name: string, crc: number, size: number): Promise<void> {
    if (this.offset + size > 0xfffffff0) fail('validation', 'The draft is too large to export as one file.');
    const nameBytes = Buffer.from(name, 'utf8');
    const { time, date } = dosDateTime(new Date());
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(size, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(this.offset, 42);
    this.central.push(Buffer.concat([central, nameBytes]));
    await this.write(Buffer.concat([local, nameBytes]));
  }

  private async write(data: Buffer): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done);
      done += bytesWritten;
    }
    this.offset += data.length;
  }
}

function dosDateTime(when: Date): { time: number; date: number } {
  const year = Math.max(1980, when.getFullYear());
  return {
    time: (when.getHours() << 11) | (when.getMinutes() << 5) | Math.floor(when.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate(),
  };
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
    if (imported.kind === 'cert-upload') imported.payload = { ...imported.payload, rememberPassphrase: false };
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
