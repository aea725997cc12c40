// The Engagement Services client for one server profile, over undici (keep-alive pool, timeouts, AbortSignal on
// every call). The main process and the CLI make every API call through this class. Failures are thrown as
// EngagementError carrying an AppError; nothing here ever puts a secret into an error or a log.
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import type {
  CertDownloadResult,
  CertUploadResult,
  ConnectionTestResult,
  PassImage,
  PassUpdateResult,
  Profile,
} from '../../preload/contract';
import { DEFAULT_TOKEN_HEADERS } from '../../preload/contract';
import {
  apiKeyHeaders,
  basicAuthorization,
  parseLoginResponse,
  tokenHeaders,
  tokenIsFresh,
  type ClaimsToken,
} from '../core/auth';
import { downloadFileName } from '../core/content-disposition';
import { appError, downloadCutOff, EngagementError, fail, httpStatusError, serverMessageFromBody, toAppError } from '../core/errors';
import { readCertUploadResponse, readHealthResponse, readPassQueuedResponse } from '../core/responses';
import { API_PATHS, endpointUrl, loginUrlFor, sameOrigin } from '../core/server-url';
import { exchangeText, requestTarget, type RequestTarget, type TextAnswer } from './http-text';
import { serverTrust } from './server-trust';
import { buildMultipart, type MultipartBody, type MultipartField, type PreloadedFiles, type SentFile } from './multipart';

export interface TransferProgressUpdate {
  direction: 'upload' | 'download';
  transferred: number;
  total?: number;
}

export interface TransferOptions {
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgressUpdate) => void;
  /** Called after a successful upload with every file part as sent (hashed while streaming). */
  onFilesSent?: (files: SentFile[]) => void;
  /** File contents already read for these paths (see preloadSmallFiles): batch sends read each file once. */
  preloaded?: PreloadedFiles;
  /**
   * Called once the exchange with the server is over (answered, failed or cancelled), before the outcome is
   * recorded: a batch hands the item's slot to the next send here instead of after the history write.
   */
  onAnswered?: () => void;
  /**
   * Downloads: called once the file is durable at its destination (fsynced and renamed), before its SHA-256 is
   * known. From then on the download cannot fail or be undone; only the hash is still being read back.
   */
  onSaved?: (saved: { path: string; bytes: number }) => void;
}

export interface ClientOptions {
  connectTimeoutMs?: number;
  /** Time allowed for the response headers once the request is sent. */
  headersTimeoutMs?: number;
  /** Longest silence allowed while a body streams. */
  bodyIdleTimeoutMs?: number;
  /** Parallel connections to one origin. */
  connections?: number;
  /** One more trusted certificate authority (PEM), beside Node's and the operating system's (see server-trust.ts). */
  ca?: string;
  /** Clock, replaceable in tests of token renewal. */
  now?: () => number;
}

/** Reads the profile's secret (password or API key) from wherever it is kept; undefined when none is stored. */
/** The profile's secret; `fresh` asks the keychain again instead of a copy kept for the session. */
export type SecretReader = (fresh?: boolean) => Promise<string | undefined>;

const MAX_ERROR_BODY = 64 * 1024;
const MAX_JSON_BODY = 1024 * 1024;
const PROGRESS_INTERVAL_BYTES = 256 * 1024;
const WRITE_BATCH_BYTES = 1024 * 1024;


interface SendOptions {
  method: 'GET' | 'POST';
  path: string;
  /** Creates the body afresh for each attempt (a 401 retry re-reads the files). */
  body?: MultipartBody;
  extraHeaders?: Record<string, string>;
  transfer?: TransferOptions;
}

export class EngagementClient {
  private readonly agent: Agent;
  private readonly now: () => number;
  private token: ClaimsToken | undefined;
  private tokenRequest: Promise<ClaimsToken> | undefined;

  constructor(
    readonly profile: Profile,
    private readonly readSecret: SecretReader,
    private readonly options: ClientOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const trust = serverTrust(options.ca);
    this.agent = new Agent({
      connections: options.connections ?? 16,
      keepAliveTimeout: 30_000,
      connect: { timeout: options.connectTimeoutMs ?? 15_000, ...(trust.secureContext ? { secureContext: trust.secureContext } : {}) },
      headersTimeout: options.headersTimeoutMs ?? 120_000,
      bodyTimeout: options.bodyIdleTimeoutMs ?? 60_000,
    });
  }

