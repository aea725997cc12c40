// The certificate download runs as a cancellable operation whose progress is pushed to the renderer as
// eng:event:progress. Uploads and pass updates reach the page only as drafts and batches (main/drafts,
// main/sending/batch-ipc.ts); the CLI calls EngagementActions in-process.
import type { EngagementActions } from './engagement-actions';
import type { TransferOptions } from '../server/engagement-client';
import type { OperationRegistry } from '../platform/operations';
import type { PathGrants } from '../platform/path-grants';
import type { EventSink, HandlerRegistry } from '../ipc/registry';

export interface TransferIpcDeps {
  actions: EngagementActions;
  operations: OperationRegistry;
  events: EventSink;
  pathGrants: Pick<PathGrants, 'grantCreated'>;
}

function transferFor(operationId: string, signal: AbortSignal, events: EventSink): TransferOptions {
  return {
    signal,
    onProgress: (progress) => events('progress', { operationId, ...progress }),
    onSaved: ({ bytes }) => events('progress', { operationId, direction: 'download', transferred: bytes, total: bytes, saved: true }),
  };
}

export function registerTransferIpc(registry: HandlerRegistry, deps: TransferIpcDeps): void {
  const { actions, operations, events, pathGrants } = deps;
  registry.handle('certDownload', async (request) => {
    const saved = await operations.run(request.operationId, (signal) =>
      actions.downloadCertificate(
        { profile: request.profileId, appId: request.appId, destination: request.destination },
        transferFor(request.operationId, signal, events),
      ),
    );
    // Saved into a granted folder: the new file is one main created there, so it may be shown in its folder.
    if (saved.path !== request.destination) pathGrants.grantCreated(saved.path);
    return saved;
  });
  registry.handle('operationCancel', async (request) => ({ cancelled: operations.cancel(request.operationId) }));
}
