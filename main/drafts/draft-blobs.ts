// Files dropped into drafts, copied under blobs/<aa>/<sha256>: content-addressed, so drafts (and their copies,
// trashed versions and outbox entries) share one copy per content, and a send never depends on the original.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { DraftFile, DraftFileStatus } from '../../preload/contract';
import { MAX_DRAFT_FILE_BYTES } from '../core/drafts';
import { fail } from '../core/errors';
import { removeStaleTemps, renameRetrying, sha256File, syncDirectory } from '../platform/atomic-file';

/** blobs/tmp/<pid>-<hex>.tmp (older versions: <hex>.tmp), the pid as in atomicTempName. */
const BLOB_TEMP = /^(?:\d+-)?[0-9a-f]{16}\.tmp$/;

export class DraftBlobs {
  constructor(
    readonly dir: string,
    private readonly now: () => Date,
    /** Unreferenced blobs younger than this survive garbage collection: a file may be added before its draft saves. */
    private readonly graceMs: number,
  ) {}

  /** What copies killed mid-write left in blobs/tmp (their temp files can never be renamed into place). */
  async removeStaleTemps(): Promise<void> {
    await removeStaleTemps(join(this.dir, 'tmp'), { isTemp: (name) => BLOB_TEMP.test(name) });
  }

  /** Where a blob lives. Sends read from here, so they work after the original is moved or deleted. */
  path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) fail('validation', 'Invalid file hash.');
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Copy a file into the draft storage and describe it. */
  async addFile(path: string): Promise<DraftFile> {
    const source = resolve(path);
    let before;
    try {
      before = await stat(source);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') fail('file', `File not found: ${source}.`);
      throw error;
    }
    if (!before.isFile()) fail('file', `${source} is not a regular file.`);
    if (before.size > MAX_DRAFT_FILE_BYTES) {
      fail('validation', `${basename(source)} is too large for a draft (${before.size} bytes; the limit is ${MAX_DRAFT_FILE_BYTES}).`);
    }
    const blob = await this.put(createReadStream(source));
    const after = await stat(source);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || blob.size !== before.size) {
      fail('file', `${basename(source)} changed while it was being copied. Add it again.`);
    }
    return {
      sha256: blob.sha256,
      size: blob.size,
      name: basename(source).slice(0, 255),
      originalPath: source,
      originalMtimeMs: before.mtimeMs,
      addedAt: this.now().toISOString(),
    };
  }

  /**
   * Stream bytes into the blob store: hashed while written to a temp file, fsynced, then renamed to its
   * content address (an existing blob of the right size is reused). `expected` refuses bytes that do not match.
   */
  async put(stream: Readable, expected?: { sha256: string; size: number }): Promise<{ sha256: string; size: number }> {
    const temp = join(this.dir, 'tmp', `${process.pid}-${randomBytes(8).toString('hex')}.tmp`);
    const hash = createHash('sha256');
    let size = 0;
    const handle = await open(temp, 'wx', 0o600);
    try {
      try {
        for await (const chunk of stream) {
          const bytes = chunk as Buffer;
          size += bytes.length;
          if (size > MAX_DRAFT_FILE_BYTES || (expected && size > expected.size)) {
            fail('validation', expected ? 'A file is larger than its manifest says.' : 'The file is too large for a draft.');
          }
          hash.update(bytes);
          await handle.write(bytes);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      if (expected && (expected.sha256 !== sha256 || expected.size !== size)) {
        fail('validation', 'A file does not match its SHA-256 in the manifest: the export was changed or damaged.');
      }
      const target = this.path(sha256);
      const existing = await stat(target).catch(() => undefined);
      if (existing?.size === size) {
        await unlink(temp);
      } else {
        await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
        await renameRetrying(temp, target);
        await syncDirectory(join(this.dir, sha256.slice(0, 2)));
      }
      return { sha256, size };
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  /** Re-hash a blob: catches disk corruption before a send. */
  async verify(file: Pick<DraftFile, 'sha256' | 'size' | 'name'>): Promise<string> {
    const path = this.path(file.sha256);
    const info = await stat(path).catch(() => undefined);
    if (!info) fail('file', `The stored copy of ${file.name} is missing from the draft storage. Add the file again.`);
    if (info.size !== file.size || (await sha256File(path)) !== file.sha256) {
      fail('file', `The stored copy of ${file.name} is damaged. Add the file again.`);
    }
    return path;
  }

  /** Has the original file changed since it was added? A warning only: the draft sends its own copy. */
  async originalStatus(file: DraftFile): Promise<DraftFileStatus> {
    const info = await stat(file.originalPath).catch(() => undefined);
    if (!info || !info.isFile()) return 'missing';
    if (info.size !== file.size) return 'changed';
    if (info.mtimeMs === file.originalMtimeMs) return 'unchanged';
    // Touched but maybe not changed (copied back, re-saved): the hash decides.
    const sha = await sha256File(file.originalPath).catch(() => undefined);
    return sha === file.sha256 ? 'unchanged' : 'changed';
  }

  /** Delete blobs not in `referenced`, sparing recent ones that an unsaved edit may hold. */
  async collectGarbage(referenced: ReadonlySet<string>): Promise<{ removed: number; kept: number }> {
    const cutoff = this.now().getTime() - this.graceMs;
    let removed = 0;
    let kept = 0;
    for (const prefix of await readdir(this.dir)) {
      const dir = join(this.dir, prefix);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        const path = join(dir, name);
        const info = await stat(path).catch(() => undefined);
        if (!info) continue;
        const unreferenced = prefix === 'tmp' || !referenced.has(name);
        if (unreferenced && info.mtimeMs < cutoff) {
          await unlink(path).catch(() => undefined);
          removed++;
        } else kept++;
      }
    }
    return { removed, kept };
  }
}