  /** Closes the connections and forgets the claims token (a removed profile leaves no credential in memory). */
  async close(): Promise<void> {
    this.token = undefined;
    this.credentialHeaders = undefined;
    this.tokenRequest = undefined;
    await this.agent.close();
  }

  /** Upload an MPNS .p12 and its passphrase (multipart `mpnsCert` + `mpnsCertPassPhrase`), streamed from disk. */
  async uploadMpnsCertificate(appId: string, certPath: string, passphrase: string, transfer: TransferOptions = {}): Promise<CertUploadResult> {
    const body = await buildMultipart(
      [
        { kind: 'file', name: 'mpnsCert', path: certPath, contentType: 'application/x-pkcs12' },
        { kind: 'text', name: 'mpnsCertPassPhrase', value: passphrase },
      ],
      { hashFiles: transfer.onFilesSent !== undefined },
    );
    const raw = await this.sendForText({ method: 'POST', path: API_PATHS.windowsCertificate(appId), body, transfer });
    const result = readCertUploadResponse(raw);
    transfer.onFilesSent?.(body.sentFiles());
    return result;
  }

  /** Update a pass by importing a .pkpass with optional images and a passContent JSON text part. */
  async updatePassWithImport(
    pkPassPath: string,
    images: PassImage[],
    passContent: unknown,
    transfer: TransferOptions = {},
  ): Promise<PassUpdateResult> {
    const fields: MultipartField[] = [
      { kind: 'file', name: 'pkPass', path: pkPassPath, contentType: 'application/vnd.apple.pkpass' },
      ...images.map<MultipartField>((image) => ({
        kind: 'file',
        name: image.fieldName,
        path: image.path,
        contentType: 'image/png',
      })),
      { kind: 'text', name: 'passContent', value: JSON.stringify(passContent), contentType: 'application/json' },
    ];
    const body = await buildMultipart(fields, {
      hashFiles: transfer.onFilesSent !== undefined,
      ...(transfer.preloaded ? { preloaded: transfer.preloaded } : {}),
    });
    const raw = await this.sendForText({ method: 'POST', path: API_PATHS.passImportUpdate(), body, transfer });
    const result = readPassQueuedResponse(raw);
    transfer.onFilesSent?.(body.sentFiles());
    return result;
  }

