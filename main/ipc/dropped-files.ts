// The main side of pathForFile: the preload reports the path of a File the user dropped on the window and main
// grants it for reading. Environment-free (typed-ipc.ts connects it to ipcMain.on, the browser tests to their
// bridge); a malformed report grants nothing and is otherwise ignored, since a send has no reply.
import { droppedFileGrant } from '../../preload/contract';
import type { PathGrants } from '../platform/path-grants';
import { payloadProblem } from './payload-guard';

/** True when the path was granted. */
export function receiveDroppedFile(pathGrants: Pick<PathGrants, 'grantFile'>, payload: unknown): boolean {
  if (payloadProblem(payload)) return false;
  const parsed = droppedFileGrant.request.safeParse(payload);
  if (!parsed.success) return false;
  return pathGrants.grantFile(parsed.data.path, 'read');
}
