// Dialogs, the file manager and the local checks: the renderer only ever gets paths and reports, never bytes.
// A path the user picks in one of main's own dialogs is granted here, so later requests may name it.
import { stat } from 'node:fs/promises';
import type { Dialogs } from '../platform/dialogs';
import type { PathGrants } from '../platform/path-grants';
import { checkFile } from './file-checks';
import { writeLegacyCopy } from './p12-legacy-copy';
import { fail } from '../core/errors';
import type { HandlerRegistry } from '../ipc/registry';

export function registerFileIpc(registry: HandlerRegistry, deps: { dialogs: Dialogs; pathGrants: PathGrants }): void {
  const { dialogs, pathGrants } = deps;
  registry.handle('dialogOpenFile', async (request) => {
    const paths = await dialogs.openFile(request.kind, request.multiple ?? false);
    for (const path of paths) pathGrants.grantFile(path, 'read');
    return { paths };
  });
  registry.handle('dialogSaveFile', async (request) => {
    const path = await dialogs.saveFile(request.kind, request.defaultName);
    if (path === undefined) return {};
    pathGrants.grantFile(path, 'write');
    return { path };
  });
  registry.handle('shellShowInFolder', async (request) => {
    // Only reveal files that exist: the path comes from the renderer.
    const info = await stat(request.path).catch(() => undefined);
    if (!info?.isFile()) fail('file', `${request.path} no longer exists.`);
    return { shown: await dialogs.showInFolder(request.path) };
  });
  registry.handle('checkFile', (request) => checkFile(request));
  registry.handle('p12LegacyCopy', (request) => writeLegacyCopy(request.source, request.destination, request.passphrase));
}
