// The administration endpoints of the emulator (engagement-api.md sections B1, B5, C and E): the app list and
// details, WNS credentials and their test, MPNS certificate removal, certificate expiry, and tracking a queued pass
// request. Shapes follow the docs, quirks included: pass ids as bare 64-bit JSON numbers, `seriealNumber`, expiry
// dates such as `07 Jan, 2018 11.41:02 AM UTC`, and some failures answered with 200.
import type { AdminState } from './admin-state';
import { channelStates, SEED_PASS_TYPE } from './admin-state';
import type { CertificateStore } from './certificate-store';
import type { Exchange } from './http-io';
import { BadRequestError, JSON_TYPE, readSmallBody, sendBody, sendJson } from './http-io';

export interface AdminSettings {
  admin: AdminState;
  certificates: CertificateStore;
  /** Time between two steps of a pass channel's status (initial, queued, submitted, final); 0: final at once. */
  passStatusStepMs: number;
}

type AdminHandler = (ex: Exchange, settings: AdminSettings, params: Record<string, string>) => Promise<void>;

export interface AdminRoute {
  pattern: RegExp;
  methods: Record<string, AdminHandler>;
  auth: boolean;
}

/** Most specific first: `/applications/{appId}` would otherwise take `certexpirydetails` for an app id. */
export const ADMIN_ROUTES: AdminRoute[] = [
  { pattern: /^\/api\/v1\/applications$/, methods: { GET: listApplications }, auth: true },
  { pattern: /^\/api\/v1\/applications\/certexpirydetails$/, methods: { GET: certificateExpiry }, auth: true },
  { pattern: /^\/api\/v1\/applications\/removewindowscert$/, methods: { GET: removeCertificate }, auth: true },
  { pattern: /^\/api\/v1\/applications\/(?<appId>[^/]+)$/, methods: { GET: applicationDetails }, auth: true },
  { pattern: /^\/api\/v1\/connectiontest\/windows8\/(?<appId>[^/]+)$/, methods: { GET: testWns }, auth: true },
  { pattern: /^\/api\/v1\/pass\/meta\/(?<requestId>[^/]+)$/, methods: { GET: passMeta }, auth: true },
  { pattern: /^\/api\/v1\/pass\/(?<passId>[^/]+)\/status$/, methods: { GET: passStatus }, auth: true },
];

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

function clock(date: Date): { hh: string; mm: string; ss: string; ampm: string } {
  const hours = date.getUTCHours();
  return { hh: two(hours % 12 === 0 ? 12 : hours % 12), mm: two(date.getUTCMinutes()), ss: two(date.getUTCSeconds()), ampm: hours < 12 ? 'AM' : 'PM' };
}

/** `07 Jan, 2018 11.41:02 AM UTC`, the certificate expiry format (with its odd `.` after the hour). */
export function expiryDateText(ms: number): string {
  const date = new Date(ms);
  const { hh, mm, ss, ampm } = clock(date);
  return `${two(date.getUTCDate())} ${MONTHS[date.getUTCMonth()] ?? 'Jan'}, ${date.getUTCFullYear()} ${hh}.${mm}:${ss} ${ampm} UTC`;
}

/** `06/15/2016 02:55:46 PM UTC`, the app and audit date format. */
export function auditDateText(ms: number): string {
  const date = new Date(ms);
  const { hh, mm, ss, ampm } = clock(date);
  return `${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())}/${date.getUTCFullYear()} ${hh}:${mm}:${ss} ${ampm} UTC`;
}

function daysLeft(expiry: number, now: number): number {
  return Math.floor((expiry - now) / DAY_MS);
}

/** JSON whose bigint values are written as bare numbers, as the server writes 64-bit ids. */
async function sendJsonWithBareIds(ex: Exchange, status: number, value: unknown): Promise<void> {
  const marked = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `\u0000${v.toString()}` : v));
  const text = marked.replace(/"\\u0000(-?\d+)"/g, '$1');
  ex.record.responseBody = text;
  await sendBody(ex, status, { 'content-type': JSON_TYPE }, Buffer.from(text, 'utf8'));
}

function decoded(raw: string | undefined, what: string): string {
  try {
    const value = decodeURIComponent(raw ?? '');
    if (value.trim() === '') throw new BadRequestError(`${what} is missing`);
    return value;
  } catch (error) {
    if (error instanceof BadRequestError) throw error;
    throw new BadRequestError(`${what} is not valid percent-encoding`);
  }
}

function queryInteger(ex: Exchange, name: string, fallback: number, max: number): number {
  const raw = ex.url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) > max) throw new BadRequestError(`${name} must be a whole number from 0 to ${max}`);
  return Number(raw);
}

