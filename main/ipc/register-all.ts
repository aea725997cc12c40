// Registers every domain's handlers on one registry: the Electron app and the browser tests both call this, so
// they run exactly the same handlers.
import type { AppServices } from '../adapters/app-services';
import { registerBatchIpc } from './batch';
import type { Dialogs } from '../adapters/dialogs';
import type { OperationRegistry } from '../adapters/operations';
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
}

export function registerAllIpc(registry: HandlerRegistry, deps: IpcDeps): void {
  const { services, operations, events, dialogs } = deps;
  registerProfileIpc(registry, { profiles: services.profiles });
  registerTransferIpc(registry, { actions: services.actions, operations, events });
  registerFileIpc(registry, { dialogs });
  registerDraftsIpc(registry, {
    services: services.drafts,
    profiles: services.profiles,
    secrets: services.secrets,
    operations,
    events,
  });
  registerBatchIpc(registry, { actions: services.actions, operations, events, drafts: services.drafts });
}
