// Reading the administration answers (issue #17): app list and details, certificate expiry, pass request meta and
// pass status, and the `{id,message}` of WNS and removal calls. Everything here is the server's: each text is cut
// to a bound, each list to a count, numbers are checked, and 64-bit ids are read from the JSON text itself (bare
// numbers beyond 2^53 would lose digits as JS numbers; engagement-api.md decision 7). A failure the server puts in
// a 200 answer (decision 9) is caught before these readers, by the client (errorInsideOk).
import type { AdminMessage, AppSummary, CertificateExpiry, PassChannelStatus, PassStatusEntry } from '../../preload/contract';
import { CHANNEL_STATUSES, FINAL_CHANNEL_STATUSES, PASS_CHANNELS } from '../../preload/contract/constants';
import { appError, EngagementError } from './errors';

/** Longest text kept from any field (names, dates, messages, identifiers). */
export const MAX_FIELD_CHARS = 200;
/** Most applications read, over all pages: far more than any server holds, small enough for memory and a screen. */
export const MAX_APPS = 10_000;
/** Most certificates kept from one expiry answer. */
export const MAX_CERTIFICATES = 10_000;
/** Most passes tracked for one request (a batch to a large audience is tracked by its first ones). */
export const MAX_PASSES = 1_000;
/** Most channels read for one pass (the docs know two). */
export const MAX_CHANNELS = 8;

type Json = Record<string, unknown>;

/**
 * Parses JSON keeping every number as its source text, so an id like 2338546026820740145 stays exact. Counts and
 * days are converted by `count()`, which refuses what is not a safe integer.
 */
export function parseExact(raw: string): unknown {
  const reviver = (_key: string, value: unknown, context?: { source?: string }): unknown =>
    typeof value === 'number' && context?.source !== undefined ? { exactNumber: context.source } : value;
  return (JSON.parse as (text: string, reviver: (key: string, value: unknown, context?: { source?: string }) => unknown) => unknown)(raw, reviver);
}

function isExactNumber(value: unknown): value is { exactNumber: string } {
  return typeof value === 'object' && value !== null && typeof (value as { exactNumber?: unknown }).exactNumber === 'string';
}

function objectOf(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isExactNumber(value) ? (value as Json) : undefined;
}

/** A short text field: strings as they are (cut), numbers and booleans as their text, else undefined. */
export function text(value: unknown, max = MAX_FIELD_CHARS): string | undefined {
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max)}…` : value;
  if (isExactNumber(value)) return value.exactNumber.slice(0, max);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** An id (string or bare number): exact decimal digits or the server's text, bounded. */
function idText(value: unknown): string | undefined {
  const t = text(value, 100);
  return t === undefined || t.trim() === '' ? undefined : t.trim();
}

function count(value: unknown): number | undefined {
  const source = isExactNumber(value) ? value.exactNumber : typeof value === 'string' ? value.trim() : undefined;
  if (source === undefined || !/^-?\d{1,15}$/.test(source)) return undefined;
  return Number(source);
}

function unexpected(what: string, raw: string): EngagementError {
  const sample = raw.trim().slice(0, 200);
  return new EngagementError(appError('unexpected-response', `The server's answer was not ${what}. It said: ${sample === '' ? '(nothing)' : sample}`));
}

/**
 * The parsed object, or an error naming what was expected. A failure the server puts in a 200 answer (`id` -1, a
 * failed request id) never reaches these readers: the client reads every answer for it first, with one wording
 * (errorInsideOk in main/server/http-answers.ts).
 */
function answerObject(raw: string, what: string): Json {
  let parsed: unknown;
  try {
    parsed = parseExact(raw);
  } catch {
    throw unexpected(what, raw);
  }
  const body = objectOf(parsed);
  if (!body) throw unexpected(what, raw);
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Applications

function appOf(value: unknown): AppSummary | undefined {
  const app = objectOf(value);
  if (!app) return undefined;
  const id = idText(app.appId) ?? idText(app.id) ?? idText(app.applicationId);
  if (id === undefined) return undefined;
  const name = text(app.name) ?? text(app.appName) ?? id;
  const certUrl = text(app.windowsCertUrl);
  const expiry = text(app.windowsCertExpiry);
  const sid = text(app.windows8ClientId);
  const created = text(app.createdDateStr);
  return {
    id,
    name,
    ...(created ? { createdDate: created } : {}),
    mpns: { stored: (certUrl !== undefined && certUrl.trim() !== '') || (expiry !== undefined && expiry.trim() !== ''), ...(expiry?.trim() ? { expiry: expiry.trim() } : {}) },
    wns: { set: sid !== undefined && sid.trim() !== '', ...(sid?.trim() ? { packageSid: sid.trim() } : {}) },
  };
}

/** One page of `GET /applications?start=&pageSize=`: `{"total":N,"applications":[…]}`. */
export function readAppPage(raw: string): { total: number; apps: AppSummary[]; received: number } {
  const body = answerObject(raw, 'the JSON application list the API documents');
  const list = body.applications;
  const total = count(body.total);
  if (!Array.isArray(list) || total === undefined || total < 0) throw unexpected('the JSON application list the API documents ({"total":N,"applications":[…]})', raw);
  const apps = list.slice(0, MAX_APPS).map(appOf).filter((a): a is AppSummary => a !== undefined);
  return { total, apps, received: list.length };
}

/** `GET /applications/{appId}`: the flat details object. */
export function readAppDetails(raw: string): AppSummary {
  const app = appOf(answerObject(raw, 'the JSON application details the API documents'));
  if (!app) throw unexpected('application details with an application id', raw);
  return app;
}

// ---------------------------------------------------------------------------------------------------------------
// Certificate expiry

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };
/** Zones the server's date texts name; others are read as UTC, close enough for a day count, and said so nowhere. */
const ZONES: Record<string, number> = { UTC: 0, GMT: 0, IST: 330, EST: -300, EDT: -240, CST: -360, CDT: -300, PST: -480, PDT: -420, CET: 60, CEST: 120, BST: 60 };

