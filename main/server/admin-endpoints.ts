// The administration calls of issue #17 over one profile's EngagementClient: the app list (every page), app
// details, certificate expiry, WNS credentials and their test, MPNS certificate removal, and a pass request's
// status. Each answer is read by main/core/admin-answers.ts, bounded and with failures in 200 answers caught.
import type { AdminMessage, AppList, AppSummary, CertificateExpiry, PassRequestStatus, PassStatusEntry } from '../../preload/contract';
import {
  MAX_APPS,
  MAX_PASSES,
  readAdminMessage,
  readAppDetails,
  readAppPage,
  readCertificateExpiry,
  readPassMetaPage,
  readPassStatus,
  requestIdProblem,
} from '../core/admin-answers';
import { appError, EngagementError, fail } from '../core/errors';
import { appIdProblem } from '../core/server-url';
import type { EngagementClient, TransferOptions } from './engagement-client';

/** The app id as one path segment or query value, refused first when it could not be one. */
function appIdPart(appId: string): string {
  const problem = appIdProblem(appId);
  if (problem) fail('validation', `${problem} Nothing was sent.`);
  return encodeURIComponent(appId);
}

export const ADMIN_PATHS = {
  applications: (start: number, pageSize: number) => `/api/v1/applications?start=${start}&pageSize=${pageSize}`,
  application: (appId: string) => `/api/v1/applications/${appIdPart(appId)}`,
  windows: (appId: string) => `/api/v1/applications/${appIdPart(appId)}/windows`,
  wnsTest: (appId: string) => `/api/v1/connectiontest/windows8/${appIdPart(appId)}`,
  removeCertificate: (appId: string) => `/api/v1/applications/removewindowscert?appId=${appIdPart(appId)}`,
  certificateExpiry: (appId?: string) => `/api/v1/applications/certexpirydetails${appId !== undefined ? `?appId=${appIdPart(appId)}` : ''}`,
  passMeta: (requestId: string, start: number, pageSize: number) => `/api/v1/pass/meta/${requestId}?start=${start}&pageSize=${pageSize}`,
  passStatus: (passId: string) => `/api/v1/pass/${passId}/status`,
  passImport: () => '/api/v1/message/pass/import',
} as const;

/** How the history names these sends. */
export const ADMIN_ENDPOINT_LABELS = {
  'wns-set': 'POST /api/v1/applications/{appId}/windows (WNS)',
  'cert-remove': 'GET /api/v1/applications/removewindowscert',
  'pass-issue': `POST ${ADMIN_PATHS.passImport()}`,
} as const;

export const APPS_PAGE_SIZE = 100;

/**
 * Every application of the server, page after page until `total` is reached. A server that keeps answering full
 * pages past its own total, or empty pages before it, is stopped: at MAX_APPS, or at the first empty page.
 */
export async function listAllApps(client: EngagementClient, transfer: TransferOptions = {}, pageSize = APPS_PAGE_SIZE): Promise<AppList> {
  const apps: AppSummary[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (let start = 0; ; start += pageSize) {
    const page = readAppPage(await client.exchangeJson('GET', ADMIN_PATHS.applications(start, pageSize), transfer));
    total = page.total;
    for (const app of page.apps) {
      // A list that shifts while it is paged may repeat an app across pages: keep the first.
      if (seen.has(app.id) || apps.length >= MAX_APPS) continue;
      seen.add(app.id);
      apps.push(app);
    }
    if (page.received === 0 || start + page.received >= total || apps.length >= MAX_APPS) break;
  }
  return { total, apps };
}

export async function appDetails(client: EngagementClient, appId: string, transfer: TransferOptions = {}): Promise<AppSummary> {
  return readAppDetails(await client.exchangeJson('GET', ADMIN_PATHS.application(appId), transfer));
}

export async function certificateExpiry(client: EngagementClient, appId?: string, transfer: TransferOptions = {}): Promise<CertificateExpiry[]> {
  return readCertificateExpiry(await client.exchangeJson('GET', ADMIN_PATHS.certificateExpiry(appId), transfer));
}

/**
 * WNS credentials as JSON to the MPNS upload's URL (engagement-api.md section C). The MPNS switches are sent off:
 * MPNS is retired, and sending them on would ask the server to use a channel that no longer exists.
 */
export async function setWnsCredentials(
  client: EngagementClient,
  appId: string,
  credentials: { packageSid: string; clientSecret: string },
  transfer: TransferOptions = {},
): Promise<AdminMessage> {
  const body = JSON.stringify({
    windowsPhone7: false,
    windowsPhone8: false,
    windows8ClientSecret: credentials.clientSecret,
    windows8ClientId: credentials.packageSid,
  });
  return readAdminMessage(await client.exchangeJson('POST', ADMIN_PATHS.windows(appId), transfer, body), 'WNS credentials');
}

export async function testWnsCredentials(client: EngagementClient, appId: string, transfer: TransferOptions = {}): Promise<AdminMessage> {
  return readAdminMessage(await client.exchangeJson('GET', ADMIN_PATHS.wnsTest(appId), transfer), 'WNS connection test');
}

export async function removeMpnsCertificate(client: EngagementClient, appId: string, transfer: TransferOptions = {}): Promise<AdminMessage> {
  return readAdminMessage(await client.exchangeJson('GET', ADMIN_PATHS.removeCertificate(appId), transfer), 'certificate removal');
}

const META_PAGE_SIZE = 100;

/** The passes a request made (every page, up to MAX_PASSES) and each one's channel statuses. */
export async function passRequestStatus(client: EngagementClient, requestId: string, transfer: TransferOptions = {}): Promise<PassRequestStatus> {
  const problem = requestIdProblem(requestId);
  if (problem) throw new EngagementError(appError('validation', problem));
  const id = requestId.trim();
  const passIds: Array<{ id: string; serialNumber?: string }> = [];
  let total = 0;
  for (let start = 0; ; start += META_PAGE_SIZE) {
    const page = readPassMetaPage(await client.exchangeJson('GET', ADMIN_PATHS.passMeta(id, start, META_PAGE_SIZE), transfer));
    total = page.total;
    for (const pass of page.passes) if (passIds.length < MAX_PASSES && !passIds.some((p) => p.id === pass.id)) passIds.push(pass);
    if (page.received === 0 || start + page.received >= total || passIds.length >= MAX_PASSES) break;
  }
  const passes: PassStatusEntry[] = [];
  for (const pass of passIds) {
    const status = readPassStatus(await client.exchangeJson('GET', ADMIN_PATHS.passStatus(pass.id), transfer), pass.id);
    passes.push({ ...status, id: pass.id, ...(status.serialNumber ?? pass.serialNumber ? { serialNumber: status.serialNumber ?? pass.serialNumber } : {}) });
  }
  const settled = passes.length > 0 && passes.every((p) => p.channels.length > 0 && p.channels.every((c) => c.final));
  return { requestId: id, total, passes, settled };
}
