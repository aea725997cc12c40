// Dialogs, the file manager and the local checks: the renderer only ever gets paths and reports, never bytes.
import { stat } from 'node:fs/promises';
import type { Dialogs } from '../adapters/dialogs';
import { checkFile } from '../adapters/file-checks';
import { fail } from '../core/errors';
import { checkPassContent } from '../core/pass-content';
import type { HandlerRegistry } from './registry';

export function registerFileIpc(registry: HandlerRegistry, deps: { dialogs: Dialogs }): void {
  const { dialogs } = deps;
  registry.handle('dialogOpenFile', async (request) => ({ paths: await dialogs.openFile(request.kind, request.multiple ?? false) }));
  registry.handle('dialogSaveFile', async (request) => {
    const path = await dialogs.saveFile(request.kind, request.defaultName);
    return path === undefined ? {} : { path };
  });
  registry.handle('shellShowInFolder', async (request) => {
    // Only reveal files that exist: the path comes from the renderer.
    const info = await stat(request.path).catch(() => undefined);
    if (!info?.isFile()) fail('file', `${request.path} no longer exists.`);
    return { shown: await dialogs.showInFolder(request.path) };
  });
  registry.handle('checkFile', (request) => checkFile(request));
  registry.handle('checkPassContent', async (request) => checkPassContent(request.passContent));
}
