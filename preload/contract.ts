// THE IPC contract between the renderer and the main process (GitHub Desktop's ipc-shared.ts pattern).
// Every invoke channel and push event, their payload types and zod schemas live here and nowhere else.
// This module imports only zod: main, preload and renderer all import it.
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------------------------
// Results and errors: errors cross IPC as data, because only `message` survives a thrown Error.

export const ERROR_CODES = [
  'auth-missing', // no credentials stored for the profile
  'auth-rejected', // the server answered 401 / 403
  'bad-request', // 400 (the server's message says why)
  'client-error', // any other 4xx
  'server-error', // 5xx
  'network', // refused, reset, DNS, unreachable
  'tls', // certificate or handshake failure
  'timeout', // connect, headers or body idle timeout
  'cancelled', // the user (or a signal) cancelled
  'unexpected-response', // HTML or JSON where a file was expected, a 200 without the documented body
  'validation', // local checks refused the input
  'file', // a local file could not be read or written
  'keychain-unavailable', // the OS keychain is missing or locked
  'not-found', // a local thing (profile, draft) does not exist
  'internal', // a bug: anything not classified above
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const appErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryable: z.boolean(),
  httpStatus: z.number().int().optional(),
  detail: z.string().optional(),
});
export type AppError = z.infer<typeof appErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

// ---------------------------------------------------------------------------------------------------------------
// Profiles

export const AUTH_MODES = ['basic', 'token', 'apikey'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Header names that carry a claims token; the server's actual choice is undocumented, so both are sent. */
export const DEFAULT_TOKEN_HEADERS = ['X-VoltMX-Authorization', 'X-Kony-Authorization'] as const;
/** Header names that carry an App API key. */
export const DEFAULT_API_KEY_HEADERS = ['X-VoltMX-App-API-Key', 'X-Kony-App-API-Key'] as const;

const headerName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'A header name may contain only letters, digits and - _ . etc.');

export const profileInputSchema = z.object({
  /** Absent when creating a profile. */
  id: z.string().min(1).max(100).optional(),
  name: z.string().trim().min(1, 'Give the profile a name.').max(80, 'Keep the name under 80 characters.'),
  baseUrl: z.string().trim().min(1, 'Enter the server URL, for example https://host:8443/vpns.'),
  authMode: z.enum(AUTH_MODES),
  username: z.string().trim().max(200).optional(),
  tokenHeaders: z.array(headerName).max(5).optional(),
  loginUrl: z.string().trim().optional(),
});
export type ProfileInput = z.infer<typeof profileInputSchema>;

export interface Profile {
  id: string;
  name: string;
  /** Includes any context root, e.g. https://host:8443/vpns; the client appends /api/v1/... */
  baseUrl: string;
  authMode: AuthMode;
  username?: string;
  tokenHeaders: string[];
  /** Login URL for claims tokens; default <origin>/authService/accounts/login. */
  loginUrl?: string;
  /** The built-in Sandbox profile, pointing at the in-process emulator. */
  builtIn?: boolean;
}

export type SecretStorage = 'keychain' | 'session' | 'none';

/** What the renderer may know about a profile: never the secret itself. */
export interface ProfileView extends Profile {
  hasSecret: boolean;
  secretStorage: SecretStorage;
  /** Credentials would travel over plain http. */
  insecureTransport: boolean;
}

export const profileSaveSchema = z.object({
  profile: profileInputSchema,
  /** Password (basic, token) or API key; absent keeps the stored secret. */
  secret: z.string().max(4096).optional(),
});
export type ProfileSaveRequest = z.infer<typeof profileSaveSchema>;

export const profileIdSchema = z.object({ id: z.string().min(1) });

