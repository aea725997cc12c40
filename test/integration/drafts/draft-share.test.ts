// Export a draft with its files as one zip and import it elsewhere; any tampering is refused.
import assert from 'node:assert/strict';
import { mkdir, open, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import type { Draft } from '../../../preload/contract';
import { exportDraft, importDraft } from '../../../main/drafts/draft-share';
import { DraftsStore } from '../../../main/drafts/drafts-store';
import { EngagementError } from '../../../main/core/errors';
import { withTempDir } from '../../support/temp-dir';

async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngagementError, String(error));
    assert.equal(error.appError.code, 'validation');
    return error.message;
  }
  throw new Error('expected the import to be refused');
}

/** Every entry of a zip with its bytes, each checked against the CRC-32 its headers give (yauzl does not check). */
async function readArchive(path: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (error, file) => (error || !file ? reject(error) : resolve(file))),
  );
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          const data = Buffer.concat(chunks);
          if (crc32(data) !== entry.crc32) reject(new Error(`${entry.fileName}: the CRC-32 in the archive does not match its data`));
          entries.set(entry.fileName, data);
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return entries;
}

/** A draft whose pass file is `passBytes`, in a store under <dir>/a. */
async function draftWithPass(dir: string, passBytes: Buffer): Promise<{ store: DraftsStore; draft: Draft; blob: string }> {
  const store = await DraftsStore.open({ dataDir: join(dir, 'a') });
  const draft = await store.create({ kind: 'pass-update', name: 'Gate change', profileId: 'prof-a' });
  await writeFile(join(dir, 'boarding.pkpass'), passBytes);
  const pkPass = await store.addFile(draft.id, join(dir, 'boarding.pkpass'));
  const saved = await store.save({ ...draft, payload: { pkPass, images: [], passContent: {} } } as Draft);
  return { store, draft: saved, blob: store.blobPath(pkPass.sha256) };
}

async function exportFailure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngagementError, String(error));
    return error.appError;
  }
  throw new Error('expected the export to fail');
}

async function exported(dir: string): Promise<{ path: string; draft: Draft; bytes: Buffer }> {
  const store = await DraftsStore.open({ dataDir: join(dir, 'a') });
  const draft = await store.create({ kind: 'pass-update', name: 'Gate change', profileId: 'prof-a' });
  await writeFile(join(dir, 'boarding.pkpass'), Buffer.alloc(5000, 7));
  await writeFile(join(dir, 'logo.png'), 'pretend png');
  const pkPass = await store.addFile(draft.id, join(dir, 'boarding.pkpass'));
  const logo = await store.addFile(draft.id, join(dir, 'logo.png'));
  const saved = await store.save({
    ...draft,
    payload: { pkPass, images: [{ fieldName: 'logo', file: logo }], passContent: { recipients: { recipient: [{ id: 'u1' }] } } },
  } as Draft);
  const path = join(dir, 'gate-change.edraft');
  const result = await exportDraft(store, saved.id, path, { profileName: 'Production' });
  const bytes = await readFile(path);
  assert.equal(result.bytes, bytes.length);
  // A plain zip any reader takes: every entry's CRC-32 matches its bytes.
  const entries = await readArchive(path);
  assert.deepEqual([...entries.keys()], ['manifest.json', 'draft.json', `blobs/${pkPass.sha256}`, `blobs/${logo.sha256}`]);
  assert.deepEqual(entries.get(`blobs/${pkPass.sha256}`), Buffer.alloc(5000, 7));
  await store.settled();
  return { path, draft: saved, bytes };
}

