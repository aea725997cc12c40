// Paths outside what the user chose (issue #7), through the real registry and handlers over real files, the OS
// keychain and the emulator: a request may name only a file the user picked in main's dialogs, dropped on the
// window (the preload's grant message) or saved into a chosen folder; anything else is refused before any effect.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { channels, droppedFileGrant, type Draft, type DraftFile, type Result } from '../../../preload/contract';
import { openAppServices, type AppServices } from '../../../main/services';
import type { Dialogs } from '../../../main/platform/dialogs';
import { createKeychain } from '../../../main/platform/keychain';
import { OperationRegistry } from '../../../main/platform/operations';
import { createPathGrants, type PathGrants } from '../../../main/platform/path-grants';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { receiveDroppedFile } from '../../../main/ipc/dropped-files';
import { registerAllIpc } from '../../../main/ipc/register-all';
import { createHandlerRegistry, type HandlerRegistry } from '../../../main/ipc/registry';
import { makeCertificates, PASSPHRASE } from '../emulator/emulator-fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const USER = 'grants-admin';
const PASSWORD = 'grants-Passw0rd';
const AGAIN = /Choose the file again with Browse or drop it on the window\./;

let tmp: TempDir;
let work: string;
let emulator: Emulator;
let services: AppServices;
let operations: OperationRegistry;
let profileId: string;
let certPath: string;

/** Native dialogs answered by the test, as in the browser tests. */
const answers = { open: [] as string[][], save: [] as Array<string | undefined>, shown: [] as string[] };
const dialogs: Dialogs = {
  openFile: async () => answers.open.shift() ?? [],
  saveFile: async () => answers.save.shift(),
  showInFolder: async (path) => {
    answers.shown.push(path);
    return true;
  },
};

/** A fresh app session: a new grant list (nothing chosen yet) over the same data and server. */
function session(): { grants: PathGrants; call: <T>(key: keyof typeof channels, payload: unknown) => Promise<Result<T>> } {
  const grants = createPathGrants();
  const registry: HandlerRegistry = createHandlerRegistry({ pathGrants: grants });
  registerAllIpc(registry, { services, operations, dialogs, pathGrants: grants, events: () => undefined });
  return { grants, call: async (key, payload) => (await registry.invoke(channels[key].name, payload)) as Result<never> };
}

function refusedWith(result: Result<unknown>, message: RegExp): void {
  assert.equal(result.ok, false, 'accepted');
  if (!result.ok) {
    assert.equal(result.error.code, 'validation');
    assert.match(result.error.message, message);
  }
}

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

before(async () => {
  tmp = await makeTempDir('ipc-grants');
  work = join(tmp.dir, 'work');
  await mkdir(work, { recursive: true });
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), users: [{ username: USER, password: PASSWORD }] });
  const dataDir = join(tmp.dir, 'data');
  services = await openAppServices({ dataDir, store: openSettingsStore(dataDir), secrets: createKeychain(), source: 'app', sandbox: false });
  operations = new OperationRegistry();
  profileId = (await services.profiles.save({ name: 'Grants', baseUrl: emulator.url, authMode: 'basic', username: USER }, PASSWORD)).id;
  certPath = join(work, 'push.p12');
  await writeFile(certPath, (await makeCertificates(work)).modern);
});

after(async () => {
  operations?.cancelAll();
  await services?.profiles.remove(profileId).catch(() => undefined);
  await services?.close();
  await emulator?.close();
  await tmp?.remove();
});