export interface ConnectionTestResult {
  message: string;
  latencyMs: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Transfers

export const operationIdSchema = z.string().min(1).max(100);

const appId = z
  .string()
  .trim()
  .min(1, 'Enter the application ID.')
  .max(200, 'The application ID is too long.');

export const certUploadSchema = z.object({
  operationId: operationIdSchema,
  profileId: z.string().min(1),
  appId,
  certPath: z.string().min(1, 'Choose a .p12 or .pfx file.'),
  passphrase: z.string().max(1024),
});
export type CertUploadRequest = z.infer<typeof certUploadSchema>;

export interface CertUploadResult {
  id: string;
  message: string;
}

export const certDownloadSchema = z.object({
  operationId: operationIdSchema,
  profileId: z.string().min(1),
  appId,
  /** A file path, or a folder in which the server's (sanitised) file name is used. */
  destination: z.string().min(1),
});
export type CertDownloadRequest = z.infer<typeof certDownloadSchema>;

export interface CertDownloadResult {
  path: string;
  bytes: number;
  sha256: string;
}

export const passImageSchema = z.object({
  fieldName: z
    .string()
    .trim()
    .min(1, 'Give every image a field name.')
    .max(100)
    .regex(/^[A-Za-z0-9_.@-]+$/, 'Use letters, digits, _ . @ or - in image field names.'),
  path: z.string().min(1),
});
export type PassImage = z.infer<typeof passImageSchema>;

export const passUpdateSchema = z.object({
  operationId: operationIdSchema,
  profileId: z.string().min(1),
  pkPassPath: z.string().min(1, 'Choose a .pkpass file.'),
  images: z.array(passImageSchema).max(50),
  /** Checked in main against the full passContent schema (main/core/pass-content.ts). */
  passContent: z.unknown(),
});
export type PassUpdateRequest = z.infer<typeof passUpdateSchema>;

export interface PassUpdateResult {
  /** 64-bit id kept as a string end to end. */
  requestId: string;
  description: string;
}

export const cancelSchema = z.object({ operationId: operationIdSchema });

export interface TransferProgress {
  operationId: string;
  direction: 'upload' | 'download';
  transferred: number;
  /** Absent when the server sent no Content-Length. */
  total?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Channels: eng:<domain>:<verb>; pushes eng:event:<name>.

export const CHANNEL_PREFIX = 'eng:';

export const channels = {
  profileList: { name: 'eng:profile:list', request: z.object({}).strict() },
  profileSave: { name: 'eng:profile:save', request: profileSaveSchema },
  profileRemove: { name: 'eng:profile:remove', request: profileIdSchema },
  profileTest: { name: 'eng:profile:test', request: profileIdSchema },
  certUpload: { name: 'eng:cert:upload', request: certUploadSchema },
  certDownload: { name: 'eng:cert:download', request: certDownloadSchema },
  passUpdate: { name: 'eng:pass:update', request: passUpdateSchema },
  operationCancel: { name: 'eng:op:cancel', request: cancelSchema },
} as const;

/** Response type per channel, keyed like `channels`. */
export interface ChannelResponses {
  profileList: ProfileView[];
  profileSave: ProfileView;
  profileRemove: { removed: boolean };
  profileTest: ConnectionTestResult;
  certUpload: CertUploadResult;
  certDownload: CertDownloadResult;
  passUpdate: PassUpdateResult;
  operationCancel: { cancelled: boolean };
}

export type ChannelKey = keyof typeof channels;
export type ChannelRequest<K extends ChannelKey> = z.infer<(typeof channels)[K]['request']>;
export type ChannelResponse<K extends ChannelKey> = K extends keyof ChannelResponses ? ChannelResponses[K] : never;

export const events = {
  progress: 'eng:event:progress',
} as const;

export interface EventPayloads {
  progress: TransferProgress;
}

// ---------------------------------------------------------------------------------------------------------------
// Local checks (issue #4): reports cross IPC as data; the renderer shows them where the file was dropped.

export type CheckSeverity = 'error' | 'warning' | 'info';

export interface CheckIssue {
  severity: CheckSeverity;
  /** Stable machine code, e.g. 'p12-wrong-passphrase', 'pkpass-manifest-mismatch'. */
  code: string;
  message: string;
  /** Field path (passContent) or entry name (pkpass) the issue is about. */
  path?: string;
}

export type CheckKind = 'p12' | 'pkpass' | 'image' | 'passContent';

export interface CheckReport {
  kind: CheckKind;
  /** True when no issue has severity 'error': errors block sending, warnings do not. */
  ok: boolean;
  issues: CheckIssue[];
  file?: { path: string; name: string; size: number };
  /** Kind-specific details (certificate fields, pass preview model, image dimensions), JSON-safe. */
  details?: Record<string, unknown>;
}
