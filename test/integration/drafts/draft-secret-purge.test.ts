// A draft's remembered secret (a .p12 passphrase or a WNS client secret) in the real OS keychain follows its
// draft: it stays while the deleted draft can be restored, and goes when the draft is purged from the trash for
// good, unless the draft was restored, deleted again later, or an outbox entry still holds a copy that may need it.
import assert from 'node:assert/strict';
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Draft } from '../../../preload/contract';
import { draftPassphraseAccount } from '../../../main/drafts/draft-sender';
import { createKeychain, type SecretStore } from '../../../main/platform/keychain';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { openAppServices, type AppServices } from '../../../main/services';
import { makeTempDir } from '../../support/temp-dir';

const DAY = 24 * 3600 * 1000;
const KEYCHAIN_SERVICE = `Engagement Desk test draft-secret-purge ${process.pid}`;

let tmp: { dir: string; remove(): Promise<void> };
let secrets: SecretStore;
const accounts: string[] = [];

function open(dataDir: string): Promise<AppServices> {
  return openAppServices({ dataDir, store: openSettingsStore(dataDir), secrets, source: 'app', sandbox: false });
}

/** Moves a draft's trashed copies back in time, as if it had been deleted that long ago. */
async function age(trashDir: string, id: string, ms: number): Promise<void> {
  for (const name of await readdir(trashDir)) {
    if (!name.startsWith(`${id}@`)) continue;
    const at = Number(/@(\d+)\.json$/.exec(name)![1]);
    await rename(join(trashDir, name), join(trashDir, `${id}@${at - ms}.json`));
  }
}

before(async () => {
  tmp = await makeTempDir('draft-secret-purge');
  secrets = createKeychain({ service: KEYCHAIN_SERVICE });
});

after(async () => {
  for (const account of accounts) await secrets.delete(account);
  await tmp.remove();
});

describe('remembered draft secrets and the trash', () => {
  test('purged for good: the secret goes; restorable, restored or still queued: it stays', async () => {
    const dataDir = join(tmp.dir, 'data');
    let services = await open(dataDir);
    const profile = await services.profiles.save({ name: 'Offline', baseUrl: 'http://127.0.0.1:9', authMode: 'basic', username: 'ops' }, 'pw');
    accounts.push(`profile:${profile.id}`);
    const { drafts, outbox } = services.drafts;
    const make = async (name: string): Promise<Draft> => {
      const draft = await drafts.create({ kind: 'wns-credentials', name, profileId: profile.id, appId: 'App1' });
      const account = draftPassphraseAccount(draft.id);
      accounts.push(account);
      assert.equal(await secrets.set(account, `secret of ${name}`), 'keychain');
      return draft;
    };
    const gone = await make('gone');
    const recent = await make('recent');
    const restored = await make('restored');
    const queued = await make('queued');
    const deletedTwice = await make('deleted twice');
    await outbox.enqueue(queued);
    for (const draft of [gone, recent, restored, queued, deletedTwice]) assert.equal(await drafts.delete(draft.id), true);
    await drafts.restore(restored.id);
    await drafts.restore(deletedTwice.id);
    await services.close();

    // 31 days later, except for `recent`; `deleted twice` was deleted again yesterday.
    const trashDir = join(dataDir, 'drafts', 'trash');
    for (const draft of [gone, restored, queued, deletedTwice]) await age(trashDir, draft.id, 31 * DAY);
    services = await open(dataDir);
    await services.drafts.drafts.delete(deletedTwice.id);
    await services.close();
    services = await open(dataDir);
    const secretOf = async (draft: Draft) => secrets.get(draftPassphraseAccount(draft.id));
    assert.equal(await secretOf(gone), undefined, 'purged for good: its secret is deleted');
    assert.equal(await secretOf(recent), 'secret of recent', 'still restorable');
    assert.equal(await secretOf(restored), 'secret of restored', 'restored: a live draft');
    assert.equal(await secretOf(deletedTwice), 'secret of deleted twice', 'a newer trashed copy is still restorable');
    assert.equal(await secretOf(queued), 'secret of queued', 'an outbox entry holds the draft');
    const trashed = (await services.drafts.drafts.trash()).map((t) => t.id).sort();
    assert.deepEqual(trashed, [recent.id, queued.id, deletedTwice.id].sort(), 'the queued draft waits in the trash for its entry');

    // Once the entry is discarded, the next purge takes the draft and its secret.
    const [entry] = (await services.drafts.outbox.list()).entries;
    assert.ok(entry);
    assert.equal(await services.drafts.outbox.discard(entry.id), true);
    await services.close();
    services = await open(dataDir);
    assert.equal(await secretOf(queued), undefined, 'the entry is gone: the secret goes with the draft');
    assert.deepEqual((await services.drafts.drafts.trash()).map((t) => t.id).sort(), [recent.id, deletedTwice.id].sort());
    await services.close();
  });
});