/** `07 Jan, 2018 11.41:02 AM IST` (or with `:` after the hour) as an ISO instant; undefined when not that shape. */
export function parseExpiryDate(value: string): string | undefined {
  const m = /^(\d{1,2}) ([A-Za-z]{3}),? (\d{4}) (\d{1,2})[.:](\d{2}):(\d{2}) ?(AM|PM)?(?: ([A-Z]{2,5}))?$/i.exec(value.trim());
  if (!m) return undefined;
  const [, day, month, year, hour, minute, second, ampm, zone] = m;
  const monthIndex = MONTHS[(month ?? '').toLowerCase()];
  if (monthIndex === undefined) return undefined;
  let h = Number(hour);
  if (ampm) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
  }
  const offset = zone ? (ZONES[zone.toUpperCase()] ?? 0) : 0;
  const ms = Date.UTC(Number(year), monthIndex, Number(day), h, Number(minute), Number(second)) - offset * 60_000;
  const date = new Date(ms);
  return Number.isNaN(ms) || date.getUTCFullYear() > 9999 ? undefined : date.toISOString();
}

function expiryOf(value: unknown, base: Omit<CertificateExpiry, 'expiryDate' | 'daysLeft'>): CertificateExpiry | undefined {
  const cert = objectOf(value);
  if (!cert) return undefined;
  const daysLeft = count(cert.daysLeft);
  const expiryDate = text(cert.expiryDate) ?? '';
  if (daysLeft === undefined) return undefined;
  const expiresAt = parseExpiryDate(expiryDate);
  const platform = text(cert.platform);
  const certificateType = text(cert.certificateType);
  const passTypeIdentifier = text(cert.passTypeIdentifier) ?? text(cert.passTypeId);
  return {
    ...base,
    ...(platform ? { platform } : {}),
    ...(certificateType ? { certificateType } : {}),
    ...(passTypeIdentifier && base.kind === 'pass' ? { passTypeIdentifier } : {}),
    expiryDate,
    ...(expiresAt ? { expiresAt } : {}),
    daysLeft,
  };
}

/**
 * `GET /applications/certexpirydetails`: app certificates per app and platform, and pass-signing certificates, as
 * one list sorted by urgency (fewest days left first).
 */
export function readCertificateExpiry(raw: string): CertificateExpiry[] {
  const body = answerObject(raw, 'the JSON certificate expiry details the API documents');
  const apps = body.appCertificates;
  const passes = body.passCertificates;
  if (!Array.isArray(apps) && !Array.isArray(passes)) {
    throw unexpected('the JSON certificate expiry details the API documents ({"appCertificates":[…],"passCertificates":[…]})', raw);
  }
  const out: CertificateExpiry[] = [];
  for (const entry of Array.isArray(apps) ? apps.slice(0, MAX_CERTIFICATES) : []) {
    const app = objectOf(entry);
    const appId = idText(app?.appId);
    const certificates = app?.certificates;
    if (!appId || !Array.isArray(certificates)) continue;
    for (const cert of certificates.slice(0, 16)) {
      const read = expiryOf(cert, { kind: 'app', appId });
      if (read && out.length < MAX_CERTIFICATES) out.push(read);
    }
  }
  for (const cert of Array.isArray(passes) ? passes.slice(0, MAX_CERTIFICATES) : []) {
    const read = expiryOf(cert, { kind: 'pass' });
    if (read && out.length < MAX_CERTIFICATES) out.push(read);
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft);
}

// ---------------------------------------------------------------------------------------------------------------
// WNS, removal

/** `{"id":…,"message":…}`: an answer without an id did not confirm anything (an id of -1 is caught before). */
export function readAdminMessage(raw: string, what: string): AdminMessage {
  const body = answerObject(raw, `the JSON confirmation the ${what} API documents`);
  const id = idText(body.id) ?? '';
  const message = (text(body.message) ?? '').trim();
  if (id === '') {
    throw new EngagementError(appError('bad-request', `The server did not confirm the ${what}${message ? `: ${message}` : '.'}`, { ...(message ? { detail: message } : {}) }));
  }
  return { id, message };
}

// ---------------------------------------------------------------------------------------------------------------
// Pass requests

