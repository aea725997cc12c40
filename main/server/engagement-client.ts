// The Engagement Services client for one server profile, over undici (keep-alive pool, timeouts, AbortSignal on
// every call). The main process and the CLI make every API call through this class. Failures are thrown as
// EngagementError carrying an AppError; nothing here ever puts a secret into an error or a log. Its parts: the
// credentials (credentials.ts), safe redirects (safe-redirects.ts), the download to disk (certificate-download.ts).
import type { Dispatcher } from 'undici';
import { Agent } from './undici-parts';
import type { CertDownloadResult, CertUploadResult, ConnectionTestResult, PassImage, PassUpdateResult, Profile } from '../../preload/contract';
import { downloadFileName } from '../core/content-disposition';
import { appError, EngagementError, serverMessageFromBody, toAppError } from '../core/errors';
import type { DownloadJournal } from '../platform/atomic-file';
import { readCertUploadResponse, readHealthResponse, readPassQueuedResponse } from '../core/responses';
import { API_PATHS, endpointUrl } from '../core/server-url';
import { checkDestination, freeName, MAX_CERTIFICATE_DOWNLOAD_BYTES, refuseMessageInsteadOfFile, saveDownload, type DownloadLimits } from './certificate-download';
import { ProfileCredentials, type SecretReader } from './credentials';
import { errorInsideOk, headerValue, isAuthenticationFailure, MAX_ERROR_BODY, MAX_JSON_BODY, readLimited, statusErrorOf, statusErrorOfResponse } from './http-answers';
import { exchangeText, requestTarget, type RequestBody, type RequestTarget, type TextAnswer } from './http-text';
import { buildMultipart, type MultipartBody, type MultipartField } from './multipart';
import { requestFollowingSafeRedirects } from './safe-redirects';
import { trustingConnector } from './server-trust';
import { PROGRESS_INTERVAL_BYTES, type TransferOptions } from './transfer-options';

export type { SecretReader } from './credentials';
export type { TransferOptions, TransferProgressUpdate } from './transfer-options';

/** A file to upload: a path, or a path and the name the server is told (a draft's stored copy has a hash for a name). */
export type FileToSend = string | { path: string; fileName?: string };

function fileOf(file: FileToSend): { path: string; fileName?: string } {
  if (typeof file === 'string') return { path: file };
  return { path: file.path, ...(file.fileName ? { fileName: file.fileName } : {}) };
}

export interface ClientOptions {
  connectTimeoutMs?: number;
  /** Time allowed for the response headers once the request is sent. */
  headersTimeoutMs?: number;
  /** Longest silence allowed while a body streams. */
  bodyIdleTimeoutMs?: number;
  /**
   * Longest a certificate download's body may take, however steadily it trickles (default: twice the body idle
   * timeout, so 120 s; a .p12 of at most 1 MiB needs only about 9 KB/s for it).
   */
  downloadDeadlineMs?: number;
  /**
   * Largest certificate body accepted (default MAX_CERTIFICATE_DOWNLOAD_BYTES, 1 MiB). Raised only by throughput
   * tests and the bench, which stream bodies far bigger than any certificate through the same code.
   */
  maxCertificateBytes?: number;
  /** Notes downloads in progress so that the next start sweeps the temps of a killed process (see atomic-file.ts). */
  downloadJournal?: DownloadJournal;
  /** Parallel connections to one origin. */
  connections?: number;
  /** One more trusted certificate authority (PEM), beside Node's and the operating system's (see server-trust.ts). */
  ca?: string;
  /** Clock, replaceable in tests of token renewal. */
  now?: () => number;
}

interface SendOptions {
  method: 'GET' | 'POST';
  path: string;
  /** Creates the body afresh for each attempt (a 401 retry re-reads the files). */
  body?: MultipartBody;
  extraHeaders?: Record<string, string>;
  transfer?: TransferOptions;
  /** Refuse a redirect to another origin instead of following it without credentials. */
  sameOriginOnly?: boolean;
  /** A JSON body (the WNS credentials), sent instead of a multipart one. */
  json?: string;
  /** Another base URL on the profile's origin (the profile test trying the known context roots). */
  baseUrl?: string;
}