describe('draft export and import', () => {
  test('round trip to another machine: new id, same files, profile matched by name, originals not needed', async () => {
    await withTempDir('share-roundtrip', async (dir) => {
      const { path, draft } = await exported(dir);
      await rm(join(dir, 'boarding.pkpass'));
      const other = await DraftsStore.open({ dataDir: join(dir, 'b') });
      const imported = await importDraft(other, path, { resolveProfile: (name) => (name === 'Production' ? 'prof-b' : undefined) });
      assert.notEqual(imported.id, draft.id);
      assert.equal(imported.revision, 1);
      assert.equal(imported.profileId, 'prof-b');
      assert.equal(imported.name, 'Gate change');
      assert.deepEqual(imported.payload, draft.payload);
      assert.equal(imported.kind, 'pass-update');
      if (imported.kind !== 'pass-update' || !imported.payload.pkPass) return;
      assert.deepEqual(await readFile(other.blobPath(imported.payload.pkPass.sha256)), Buffer.alloc(5000, 7));
      assert.equal((await other.list()).drafts.length, 1);
      await other.settled();
    });
  });

  test('tampered exports are refused with a clear message and import nothing', async () => {
    await withTempDir('share-tamper', async (dir) => {
      const { path, bytes } = await exported(dir);
      const other = await DraftsStore.open({ dataDir: join(dir, 'b') });
      const tampered = join(dir, 'tampered.edraft');

      // One byte of the pass changed (a stored zip entry: the bytes sit in the file as they are).
      const pass = Buffer.from(bytes);
      const at = pass.indexOf(Buffer.alloc(64, 7));
      assert.ok(at > 0);
      pass[at + 10] = 8;
      await writeFile(tampered, pass);
      assert.match(await messageOf(importDraft(other, tampered)), /does not match its SHA-256/);

      // The draft JSON edited (same length, so only the hash can tell).
      const edited = Buffer.from(bytes.toString('latin1').replace('"Gate change"', '"Gate chanGE"'), 'latin1');
      await writeFile(tampered, edited);
      assert.match(await messageOf(importDraft(other, tampered)), /draft\.json does not match its SHA-256/);

      // Not a zip at all, and a truncated one.
      await writeFile(tampered, 'hello');
      assert.match(await messageOf(importDraft(other, tampered)), /not a readable zip/);
      await writeFile(tampered, bytes.subarray(0, bytes.length - 30));
      assert.match(await messageOf(importDraft(other, tampered)), /not a valid draft export/);

      assert.equal((await other.list()).drafts.length, 0, 'nothing was imported');
      // The untouched export still imports.
      await importDraft(other, path);
      assert.equal((await other.list()).drafts.length, 1);
      await other.settled();
    });
  });

  test('a file changed while the export reads it gives a clear error and no archive, never a corrupt one', async () => {
    await withTempDir('share-changed', async (dir) => {
      const original = Buffer.alloc(300_000, 7);
      const { store, draft, blob } = await draftWithPass(dir, original);
      const outDir = join(dir, 'out');
      await mkdir(outDir);
      const destination = join(outDir, 'gate-change.edraft');

      // The stored copy changes right after it was verified, before its bytes are read into the zip: the bytes
      // that go into the archive are hashed on the way and no longer match the manifest.
      const changingAfterCheck = (change: () => Promise<void>): DraftsStore =>
        Object.assign(Object.create(store) as DraftsStore, {
          verifyBlob: async (file: Parameters<DraftsStore['verifyBlob']>[0]) => {
            const path = await store.verifyBlob(file);
            await change();
            return path;
          },
        });
      const sameSize = Buffer.from(original);
      sameSize[150_000] = 8;
      const edited = await exportFailure(exportDraft(changingAfterCheck(() => writeFile(blob, sameSize)), draft.id, destination));
      assert.equal(edited.code, 'file');
      assert.match(edited.message, /^blobs\/[0-9a-f]{64} changed while it was being exported\.$/);
      assert.deepEqual(await readdir(outDir), [], 'no archive and no temp file is left');

      await writeFile(blob, original);
      const shrunk = await exportFailure(exportDraft(changingAfterCheck(() => truncate(blob, 1000)), draft.id, destination));
      assert.equal(shrunk.code, 'file');
      assert.match(shrunk.message, /changed size while it was being exported/);
      assert.deepEqual(await readdir(outDir), []);

      // A writer rewriting the file in place while exports run: every export either fails with a clear error or
      // leaves an archive whose CRCs match its data and whose file is the one the draft holds.
      await writeFile(blob, original);
      let writing = true;
      const writer = (async () => {
        const handle = await open(blob, 'r+');
        try {
          for (let round = 0; writing; round++) {
            await handle.write(round % 2 === 0 ? sameSize : original, 0, original.length, 0);
            await new Promise((resolve) => setImmediate(resolve));
          }
        } finally {
          await handle.write(original, 0, original.length, 0);
          await handle.close();
        }
      })();
      let succeeded = 0;
      let refused = 0;
      try {
        for (let attempt = 0; attempt < 20; attempt++) {
          try {
            await exportDraft(store, draft.id, destination);
          } catch (error) {
            assert.ok(error instanceof EngagementError, String(error));
            assert.equal(error.appError.code, 'file');
            assert.match(error.message, /changed while it was being exported|damaged/);
            refused++;
            continue;
          }
          const entries = await readArchive(destination);
          if (draft.kind === 'pass-update' && draft.payload.pkPass) {
            assert.deepEqual(entries.get(`blobs/${draft.payload.pkPass.sha256}`), original);
          }
          succeeded++;
        }
      } finally {
        writing = false;
        await writer;
      }
      assert.equal(succeeded + refused, 20);
      assert.ok((await readdir(outDir)).every((name) => !name.endsWith('.tmp')), 'no temp file is left');
      await store.settled();
    });
  });
});
