// The emulated endpoints: login, MPNS certificate upload/download, pass import/update, health check.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorUser } from './credentials';
import type { TokenStore } from './auth';
import { checkPassword } from './auth';
import type { CertificateStore } from './certificate-store';
import type { AdminSettings } from './admin-routes';
import { ADMIN_ROUTES, setWnsCredentials } from './admin-routes';
import { inspectPkcs12 } from '../core/p12';
import type { Exchange } from './http-io';
import { BadRequestError, attachmentDisposition, readSmallBody, sendBody, sendError, sendJson } from './http-io';
import type { ReceivedField, ReceivedFile } from './multipart';
import { REDACTED, isMultipart, receiveMultipart, removeFiles } from './multipart';
import { MAX_PKCS12_BYTES, checkPkcs12 } from './p12';
import { passContentProblem } from './pass-content';

export interface RouteSettings extends AdminSettings {
  dataDir: string;
  users: readonly EmulatorUser[];
  apiKeys: readonly string[];
  tokenTtlMs: number;
  keepPassUploads: boolean;
  verifyCertificatePassphrase: boolean;
  tokens: TokenStore;
  certificates: CertificateStore;
  /** Where the engagement server itself answers the claims-token login: on-premises only (a cloud tenant's
   * identity service is another origin, see routeIdentity). */
  loginOnServer: boolean;
  /** The status of a gateway refusal: 401, or 400 as some pages of the docs list it. */
  authFailureStatus: 400 | 401;
  /** Refuse multipart parts the endpoint does not know (the real server ignores them). */
  strictParts: boolean;
  /** How a text part without a charset is decoded (decision 11: a Java container may read it as ISO-8859-1). */
  textCharsetDefault: 'utf8' | 'latin1';
}

export const LOGIN_PATH = '/authService/accounts/login';
/** The cloud identity service's login path, on its own origin (accounts.auth.voltmxcloud.com/login). */
export const CLOUD_LOGIN_PATH = '/login';

/** The real gateway's refusal texts (engagement-api.md section E). */
export const AUTH_FAIL_MESSAGE = 'Authentication fail, Invalid credentials';
export const API_KEY_FAIL_MESSAGE = 'Invalid X-VoltMX-App-API-Key';

type Handler = (ex: Exchange, settings: RouteSettings, params: Record<string, string>) => Promise<void>;

interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
  auth: boolean;
}

const ROUTES: Route[] = [
  { pattern: /^\/api\/v1\/healthcheck\/json$/, methods: { GET: healthCheck }, auth: true },
  { pattern: /^\/api\/v1\/applications\/downloadwindowscert$/, methods: { GET: downloadCertificate }, auth: true },
  {
    pattern: /^\/api\/v1\/applications\/(?<appId>[^/]*)\/windows$/,
    methods: { POST: uploadCertificate, PUT: uploadCertificate },
    auth: true,
  },
  { pattern: /^\/api\/v1\/message\/pass\/import\/update$/, methods: { POST: importPassUpdate }, auth: true },
  // Issuing a new pass takes the same multipart as the update (engagement-api.md section E).
  { pattern: /^\/api\/v1\/message\/pass\/import$/, methods: { POST: importPassUpdate }, auth: true },
  ...ADMIN_ROUTES,
];

/**
 * Dispatches one request. `apiPath` is the path below the context root, or undefined when the request is
 * outside it. Route, then method, then auth: so a wrong base URL reads as 404, not as a credentials problem.
 */
export async function route(ex: Exchange, settings: RouteSettings, rawPath: string, apiPath: string | undefined): Promise<void> {
  if (rawPath === LOGIN_PATH && settings.loginOnServer) {
    if (ex.req.method !== 'POST') {
      ex.res.setHeader('allow', 'POST');
      await sendError(ex, 405, 'Method not allowed');
      return;
    }
    await login(ex, settings);
    return;
  }
  if (apiPath === undefined) {
    await sendError(ex, 404, 'Not found');
    return;
  }
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(apiPath);
    if (!match) continue;
    const handler = candidate.methods[ex.req.method ?? ''];
    if (!handler) {
      ex.res.setHeader('allow', Object.keys(candidate.methods).join(', '));
      await sendError(ex, 405, 'Method not allowed');
      return;
    }
    if (candidate.auth && !ex.authorised) {
      // Answer before touching the body; the dispatcher drains it so a large upload does not stall the socket.
      await sendError(ex, settings.authFailureStatus, ex.record.auth.scheme === 'apikey' ? API_KEY_FAIL_MESSAGE : AUTH_FAIL_MESSAGE);
      return;
    }
    await handler(ex, settings, match.groups ?? {});
    return;
  }
  await sendError(ex, 404, 'Not found');
}

