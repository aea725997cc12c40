// The drafts store over real files: round trip, revisions, trash, files, corruption, the index cache, scale.
import assert from 'node:assert/strict';
import { appendFile, mkdir, readdir, readFile, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Draft } from '../../../preload/contract';
import { DraftsStore } from '../../../main/drafts/drafts-store';
import { newDraft } from '../../../main/core/drafts';
import { EngagementError } from '../../../main/core/errors';
import { withTempDir } from '../../support/temp-dir';

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; reason?: string; detail?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EngagementError) return error.appError;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('DraftsStore', () => {
  test('create, save with revisions, reopen in a new process-like instance', async () => {
    await withTempDir('drafts-roundtrip', async (dir) => {
      const store = await DraftsStore.open({ dataDir: dir });
      const created = await store.create({ kind: 'cert-upload', profileId: 'prof', appId: 'App1' });
      assert.equal(created.revision, 1);
      assert.equal(created.name, 'Certificate upload for App1');
      assert.equal(created.kind, 'cert-upload');
      const edited = await store.save({ ...created, name: 'Push cert Q3' } as Draft);
      assert.equal(edited.revision, 2);
      assert.ok(edited.updatedAt > created.updatedAt);

      // A save based on an old revision (another window) is refused, not silently overwritten.
      const conflict = await errorOf(store.save({ ...created, name: 'stale' } as Draft));
      assert.equal(conflict.code, 'validation');
      assert.equal(conflict.reason, 'revision-conflict');

      const reopened = await DraftsStore.open({ dataDir: dir });
      assert.deepEqual(await reopened.get(created.id), edited);
      const { drafts, problems } = await reopened.list();
      assert.deepEqual(drafts.map((d) => [d.name, d.revision]), [['Push cert Q3', 2]]);
      assert.deepEqual(problems, []);
      assert.equal((await errorOf(reopened.get('no-such-draft'))).code, 'not-found');
    });
  });

  test('rename, duplicate, search; delete with undo; trash purge', async () => {
    await withTempDir('drafts-ops', async (dir) => {
      let clock = Date.parse('2025-01-01T00:00:00Z');
      const store = await DraftsStore.open({ dataDir: dir, now: () => new Date((clock += 1000)), trashRetentionMs: 60_000 });
      const a = await store.create({ kind: 'pass-update', name: 'Boarding passes', profileId: 'prof-eu' });
      const b = await store.create({ kind: 'cert-upload', appId: 'RetailApp' });
      const renamed = await store.rename(a.id, 'Boarding passes v2');
      assert.equal(renamed.name, 'Boarding passes v2');
      const copy = await store.duplicate(b.id);
      assert.notEqual(copy.id, b.id);
      assert.equal(copy.name, 'Certificate upload for RetailApp (copy)');

      assert.deepEqual((await store.list({ query: 'retail' })).drafts.map((d) => d.id), [copy.id, b.id]);
      assert.deepEqual((await store.list({ query: 'EU Servers', profileNames: new Map([['prof-eu', 'EU servers']]) })).drafts.map((d) => d.id), [a.id]);
      assert.deepEqual((await store.list({ kind: 'pass-update' })).drafts.map((d) => d.id), [a.id]);

      assert.equal(await store.delete(a.id), true);
      assert.equal((await store.list()).drafts.length, 2);
      assert.deepEqual((await store.trash()).map((t) => t.id), [a.id]);
      const restored = await store.restore(a.id);
      assert.equal(restored.name, 'Boarding passes v2');
      assert.equal((await store.list()).drafts.length, 3);

      await store.delete(b.id);
      clock += 120_000;
      assert.equal(await store.purgeTrash(), 1);
      assert.equal((await errorOf(store.restore(b.id))).code, 'not-found');
    });
  });

  test('files are copied in by hash, deduplicated, and the original is watched for changes', async () => {
    await withTempDir('drafts-files', async (dir) => {
      const store = await DraftsStore.open({ dataDir: dir, blobGraceMs: 0 });
      const draft = await store.create({ kind: 'cert-upload', appId: 'A' });
      const original = join(dir, 'push.p12');
      await writeFile(original, 'certificate bytes v1');
      const added = await store.addFile(draft.id, original);
      assert.equal(added.name, 'push.p12');
      assert.equal(added.size, 20);
      assert.equal(await readFile(store.blobPath(added.sha256), 'utf8'), 'certificate bytes v1');
      const again = await store.addFile(draft.id, original);
      assert.equal(again.sha256, added.sha256);
      assert.equal((await readdir(join(store.blobsDir, added.sha256.slice(0, 2)))).length, 1, 'one copy per content');

      assert.equal(await store.fileStatus(added), 'unchanged');
      // Touched but identical: the hash says unchanged.
      await utimes(original, new Date(), new Date(Date.now() + 5000));
      assert.equal(await store.fileStatus(added), 'unchanged');
      await writeFile(original, 'certificate bytes v2');
      assert.equal(await store.fileStatus(added), 'changed');
      await rm(original);
      assert.equal(await store.fileStatus(added), 'missing');
      assert.equal(await store.verifyBlob(added), store.blobPath(added.sha256), 'the draft still has its copy');

      // Referenced blobs survive garbage collection; unreferenced ones go.
      await store.save({ ...draft, payload: { appId: 'A', cert: added, rememberPassphrase: false } } as Draft);
      const loose = join(dir, 'loose.bin');
      await writeFile(loose, 'nobody uses me');
      const orphan = await store.addFile(draft.id, loose);
      const gc = await store.collectGarbage();
      assert.equal(gc.removed, 1);
      await assert.rejects(readFile(store.blobPath(orphan.sha256)));
      assert.equal(await readFile(store.blobPath(added.sha256), 'utf8'), 'certificate bytes v1');

      // A damaged blob is caught before it would be sent.
      await writeFile(store.blobPath(added.sha256), 'certificate bytes XX');
      assert.equal((await errorOf(store.verifyBlob(added))).code, 'file');
      assert.equal((await errorOf(store.addFile(draft.id, join(dir, 'nope.p12')))).code, 'file');
    });
  });

  test('a corrupted draft is quarantined and reported; the others still list', async () => {
    await withTempDir('drafts-corrupt', async (dir) => {
      const store = await DraftsStore.open({ dataDir: dir });
      const good = await store.create({ kind: 'pass-update', name: 'Good one' });
      const bad = await store.create({ kind: 'pass-update', name: 'Bad one' });
      const half = await store.create({ kind: 'cert-upload', name: 'Half written' });
      await writeFile(join(store.itemsDir, `${bad.id}.json`), '{"id": "garbage');
      const text = await readFile(join(store.itemsDir, `${half.id}.json`), 'utf8');
      await writeFile(join(store.itemsDir, `${half.id}.json`), text.slice(0, text.length / 2));
      // A stray temp file from a killed write is ignored.
      await writeFile(join(store.itemsDir, `.${good.id}.json.0123456789ab.tmp`), 'partial');

      // Damage done behind the store's back (not by its atomic writes) is found by the check that follows the
      // first list; the list itself never fails.
      const fresh = await DraftsStore.open({ dataDir: dir });
      await fresh.list();
      await fresh.settled();
      const { drafts, problems } = await fresh.list();
      assert.deepEqual(drafts.map((d) => d.name), ['Good one']);
      assert.equal(problems.length, 2);
      assert.ok(problems.every((p) => p.file.includes('quarantine')));
      assert.ok(problems.some((p) => p.message.includes(bad.id)));
      assert.equal((await readdir(fresh.quarantineDir)).filter((n) => !n.endsWith('.reason.json')).length, 2);
      assert.equal((await errorOf(fresh.get(bad.id))).code, 'not-found');
    });
  });

  test('the index is only a cache: lost, damaged, torn or stale, the list is still right', async () => {
    await withTempDir('drafts-index', async (dir) => {
      const store = await DraftsStore.open({ dataDir: dir });
      const a = await store.create({ kind: 'pass-update', name: 'A' });
      await store.create({ kind: 'pass-update', name: 'B' });
      const root = join(dir, 'drafts');

      await writeFile(join(root, 'index.json'), 'not json');
      assert.deepEqual((await (await DraftsStore.open({ dataDir: dir })).list()).drafts.map((d) => d.name).sort(), ['A', 'B']);

      // Torn journal line (crash mid-append) followed by a later save.
      await appendFile(join(root, 'index.journal.jsonl'), '{"id":"x","put":{"fp"');
      const other = await DraftsStore.open({ dataDir: dir });
      await other.save({ ...(await other.get(a.id)), name: 'A renamed' } as Draft);
      assert.deepEqual((await (await DraftsStore.open({ dataDir: dir })).list()).drafts.map((d) => d.name).sort(), ['A renamed', 'B']);

      // An item written without its journal line (crash between the two) is found by the fingerprint check.
      const current = await store.get(a.id);
      await writeFile(join(root, 'items', `${a.id}.json`), JSON.stringify({ ...current, name: 'Edited outside', revision: current.revision + 1 }));
      await truncate(join(root, 'index.journal.jsonl'), 0);
      const checker = await DraftsStore.open({ dataDir: dir });
      await checker.list();
      await checker.settled();
      assert.deepEqual((await checker.list()).drafts.map((d) => d.name).sort(), ['B', 'Edited outside']);

      // A running instance picks up another instance's saves from the journal tail.
      const watcher = await DraftsStore.open({ dataDir: dir });
      await watcher.list();
      const writer = await DraftsStore.open({ dataDir: dir });
      await writer.create({ kind: 'cert-upload', name: 'From the CLI' });
      assert.ok((await watcher.list()).drafts.some((d) => d.name === 'From the CLI'));
    });
  });

  test('session: which drafts were open survives a restart', async () => {
    await withTempDir('drafts-session', async (dir) => {
      const store = await DraftsStore.open({ dataDir: dir });
      assert.deepEqual(await store.getSession(), { openDraftIds: [] });
      await store.setSession({ openDraftIds: ['a1', 'b2'], activeDraftId: 'b2' });
      assert.deepEqual(await (await DraftsStore.open({ dataDir: dir })).getSession(), { openDraftIds: ['a1', 'b2'], activeDraftId: 'b2' });
    });
  });

  // Times are Linux's to print; 10,000 files through Wine's file system take minutes of the Windows lane.
  const underWine = process.env.ENGAGEMENT_DESK_WINDOWS_LANE === '1' && 'the Windows lane: timed on Linux';
  test('10,000 drafts: listing and saving times (printed, not asserted)', { skip: underWine }, async () => {
    await withTempDir('drafts-scale', async (dir) => {
      const itemsDir = join(dir, 'drafts', 'items');
      await mkdir(itemsDir, { recursive: true });
      const now = new Date('2025-01-01T00:00:00Z').getTime();
      // Written directly (no fsync) so the set-up is quick; the store must index them itself.
      const ids: string[] = [];
      for (let i = 0; i < 10_000; i++) {
        const id = `draft-${String(i).padStart(5, '0')}`;
        ids.push(id);
        const draft = { ...newDraft({ id, kind: i % 2 ? 'pass-update' : 'cert-upload', name: `Draft ${i}`, appId: `App${i % 50}` }, new Date(now + i).toISOString()), revision: 1 };
        await writeFile(join(itemsDir, `${id}.json`), JSON.stringify(draft));
      }
      const timeIt = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
        const start = process.hrtime.bigint();
        const result = await run();
        console.log(`  [scale] ${what}: ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(1)} ms`);
        return result;
      };
      const store = await DraftsStore.open({ dataDir: dir });
      const cold = await timeIt('first list, index rebuilt from 10,000 files', () => store.list());
      assert.equal(cold.drafts.length, 10_000);
      const reopened = await DraftsStore.open({ dataDir: dir });
      await timeIt('list in a new instance (snapshot + journal, files checked in the background)', () => reopened.list());
      await timeIt('warm list', () => reopened.list());
      const found = await timeIt('warm search "App7"', () => reopened.list({ query: 'App7' }));
      assert.equal(found.drafts.length, 200);
      const target = await reopened.get(ids[1234] ?? '');
      await timeIt('one save among 10,000', () => reopened.save({ ...target, name: 'changed' } as Draft));
      await withTempDir('drafts-scale-small', async (small) => {
        const few = await DraftsStore.open({ dataDir: small });
        const one = await few.create({ kind: 'pass-update' });
        for (let i = 0; i < 9; i++) await few.create({ kind: 'pass-update' });
        await timeIt('one save among 10', () => few.save({ ...one, name: 'changed' } as Draft));
        await few.settled();
      });
      await store.settled();
      await reopened.settled();
    });
  });
});