function requireKnownApp(settings: AdminSettings, appId: string): void {
  if (!settings.admin.knownApp(appId)) throw new BadRequestError(`Invalid AppId: no application "${appId}"`);
}

/** What the real server answers some calls naming an app it does not have (or has not published): a 200 whose
 * body says it failed (engagement-api.md section E). */
async function sendUnknownAppInOk(ex: Exchange): Promise<void> {
  await sendJson(ex, 200, { id: '-1', message: 'Invalid VoltMX AppId or Application is not published with given AppId' });
}

// ---------------------------------------------------------------------------------------------------------------
// Applications

async function appDetails(settings: AdminSettings, appId: string, now: number): Promise<Record<string, unknown>> {
  const seed = settings.admin.seed(appId);
  const stored = await settings.certificates.get(appId);
  const mpns = settings.admin.mpns(appId);
  const wns = settings.admin.wns(appId);
  const notAfter = stored && mpns?.notAfter ? Date.parse(mpns.notAfter) : NaN;
  return {
    appId,
    name: seed?.name ?? appId,
    description: '',
    createdDateStr: auditDateText(seed?.createdAt ?? mpns?.uploadedAt ?? wns?.setAt ?? now),
    windowsCertUrl: stored ? `/api/v1/applications/downloadwindowscert?appId=${encodeURIComponent(appId)}` : '',
    // The server keeps the passphrase; it is never given back here.
    windowsCertPassPhrase: '',
    windowsCertExpiry: Number.isFinite(notAfter) ? expiryDateText(notAfter) : '',
    windowsPhone7: false,
    windowsPhone8: stored !== undefined,
    windows8ClientId: wns?.packageSid ?? '',
    windows8ClientSecret: wns ? '********' : '',
    appleCertUrl: seed?.appleCertExpiry !== undefined ? `/certs/${encodeURIComponent(appId)}/apple.p12` : '',
    appleCertExpiry: seed?.appleCertExpiry !== undefined ? expiryDateText(seed.appleCertExpiry) : '',
  };
}

async function listApplications(ex: Exchange, settings: AdminSettings): Promise<void> {
  const start = queryInteger(ex, 'start', 0, 1_000_000);
  const pageSize = queryInteger(ex, 'pageSize', 10, 500);
  if (pageSize === 0) throw new BadRequestError('pageSize must be at least 1');
  const ids = settings.admin.appIds();
  const now = Date.now();
  const applications = [];
  for (const appId of ids.slice(start, start + pageSize)) applications.push(await appDetails(settings, appId, now));
  await sendJson(ex, 200, { total: ids.length, applications });
}

async function applicationDetails(ex: Exchange, settings: AdminSettings, params: Record<string, string>): Promise<void> {
  const appId = decoded(params.appId, 'appId in the URL');
  requireKnownApp(settings, appId);
  await sendJson(ex, 200, await appDetails(settings, appId, Date.now()));
}

// ---------------------------------------------------------------------------------------------------------------
// Windows: WNS credentials (JSON to the MPNS upload's URL), their test, and removing the MPNS certificate

/** `ms-app://s-1-15-2-` then seven decimal sub-authorities, as the Partner Center shows a Package SID. */
export const PACKAGE_SID = /^ms-app:\/\/s-1-15-2(-\d{1,10}){7}$/;

/** POST/PUT JSON to /applications/{appId}/windows (the upload route hands JSON bodies here). */
export async function setWnsCredentials(ex: Exchange, settings: AdminSettings, appId: string): Promise<void> {
  const text = (await readSmallBody(ex, 64 * 1024)).toString('utf8');
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    throw new BadRequestError('The body is not a JSON object');
  }
  // The app is looked up before the credentials are read: an unknown one is refused inside a 200, and nothing is
  // stored for it (it would otherwise appear in the app list).
  if (!settings.admin.knownApp(appId)) {
    await sendUnknownAppInOk(ex);
    return;
  }
  const clientId = body.windows8ClientId;
  const secret = body.windows8ClientSecret;
  if (typeof clientId !== 'string' || typeof secret !== 'string' || !PACKAGE_SID.test(clientId) || secret.trim() === '') {
    throw new BadRequestError('Windows8 cloud credentials are invalid');
  }
  await settings.admin.setWns(appId, clientId, secret);
  await sendJson(ex, 200, { message: 'Details updated successfully', id: appId });
}

async function testWns(ex: Exchange, settings: AdminSettings, params: Record<string, string>): Promise<void> {
  const appId = decoded(params.appId, 'appId in the URL');
  requireKnownApp(settings, appId);
  if (!settings.admin.wns(appId)) throw new BadRequestError('Windows8 cloud credentials are not found for this application');
  await sendJson(ex, 200, { id: appId, message: 'Windows8 cloud credentials are valid.' });
}

