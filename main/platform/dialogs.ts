// Native file dialogs and the file manager, as the IPC handlers see them. Electron implements this in
// main/electron/dialogs.ts; the browser tests give answers of their own (a native dialog cannot run there).
import type { FileKind } from '../../preload/contract';

export interface Dialogs {
  /** Paths the user picked; empty when cancelled. */
  openFile(kind: FileKind, multiple: boolean): Promise<string[]>;
  /** The path to save to; undefined when cancelled. Remembers the last folder per kind. */
  saveFile(kind: FileKind, defaultName: string): Promise<string | undefined>;
  showInFolder(path: string): Promise<boolean>;
}
