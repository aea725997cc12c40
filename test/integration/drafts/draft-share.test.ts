// Export a draft with its files as one zip and import it elsewhere; any tampering is refused.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
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
});
