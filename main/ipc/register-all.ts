// Registers every domain's handlers on one registry: the Electron app and the browser tests both call this, so
// they run exactly the same handlers.
import type { Dialogs } from '../adapters/dialogs';
import { EngagementActions } from '../adapters/engagement-actions';
import type { OperationRegistry } from '../adapters/operations';
import type { ProfileService } from '../adapters/profiles';
import { registerFileIpc } from './files';
import { registerProfileIpc } from './profiles';
import type { EventSink, HandlerRegistry } from './registry';
import { registerTransferIpc } from './transfers';

export interface IpcDeps {
  profiles: ProfileService;
  operations: OperationRegistry;
  events: EventSink;
  dialogs: Dialogs;
}

export function registerAllIpc(registry: HandlerRegistry, deps: IpcDeps): void {
  const actions = new EngagementActions(deps.profiles);
  registerProfileIpc(registry, deps);
  registerTransferIpc(registry, { actions, operations: deps.operations, events: deps.events });
  registerFileIpc(registry, deps);
}