  /**
   * Download the app's MPNS certificate to `destination` (a file path, or an existing folder in which the server's
   * sanitised file name is used). Streams to a temp file beside the destination, fsyncs, then renames: a failed or
   * cancelled download leaves nothing at the destination and no temp file behind. The SHA-256 is read back from
   * the file as written, during the fsync; the file is renamed into place (and `onSaved` called) as soon as it is
   * durable, without waiting for the hash, which the result then carries.
   */
  async downloadMpnsCertificate(appId: string, destination: string, transfer: TransferOptions = {}): Promise<CertDownloadResult> {
    const intoFolder = await checkDestination(destination);
    const response = await this.send({ method: 'GET', path: API_PATHS.downloadWindowsCertificate(appId), transfer }, 'stream');
    const contentType = headerValue(response.headers['content-type']);
    if (response.statusCode !== 200) {
      throw new EngagementError(await this.statusError(response));
    }
    if (/json|html/i.test(contentType ?? '')) {
      const text = await readLimited(response.body, MAX_ERROR_BODY);
      const said = serverMessageFromBody(text, contentType);
      throw new EngagementError(
        appError('unexpected-response', `The server sent ${/html/i.test(contentType ?? '') ? 'a web page' : 'a JSON message'} instead of the certificate${said ? `: ${said}` : '.'}`, {
          httpStatus: 200,
          ...(said ? { detail: said } : {}),
        }),
      );
    }
    // A chosen file path is replaced (the Save As dialog asked); into a folder, an existing file is never replaced.
    const target = intoFolder
      ? await freeName(destination, downloadFileName(headerValue(response.headers['content-disposition']), appId))
      : destination;
    const totalHeader = Number(headerValue(response.headers['content-length']));
    const total = Number.isFinite(totalHeader) && totalHeader >= 0 ? totalHeader : undefined;
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.download`);
    let transferred = 0;
    let reported = 0;
    const report = () => transfer.onProgress?.({ direction: 'download', transferred, ...(total !== undefined ? { total } : {}) });
    let handle: FileHandle | undefined;
    let writing: Promise<unknown> = Promise.resolve();
    let hashing: Promise<string> | undefined;
    try {
      handle = await open(temp, 'wx+', 0o600);
      // Chunks are written in batches of about 1 MB (one writev each): far fewer trips to the file-system thread
      // pool than a write per socket chunk. One batch is written while the next one fills, so the disk and the
      // network work at the same time; memory stays bounded by two batches. (Opened for reading too: see below.)
      let batch: Buffer[] = [];
      let batchBytes = 0;
      for await (const chunk of response.body) {
        const bytes = chunk as Buffer;
        batch.push(bytes);
        batchBytes += bytes.length;
        transferred += bytes.length;
        if (batchBytes >= WRITE_BATCH_BYTES) {
          const full = batch;
          batch = [];
          batchBytes = 0;
          await writing;
          writing = writeAll(handle, full);
          writing.catch(() => undefined); // handled: awaited with the next batch, or settled in the catch below
        }
        if (transferred - reported >= PROGRESS_INTERVAL_BYTES) {
          reported = transferred;
          report();
        }
      }
      if (transfer.signal?.aborted) throw transfer.signal.reason;
      await writing;
      await writeAll(handle, batch);
      if (total !== undefined && transferred !== total) {
        throw new EngagementError(downloadCutOff(transferred, total));
      }
      // The SHA-256 is taken from the file as written, starting while the disk flushes it: hashing costs about
      // 150 ms of CPU per 256 MB, which overlaps the fsync's wait instead of slowing the transfer, and does not
      // hold back the rename. The handle stays open until the hash is read (libuv opens files with
      // FILE_SHARE_DELETE on Windows, so the rename of an open file works there too).
      hashing = sha256OfFile(handle, transferred);
      hashing.catch(() => undefined); // handled: awaited below, or settled in the catch
      await handle.sync();
      await rename(temp, target);
    } catch (error) {
      // Destroying an unread body emits 'error' (RequestAbortedError); without a listener that kills the process.
      response.body.once('error', () => undefined);
      response.body.destroy();
      await writing.catch(() => undefined);
      await hashing?.catch(() => undefined); // its reads must end before the handle is closed
      await handle?.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      if (transfer.signal?.aborted) throw new EngagementError(appError('cancelled', 'Download cancelled. Nothing was saved.'));
      const mapped = toAppError(error, { host: new URL(this.profile.baseUrl).host, path: target });
      // A connection lost mid-body is a cut-off download, not a server that never answered.
      const failure = mapped.code === 'network' && handle !== undefined ? downloadCutOff(transferred, total, mapped.detail ?? 'ECONNRESET') : mapped;
      const saidNothingSaved = failure.code === 'file' || failure.code === 'timeout';
      throw new EngagementError(saidNothingSaved ? { ...failure, message: `${failure.message} Nothing was saved.` } : failure, { cause: error });
    }
    report();
    transfer.onSaved?.({ path: target, bytes: transferred });
    try {
      return { path: target, bytes: transferred, sha256: await hashing };
    } catch (error) {
      // The file is saved and stays: only its read-back failed.
      const mapped = toAppError(error, { path: target });
      throw new EngagementError({ ...mapped, message: `Saved ${target}, but reading it back for its SHA-256 failed: ${mapped.message}` }, { cause: error });
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Checks the URL and the credentials with the authenticated health check. */
  async healthCheck(transfer: TransferOptions = {}): Promise<ConnectionTestResult> {
    const started = this.now();
    const raw = await this.sendForText({ method: 'GET', path: API_PATHS.healthCheck(), transfer });
    return { message: readHealthResponse(raw), latencyMs: Math.max(0, this.now() - started) };
  }

  // -------------------------------------------------------------------------------------------------------------

  private async sendForText(options: SendOptions): Promise<string> {
    const answer = await this.send(options, 'text');
    if (answer.statusCode < 200 || answer.statusCode >= 300) {
      throw new EngagementError(statusErrorOf(answer.statusCode, answer.headers, answer.text.slice(0, MAX_ERROR_BODY)));
    }
    return answer.text;
  }

  private async statusError(response: Dispatcher.ResponseData): Promise<ReturnType<typeof httpStatusError>> {
    const text = await readLimited(response.body, MAX_ERROR_BODY).catch(() => '');
    return statusErrorOf(response.statusCode, response.headers, text);
  }

  /**
   * One authenticated request, sent once more (with a fresh body) after a 401 when that can help: a claims token
   * is renewed; a password or API key is read again from the keychain, and used if it changed there (the CLI, or
   * another copy of the app, saved a new one). 'stream' hands back the response with its body unread; 'text' the
   * whole answer, bounded (small JSON answers).
   */
  private send(options: SendOptions, read: 'stream'): Promise<Dispatcher.ResponseData>;
  private send(options: SendOptions, read: 'text'): Promise<TextAnswer>;
  private send(options: SendOptions, read: 'stream' | 'text'): Promise<Dispatcher.ResponseData | TextAnswer> {
    return this.attempt(options, false, read).then(async (answer) => {
      if (answer.statusCode !== 401) return answer;
      if (this.profile.authMode === 'token') {
        this.token = undefined;
      } else {
        const used = this.credentialHeaders?.secret;
        const stored = await this.readSecret(true);
        if (stored === undefined || stored === '' || stored === used) return answer;
      }
      if ('body' in answer) await answer.body.dump().catch(() => undefined);
      return this.attempt(options, this.profile.authMode === 'token', read);
    });
  }

  private async attempt(options: SendOptions, forceLogin: boolean, read: 'stream' | 'text'): Promise<Dispatcher.ResponseData | TextAnswer> {
    const { transfer = {} } = options;
    const url = endpointUrl(this.profile.baseUrl, options.path);
    const headers: Record<string, string> = Object.assign(
      { accept: 'application/json, */*;q=0.8', 'user-agent': 'EngagementDesk/0.1' },
      await this.authHeaders(forceLogin, transfer.signal),
      options.extraHeaders,
    );
    let body: Readable | Buffer | undefined;
    if (options.body) {
      const multipart = options.body;
      headers['content-type'] = multipart.contentType;
      headers['content-length'] = String(multipart.length);
      const total = multipart.length;
      transfer.onProgress?.({ direction: 'upload', transferred: 0, total });
      // Small bodies whose files were preloaded (batch sends) go out as one buffer: no stream machinery per request.
      const whole = multipart.inMemory();
      if (whole) {
        body = whole;
        transfer.onProgress?.({ direction: 'upload', transferred: total, total });
      } else {
        let sent = 0;
        let reported = 0;
        body = Readable.from(
          multipart.stream((n) => {
            sent += n;
            if (sent - reported >= PROGRESS_INTERVAL_BYTES || sent === total) {
              reported = sent;
              transfer.onProgress?.({ direction: 'upload', transferred: sent, total });
            }
          }),
          { objectMode: false, highWaterMark: 1024 * 1024 },
        );
      }
    }
    try {
      // A POST is never redirected (see below), so its small answer can be collected straight off the dispatcher.
      if (read === 'text' && options.method === 'POST') {
        return await exchangeText(this.agent, this.targetOf(url), { method: 'POST', headers, ...(body ? { body } : {}), ...(transfer.signal ? { signal: transfer.signal } : {}) }, MAX_JSON_BODY);
      }
      const response = await this.requestFollowingSafeRedirects(url, options.method, headers, body, transfer.signal);
      if (read === 'stream') return response;
      return { statusCode: response.statusCode, headers: response.headers, text: await readLimited(response.body, MAX_JSON_BODY), truncated: false };
    } catch (error) {
      if (error instanceof EngagementError) throw error;
      if (transfer.signal?.aborted) throw new EngagementError(appError('cancelled', 'Cancelled. Nothing was completed.'));
      throw new EngagementError(toAppError(error, { host: new URL(url).host }), { cause: error });
    }
  }

  /**
   * GETs follow same-origin redirects with credentials and cross-origin ones without them; a redirected POST is
   * an error (its streamed body cannot be replayed, and credentials must not follow it elsewhere).
   */
  private async requestFollowingSafeRedirects(
    url: string,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    body: Readable | Buffer | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Dispatcher.ResponseData> {
    let current = url;
    let currentHeaders = headers;
    for (let hop = 0; hop <= 5; hop++) {
      const response = await request(current, {
        dispatcher: this.agent,
        method,
        headers: currentHeaders,
        ...(body ? { body } : {}),
        ...(signal ? { signal } : {}),
      });
      const location = headerValue(response.headers.location);
      if (method !== 'GET' || response.statusCode < 300 || response.statusCode >= 400 || !location) return response;
      await response.body.dump().catch(() => undefined);
      const next = new URL(location, current).toString();
      if (!sameOrigin(next, current)) currentHeaders = withoutCredentials(currentHeaders);
      current = next;
      if (!sameOrigin(current, url)) {
        // Credentials never follow to another host, so its 401 says nothing about the profile's credentials.
        const elsewhere = await request(current, { dispatcher: this.agent, method, headers: currentHeaders, ...(signal ? { signal } : {}) });
        if (elsewhere.statusCode !== 401 && elsewhere.statusCode !== 403) return elsewhere;
        await elsewhere.body.dump().catch(() => undefined);
        fail(
          'unexpected-response',
          `The server redirected to ${new URL(current).host}, which asked for credentials. Engagement Desk does not send your credentials to another host; update the profile's URL to the final address.`,
          { httpStatus: elsewhere.statusCode },
        );
      }
    }
    fail('unexpected-response', 'The server redirected too many times. Check the profile URL.');
  }

  /** Endpoint URLs split as the dispatcher takes them, kept for the few paths a session uses (a batch sends a
   * thousand times to one). */
  private targetOf(url: string): RequestTarget {
    let target = this.targets.get(url);
    if (!target) {
      target = requestTarget(url);
      if (this.targets.size >= 64) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }

  private readonly targets = new Map<string, RequestTarget>();

  /** The Basic or App API key headers of the last secret read: worked out again only when the secret changes. */
  private credentialHeaders: { secret: string; headers: Record<string, string> } | undefined;

  private async authHeaders(forceLogin: boolean, signal?: AbortSignal): Promise<Record<string, string>> {
    const mode = this.profile.authMode;
    const secret = await this.readSecret();
    if (secret === undefined || secret === '') {
      const what = mode === 'apikey' ? 'App API key' : 'password';
      fail('auth-missing', `No ${what} is stored for the profile "${this.profile.name}". Open the profile and enter it.`);
    }
    if (mode !== 'token' && this.credentialHeaders?.secret === secret) return this.credentialHeaders.headers;
    switch (mode) {
      case 'basic': {
        if (!this.profile.username) fail('auth-missing', `The profile "${this.profile.name}" has no user name. Open the profile and enter it.`);
        this.credentialHeaders = { secret, headers: { authorization: basicAuthorization(this.profile.username, secret) } };
        return this.credentialHeaders.headers;
      }
      case 'apikey':
        this.credentialHeaders = { secret, headers: apiKeyHeaders(secret) };
        return this.credentialHeaders.headers;
      case 'token': {
        const token = await this.claimsToken(secret, forceLogin, signal);
        const names = this.profile.tokenHeaders.length > 0 ? this.profile.tokenHeaders : [...DEFAULT_TOKEN_HEADERS];
        return tokenHeaders(names, token.value);
      }
    }
  }

  /** A fresh claims token: the cached one until shortly before `exp`, else one login shared by concurrent calls. */
  private async claimsToken(password: string, forceLogin: boolean, signal?: AbortSignal): Promise<ClaimsToken> {
    if (!forceLogin && tokenIsFresh(this.token, this.now())) return this.token;
    this.tokenRequest ??= this.login(password, signal).finally(() => {
      this.tokenRequest = undefined;
    });
    this.token = await this.tokenRequest;
    return this.token;
  }

  private async login(password: string, signal?: AbortSignal): Promise<ClaimsToken> {
    const username = this.profile.username;
    if (!username) fail('auth-missing', `The profile "${this.profile.name}" has no user name. Open the profile and enter it.`);
    const url = loginUrlFor(this.profile.baseUrl, this.profile.loginUrl);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        dispatcher: this.agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ userid: username, password }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw new EngagementError(appError('cancelled', 'Cancelled.'));
      throw new EngagementError(toAppError(error, { host: new URL(url).host }), { cause: error });
    }
    const text = await readLimited(response.body, MAX_JSON_BODY);
    if (response.statusCode === 401 || response.statusCode === 403) {
      const said = serverMessageFromBody(text, headerValue(response.headers['content-type']));
      fail('auth-rejected', `Login to ${new URL(url).host} was refused${said ? `: ${said}` : ''}. Check the user name and password in the profile.`, {
        httpStatus: response.statusCode,
        ...(said ? { detail: said } : {}),
      });
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const error = httpStatusError(response.statusCode, '', serverMessageFromBody(text, headerValue(response.headers['content-type'])));
      throw new EngagementError({ ...error, message: `Login failed: ${error.message}` });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const token = parseLoginResponse(parsed, this.now());
    if (!token) fail('unexpected-response', `The login service at ${url} answered without a claims token. Check the login URL in the profile.`);
    return token;
  }
}