/** What the server needs to read a JSON text part or a GET right (decision 11): a Java servlet container reads a
 * text part without a charset as ISO-8859-1. */
const JSON_UTF8_PART = 'application/json; charset=UTF-8';
const TEXT_UTF8_PART = 'text/plain; charset=UTF-8';
const JSON_UTF8_GET = 'application/json;charset=UTF-8';

/** The claims token an attempt carried, so a refusal renews only that one (concurrent sends share the renewal). */
interface UsedCredential {
  token?: string;
}

export class EngagementClient {
  private readonly agent: Agent;
  private readonly now: () => number;
  private readonly credentials: ProfileCredentials;
  private readonly download: DownloadLimits;

  constructor(
    readonly profile: Profile,
    readSecret: SecretReader,
    options: ClientOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.agent = new Agent({
      connections: options.connections ?? 16,
      keepAliveTimeout: 30_000,
      // The TLS trust (the OS store too) is set up at the first https: connection only (see server-trust.ts).
      connect: trustingConnector({ timeout: options.connectTimeoutMs ?? 15_000, ...(options.ca !== undefined ? { extraCa: options.ca } : {}) }),
      headersTimeout: options.headersTimeoutMs ?? 120_000,
      bodyTimeout: options.bodyIdleTimeoutMs ?? 60_000,
    });
    this.credentials = new ProfileCredentials(profile, readSecret, this.agent, this.now);
    this.download = {
      deadlineMs: options.downloadDeadlineMs ?? 2 * (options.bodyIdleTimeoutMs ?? 60_000),
      maxBytes: options.maxCertificateBytes ?? MAX_CERTIFICATE_DOWNLOAD_BYTES,
      journal: options.downloadJournal,
    };
  }

  /** Closes the connections and forgets the claims token (a removed profile leaves no credential in memory). */
  async close(): Promise<void> {
    this.credentials.forget();
    await this.agent.close();
  }

  /** Upload an MPNS .p12 and its passphrase (multipart `mpnsCert` + `mpnsCertPassPhrase`), streamed from disk. */
  async uploadMpnsCertificate(appId: string, cert: FileToSend, passphrase: string, transfer: TransferOptions = {}): Promise<CertUploadResult> {
    const body = await buildMultipart(
      [
        { kind: 'file', name: 'mpnsCert', ...fileOf(cert), contentType: 'application/x-pkcs12' },
        // With its charset: a servlet container reads a text part without one as ISO-8859-1, and a non-ASCII
        // passphrase would then arrive changed (and the right passphrase be refused as wrong).
        { kind: 'text', name: 'mpnsCertPassPhrase', value: passphrase, contentType: TEXT_UTF8_PART },
      ],
      { hashFiles: transfer.onFilesSent !== undefined },
    );
    const raw = await this.sendForText({ method: 'POST', path: API_PATHS.windowsCertificate(appId), body, transfer });
    const result = readCertUploadResponse(raw);
    transfer.onFilesSent?.(body.sentFiles());
    return result;
  }

  /**
   * Update a pass by importing a .pkpass with optional images and a passContent JSON text part. `path`: issuing a
   * new pass (`/api/v1/message/pass/import`) takes the same multipart.
   */
  async updatePassWithImport(
    pkPass: FileToSend,
    images: Array<PassImage & { fileName?: string }>,
    passContent: unknown,
    transfer: TransferOptions = {},
    path: string = API_PATHS.passImportUpdate(),
  ): Promise<PassUpdateResult> {
    const fields: MultipartField[] = [
      { kind: 'file', name: 'pkPass', ...fileOf(pkPass), contentType: 'application/vnd.apple.pkpass' },
      ...images.map<MultipartField>((image) => ({
        kind: 'file',
        name: image.fieldName,
        path: image.path,
        ...(image.fileName ? { fileName: image.fileName } : {}),
        contentType: 'image/png',
      })),
      { kind: 'text', name: 'passContent', value: JSON.stringify(passContent), contentType: JSON_UTF8_PART },
    ];
    const body = await buildMultipart(fields, {
      hashFiles: transfer.onFilesSent !== undefined,
      ...(transfer.preloaded ? { preloaded: transfer.preloaded } : {}),
    });
    const raw = await this.sendForText({ method: 'POST', path, body, transfer });
    const result = readPassQueuedResponse(raw);
    transfer.onFilesSent?.(body.sentFiles());
    return result;
  }