async function removeCertificate(ex: Exchange, settings: AdminSettings): Promise<void> {
  const appId = ex.url.searchParams.get('appId');
  if (appId === null || appId.trim() === '') throw new BadRequestError('The appId query parameter is required');
  requireKnownApp(settings, appId);
  if (!(await settings.certificates.remove(appId))) {
    throw new BadRequestError(`No Windows MPNS certificate is stored for application "${appId}"`);
  }
  await settings.admin.certificateRemoved(appId);
  await sendJson(ex, 200, { message: 'Deleted the Windows MPNS certificate successfully', id: appId });
}

// ---------------------------------------------------------------------------------------------------------------
// Certificate expiry

async function certificateExpiry(ex: Exchange, settings: AdminSettings): Promise<void> {
  const only = ex.url.searchParams.get('appId');
  const now = Date.now();
  if (only !== null && !settings.admin.knownApp(only)) {
    await sendUnknownAppInOk(ex);
    return;
  }
  const appCertificates = [];
  for (const appId of only !== null ? [only] : settings.admin.appIds()) {
    const certificates = [];
    const seed = settings.admin.seed(appId);
    if (seed?.appleCertExpiry !== undefined) {
      certificates.push({ expiryDate: expiryDateText(seed.appleCertExpiry), daysLeft: daysLeft(seed.appleCertExpiry, now), platform: 'iPhone', certificateType: 'Production' });
    }
    const mpns = settings.admin.mpns(appId);
    const notAfter = mpns?.notAfter ? Date.parse(mpns.notAfter) : NaN;
    if (Number.isFinite(notAfter) && (await settings.certificates.get(appId))) {
      certificates.push({ expiryDate: expiryDateText(notAfter), daysLeft: daysLeft(notAfter, now), platform: 'Windows', certificateType: 'MPNS' });
    }
    if (certificates.length > 0) appCertificates.push({ appId, certificates });
  }
  const passExpiry = settings.admin.apps.length > 0 ? now + 75 * DAY_MS : undefined;
  const passCertificates =
    only === null && passExpiry !== undefined
      ? [{ passTypeIdentifier: SEED_PASS_TYPE, expiryDate: expiryDateText(passExpiry), daysLeft: daysLeft(passExpiry, now), certificateType: 'Production' }]
      : [];
  await sendJson(ex, 200, { appCertificates, passCertificates });
}

// ---------------------------------------------------------------------------------------------------------------
// Pass requests

function numericId(raw: string | undefined, what: string): string {
  const value = decoded(raw, what);
  if (!/^\d{1,19}$/.test(value)) throw new BadRequestError(`Invalid ${what}: it must be a number`);
  return value;
}

async function passMeta(ex: Exchange, settings: AdminSettings, params: Record<string, string>): Promise<void> {
  const requestId = numericId(params.requestId, 'request id');
  const request = settings.admin.passRequest(requestId);
  if (!request) throw new BadRequestError(`No pass request found with id ${requestId}`);
  const start = queryInteger(ex, 'start', 0, 1_000_000);
  const pageSize = queryInteger(ex, 'pageSize', 10, 500);
  const stop = request.createdAt + 30 * DAY_MS;
  const passRequests = request.passIds.slice(start, start + pageSize).map((id, index) => ({
    id: BigInt(id),
    audienceId: `aud-${start + index + 1}`,
    passType: 'generic',
    serialNumber: `SN-${id.slice(-6)}`,
    passTypeIdentifier: SEED_PASS_TYPE,
    stopDateStr: auditDateText(stop),
    passExpiryDateStr: auditDateText(stop),
    barcodeMsg: `PASS-${id.slice(-8)}`,
    barcodeAltMsg: '',
    importPass: request.importPass,
  }));
  await sendJsonWithBareIds(ex, 200, { total: request.passIds.length, passRequests });
}

async function passStatus(ex: Exchange, settings: AdminSettings, params: Record<string, string>): Promise<void> {
  const passId = numericId(params.passId, 'pass id');
  const owner = settings.admin.passOwner(passId);
  if (!owner) throw new BadRequestError(`No pass found with id ${passId}`);
  const index = owner.passIds.indexOf(passId);
  await sendJsonWithBareIds(ex, 200, {
    passStatusData: {
      id: BigInt(passId),
      passtypeIdentifier: SEED_PASS_TYPE,
      seriealNumber: `SN-${passId.slice(-6)}`,
      audienceId: `aud-${index + 1}`,
      barcodeMessage: `PASS-${passId.slice(-8)}`,
      channelStatusList: channelStates(passId, Date.now() - owner.createdAt, settings.passStatusStepMs),
    },
  });
}
