// Registers every domain's handlers on one registry: the Electron app and the browser tests both call this, so
// they run exactly the same handlers.
import type { AppServices } from '../adapters/app-services';
import { registerBatchIpc } from './batch';
import type { Dialogs } from '../adapters/dialogs';
import type { OperationRegistry } from '../adapters/operations';
import type { PathGrants } from '../adapters/path-grants';
import { registerDraftsIpc } from './drafts';
import { registerFileIpc } from './files';
import { registerProfileIpc } from './profiles';
import type { EventSink, HandlerRegistry } from './registry';
import { registerTransferIpc } from './transfers';

export interface IpcDeps {
  services: AppServices;
  operations: OperationRegistry;
  events: EventSink;
  dialogs: Dialogs;
  /** The paths the user chose; the same list the registry checks requests against. */
  pathGrants: PathGrants;
}

export function registerAllIpc(registry: HandlerRegistry, deps: IpcDeps): void {
  const { services, operations, events, dialogs, pathGrants } = deps;
  registerProfileIpc(registry, { profiles: services.profiles });
  registerTransferIpc(registry, { actions: services.actions, operations, events, pathGrants });
  registerFileIpc(registry, { dialogs, pathGrants });
  registerDraftsIpc(registry, {
    services: services.drafts,
    profiles: services.profiles,
    secrets: services.secrets,
    operations,
    events,
    pathGrants,
  });
  registerBatchIpc(registry, { actions: services.actions, operations, events, drafts: services.drafts });
}
