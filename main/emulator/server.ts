// The built-in Engagement server emulator: plain node:http, streaming uploads to disk and downloads from disk,
// with request recording and fault injection for tests and benchmarks. Used by the Sandbox profile, the CLI
// (`engagement-desk emulator`), the integration/e2e suites and the benchmarks.
import { STATUS_CODES, createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setMaxListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { TokenStore, authenticate, recordableHeaders } from './auth';
import { CertificateStore } from './certificate-store';
import { AdminState } from './admin-state';
import { FaultQueue, faultFromJson } from './faults';
import type { Exchange } from './http-io';
import {
  BadRequestError,
  ClientGoneError,
  JSON_TYPE,
  hasRequestBody,
  limitRequestBody,
  readSmallBody,
  sendBody,
  sendError,
} from './http-io';
import type { RouteSettings } from './routes';
import { CLOUD_LOGIN_PATH, LOGIN_PATH, route, routeIdentity } from './routes';
import { selfSignedIdentity, type TlsIdentity } from './tls';

import { SANDBOX_API_KEY, SANDBOX_USERS, type EmulatorUser } from './credentials';
import type { Fault, RecordedPart, RecordedRequest } from './records';


// Every exchange's signal is aborted when its response closes. A shared reason spares building a DOMException (with
// its stack) per request, which was a tenth of the emulator's CPU in a 1,000-request batch.
const REQUEST_OVER = new ClientGoneError();

export { SANDBOX_API_KEY, SANDBOX_USERS, type EmulatorUser };
export type { Fault, RecordedPart, RecordedRequest };

export interface EmulatorOptions {
  /** Certificates are stored here (certs/) and survive restarts; created if missing. */
  dataDir: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default ''. '/vpns' (Volt MX) or '/kpns' (Kony era) puts the API under /vpns/api/v1/...; login stays at
   * /authService/accounts/login. Not with `cloud`. */
  contextRoot?: string;
  /**
   * Model a cloud tenant (decision 12): no context root, and the claims-token login on a separate identity origin
   * (another loopback port) at /login, as accounts.auth.voltmxcloud.com/login is; the engagement origin has no login.
   */
  cloud?: boolean;
  /** The gateway's refusal status: 401 (default) or 400, as some pages of the docs list authentication failures. */
  authFailureStatus?: 400 | 401;
  /** Refuse multipart parts an endpoint does not know, instead of ignoring them as the real server does. */
  strictParts?: boolean;
  /** 'latin1' decodes a text part that declares no charset as ISO-8859-1, as a Java servlet container may
   * (engagement-api.md section E); default 'utf8'. */
  textCharsetDefault?: 'utf8' | 'latin1';
  /** Default SANDBOX_USERS. */
  users?: EmulatorUser[];
  /** Default [SANDBOX_API_KEY]. */
  apiKeys?: string[];
  /** Default 1 hour; claims_token.exp = now + ttl (epoch ms). */
  tokenTtlMs?: number;
  /** Default false: pass-import uploads are hashed while streamed, then deleted. */
  keepPassUploads?: boolean;
  /** Default true: a .p12 that does not open with its passphrase is refused with 400. */
  verifyCertificatePassphrase?: boolean;
  /** One line per request (method path status ms), never secrets. */
  log?: (line: string) => void;
  /** Told each claims or refresh token issued (the request log redacts them): the e2e leak scan must know every one. */
  onTokenIssued?: (value: string) => void;
  /** Default true: a few applications, one certificate near expiry and a pass request in flight (the Sandbox's). */
  seedApps?: boolean;
  /** How many applications to seed (default 12); tests of paging ask for more. */
  seedAppCount?: number;
  /** Time between the steps of a pass channel's status (default 4 s); 0 makes every status final at once. */
  passStatusStepMs?: number;
  /** Serve HTTPS: 'self-signed' makes a certificate for the host at start (no client trusts it), or give one. */
  tls?: 'self-signed' | TlsIdentity;
}


export interface Emulator {
  /** Base URL including the context root, without a trailing slash. */
  readonly url: string;
  readonly origin: string;
  /** Where the claims-token login is: <origin>/authService/accounts/login, or the cloud identity origin's /login. */
  readonly loginUrl: string;
  /** 'cloud' or 'on-premises'. */
  readonly kind: 'cloud' | 'on-premises';
  readonly port: number;
  /** The HTTPS certificate (PEM) when `tls` was asked for. */
  readonly certificatePem?: string;
  readonly requests: RecordedRequest[];
  injectFault(fault: Fault): void;
  clearFaults(): void;
  clearRequests(): void;
  storedCertificate(appId: string): Promise<{ path: string; fileName: string; size: number; sha256: string } | undefined>;
  /** Closes the server and all open sockets. */
  close(): Promise<void>;
}

const CONTROL_PREFIX = '/__emulator/';

function normaliseContextRoot(value: string | undefined): string {
  const trimmed = (value ?? '').trim().replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  if (!/^[A-Za-z0-9._~!$&'()*+,;=:@%/-]+$/.test(trimmed) || trimmed.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new TypeError(`contextRoot "${value}" is not a valid URL path`);
  }
  return `/${trimmed}`;
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const dataDir = resolve(options.dataDir);
  const contextRoot = normaliseContextRoot(options.contextRoot);
  if (options.cloud && contextRoot !== '') throw new TypeError('A cloud emulator has no context root');
  const host = options.host ?? '127.0.0.1';
  const log = options.log;
  await mkdir(dataDir, { recursive: true });
  const certificates = new CertificateStore(dataDir);
  await certificates.init();

  const settings: RouteSettings = {
    dataDir,
    users: options.users ?? SANDBOX_USERS,
    apiKeys: options.apiKeys ?? [SANDBOX_API_KEY],
    tokenTtlMs: options.tokenTtlMs ?? 60 * 60 * 1000,
    keepPassUploads: options.keepPassUploads ?? false,
    verifyCertificatePassphrase: options.verifyCertificatePassphrase ?? true,
    tokens: new TokenStore(options.onTokenIssued),
    certificates,
    admin: await AdminState.open(dataDir, { seed: options.seedApps ?? true, ...(options.seedAppCount !== undefined ? { seedCount: options.seedAppCount } : {}) }),
    passStatusStepMs: options.passStatusStepMs ?? 4_000,
    loginOnServer: options.cloud !== true,
    authFailureStatus: options.authFailureStatus ?? 401,
    strictParts: options.strictParts ?? false,
    textCharsetDefault: options.textCharsetDefault ?? 'utf8',
  };
  const faults = new FaultQueue();
  let requests: RecordedRequest[] = [];
  let nextId = 1;
  const closing = new AbortController();
  // One listener per request in flight, each removed when its response closes: a busy emulator (a batch of 16
  // concurrent sends) is not a leak, so Node's warning at 10 listeners does not apply.
  setMaxListeners(0, closing.signal);
  const inFlight = new Set<Promise<void>>();

  function apiPathOf(rawPath: string): string | undefined {
    if (contextRoot === '') return rawPath;
    if (rawPath === contextRoot) return '/';
    return rawPath.startsWith(`${contextRoot}/`) ? rawPath.slice(contextRoot.length) : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, role: 'engagement' | 'identity'): Promise<void> {
    const startedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const rawPath = url.pathname;
    if (role === 'engagement' && rawPath.startsWith(CONTROL_PREFIX)) {
      await control(req, res, rawPath);
      return;
    }
    const method = req.method ?? 'GET';
    const authOutcome = authenticate(req.headers, settings.users, settings.apiKeys, settings.tokens);
    const record: RecordedRequest = {
      id: nextId++,
      method,
      path: rawPath,
      query: Object.fromEntries(url.searchParams),
      headers: recordableHeaders(req.headers),
      auth: authOutcome.record,
      parts: [],
      status: 0,
      startedAt,
      durationMs: 0,
    };
    // Recorded up front, so a client that has read its response always finds the request here.
    requests.push(record);
    const requestAbort = new AbortController();
    const onClosing = (): void => requestAbort.abort(REQUEST_OVER);
    closing.signal.addEventListener('abort', onClosing, { once: true });
    res.once('close', () => {
      closing.signal.removeEventListener('abort', onClosing);
      requestAbort.abort(REQUEST_OVER);
      record.durationMs = Date.now() - startedAt;
      log?.(`${method} ${rawPath} ${record.status} ${record.durationMs}ms`);
    });

    const apiPath = role === 'identity' ? undefined : apiPathOf(rawPath);
    const fault = faults.take(method, apiPath ?? rawPath);
    const hasBody = hasRequestBody(req);
    const ex: Exchange = {
      req,
      res,
      body: req,
      hasBody,
      url,
      record,
      fault,
      authorised: authOutcome.ok,
      signal: requestAbort.signal,
    };
    try {
      if (fault?.latencyMs) await delay(fault.latencyMs, undefined, { signal: ex.signal });
      if (hasBody && fault?.resetAfterBytes !== undefined) ex.body = limitRequestBody(req, fault.resetAfterBytes);
      if (fault?.status !== undefined || fault?.errorInOk !== undefined) await answerWithFault(ex, fault);
      else if (role === 'identity') await routeIdentity(ex, settings, rawPath);
      else await route(ex, settings, rawPath, apiPath);
    } catch (error) {
      if (error instanceof ClientGoneError || ex.signal.aborted || res.destroyed) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof BadRequestError) await sendError(ex, 400, error.message);
      else await sendError(ex, 500, 'Server failure to process request');
    } finally {
      // Whatever the handler left unread is drained, so an early answer (401, 400) reaches a client that is
      // still uploading instead of stalling its socket.
      if (!req.complete && !req.destroyed) ex.body.resume();
    }
  }

  async function answerWithFault(ex: Exchange, fault: Fault): Promise<void> {
    if (fault.errorInOk !== undefined) {
      // The real server's 200 that carries a failure (decision 9): a send's requestId "-1" with a description, an
      // admin call's id "-1" with a message.
      const sends = /\/message\//.test(ex.url.pathname);
      const text = JSON.stringify(sends ? { requestId: '-1', description: fault.errorInOk } : { id: '-1', message: fault.errorInOk });
      ex.record.responseBody = text;
      await sendBody(ex, 200, { 'content-type': JSON_TYPE }, Buffer.from(text, 'utf8'));
      return;
    }
    const status = fault.status ?? 500;
    const contentType = fault.contentType ?? JSON_TYPE;
    const body = fault.body ?? JSON.stringify({ id: '-1', message: statusReason(status) });
    if (contentType.toLowerCase().includes('json')) ex.record.responseBody = body;
    await sendBody(ex, status, { 'content-type': contentType }, Buffer.from(body, 'utf8'));
  }

  async function control(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    const reply = (status: number, value?: unknown): void => {
      if (value === undefined) {
        res.writeHead(status).end();
        return;
      }
      const text = JSON.stringify(value);
      res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) }).end(text);
    };
    if (!isLoopback(req.socket.remoteAddress)) {
      reply(403, { id: '-1', message: 'The control API is only available over loopback' });
      req.resume();
      return;
    }
    const method = req.method ?? 'GET';
    const name = rawPath.slice(CONTROL_PREFIX.length);
    if (name === 'requests' && method === 'GET') return reply(200, requests);
    if (name === 'requests' && method === 'DELETE') {
      requests = [];
      return reply(204);
    }
    if (name === 'faults' && method === 'DELETE') {
      faults.clear();
      return reply(204);
    }
    if (name === 'faults' && method === 'POST') {
      const pseudo = { req, body: req } as unknown as Exchange;
      try {
        const text = (await readSmallBody(pseudo, 64 * 1024)).toString('utf8');
        faults.add(faultFromJson(JSON.parse(text)));
        return reply(201, { ok: true });
      } catch (error) {
        if (error instanceof ClientGoneError) return;
        return reply(400, { id: '-1', message: `Invalid fault: ${(error as Error).message}` });
      }
    }
    req.resume();
    if (name === 'requests' || name === 'faults') return reply(405, { id: '-1', message: 'Method not allowed' });
    return reply(404, { id: '-1', message: 'Not found' });
  }

  const identity = options.tls === 'self-signed' ? selfSignedIdentity(urlHost(host).replace(/^\[|\]$/g, '')) : options.tls;
  const listenerFor = (role: 'engagement' | 'identity') => (req: IncomingMessage, res: ServerResponse): void => {
    const work = handle(req, res, role).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_TYPE }).end('{"id":"-1","message":"Server failure to process request"}');
      else res.destroy();
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const makeServer = (role: 'engagement' | 'identity') => {
    const listener = listenerFor(role);
    const made = identity ? createHttpsServer({ key: identity.key, cert: identity.cert }, listener) : createHttpServer(listener);
    made.keepAliveTimeout = 5_000;
    // Must exceed keepAliveTimeout; requestTimeout is off because throttled 100 MB uploads legitimately take long.
    made.headersTimeout = 15_000;
    made.requestTimeout = 0;
    return made;
  };
  const listen = async (made: ReturnType<typeof makeServer>, port: number): Promise<string> => {
    await new Promise<void>((resolveListen, rejectListen) => {
      made.once('error', rejectListen);
      made.listen(port, host, () => {
        made.off('error', rejectListen);
        resolveListen();
      });
    });
    return `${identity ? 'https' : 'http'}://${urlHost(host)}:${(made.address() as AddressInfo).port}`;
  };
  const server = makeServer('engagement');
  const origin = await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  // A cloud tenant's identity service is another origin: its own server on another loopback port.
  const identityServer = options.cloud ? makeServer('identity') : undefined;
  let identityOrigin: string | undefined;
  try {
    identityOrigin = identityServer ? await listen(identityServer, 0) : undefined;
  } catch (error) {
    server.close();
    throw error;
  }
  const stopServer = (made: ReturnType<typeof makeServer>): Promise<void> => {
    const stopped = new Promise<void>((resolveClose) => made.close(() => resolveClose()));
    made.closeAllConnections();
    return stopped;
  };
  let closed: Promise<void> | undefined;

  return {
    url: `${origin}${contextRoot}`,
    origin,
    loginUrl: identityOrigin ? `${identityOrigin}${CLOUD_LOGIN_PATH}` : `${origin}${LOGIN_PATH}`,
    kind: options.cloud ? 'cloud' : 'on-premises',
    port,
    ...(identity ? { certificatePem: identity.cert } : {}),
    get requests() {
      return requests;
    },
    injectFault(fault: Fault) {
      faults.add(fault);
    },
    clearFaults() {
      faults.clear();
    },
    clearRequests() {
      requests = [];
    },
    storedCertificate(appId: string) {
      return certificates.get(appId);
    },
    close() {
      closed ??= (async () => {
        closing.abort();
        await Promise.all([stopServer(server), ...(identityServer ? [stopServer(identityServer)] : [])]);
        // Handlers clean up their temp files once their sockets are gone; wait so the data dir can be removed.
        await Promise.allSettled([...inFlight]);
      })();
      return closed;
    },
  };
}

/** The docs' wording where they have one, else the HTTP reason phrase. */
function statusReason(status: number): string {
  return DOCUMENTED_REASONS[status] ?? STATUS_CODES[status] ?? 'Injected fault';
}

const DOCUMENTED_REASONS: Record<number, string> = {
  400: 'Invalid request format',
  401: 'Unauthorized request',
  404: 'Not found',
  405: 'Method not allowed',
  500: 'Server failure to process request',
};