function statusErrorOf(statusCode: number, headers: Dispatcher.ResponseData['headers'], text: string): ReturnType<typeof httpStatusError> {
  if (statusCode >= 300 && statusCode < 400) {
    const location = headerValue(headers.location) ?? '(no location)';
    return appError(
      'unexpected-response',
      `The server redirected to ${location}. Engagement Desk does not follow redirects with your credentials; update the profile's URL to the final address.`,
      { httpStatus: statusCode },
    );
  }
  return httpStatusError(statusCode, '', serverMessageFromBody(text, headerValue(headers['content-type'])));
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !/^authorization$|authorization$|api-key$/i.test(name)),
  );
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** writev may write less than asked (as write may); loop until every byte of the batch is on disk. */
async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  let pending = buffers;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending);
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const buffer of pending) {
      if (skip >= buffer.length) {
        skip -= buffer.length;
      } else {
        rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
        skip = 0;
      }
    }
    pending = rest;
  }
}

async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size > limit) {
      body.destroy();
      break;
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * SHA-256 of the first `size` bytes of an open file, read in 1 MB steps; the next step is read while the last one
 * is hashed.
 */
async function sha256OfFile(handle: FileHandle, size: number): Promise<string> {
  const hash = createHash('sha256');
  const step = Math.max(1, Math.min(size, WRITE_BATCH_BYTES));
  const readAt = async (position: number, buffer: Buffer): Promise<Buffer> => {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(step, size - position), position);
    if (bytesRead === 0) fail('file', 'the file became shorter while it was read (another program may have changed it).');
    return buffer.subarray(0, bytesRead);
  };
  const spare = [Buffer.allocUnsafe(step), Buffer.allocUnsafe(step)];
  let position = 0;
  let next = size > 0 ? readAt(0, spare[0]!) : undefined;
  for (let turn = 1; next; turn++) {
    const chunk = await next;
    position += chunk.length;
    next = position < size ? readAt(position, spare[turn % 2]!) : undefined;
    hash.update(chunk);
  }
  return hash.digest('hex');
}

/** `name`, or `name (1).ext`, `name (2).ext`... whichever does not exist yet in `folder`. */
async function freeName(folder: string, name: string): Promise<string> {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let n = 0; n < 1000; n++) {
    const candidate = join(folder, n === 0 ? name : `${stem} (${n})${ext}`);
    if (!(await stat(candidate).catch(() => undefined))) return candidate;
  }
  return fail('file', `Too many files named like ${name} in ${folder}. Choose another folder.`);
}

/** Checked before the request goes out: answers true when the destination is a folder to save into. */
async function checkDestination(destination: string): Promise<boolean> {
  const info = await stat(destination).catch(() => undefined);
  if (info?.isDirectory()) return true;
  const folder = await stat(dirname(destination)).catch(() => undefined);
  if (!folder?.isDirectory()) {
    fail('file', `The folder ${dirname(destination)} does not exist. Choose another place to save the certificate.`);
  }
  return false;
}
