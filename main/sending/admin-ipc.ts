// The administrator's jobs over IPC (issue #17): lists read through ServerReadings (kept for offline viewing), and
// the WNS connection test. The sends (WNS credentials, certificate removal) are registered by
// main/drafts/admin-sends.ts, which can put them in the Outbox.
import type { AppList, CertificateExpiry, PassRequestStatus } from '../../preload/contract';
import type { HandlerRegistry } from '../ipc/registry';
import type { AdminActions } from './admin-actions';
import type { ServerReadings } from './admin-readings';

export interface AdminIpcDeps {
  admin: AdminActions;
  readings: ServerReadings;
  /** Where a status read is noted as the request's last known status in the history (issue #17). */
  passStatuses?: { record(status: PassRequestStatus): Promise<unknown> };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isAppList = (value: unknown): value is AppList => isObject(value) && typeof value.total === 'number' && Array.isArray(value.apps);
const isExpiryList = (value: unknown): value is CertificateExpiry[] => Array.isArray(value) && value.every((c) => isObject(c) && typeof c.daysLeft === 'number');
const isPassStatus = (value: unknown): value is PassRequestStatus => isObject(value) && typeof value.requestId === 'string' && Array.isArray(value.passes);

export function registerAdminIpc(registry: HandlerRegistry, deps: AdminIpcDeps): void {
  const { admin, readings, passStatuses } = deps;
  registry.handle('appsList', (request) => readings.read(request.profileId, 'apps', () => admin.listApps(request.profileId), isAppList));
  registry.handle('appDetails', (request) => admin.appDetails(request.profileId, request.appId));
  registry.handle('certsExpiry', (request) =>
    readings.read(request.profileId, `expiry:${request.appId ?? ''}`, () => admin.certificateExpiry(request.profileId, request.appId), isExpiryList),
  );
  registry.handle('passStatus', (request) =>
    readings.read(
      request.profileId,
      `pass-status:${request.requestId.trim()}`,
      async () => {
        const status = await admin.passStatus(request.profileId, request.requestId);
        // The status is shown even if noting it fails; the next read notes it again.
        await passStatuses?.record(status).catch(() => undefined);
        return status;
      },
      isPassStatus,
    ),
  );
  registry.handle('wnsTest', (request) => admin.testWns(request.profileId, request.appId));
  // wnsSet and certRemove take the road of every send, Outbox included: main/drafts/admin-sends.ts.
}
