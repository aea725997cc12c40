// The cross-process claim on an outbox entry, over real lock files: one holder at a time, and a lock whose owner
// was killed is broken, leaving the entry it was sending as outcome-unknown.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Draft } from '../../../preload/contract';
import { newDraft } from '../../../main/core/drafts';
import { EntryLocks } from '../../../main/outbox/entry-lock';
import { OutboxQueue, type StoredEntry } from '../../../main/outbox/outbox-queue';
import { withTempDir } from '../../support/temp-dir';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function sendingEntry(id: string, ownerPid: number): StoredEntry {
  const at = '2025-01-01T00:00:00.000Z';
  const draft = { ...newDraft({ id: 'draft-1', kind: 'cert-upload', appId: 'App1', profileId: 'prof' }, at), revision: 1 } as Draft;
  return { id, draftId: draft.id, draftName: draft.name, kind: draft.kind, profileId: 'prof', state: 'sending', createdAt: at, updatedAt: at, attempts: 1, draft, ownerPid };
}

describe('outbox entry locks', () => {
  test('one claim at a time in and across processes; released, it can be claimed again', async () => {
    await withTempDir('outbox-lock', async (dir) => {
      const queue = new OutboxQueue(dir, () => new Date(), 60_000);
      const locks = new EntryLocks(queue, () => new Date());
      const release = await locks.claim('entry-1');
      assert.ok(release);
      assert.equal(await locks.claim('entry-1'), undefined, 'held by this process');
      // Another live process holds it (our parent stands in for the CLI).
      await writeFile(join(dir, 'entry-2.lock'), JSON.stringify({ pid: process.ppid, at: new Date().toISOString() }));
      assert.equal(await locks.claim('entry-2'), undefined, 'held by another live process');
      await release();
      const again = await locks.claim('entry-1');
      assert.ok(again);
      await again();
      assert.deepEqual((await readdir(dir)).sort(), ['entry-2.lock']);
      await assert.rejects(locks.claim('../escape'), /Invalid outbox entry id/);
    });
  });

  test('a killed owner: its lock is broken and what it was sending becomes outcome-unknown', async () => {
    await withTempDir('outbox-dead-lock', async (dir) => {
      const queue = new OutboxQueue(dir, () => new Date(), 60_000);
      const locks = new EntryLocks(queue, () => new Date());
      const pid = deadPid();
      for (const id of ['claimed', 'swept']) {
        await queue.write(sendingEntry(id, pid));
        await writeFile(join(dir, `${id}.lock`), JSON.stringify({ pid, at: new Date().toISOString() }));
      }

      const release = await locks.claim('claimed');
      assert.ok(release, 'the dead owner no longer blocks the entry');
      await release();
      await locks.removeDead();

      assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.lock')), []);
      for (const id of ['claimed', 'swept']) {
        const entry = await queue.read(id);
        assert.equal(entry?.state, 'outcome-unknown');
        assert.equal(entry?.lastError?.reason, 'interrupted');
        assert.equal(entry?.ownerPid, undefined);
      }
    });
  });
});
