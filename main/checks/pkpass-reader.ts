// Reads a .pkpass (zip) defensively for the local check: every entry is streamed through SHA-1 and only small
// files are kept in memory. A pass comes from anywhere, so limits on entry count, sizes and compression ratio,
// and on the bytes actually inflated (a zip bomb's headers lie), keep a hostile file from exhausting the machine.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import yauzl from 'yauzl';
import type { CheckIssue } from '../../preload/contract';
import type { PkpassArchive, PkpassEntry, PkpassImage } from '../core/pkpass';
import { parseImageName, readPngInfo } from '../core/png';

export interface PkpassLimits {
  maxEntries: number;
  /** Per entry, uncompressed. */
  maxEntryBytes: number;
  /** All entries together, uncompressed. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio accepted for entries above ratioCheckAboveBytes. */
  maxRatio: number;
  ratioCheckAboveBytes: number;
  /** pass.json, manifest.json, pass.strings and the signature are read into memory up to this size. */
  maxTextBytes: number;
  /** Images at most this large are embedded in the preview as data: URLs. */
  maxPreviewImageBytes: number;
}

export const DEFAULT_PKPASS_LIMITS: PkpassLimits = {
  maxEntries: 2000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxRatio: 100,
  ratioCheckAboveBytes: 1024 * 1024,
  maxTextBytes: 1024 * 1024,
  maxPreviewImageBytes: 256 * 1024,
};

const HEAD_BYTES = 64;
const PREVIEW_ROLES = new Set(['logo', 'strip', 'icon', 'thumbnail']);

function issue(code: string, message: string, path?: string): CheckIssue {
  return path === undefined ? { severity: 'error', code, message } : { severity: 'error', code, message, path };
}

/** Why an entry name is unsafe to accept, or undefined when it is fine. */
export function unsafeEntryName(name: string): string | undefined {
  if (name === '') return 'an empty name';
  if (name.includes('\\')) return 'a backslash';
  if (name.includes('\0')) return 'a NUL character';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  if (name.split('/').includes('..')) return 'a ".." segment';
  return undefined;
}

function isText(name: string): boolean {
  return name === 'pass.json' || name === 'manifest.json' || /^[^/]+\.lproj\/pass\.strings$/.test(name);
}

/** pass.strings files are often UTF-16 with a BOM; JSON files are UTF-8 (BOM kept so the bytes round-trip). */
function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      path,
      // decodeStrings: false so an unsafe name becomes a reported issue instead of aborting the whole read.
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false },
      (error, zipfile) => (error || !zipfile ? reject(error ?? new Error('no zip')) : resolve(zipfile)),
    );
  });
}

interface EntryRead {
  sha1: string;
  head: Uint8Array;
  kept?: Uint8Array;
  inflated: number;
}

class EntryLimitError extends Error {}

function readEntry(
  zipfile: yauzl.ZipFile,
  entry: yauzl.Entry,
  keepUpTo: number,
  hardLimit: number,
): Promise<EntryRead> {
  return new Promise((resolve, reject) => {
    zipfile.openReadStream(entry, (openError, stream) => {
      if (openError || !stream) {
        reject(openError ?? new Error('cannot open entry'));
        return;
      }
      const hash = createHash('sha1');
      const head: Buffer[] = [];
      let headLength = 0;
      const kept: Buffer[] = [];
      let inflated = 0;
      let settled = false;
      const keep = entry.uncompressedSize <= keepUpTo;
      stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        inflated += chunk.length;
        // Stop the inflater as soon as it produces more than the header promised (or the hard limit).
        if (inflated > entry.uncompressedSize || inflated > hardLimit) {
          settled = true;
          stream.destroy();
          reject(new EntryLimitError(`inflates to more than ${Math.min(entry.uncompressedSize, hardLimit)} bytes`));
          return;
        }
        hash.update(chunk);
        if (headLength < HEAD_BYTES) {
          head.push(chunk.subarray(0, HEAD_BYTES - headLength));
          headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
        }
        if (keep) kept.push(chunk);
      });
      stream.on('error', (error: Error) => {
        if (settled) return;
        settled = true;
        reject(/too many bytes/i.test(error.message) ? new EntryLimitError(error.message) : error);
      });
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        const result: EntryRead = { sha1: hash.digest('hex'), head: new Uint8Array(Buffer.concat(head)), inflated };
        if (keep) result.kept = new Uint8Array(Buffer.concat(kept));
        resolve(result);
      });
    });
  });
}

function nextEntry(zipfile: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: yauzl.Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(undefined);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      zipfile.off('entry', onEntry);
      zipfile.off('end', onEnd);
      zipfile.off('error', onError);
    };
    zipfile.on('entry', onEntry);
    zipfile.on('end', onEnd);
    zipfile.on('error', onError);
    zipfile.readEntry();
  });
}