describe('path grants through IPC', () => {
  test('a dropped file is usable once the preload granted it; before that it is refused and nothing is copied', async () => {
    const { grants, call } = session();
    const draft = valueOf(await call<{ draft: { id: string } }>('draftsCreate', { kind: 'cert-upload' })).draft;
    const blobs = async () => (await readdir(join(services.dataDir, 'drafts'), { recursive: true })).length;
    const before = await blobs();

    refusedWith(await call('draftsAddFile', { id: draft.id, path: certPath }), AGAIN);
    refusedWith(await call('checkFile', { path: certPath, kind: 'p12', passphrase: PASSPHRASE }), AGAIN);
    assert.equal(await blobs(), before, 'a refused add copied something');

    assert.equal(receiveDroppedFile(grants, { path: certPath }), true);
    const added = valueOf(await call<{ originalPath: string }>('draftsAddFile', { id: draft.id, path: certPath }));
    assert.equal(added.originalPath, certPath);
    assert.equal(valueOf(await call<{ ok: boolean }>('checkFile', { path: certPath, kind: 'p12', passphrase: PASSPHRASE })).ok, true);
    // The grant message itself takes only a well-formed absolute path.
    assert.equal(receiveDroppedFile(grants, { path: 'push.p12' }), false);
    assert.equal(receiveDroppedFile(grants, { path: certPath, extra: 1 }), false);
    assert.equal(droppedFileGrant.name.startsWith('eng:'), true);
  });

  test('an open dialog grants reading what was picked, and nothing else', async () => {
    const { call } = session();
    const csv = join(work, 'recipients.csv');
    const other = join(work, 'other.csv');
    await writeFile(csv, 'id\n1001\n1002\n');
    await writeFile(other, 'id\n9\n');
    refusedWith(await call('recipientsImport', { path: csv }), AGAIN);

    answers.open.push([csv]);
    assert.deepEqual(valueOf(await call('dialogOpenFile', { kind: 'csv' })), { paths: [csv] });
    assert.deepEqual(valueOf(await call('recipientsImport', { path: csv })), { ids: ['1001', '1002'] });
    refusedWith(await call('recipientsImport', { path: other }), AGAIN);
    // Picked to read is not picked to overwrite.
    refusedWith(await call('historyExport', { format: 'csv', path: csv }), /Choose where to save it again with Save As\./);
    assert.equal(await readFile(csv, 'utf8'), 'id\n1001\n1002\n');
  });

  test('a save dialog grants writing that path; the app data folder and other paths are refused untouched', async () => {
    const { call } = session();
    const target = join(work, 'history.json');
    const settings = join(services.dataDir, 'config.json');
    const settingsBefore = await readFile(settings, 'utf8');
    for (const path of [target, settings, '/etc/passwd', 'history.json', `${work}/../work/history.json`, `file://${target}`]) {
      refusedWith(await call('historyExport', { format: 'json', path }), /Save As|not an absolute path|not a plain file path|URL/);
    }
    assert.equal(await readFile(settings, 'utf8'), settingsBefore);
    await assert.rejects(readFile(target), /ENOENT/);

    answers.save.push(target);
    assert.deepEqual(valueOf(await call('dialogSaveFile', { kind: 'json', defaultName: 'history.json' })), { path: target });
    assert.equal(valueOf(await call<{ path: string }>('historyExport', { format: 'json', path: target })).path, target);
    assert.ok((await readFile(target, 'utf8')).length > 0);
    assert.equal(valueOf(await call<{ shown: boolean }>('shellShowInFolder', { path: target })).shown, true);
    refusedWith(await call('shellShowInFolder', { path: settings }), AGAIN);
    assert.deepEqual(answers.shown, [target]);
  });

  test('saving into a granted folder grants only the file main created there', async () => {
    const { grants, call } = session();
    // The certificate to download: uploaded in-process, as a draft send or the CLI does (no upload channel).
    await services.actions.uploadCertificate({ profile: profileId, appId: 'GrantApp', certPath, passphrase: PASSPHRASE });

    const folder = join(work, 'downloads');
    await mkdir(folder);
    await writeFile(join(folder, 'planted.p12'), 'not created by main');
    refusedWith(await call('certDownload', { operationId: 'down-0', profileId, appId: 'GrantApp', destination: folder }), /Save As/);
    grants.grantFolder(folder);
    const saved = valueOf(await call<{ path: string }>('certDownload', { operationId: 'down-1', profileId, appId: 'GrantApp', destination: folder }));
    assert.equal(join(saved.path, '..'), folder);
    assert.equal(valueOf(await call<{ shown: boolean }>('shellShowInFolder', { path: saved.path })).shown, true);
    refusedWith(await call('shellShowInFolder', { path: join(folder, 'planted.p12') }), AGAIN);
    refusedWith(await call('draftsImport', { path: join(folder, 'planted.p12') }), AGAIN);
  });

  test('after a restart, a draft file whose original is unchanged may be checked again; a changed one may not', async () => {
    const copy = join(work, 'restored.p12');
    await writeFile(copy, await readFile(certPath));
    const store = services.drafts.drafts;
    const draft = await store.create({ kind: 'cert-upload', name: 'Restored', profileId });
    const cert = await store.addFile(draft.id, copy);
    const current = await store.get(draft.id);
    if (current.kind !== 'cert-upload') throw new Error('unreachable');
    await store.save({ ...current, payload: { ...current.payload, cert } });

    const restarted = session();
    refusedWith(await restarted.call('checkFile', { path: copy, kind: 'p12' }), AGAIN);
    const view = valueOf(await restarted.call<{ files: Array<{ originalStatus: string }> }>('draftsGet', { id: draft.id }));
    assert.equal(view.files[0]?.originalStatus, 'unchanged');
    assert.equal(valueOf(await restarted.call<{ kind: string }>('checkFile', { path: copy, kind: 'p12' })).kind, 'p12');

    await writeFile(copy, 'replaced by something else');
    const again = session();
    const changed = valueOf(await again.call<{ files: Array<{ originalStatus: string }> }>('draftsGet', { id: draft.id }));
    assert.equal(changed.files[0]?.originalStatus, 'changed');
    refusedWith(await again.call('checkFile', { path: copy, kind: 'p12' }), AGAIN);
    refusedWith(await again.call('draftsAddFile', { id: draft.id, path: copy }), AGAIN);
  });

  test('a draft may only carry file entries main handed out: a made-up one pointing elsewhere is refused unsaved', async () => {
    const { call, grants } = session();
    const draft = valueOf(await call<{ draft: Draft }>('draftsCreate', { kind: 'cert-upload' })).draft;
    if (draft.kind !== 'cert-upload') throw new Error('unreachable');
    grants.grantFile(certPath, 'read');
    const added = valueOf(await call<DraftFile>('draftsAddFile', { id: draft.id, path: certPath }));

    // A real blob, but an original the user never chose: exactly what a compromised page would try.
    const secret = join(tmp.dir, 'data', 'config.json');
    const forged: DraftFile = { ...added, originalPath: secret };
    const refused = await call('draftsSave', { draft: { ...draft, payload: { ...draft.payload, cert: forged } } });
    refusedWith(refused, /was not added through Engagement Desk\. Add the file again/);
    assert.equal((await services.drafts.drafts.get(draft.id)).revision, draft.revision, 'the forged draft was saved');

    const saved = valueOf(await call<{ draft: Draft }>('draftsSave', { draft: { ...draft, payload: { ...draft.payload, cert: added } } })).draft;
    // After a restart nothing has been handed out yet, but the stored draft's own entries may be saved again.
    const restarted = session();
    const renamed = valueOf(await restarted.call<{ draft: Draft }>('draftsSave', { draft: { ...saved, name: 'Renamed' } })).draft;
    assert.equal(renamed.name, 'Renamed');
    refusedWith(await restarted.call('draftsSave', { draft: { ...renamed, payload: { ...renamed.payload, cert: forged } } }), /not added through Engagement Desk/);
  });
});