  /**
   * Download the app's MPNS certificate to `destination` (a file path, or an existing folder in which the server's
   * sanitised file name is used). Streams to a temp file beside the destination, fsyncs, then renames: a failed or
   * cancelled download leaves nothing at the destination and no temp file behind (see certificate-download.ts).
   */
  async downloadMpnsCertificate(appId: string, destination: string, transfer: TransferOptions = {}): Promise<CertDownloadResult> {
    const intoFolder = await checkDestination(destination);
    const response = await this.send({ method: 'GET', path: API_PATHS.downloadWindowsCertificate(appId), transfer }, 'stream');
    if (response.statusCode !== 200) {
      throw new EngagementError(await statusErrorOfResponse(response));
    }
    await refuseMessageInsteadOfFile(response);
    // A chosen file path is replaced (the Save As dialog asked); into a folder, an existing file is never replaced.
    const target = intoFolder
      ? await freeName(destination, downloadFileName(headerValue(response.headers['content-disposition']), appId))
      : destination;
    return saveDownload(response, target, new URL(this.profile.baseUrl).host, transfer, this.download);
  }

  /** Checks the URL and the credentials with the authenticated health check; `baseUrl` tries another context root
   * on the profile's origin. */
  async healthCheck(transfer: TransferOptions = {}, baseUrl?: string): Promise<ConnectionTestResult> {
    const started = this.now();
    // An answer from another origin says nothing about this server or these credentials: not "Connected".
    const raw = await this.sendForText({ method: 'GET', path: API_PATHS.healthCheck(), transfer, sameOriginOnly: true, ...(baseUrl ? { baseUrl } : {}) });
    return { message: readHealthResponse(raw), latencyMs: Math.max(0, this.now() - started) };
  }

  /**
   * One small JSON exchange for the administration calls (main/server/admin-endpoints.ts): the answer's text when
   * the status is 2xx, else the error it stands for. A `json` body is sent as application/json.
   */
  async exchangeJson(method: 'GET' | 'POST', path: string, transfer: TransferOptions = {}, json?: string): Promise<string> {
    return this.sendForText({ method, path, transfer, ...(json !== undefined ? { json } : {}) });
  }

  // -------------------------------------------------------------------------------------------------------------

  private async sendForText(options: SendOptions): Promise<string> {
    const answer = await this.send(options, 'text');
    if (answer.statusCode < 200 || answer.statusCode >= 300) {
      throw new EngagementError(statusErrorOf(answer.statusCode, answer.headers, answer.text.slice(0, MAX_ERROR_BODY)));
    }
    // A 200 can carry a failure in its body (decision 9): never reported as a success.
    const inside = errorInsideOk(answer.text, headerValue(answer.headers['content-type']));
    if (inside) throw new EngagementError({ ...inside, httpStatus: answer.statusCode });
    return answer.text;
  }

  /**
   * One authenticated request, sent once more (with a fresh body) after a 401 when that can help: a claims token
   * is renewed; a password or API key is read again from the keychain, and used if it changed there (the CLI, or
   * another copy of the app, saved a new one). 'stream' hands back the response with its body unread; 'text' the
   * whole answer, bounded (small JSON answers).
   */
  private send(options: SendOptions, read: 'stream'): Promise<Dispatcher.ResponseData>;
  private send(options: SendOptions, read: 'text'): Promise<TextAnswer>;
  private async send(options: SendOptions, read: 'stream' | 'text'): Promise<Dispatcher.ResponseData | TextAnswer> {
    const used: UsedCredential = {};
    const answer = await this.attempt(options, read, used);
    const refusal = await this.refusedCredentials(answer);
    if (!refusal.refused) return answer;
    if (!(await this.credentials.worthRetryingAfter401(used.token))) {
      // A streamed answer whose body was read to find the refusal is told here, with the server's words.
      if (refusal.text !== undefined) throw new EngagementError(statusErrorOf(answer.statusCode, answer.headers, refusal.text));
      return answer;
    }
    if ('body' in answer) await answer.body.dump().catch(() => undefined);
    return this.attempt(options, read, {});
  }