/** Read a .pkpass safely into the data checkPkpass validates. File-level failures (ENOENT) reject. */
export async function readPkpassArchive(path: string, limits: Partial<PkpassLimits> = {}): Promise<PkpassArchive> {
  const limit: PkpassLimits = { ...DEFAULT_PKPASS_LIMITS, ...limits };
  const info = await stat(path);
  const archive: PkpassArchive = {
    path,
    name: basename(path),
    size: info.size,
    entries: [],
    texts: {},
    images: {},
    readErrors: [],
  };

  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await openZip(path);
  } catch {
    archive.readErrors.push(issue('pkpass-not-zip', 'This is not a .pkpass file: it is not a valid zip archive (or it was cut off). Choose the .pkpass exported from your pass designer, or export it again.'));
    return archive;
  }
  try {
    if (zipfile.entryCount > limit.maxEntries) {
      archive.readErrors.push(
        issue('pkpass-too-many-entries', `The archive has ${zipfile.entryCount} entries; a pass has at most ${limit.maxEntries}. Choose the .pkpass exported from your pass designer.`),
      );
      return archive;
    }
    const seen = new Set<string>();
    let declaredTotal = 0;
    let inflatedTotal = 0;
    for (;;) {
      let entry: yauzl.Entry | undefined;
      try {
        entry = await nextEntry(zipfile);
      } catch (error) {
        const code = archive.entries.length === 0 && seen.size === 0 ? 'pkpass-not-zip' : 'pkpass-corrupt';
        archive.readErrors.push(issue(code, `The zip archive is damaged: ${error instanceof Error ? error.message : String(error)}`));
        break;
      }
      if (!entry) break;
      const raw = entry.fileName as unknown as Buffer;
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
      const unsafe = unsafeEntryName(name);
      if (unsafe) {
        archive.readErrors.push(issue('pkpass-unsafe-path', `The entry "${name}" has ${unsafe}; the pass is refused.`, name));
        continue;
      }
      if (seen.has(name)) {
        archive.readErrors.push(issue('pkpass-duplicate-entry', `The entry "${name}" appears twice; the pass is refused.`, name));
        continue;
      }
      seen.add(name);
      if (name.endsWith('/')) continue;

      // The ratio first: a bomb is reported as a bomb even when it is also too large.
      if (
        entry.uncompressedSize > limit.ratioCheckAboveBytes &&
        entry.uncompressedSize > entry.compressedSize * limit.maxRatio
      ) {
        archive.readErrors.push(
          issue(
            'pkpass-zip-bomb',
            `${name} expands more than ${limit.maxRatio}:1 (${entry.compressedSize} -> ${entry.uncompressedSize} bytes); this looks like a zip bomb, so the pass is refused. Use a pass from a source you trust.`,
            name,
          ),
        );
        continue;
      }
      if (entry.uncompressedSize > limit.maxEntryBytes) {
        archive.readErrors.push(
          issue('pkpass-too-large', `${name} is ${entry.uncompressedSize} bytes uncompressed; the limit is ${limit.maxEntryBytes}.`, name),
        );
        continue;
      }
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > limit.maxTotalBytes) {
        archive.readErrors.push(
          issue('pkpass-too-large', `The pass is larger than ${limit.maxTotalBytes} bytes uncompressed.`, name),
        );
        break;
      }
      if (entry.isEncrypted()) {
        archive.readErrors.push(issue('pkpass-entry-unreadable', `${name} is encrypted; a pass cannot contain encrypted files.`, name));
        continue;
      }

      const parsedImage = parseImageName(name);
      const keepUpTo =
        isText(name) || name === 'signature'
          ? limit.maxTextBytes
          : parsedImage && !parsedImage.locale && PREVIEW_ROLES.has(parsedImage.role)
            ? limit.maxPreviewImageBytes
            : -1;
      let read: EntryRead;
      try {
        read = await readEntry(zipfile, entry, keepUpTo, Math.min(limit.maxEntryBytes, limit.maxTotalBytes - inflatedTotal));
      } catch (error) {
        if (error instanceof EntryLimitError) {
          archive.readErrors.push(
            issue('pkpass-zip-bomb', `${name} ${error.message.startsWith('inflates') ? error.message : 'inflates to more bytes than its header declares'}; this looks like a zip bomb, so the pass is refused. Use a pass from a source you trust.`, name),
          );
        } else {
          archive.readErrors.push(
            issue('pkpass-entry-unreadable', `${name} cannot be read: ${error instanceof Error ? error.message : String(error)}`, name),
          );
        }
        continue;
      }
      inflatedTotal += read.inflated;
      const record: PkpassEntry = {
        name,
        uncompressedSize: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        sha1: read.sha1,
        head: read.head,
      };
      archive.entries.push(record);

      if (isText(name)) {
        if (read.kept) archive.texts[name] = decodeText(read.kept);
        else archive.readErrors.push(issue('pkpass-too-large', `${name} is larger than ${limit.maxTextBytes} bytes.`, name));
      } else if (name === 'signature') {
        if (read.kept) archive.signature = read.kept;
        else archive.readErrors.push(issue('pkpass-too-large', `The signature is larger than ${limit.maxTextBytes} bytes.`, name));
      }
      if (name.toLowerCase().endsWith('.png')) {
        const png = readPngInfo(read.head);
        if (png) {
          const image: PkpassImage = { width: png.width, height: png.height };
          if (read.kept && keepUpTo === limit.maxPreviewImageBytes) {
            image.dataUrl = `data:image/png;base64,${Buffer.from(read.kept).toString('base64')}`;
          }
          archive.images[name] = image;
        }
      }
    }
    return archive;
  } finally {
    zipfile.close();
  }
}
