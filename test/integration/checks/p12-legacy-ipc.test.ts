// The app's "Make a compatible copy" (issue #16 point 6) through the real registry and handlers: the copy is written
// only where the user chose in the save dialog, of a file the user chose or dropped; OpenSSL reads it, the original is
// unchanged, and a request naming paths the user never chose is refused before anything is read or written.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { channels, type P12LegacyCopyResult, type Result } from '../../../preload/contract';
import { openAppServices, type AppServices } from '../../../main/services';
import type { Dialogs } from '../../../main/platform/dialogs';
import { OperationRegistry } from '../../../main/platform/operations';
import { createPathGrants } from '../../../main/platform/path-grants';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { receiveDroppedFile } from '../../../main/ipc/dropped-files';
import { registerAllIpc } from '../../../main/ipc/register-all';
import { createHandlerRegistry } from '../../../main/ipc/registry';
import { inspectPkcs12 } from '../../../main/core/p12';
import { makeP12 } from '../../support/fixtures';
import { NO_SECRETS } from '../../support/no-secrets';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const PASSPHRASE = 'app-copy-pass';
let tmp: TempDir;
let services: AppServices;
let original: string;
const saveAnswers: Array<string | undefined> = [];
const dialogs: Dialogs = { openFile: async () => [], saveFile: async () => saveAnswers.shift(), showInFolder: async () => true };
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

function app() {
  const grants = createPathGrants();
  const registry = createHandlerRegistry({ pathGrants: grants });
  registerAllIpc(registry, { services, operations: new OperationRegistry(), dialogs, pathGrants: grants, events: () => undefined });
  const call = async <T>(key: keyof typeof channels, payload: unknown) => (await registry.invoke(channels[key].name, payload)) as Result<T>;
  return { grants, call };
}

before(async () => {
  tmp = await makeTempDir('p12-legacy-ipc');
  const dataDir = join(tmp.dir, 'data');
  services = await openAppServices({ dataDir, store: openSettingsStore(dataDir), secrets: NO_SECRETS, source: 'app', sandbox: false });
  original = (await makeP12(tmp.dir, { passphrase: PASSPHRASE })).path;
});
after(async () => {
  await services.close();
  await tmp.remove();
});

describe('p12LegacyCopy (the app)', () => {
  test('writes the copy where the save dialog chose, of the dropped file', async () => {
    const { grants, call } = app();
    receiveDroppedFile(grants, { path: original });
    const destination = join(tmp.dir, 'for-java.p12');
    saveAnswers.push(destination);
    const chosen = await call<{ path?: string }>('dialogSaveFile', { kind: 'p12', defaultName: 'push-legacy.p12' });
    assert.ok(chosen.ok && chosen.value.path === destination);
    const before = await sha256(original);

    const result = await call<P12LegacyCopyResult>('p12LegacyCopy', { source: original, destination, passphrase: PASSPHRASE });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.value.to, ['pbeWithSHAAnd3-KeyTripleDES-CBC', 'MAC sha1']);
    const report = inspectPkcs12(await readFile(destination), PASSPHRASE);
    assert.deepEqual(report.issues, []);
    assert.equal(await sha256(original), before);
  });

  test('paths the user never chose are refused before anything is written', async () => {
    const { grants, call } = app();
    const destination = join(tmp.dir, 'not-chosen.p12');
    const notChosen = await call('p12LegacyCopy', { source: original, destination, passphrase: PASSPHRASE });
    assert.equal(notChosen.ok, false);
    receiveDroppedFile(grants, { path: original });
    // The original itself as the destination: granted for reading only, never for writing.
    const overOriginal = await call('p12LegacyCopy', { source: original, destination: original, passphrase: PASSPHRASE });
    assert.equal(overOriginal.ok, false);
    assert.equal(existsSync(destination), false);
  });
});