/** The cloud identity service (its own origin): POST /login answers as the on-premises login does. */
export async function routeIdentity(ex: Exchange, settings: RouteSettings, rawPath: string): Promise<void> {
  if (rawPath !== CLOUD_LOGIN_PATH) {
    await sendError(ex, 404, 'Not found');
    return;
  }
  if (ex.req.method !== 'POST') {
    ex.res.setHeader('allow', 'POST');
    await sendError(ex, 405, 'Method not allowed');
    return;
  }
  await login(ex, settings);
}

// ---------------------------------------------------------------------------------------------------------------
// Login

async function login(ex: Exchange, settings: RouteSettings): Promise<void> {
  const body = (await readSmallBody(ex, 64 * 1024)).toString('utf8');
  const contentType = (ex.req.headers['content-type'] ?? '').toLowerCase();
  let fields: Record<string, unknown>;
  if (contentType.includes('json') || (contentType === '' && body.trimStart().startsWith('{'))) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      fields = parsed as Record<string, unknown>;
    } catch {
      throw new BadRequestError('Login body is not a JSON object');
    }
  } else if (contentType.includes('application/x-www-form-urlencoded') || contentType === '') {
    fields = Object.fromEntries(new URLSearchParams(body));
  } else {
    throw new BadRequestError('Login body must be JSON or application/x-www-form-urlencoded');
  }
  const { userid, password } = fields;
  if (typeof userid !== 'string' || userid === '' || typeof password !== 'string') {
    throw new BadRequestError('Login needs the fields userid and password');
  }
  for (const optional of ['provider', 'domain'] as const) {
    if (fields[optional] !== undefined && typeof fields[optional] !== 'string') {
      throw new BadRequestError(`${optional} must be a string`);
    }
  }
  if (!checkPassword(settings.users, userid, password)) {
    const message = 'Invalid User Credentials';
    await sendJson(ex, 401, {
      domain: 'AUTH',
      code: -4,
      mfcode: 'Auth-4',
      message,
      details: { message, errcode: 0, errmsg: message },
      requestid: randomUUID(),
      httpstatus: 'Unauthorized',
    });
    return;
  }
  ex.record.auth = { scheme: 'basic', user: userid };
  const claims = settings.tokens.issue(userid, settings.tokenTtlMs);
  const profile = { email: `${userid}@sandbox.invalid`, userid, firstname: 'Sandbox', lastname: 'User' };
  const refreshToken = settings.tokens.refreshToken();
  await sendJson(
    ex,
    200,
    { profile, refresh_token: refreshToken, claims_token: claims },
    // Recorded requests are served over the control API, so the record must not carry a working token.
    { profile, refresh_token: REDACTED, claims_token: { value: REDACTED, exp: claims.exp } },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Health

async function healthCheck(ex: Exchange): Promise<void> {
  await sendJson(ex, 200, {
    healthDetail: { database: 'PASSED', queue: 'PASSED' },
    healthCheck: 'PASSED',
    version: 'emulator-1.0',
  });
}

// ---------------------------------------------------------------------------------------------------------------
// MPNS certificate

const CERT_FIELD = 'mpnsCert';
const PASSPHRASE_FIELD = 'mpnsCertPassPhrase';

function decodeAppId(raw: string | undefined): string {
  let appId: string;
  try {
    appId = decodeURIComponent(raw ?? '');
  } catch {
    throw new BadRequestError('appId in the URL is not valid percent-encoding');
  }
  if (appId.trim() === '') throw new BadRequestError('appId is missing from the URL');
  return appId;
}

function quoteList(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/** The single part named `name`, refusing duplicates and parts of the wrong kind. */
function single<T extends ReceivedFile | ReceivedField>(items: readonly T[], key: (item: T) => string, name: string): T | undefined {
  const found = items.filter((item) => key(item) === name);
  if (found.length > 1) throw new BadRequestError(`Only one ${name} part is allowed`);
  return found[0];
}

function cleanFileName(name: string | undefined, fallback: string): string {
  // busboy already drops directories; control characters would break the Content-Disposition header later.
  const cleaned = [...(name ?? '')].filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\x7f').join('').trim();
  return cleaned === '' ? fallback : cleaned;
}

async function uploadCertificate(ex: Exchange, settings: RouteSettings, params: Record<string, string>): Promise<void> {
  const appId = decodeAppId(params.appId);
  // One URL, two meanings: JSON here is the WNS credentials (engagement-api.md section C).
  if ((ex.req.headers['content-type'] ?? '').toLowerCase().includes('json')) {
    await setWnsCredentials(ex, settings, appId);
    return;
  }
  if (!isMultipart(ex)) {
    throw new BadRequestError(`Expected multipart/form-data with the parts ${CERT_FIELD} and ${PASSPHRASE_FIELD}`);
  }
  const tempDir = await settings.certificates.stagingDir(appId);
  const body = await receiveMultipart(ex, { tempDir, durable: true, redactedFields: new Set([PASSPHRASE_FIELD]), textCharsetDefault: settings.textCharsetDefault });
  try {
    if (body.fields.some((f) => f.name === CERT_FIELD)) throw new BadRequestError(`${CERT_FIELD} must be a file part`);
    if (body.files.some((f) => f.field === PASSPHRASE_FIELD)) throw new BadRequestError(`${PASSPHRASE_FIELD} must be a text part`);
    const unknown = [
      ...body.files.filter((f) => f.field !== CERT_FIELD).map((f) => ({ index: f.index, name: f.field })),
      ...body.fields.filter((f) => f.name !== PASSPHRASE_FIELD),
    ]
      .sort((a, b) => a.index - b.index)
      .map((part) => part.name);
    // The real server reads the parts it knows and ignores the rest; strict mode catches a client that sends them.
    if (settings.strictParts && unknown.length > 0) {
      throw new BadRequestError(`Unknown form parts: ${quoteList(unknown)} (expected ${CERT_FIELD} and ${PASSPHRASE_FIELD})`);
    }
    const certificate = single(body.files, (f) => f.field, CERT_FIELD);
    const passphrase = single(body.fields, (f) => f.name, PASSPHRASE_FIELD);
    if (!certificate) throw new BadRequestError(`${CERT_FIELD} (the .p12 file) is required`);
    if (!passphrase) throw new BadRequestError(`${PASSPHRASE_FIELD} is required`);
    // An empty passphrase is accepted: a .p12 may be protected by one (the check below opens it with it).
    if (certificate.size === 0) throw new BadRequestError(`${CERT_FIELD} is empty`);
    if (settings.verifyCertificatePassphrase) await verifyCertificate(certificate, passphrase.value);
    const notAfter = await certificateExpiry(certificate, passphrase.value);
    await settings.certificates.commit(appId, certificate.tempPath, {
      fileName: cleanFileName(certificate.filename, 'mpns-cert.p12'),
      size: certificate.size,
      sha256: certificate.sha256,
    });
    await settings.admin.certificateStored(appId, notAfter);
  } finally {
    // The committed file has been renamed away; everything else is discarded.
    await removeFiles(body.files);
  }
  await sendJson(ex, 200, { message: 'Details updated successfully', id: appId });
}

async function verifyCertificate(certificate: ReceivedFile, passphrase: string): Promise<void> {
  if (certificate.size > MAX_PKCS12_BYTES) {
    throw new BadRequestError(`${CERT_FIELD} is not a PKCS#12 certificate (larger than ${MAX_PKCS12_BYTES} bytes)`);
  }
  const result = checkPkcs12(await readFile(certificate.tempPath), passphrase);
  if (result.ok) return;
  throw new BadRequestError(
    result.reason === 'wrong-passphrase'
      ? `The certificate could not be opened with ${PASSPHRASE_FIELD}; check the passphrase`
      : result.reason === 'integrity'
        ? `${CERT_FIELD} fails its integrity check (MAC) although ${PASSPHRASE_FIELD} opens it: the file was changed after it was exported`
        : `${CERT_FIELD} is not a readable PKCS#12 (.p12) file`,
  );
}

/** The uploaded certificate's notAfter, as app details and the expiry list show it; undefined when unreadable. */
async function certificateExpiry(certificate: ReceivedFile, passphrase: string): Promise<string | undefined> {
  if (certificate.size > MAX_PKCS12_BYTES) return undefined;
  return inspectPkcs12(await readFile(certificate.tempPath), passphrase).details?.notAfter;
}

async function downloadCertificate(ex: Exchange, settings: RouteSettings): Promise<void> {
  const appId = ex.url.searchParams.get('appId');
  if (appId === null || appId.trim() === '') throw new BadRequestError('The appId query parameter is required');
  const stored = await settings.certificates.get(appId);
  if (!stored) throw new BadRequestError(`No Windows MPNS certificate is stored for application "${appId}"`);
  // Open before answering so the Content-Length belongs to the very file that is streamed.
  const handle = await open(stored.path, 'r');
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    throw error;
  }
  const stream = handle.createReadStream({ highWaterMark: 256 * 1024, autoClose: true });
  await sendBody(
    ex,
    200,
    { 'content-type': 'application/x-pkcs12', 'content-disposition': attachmentDisposition(stored.fileName) },
    stream,
    size,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Pass import/update

const PKPASS_FIELD = 'pkPass';
const PASS_CONTENT_FIELD = 'passContent';

/** A random 64-bit id as the server emits it: a 19-digit decimal string, never a JS number. */
export function newRequestId(): string {
  const low = 1_000_000_000_000_000_000n;
  const span = 9_200_000_000_000_000_000n - low;
  if (idEntropyOffset >= idEntropy.length) {
    idEntropy = randomBytes(8 * 512); // entropy for 512 ids per call to the OS, not one call per request
    idEntropyOffset = 0;
  }
  const random = idEntropy.readBigUInt64BE(idEntropyOffset);
  idEntropyOffset += 8;
  return (low + (random % span)).toString();
}
let idEntropy = Buffer.alloc(0);
let idEntropyOffset = 0;

async function importPassUpdate(ex: Exchange, settings: RouteSettings): Promise<void> {
  if (!isMultipart(ex)) {
    throw new BadRequestError(`Expected multipart/form-data with a ${PKPASS_FIELD} file and a ${PASS_CONTENT_FIELD} text part`);
  }
  const tempDir = join(settings.dataDir, 'uploads');
  if (settings.keepPassUploads) await mkdir(tempDir, { recursive: true });
  // Unless they are kept for inspection, pass uploads are only hashed and counted as they stream: the emulator
  // answers like the server without paying for disk writes that nobody reads (it must not be the bottleneck).
  const body = await receiveMultipart(ex, {
    tempDir,
    durable: false,
    redactedFields: new Set(),
    keepFiles: settings.keepPassUploads,
    textCharsetDefault: settings.textCharsetDefault,
  });
  let requestId: string;
  try {
    const unknownText = body.fields.filter((f) => f.name !== PASS_CONTENT_FIELD).map((f) => f.name);
    if (unknownText.includes(PKPASS_FIELD)) throw new BadRequestError(`${PKPASS_FIELD} must be a file part (with a filename)`);
    if (settings.strictParts && unknownText.length > 0) {
      throw new BadRequestError(
        `Unknown text parts: ${quoteList(unknownText)} (only ${PASS_CONTENT_FIELD} is text; images must be file parts)`,
      );
    }
    if (body.files.some((f) => f.field === PASS_CONTENT_FIELD)) {
      throw new BadRequestError(`${PASS_CONTENT_FIELD} must be a text part, not a file`);
    }
    const pkPass = single(body.files, (f) => f.field, PKPASS_FIELD);
    if (!pkPass) throw new BadRequestError(`${PKPASS_FIELD} (the .pkpass file) is required`);
    if (pkPass.size === 0) throw new BadRequestError(`${PKPASS_FIELD} is empty`);
    const content = single(body.fields, (f) => f.name, PASS_CONTENT_FIELD);
    if (!content) throw new BadRequestError(`${PASS_CONTENT_FIELD} is required`);
    if (content.truncated) throw new BadRequestError(`${PASS_CONTENT_FIELD} is too large`);
    const problem = passContentProblem(content.value);
    if (problem !== undefined) throw new BadRequestError(problem);
    requestId = newRequestId();
    await settings.admin.passRequestQueued(requestId, ex.url.pathname.endsWith('/import'));
    if (settings.keepPassUploads) await keepPassUpload(settings.dataDir, requestId, body.files, content.value);
  } finally {
    await removeFiles(body.files);
  }
  await sendJson(ex, 200, { requestId, description: 'Request Queued. ' });
}

/** With keepPassUploads, a queued request's files stay under passes/<requestId>/ for inspection. */
async function keepPassUpload(dataDir: string, requestId: string, files: readonly ReceivedFile[], passContent: string): Promise<void> {
  const dir = join(dataDir, 'passes', requestId);
  await mkdir(dir, { recursive: true });
  const manifest = [];
  for (const [index, file] of files.entries()) {
    const stored = `${index}-${file.field}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80);
    await rename(file.tempPath, join(dir, stored));
    manifest.push({ field: file.field, filename: file.filename, contentType: file.contentType, size: file.size, sha256: file.sha256, stored });
  }
  const handle = await open(join(dir, 'request.json'), 'w');
  try {
    await handle.writeFile(`${JSON.stringify({ requestId, passContent: JSON.parse(passContent) as unknown, files: manifest }, null, 2)}\n`);
  } finally {
    await handle.close();
  }
}
