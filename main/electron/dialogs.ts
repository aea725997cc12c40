// The Electron implementation of Dialogs: native open/save dialogs filtered per file kind, remembering the last
// folder per kind in the settings store, and "show in folder". Electron's dialog and shell come in as arguments
// (type-only import), so the behaviour is testable in plain Node with a stand-in for the native dialog.
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { BrowserWindow, Dialog, FileFilter, OpenDialogOptions, SaveDialogOptions, Shell } from 'electron';
import type { FileKind } from '../../preload/contract';
import type { Dialogs } from '../platform/dialogs';
import type { KeyValueStore } from '../platform/settings-store';

export const FILE_FILTERS: Readonly<Record<FileKind, readonly FileFilter[]>> = {
  p12: [{ name: 'Certificate (PKCS #12)', extensions: ['p12', 'pfx'] }],
  pkpass: [{ name: 'Apple Wallet pass', extensions: ['pkpass'] }],
  image: [{ name: 'PNG image', extensions: ['png'] }],
  json: [{ name: 'JSON', extensions: ['json'] }],
  draft: [{ name: 'Engagement Desk draft', extensions: ['engdraft'] }],
  csv: [{ name: 'CSV', extensions: ['csv'] }],
};

export function lastFolderKey(kind: FileKind): string {
  return `dialogs.lastFolder.${kind}`;
}

export interface ElectronDialogsDeps {
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;
  shell: Pick<Shell, 'showItemInFolder'>;
  store: KeyValueStore;
  /** The dialog is modal to this window when there is one. */
  getWindow: () => BrowserWindow | undefined;
}

export function createElectronDialogs(deps: ElectronDialogsDeps): Dialogs {
  const { dialog, shell, store } = deps;

  const lastFolder = (kind: FileKind): string | undefined => {
    const saved = store.get(lastFolderKey(kind));
    return typeof saved === 'string' && saved !== '' ? saved : undefined;
  };
  const remember = (kind: FileKind, file: string): void => {
    store.set(lastFolderKey(kind), dirname(file));
  };
  const parent = (): BrowserWindow | undefined => {
    const window = deps.getWindow();
    return window && !window.isDestroyed() ? window : undefined;
  };

  return {
    async openFile(kind, multiple) {
      const options: OpenDialogOptions = {
        properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
        filters: FILE_FILTERS[kind].map((filter) => ({ ...filter, extensions: [...filter.extensions] })),
      };
      const folder = lastFolder(kind);
      if (folder) options.defaultPath = folder;
      const window = parent();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      if (result.canceled || result.filePaths.length === 0) return [];
      remember(kind, result.filePaths[0] as string);
      return multiple ? result.filePaths : result.filePaths.slice(0, 1);
    },

    async saveFile(kind, defaultName) {
      // The renderer proposes a name only; a path in it must not pick the folder.
      const name = basename(defaultName.replace(/\\/g, '/'));
      const folder = lastFolder(kind);
      const options: SaveDialogOptions = {
        filters: FILE_FILTERS[kind].map((filter) => ({ ...filter, extensions: [...filter.extensions] })),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      if (folder || name) options.defaultPath = folder ? join(folder, name) : name;
      const window = parent();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return undefined;
      remember(kind, result.filePath);
      return result.filePath;
    },

    async showInFolder(path) {
      // shell.showItemInFolder reports nothing, so check first that there is something to show.
      try {
        await stat(path);
      } catch {
        return false;
      }
      shell.showItemInFolder(path);
      return true;
    },
  };
}