/** A request id as the user gives it: decimal digits only, at most 19 (a 64-bit id). */
export function requestIdProblem(requestId: string): string | undefined {
  const value = requestId.trim();
  if (value === '') return 'Enter the request id that the pass update or issue answered.';
  if (!/^\d{1,19}$/.test(value)) {
    return `The request id "${value.slice(0, 40)}" is not a number: a pass request id is up to 19 digits, as a pass update answers it (for example 2318508739642895844).`;
  }
  return undefined;
}

/** One page of `GET /pass/meta/{requestId}`: the pass ids, exact. */
export function readPassMetaPage(raw: string): { total: number; passes: Array<{ id: string; serialNumber?: string }>; received: number } {
  const body = answerObject(raw, 'the JSON pass request details the API documents');
  const list = body.passRequests;
  const total = count(body.total);
  const entries = Array.isArray(list) ? list : objectOf(list) ? [list] : undefined;
  if (!entries) throw unexpected('the JSON pass request details the API documents ({"total":N,"passRequests":[…]})', raw);
  const passes = [];
  for (const entry of entries.slice(0, MAX_PASSES)) {
    const pass = objectOf(entry);
    const id = idText(pass?.id);
    if (!id || !/^\d{1,19}$/.test(id)) continue;
    const serialNumber = text(pass?.serialNumber);
    passes.push({ id, ...(serialNumber ? { serialNumber } : {}) });
  }
  return { total: total !== undefined && total >= 0 ? total : entries.length, passes, received: entries.length };
}

function channelOf(value: unknown): PassChannelStatus | undefined {
  const channel = objectOf(value);
  if (!channel) return undefined;
  const type = (text(channel.channelType) ?? '').trim();
  const passStatus = (text(channel.passStatus) ?? '').trim();
  const status = (text(channel.channelStatus) ?? '').trim();
  const knownChannel = (PASS_CHANNELS as readonly string[]).includes(type.toUpperCase());
  const normal = status.toLowerCase();
  // The docs' sample leaves channelStatus empty while the pass is only submitted: the same as "initial".
  const knownStatus = normal === '' || (CHANNEL_STATUSES as readonly string[]).includes(normal);
  const unknown = !knownChannel
    ? `channel "${type || '(none)'}" is not one the docs list (EMAIL, SMS)`
    : !knownStatus
      ? `status "${status}" is not one the docs list`
      : undefined;
  const rejected = passStatus.toLowerCase() === 'rejected';
  return {
    channel: type || '(none)',
    passStatus,
    status: status || (rejected ? 'rejected' : 'initial'),
    // An unknown value will not become known by waiting: it ends a watch, flagged.
    final: unknown !== undefined || rejected || FINAL_CHANNEL_STATUSES.includes(normal),
    ...(unknown ? { unknown } : {}),
  };
}

/** `GET /pass/{passId}/status`: `{"passStatusData":{id, seriealNumber (sic), channelStatusList:[…]}}`. */
export function readPassStatus(raw: string, passId: string): PassStatusEntry {
  const body = answerObject(raw, 'the JSON pass status the API documents');
  const data = objectOf(body.passStatusData);
  const list = data?.channelStatusList;
  if (!data || !Array.isArray(list)) throw unexpected('the JSON pass status the API documents ({"passStatusData":{…"channelStatusList":[…]}})', raw);
  const serialNumber = text(data.seriealNumber) ?? text(data.serialNumber);
  const channels = list.slice(0, MAX_CHANNELS).map(channelOf).filter((c): c is PassChannelStatus => c !== undefined);
  return { id: idText(data.id) ?? passId, ...(serialNumber ? { serialNumber } : {}), channels };
}

// ---------------------------------------------------------------------------------------------------------------
// WNS credentials, checked before anything is sent

/** `ms-app://s-1-15-2-` and seven decimal sub-authorities, as the Partner Center shows a Package SID. */
const PACKAGE_SID = /^ms-app:\/\/s-1-15-2(-\d{1,10}){7}$/;

/** Why a Package SID cannot be right, or undefined. */
export function packageSidProblem(packageSid: string): string | undefined {
  const value = packageSid.trim();
  if (value === '') return 'Enter the Package SID (ms-app://s-1-15-2-…) from the app\'s page in Microsoft Partner Center.';
  if (PACKAGE_SID.test(value)) return undefined;
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  // eslint-disable-next-line no-control-regex
  const inert = shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const hint = /^s-1-15-2-/i.test(value)
    ? ' It needs the ms-app:// prefix.'
    : /^ms-app:\/\//i.test(value)
      ? ' After ms-app:// comes s-1-15-2 and seven groups of digits, each after a "-".'
      : '';
  return `The Package SID "${inert}" is not one: a Package SID looks like ms-app://s-1-15-2-2972962901-2322836549-3722629029-1345238579-3987825745-2155616079-650196962 (copy it from Microsoft Partner Center, App identity).${hint}`;
}

/** Why a client secret cannot be sent, or undefined. */
export function clientSecretProblem(secret: string): string | undefined {
  return secret.trim() === '' ? 'The WNS client secret is empty: copy it from Microsoft Partner Center (or Azure, App registrations).' : undefined;
}