  /**
   * Whether the answer refuses the credentials: a 401, or any other status whose message says "Authentication
   * fail" (decision 10: some servers put it under 400, or in a 200 with a failed id). A streamed error answer is
   * read here (it is small), and thrown as the error it stands for when it is not a refusal.
   */
  private async refusedCredentials(answer: Dispatcher.ResponseData | TextAnswer): Promise<{ refused: boolean; text?: string }> {
    if (answer.statusCode === 401) return { refused: true };
    const contentType = headerValue(answer.headers['content-type']);
    // "Any status" (decision 10): a 2xx JSON answer whose failed id says "Authentication fail" too.
    if (answer.statusCode >= 200 && answer.statusCode < 300 && 'text' in answer) {
      return { refused: errorInsideOk(answer.text, contentType)?.code === 'auth-rejected' };
    }
    if (answer.statusCode < 400) return { refused: false };
    if ('text' in answer) return { refused: isAuthenticationFailure(serverMessageFromBody(answer.text.slice(0, MAX_ERROR_BODY), contentType)) };
    const text = await readLimited(answer.body, MAX_ERROR_BODY).catch(() => '');
    if (isAuthenticationFailure(serverMessageFromBody(text, contentType))) return { refused: true, text };
    throw new EngagementError(statusErrorOf(answer.statusCode, answer.headers, text));
  }

  private async attempt(options: SendOptions, read: 'stream' | 'text', used: UsedCredential): Promise<Dispatcher.ResponseData | TextAnswer> {
    const { transfer = {} } = options;
    const url = endpointUrl(options.baseUrl ?? this.profile.baseUrl, options.path);
    const credentials = await this.credentials.headers(transfer.signal);
    used.token = credentials.token;
    const headers: Record<string, string> = Object.assign(
      { accept: 'application/json, */*;q=0.8', 'user-agent': 'EngagementDesk/0.1' },
      options.method === 'GET' ? { 'content-type': JSON_UTF8_GET } : {},
      credentials.headers,
      options.extraHeaders,
    );
    let body: RequestBody | undefined;
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
        // The generator itself, not a Readable over it: undici then asks for a chunk only once the socket took the
        // last one, which the file reader's two reused buffers rely on (multipart.ts, fileChunks).
        body = multipart.stream((n) => {
          sent += n;
          if (sent - reported >= PROGRESS_INTERVAL_BYTES || sent === total) {
            reported = sent;
            transfer.onProgress?.({ direction: 'upload', transferred: sent, total });
          }
        });
      }
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json;charset=UTF-8';
      body = Buffer.from(options.json, 'utf8');
    }
    try {
      // A POST is never redirected (see safe-redirects.ts), so its small answer can be collected straight off the dispatcher.
      if (read === 'text' && options.method === 'POST') {
        return await exchangeText(this.agent, this.targetOf(url), { method: 'POST', headers, ...(body ? { body } : {}), ...(transfer.signal ? { signal: transfer.signal } : {}) }, MAX_JSON_BODY);
      }
      const response = await requestFollowingSafeRedirects(this.agent, url, options.method, headers, body, transfer.signal, {
        crossOrigin: options.sameOriginOnly ? 'refuse' : 'follow',
      });
      if (read === 'stream') return response;
      return { statusCode: response.statusCode, headers: response.headers, text: await readLimited(response.body, MAX_JSON_BODY), truncated: false };
    } catch (error) {
      if (error instanceof EngagementError) throw error;
      if (transfer.signal?.aborted) throw new EngagementError(appError('cancelled', 'Cancelled. Nothing was completed.'));
      throw new EngagementError(toAppError(error, { host: new URL(url).host }), { cause: error });
    }
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
}
