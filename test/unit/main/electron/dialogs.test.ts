// The Electron dialogs over a stand-in for the native dialog (it cannot run without Electron) and the real settings
// store and files in a temp folder.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { openSettingsStore, type KeyValueStore } from '../../../../main/platform/settings-store';
import { FILE_FILTERS, createElectronDialogs, lastFolderKey } from '../../../../main/electron/dialogs';
import type { FileKind } from '../../../../preload/contract';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'engagement-desk-dialogs-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Answers {
  open?: string[];
  save?: string;
}

function setup(store: KeyValueStore, answers: Answers) {
  const opened: OpenDialogOptions[] = [];
  const saved: SaveDialogOptions[] = [];
  const shown: string[] = [];
  const dialog = {
    showOpenDialog: async (...args: unknown[]) => {
      opened.push(args.at(-1) as OpenDialogOptions);
      return answers.open ? { canceled: false, filePaths: answers.open } : { canceled: true, filePaths: [] };
    },
    showSaveDialog: async (...args: unknown[]) => {
      saved.push(args.at(-1) as SaveDialogOptions);
      return answers.save ? { canceled: false, filePath: answers.save } : { canceled: true, filePath: '' };
    },
  };
  const dialogs = createElectronDialogs({
    dialog: dialog as never,
    shell: { showItemInFolder: (path: string) => void shown.push(path) },
    store,
    getWindow: () => undefined,
  });
  return { dialogs, opened, saved, shown };
}

describe('FILE_FILTERS', () => {
  test('one filter per kind with the expected extensions', () => {
    const table = Object.fromEntries(Object.entries(FILE_FILTERS).map(([kind, filters]) => [kind, filters.flatMap((f) => f.extensions)]));
    assert.deepEqual(table, { p12: ['p12', 'pfx'], pkpass: ['pkpass'], image: ['png'], json: ['json'], draft: ['engdraft'], csv: ['csv'] });
  });
});

describe('createElectronDialogs', () => {
  test('openFile filters by kind, allows several files only when asked, remembers the folder per kind', async () => {
    const store = openSettingsStore(join(dir, 'open'));
    const answers: Answers = { open: ['/certs/a.p12'] };
    const { dialogs, opened } = setup(store, answers);

    assert.deepEqual(await dialogs.openFile('p12', false), ['/certs/a.p12']);
    assert.deepEqual(opened[0]?.filters?.[0]?.extensions, ['p12', 'pfx']);
    assert.deepEqual(opened[0]?.properties, ['openFile']);
    assert.equal(opened[0]?.defaultPath, undefined);
    assert.equal(store.get(lastFolderKey('p12')), '/certs');

    answers.open = ['/images/icon.png', '/images/logo.png'];
    assert.deepEqual(await dialogs.openFile('image', true), ['/images/icon.png', '/images/logo.png']);
    assert.deepEqual(opened[1]?.properties, ['openFile', 'multiSelections']);
    assert.equal(opened[1]?.defaultPath, undefined, 'the p12 folder is not used for images');

    answers.open = undefined;
    assert.deepEqual(await dialogs.openFile('p12', false), []);
    assert.equal(opened[2]?.defaultPath, '/certs');
    assert.equal(store.get(lastFolderKey('p12')), '/certs', 'cancelling keeps the remembered folder');
  });

  test('saveFile proposes only a file name, in the last folder, and remembers where the user saved', async () => {
    const store = openSettingsStore(join(dir, 'save'));
    const answers: Answers = { save: '/downloads/cert.p12' };
    const { dialogs, saved } = setup(store, answers);
    const kind: FileKind = 'p12';

    assert.equal(await dialogs.saveFile(kind, '../../etc/cert.p12'), '/downloads/cert.p12');
    assert.equal(saved[0]?.defaultPath, 'cert.p12');
    assert.deepEqual(saved[0]?.filters?.[0]?.extensions, ['p12', 'pfx']);
    assert.equal(store.get(lastFolderKey(kind)), '/downloads');

    answers.save = undefined;
    assert.equal(await dialogs.saveFile(kind, 'C:\\Users\\x\\other.p12'), undefined);
    assert.equal(saved[1]?.defaultPath, join('/downloads', 'other.p12'));
  });

  test('showInFolder reveals existing files only', async () => {
    const store = openSettingsStore(join(dir, 'show'));
    const { dialogs, shown } = setup(store, {});
    const file = join(dir, 'exists.txt');
    await writeFile(file, 'x');
    assert.equal(await dialogs.showInFolder(file), true);
    assert.equal(await dialogs.showInFolder(join(dir, 'missing.txt')), false);
    assert.deepEqual(shown, [file]);
  });
});
