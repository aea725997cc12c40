// Registers every domain's handlers on one registry: the Electron app and the browser tests both call this, so
// they run exactly the same handlers.
import type { AppServices } from '../services';
import { registerPassBatchIpc } from '../sending/batch-ipc';
import { registerDraftsBatchIpc } from '../drafts/drafts-batch-ipc';
import type { Dialogs } from '../platform/dialogs';
import type { OperationRegistry } from '../platform/operations';
import type { PathGrants } from '../platform/path-grants';
import { registerDraftsIpc } from '../drafts/drafts-ipc';
import { registerFileIpc } from '../checks/files-ipc';
import { registerProfileIpc } from '../profiles/profiles-ipc';
import type { EventSink, HandlerRegistry } from './registry';
import { registerTransferIpc } from '../sending/transfers-ipc';
import { registerAdminIpc } from '../sending/admin-ipc';
import { registerAdminSendIpc } from '../drafts/admin-sends';
import { ServerReadings } from '../sending/admin-readings';

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
  registerPassBatchIpc(registry, { actions: services.actions, operations, events });
  registerDraftsBatchIpc(registry, { operations, events, drafts: services.drafts });
  registerAdminIpc(registry, {
    admin: services.admin,
    readings: new ServerReadings(services.dataDir),
    passStatuses: services.drafts.history.passStatuses,
  });
  registerAdminSendIpc(registry, { services: services.drafts, admin: services.admin, actions: services.actions, operations, events });
}
