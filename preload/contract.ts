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
// Request building blocks. Every request object is strict (an unknown key is refused, never silently dropped) and
// every string and array is capped; main/ipc/payload-guard.ts refuses control characters, unpaired surrogates,
// prototype keys and deep nesting in any payload before these schemas run.

/** What main may do with a file path a request names; main accepts only paths the user chose for that use
 * (main/platform/path-grants.ts): picked in an open dialog or dropped (read), picked in a save dialog (write). */
export type PathAccess = 'read' | 'write' | 'reveal';
/** Tags the request fields that are file paths, so main finds and checks every one before the handler runs. */
export const pathFields = z.registry<{ access: PathAccess }>();
export const MAX_PATH_LENGTH = 4096;
const filePath = (access: PathAccess, message?: string) =>
  z.string().min(1, message).max(MAX_PATH_LENGTH, 'The path is too long.').register(pathFields, { access });

/** passContent as JSON text may be at most this long: the server's own limit is far below it. */
export const MAX_PASS_CONTENT_CHARS = 1_000_000;
function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Infinity; // a cycle or a BigInt: not JSON at all
  }
}
/** Free-form JSON (passContent): any shape, but bounded in size. */
const boundedJson = z
  .unknown()
  .refine((value) => jsonLength(value) <= MAX_PASS_CONTENT_CHARS, 'passContent is too large (over 1,000,000 characters as JSON).');

const profileIdField = z.string().min(1).max(100);

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

export const profileInputSchema = z.strictObject({
  /** Absent when creating a profile. */
  id: z.string().min(1).max(100).optional(),
  name: z.string().trim().min(1, 'Give the profile a name.').max(80, 'Keep the name under 80 characters.'),
  baseUrl: z.string().trim().min(1, 'Enter the server URL, for example https://host:8443/vpns.').max(2048, 'The URL is too long.'),
  authMode: z.enum(AUTH_MODES),
  username: z.string().trim().max(200).optional(),
  tokenHeaders: z.array(headerName).max(5).optional(),
  loginUrl: z.string().trim().max(2048, 'The URL is too long.').optional(),
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

/** Where the profile's secret is: the OS keychain, this session's memory (keychain unavailable), built into the
 * Sandbox profile (not a secret), or nowhere yet. */
export type SecretStorage = 'keychain' | 'session' | 'built-in' | 'none';

/** What the renderer may know about a profile: never the secret itself. */
export interface ProfileView extends Profile {
  hasSecret: boolean;
  secretStorage: SecretStorage;
  /** Credentials would travel over plain http. */
  insecureTransport: boolean;
}

export const profileSaveSchema = z.strictObject({
  profile: profileInputSchema,
  /** Password (basic, token) or API key; absent keeps the stored secret. */
  secret: z.string().max(4096).optional(),
});
export type ProfileSaveRequest = z.infer<typeof profileSaveSchema>;

export const profileIdSchema = z.strictObject({ id: profileIdField });

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

export const certUploadSchema = z.strictObject({
  operationId: operationIdSchema,
  profileId: profileIdField,
  appId,
  certPath: filePath('read', 'Choose a .p12 or .pfx file.'),
  passphrase: z.string().max(1024),
});
export type CertUploadRequest = z.infer<typeof certUploadSchema>;

export interface CertUploadResult {
  id: string;
  message: string;
}

export const certDownloadSchema = z.strictObject({
  operationId: operationIdSchema,
  profileId: profileIdField,
  appId,
  /** A file path, or a folder in which the server's (sanitised) file name is used. */
  destination: filePath('write'),
});
export type CertDownloadRequest = z.infer<typeof certDownloadSchema>;

export interface CertDownloadResult {
  path: string;
  bytes: number;
  sha256: string;
}

export const passImageSchema = z.strictObject({
  fieldName: z
    .string()
    .trim()
    .min(1, 'Give every image a field name.')
    .max(100)
    .regex(/^[A-Za-z0-9_.@-]+$/, 'Use letters, digits, _ . @ or - in image field names.'),
  path: filePath('read'),
});
export type PassImage = z.infer<typeof passImageSchema>;

export const passUpdateSchema = z.strictObject({
  operationId: operationIdSchema,
  profileId: profileIdField,
  pkPassPath: filePath('read', 'Choose a .pkpass file.'),
  images: z.array(passImageSchema).max(50),
  /** Checked in main against the full passContent schema (main/core/pass-content.ts). */
  passContent: boundedJson,
});
export type PassUpdateRequest = z.infer<typeof passUpdateSchema>;

export interface PassUpdateResult {
  /** 64-bit id kept as a string end to end. */
  requestId: string;
  description: string;
}

export const cancelSchema = z.strictObject({ operationId: operationIdSchema });

// ---------------------------------------------------------------------------------------------------------------
// Native dialogs and the shell (main only; the renderer gets paths, never bytes)

// 'draft': a draft exported as one file (.engdraft); 'csv': the history export (issue #5).
export const FILE_KINDS = ['p12', 'pkpass', 'image', 'json', 'draft', 'csv'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export const openFileSchema = z.strictObject({ kind: z.enum(FILE_KINDS), multiple: z.boolean().optional() });
export const saveFileSchema = z.strictObject({ kind: z.enum(FILE_KINDS), defaultName: z.string().max(255) });
export const showInFolderSchema = z.strictObject({ path: filePath('reveal') });

export const checkFileSchema = z.strictObject({
  path: filePath('read'),
  kind: z.enum(['p12', 'pkpass', 'image']),
  passphrase: z.string().max(1024).optional(),
  role: z.string().max(40).optional(),
});
export const checkPassContentSchema = z.strictObject({ passContent: boundedJson });

export interface TransferProgress {
  operationId: string;
  direction: 'upload' | 'download';
  transferred: number;
  /** Absent when the server sent no Content-Length. */
  total?: number;
  /** Downloads: the file is saved at its destination; its SHA-256 is still being read back. */
  saved?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Drafts, outbox, history (issue #5)
// Schemas are here (not in main/core/drafts.ts) because the IPC layer validates drafts with them; main/core/drafts.ts
// re-exports them and adds the logic. While editing, a draft may be incomplete or invalid: only shapes are checked.

export const DRAFT_KINDS = ['cert-upload', 'pass-update'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 in lower-case hex.');
const isoTime = z.string().min(1).max(40);
const draftId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Invalid draft id.');

/** A file copied into the draft's own storage (content-addressed), with where it came from. */
export const draftFileSchema = z.strictObject({
  sha256: sha256Hex,
  size: z.number().int().nonnegative(),
  name: z.string().min(1).max(255),
  originalPath: z.string().max(4096),
  originalMtimeMs: z.number().nonnegative(),
  addedAt: isoTime,
});
export type DraftFile = z.infer<typeof draftFileSchema>;

export const certUploadDraftPayloadSchema = z.strictObject({
  appId: z.string().max(200),
  cert: draftFileSchema.optional(),
  /** The passphrase itself is never in a draft: it is in the OS keychain (remembered) or asked at send time. */
  rememberPassphrase: z.boolean(),
});
export const passUpdateDraftPayloadSchema = z.strictObject({
  pkPass: draftFileSchema.optional(),
  images: z.array(z.strictObject({ fieldName: z.string().max(100), file: draftFileSchema })).max(50),
  /** Raw editor content: may be invalid JSON-ish data while the user is still typing. */
  passContent: boundedJson,
});
export type CertUploadDraftPayload = z.infer<typeof certUploadDraftPayloadSchema>;
export type PassUpdateDraftPayload = z.infer<typeof passUpdateDraftPayloadSchema>;

const draftBase = {
  id: draftId,
  name: z.string().max(200),
  profileId: z.string().max(100).optional(),
  appId: z.string().max(200).optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** Bumped by every save; a save must name the revision it was based on. */
  revision: z.number().int().nonnegative(),
};
export const draftSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...draftBase, kind: z.literal('cert-upload'), payload: certUploadDraftPayloadSchema }),
  z.strictObject({ ...draftBase, kind: z.literal('pass-update'), payload: passUpdateDraftPayloadSchema }),
]);
export type Draft = z.infer<typeof draftSchema>;
export type CertUploadDraft = Extract<Draft, { kind: 'cert-upload' }>;
export type PassUpdateDraft = Extract<Draft, { kind: 'pass-update' }>;

export interface DraftReadiness {
  ready: boolean;
  /** Why the draft cannot be sent yet, in the user's words. */
  problems: string[];
  /** A certificate passphrase will be asked at send time (not remembered in the keychain). */
  needsPassphrase: boolean;
}

/** One row of the drafts list (kept in the store's index so listing never opens 10,000 files). */
export interface DraftSummary {
  id: string;
  name: string;
  kind: DraftKind;
  profileId?: string;
  appId?: string;
  createdAt: string;
  updatedAt: string;
  revision: number;
  ready: boolean;
  problems: string[];
  fileNames: string[];
}

/** A draft file or index entry the store could not read; it was moved aside, the rest still loads. */
export interface DraftStoreProblem {
  file: string;
  message: string;
  at: string;
}

export type DraftFileStatus = 'unchanged' | 'changed' | 'missing';

export interface DraftFileView {
  /** 'cert', 'pkPass' or 'image:<index>'. */
  role: string;
  file: DraftFile;
  /** Compared with the original on disk: a warning only, the draft sends its own copy. */
  originalStatus: DraftFileStatus;
}

export interface DraftView {
  draft: Draft;
  readiness: DraftReadiness;
  files: DraftFileView[];
  passphraseStorage: SecretStorage;
}

export const draftsListSchema = z.strictObject({
  query: z.string().max(200).optional(),
  kind: z.enum(DRAFT_KINDS).optional(),
});
export const draftIdRequestSchema = z.strictObject({ id: draftId });
export const draftCreateSchema = z.strictObject({
  kind: z.enum(DRAFT_KINDS),
  name: z.string().max(200).optional(),
  profileId: z.string().max(100).optional(),
  appId: z.string().max(200).optional(),
});
export const draftSaveSchema = z.strictObject({ draft: draftSchema });
export const draftRenameSchema = z.strictObject({ id: draftId, name: z.string().trim().min(1, 'Give the draft a name.').max(200) });
export const draftAddFileSchema = z.strictObject({ id: draftId, path: filePath('read') });
export const draftPassphraseSchema = z.strictObject({
  id: draftId,
  /** Absent or empty with remember=false forgets the stored passphrase. */
  passphrase: z.string().max(1024).optional(),
  remember: z.boolean(),
});
export const draftExportSchema = z.strictObject({ id: draftId, path: filePath('write') });
export const draftImportSchema = z.strictObject({ path: filePath('read') });
export const draftSendSchema = z.strictObject({
  id: draftId,
  operationId: operationIdSchema,
  /** Asked at send time when the draft does not remember it. Never stored unless remember is set. */
  passphrase: z.string().max(1024).optional(),
});

export type DraftSendStatus = 'sent' | 'queued' | 'outcome-unknown';
export interface DraftSendResult {
  status: DraftSendStatus;
  /** Outbox entry when the draft was queued or its outcome is unknown. */
  outboxId?: string;
  historyId?: string;
  requestId?: string;
  message: string;
}

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'outcome-unknown', 'paused'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxEntry {
  id: string;
  draftId: string;
  draftName: string;
  kind: DraftKind;
  profileId: string;
  state: OutboxState;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  lastError?: AppError;
  /** Why a queued entry is not sent automatically, e.g. a passphrase that must be typed. */
  blockedReason?: 'passphrase-needed';
  historyId?: string;
  requestId?: string;
  message?: string;
}

export interface OutboxView {
  entries: OutboxEntry[];
  paused: boolean;
}

export interface OutboxFlushResult {
  sent: number;
  failed: number;
  outcomeUnknown: number;
  stillQueued: number;
}

export const outboxIdSchema = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
/** Without an id: pause/resume all automatic sending; with one: that entry only. */
export const outboxPauseSchema = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional() });
export const outboxSendNowSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  passphrase: z.string().max(1024).optional(),
  /** Resending an "outcome unknown" entry needs the user's explicit say-so. */
  confirmResend: z.boolean().optional(),
});

export const HISTORY_STATUSES = ['sent', 'failed', 'not-sent', 'outcome-unknown', 'cancelled'] as const;
export type HistoryStatus = (typeof HISTORY_STATUSES)[number];

export interface HistoryFileRecord {
  role: string;
  name: string;
  sha256: string;
  size: number;
}

/** One send attempt. Never holds a secret (the store redacts defensively anyway). */
export interface HistoryRecord {
  id: string;
  at: string;
  kind: DraftKind;
  source: 'app' | 'cli' | 'outbox';
  profileId: string;
  profileName: string;
  /** e.g. "POST /api/v1/applications/{appId}/windows" */
  endpoint: string;
  appId?: string;
  draftId?: string;
  draftName?: string;
  files: HistoryFileRecord[];
  status: HistoryStatus;
  httpStatus?: number;
  errorCode?: ErrorCode;
  serverMessage?: string;
  requestId?: string;
  durationMs: number;
}

export const historyFilterSchema = z.strictObject({
  profile: z.string().max(100).optional(),
  kind: z.enum(DRAFT_KINDS).optional(),
  endpoint: z.string().max(200).optional(),
  status: z.enum(HISTORY_STATUSES).optional(),
  text: z.string().max(200).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  limit: z.number().int().positive().max(100000).optional(),
});
export type HistoryFilter = z.infer<typeof historyFilterSchema>;
export const historyExportSchema = z.strictObject({
  format: z.enum(['csv', 'json']),
  path: filePath('write'),
  filter: historyFilterSchema.optional(),
});

export interface HistoryQueryResult {
  records: HistoryRecord[];
  /** Matches before the limit was applied. */
  total: number;
  /** Lines that could not be read (a torn last line after a crash). */
  skippedLines: number;
}

export const draftSessionSchema = z.strictObject({
  openDraftIds: z.array(draftId).max(100),
  activeDraftId: draftId.optional(),
});
export type DraftSession = z.infer<typeof draftSessionSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Batch sends (issue #6): one pass update to many recipients (one request each), many drafts at once. Each item
// ends with exactly one result; a stop (operationCancel) starts nothing new and lets in-flight items finish.

export const MAX_BATCH_RECIPIENTS = 100_000;
export const MAX_BATCH_DRAFTS = 10_000;
const batchConcurrency = z.number().int().min(1).max(32);

export const recipientsImportSchema = z.strictObject({ path: filePath('read') });
export interface RecipientsImportResult {
  ids: string[];
}

/** The pass update's fields, with the recipients given as a list: each gets its own request. */
export const passBatchSchema = passUpdateSchema.extend({
  recipientIds: z
    .array(z.string().trim().min(1, 'A recipient id is empty.').max(200))
    .min(1, 'Add at least one recipient.')
    .max(MAX_BATCH_RECIPIENTS, 'A batch takes at most 100,000 recipients.'),
  /** Requests in flight at once (default 8). */
  concurrency: batchConcurrency.optional(),
});
export type PassBatchRequest = z.infer<typeof passBatchSchema>;

export const draftsSendManySchema = z.strictObject({
  operationId: operationIdSchema,
  ids: z.array(draftId).min(1, 'Select at least one draft.').max(MAX_BATCH_DRAFTS),
  /** Drafts sent at once (default 4). */
  concurrency: batchConcurrency.optional(),
});

/** How one item of a batch ended: 'done' (sent), 'failed', or 'skipped' (the batch was stopped before it started). */
export type BatchItemStatus = 'done' | 'failed' | 'skipped';

export interface BatchSummary {
  sent: number;
  failed: number;
  skipped: number;
}

/** Pushed once per finished item (completion order; skipped items last). */
export interface BatchItemEvent {
  operationId: string;
  /** Position of the item in the request. */
  index: number;
  /** The recipient id (pass batch) or draft id (drafts). */
  key: string;
  status: BatchItemStatus;
  requestId?: string;
  error?: AppError;
  /** Drafts only: how a draft whose send finished ended (sent, queued in the Outbox, outcome unknown). */
  draftStatus?: DraftSendStatus;
  /** Items finished so far, this one included. */
  completed: number;
  total: number;
}

export interface PassBatchItem {
  recipientId: string;
  status: BatchItemStatus;
  requestId?: string;
  error?: AppError;
}

export interface PassBatchResult {
  /** In request order. */
  results: PassBatchItem[];
  summary: BatchSummary;
  /** The batch was stopped before every recipient had been sent to. */
  stopped: boolean;
}

export type DraftBatchStatus = 'sent' | 'queued' | 'outcome-unknown' | 'failed' | 'skipped';

export interface DraftBatchItem {
  id: string;
  status: DraftBatchStatus;
  message?: string;
  requestId?: string;
  error?: AppError;
}

export interface DraftsSendManyResult {
  results: DraftBatchItem[];
  summary: BatchSummary & { queued: number; outcomeUnknown: number };
  stopped: boolean;
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
  dialogOpenFile: { name: 'eng:dialog:open-file', request: openFileSchema },
  dialogSaveFile: { name: 'eng:dialog:save-file', request: saveFileSchema },
  shellShowInFolder: { name: 'eng:shell:show-in-folder', request: showInFolderSchema },
  checkFile: { name: 'eng:check:file', request: checkFileSchema },
  checkPassContent: { name: 'eng:check:pass-content', request: checkPassContentSchema },
  // Drafts, outbox, history (issue #5)
  draftsList: { name: 'eng:drafts:list', request: draftsListSchema },
  draftsGet: { name: 'eng:drafts:get', request: draftIdRequestSchema },
  draftsCreate: { name: 'eng:drafts:create', request: draftCreateSchema },
  draftsSave: { name: 'eng:drafts:save', request: draftSaveSchema },
  draftsRename: { name: 'eng:drafts:rename', request: draftRenameSchema },
  draftsDuplicate: { name: 'eng:drafts:duplicate', request: draftIdRequestSchema },
  draftsDelete: { name: 'eng:drafts:delete', request: draftIdRequestSchema },
  draftsRestore: { name: 'eng:drafts:restore', request: draftIdRequestSchema },
  draftsAddFile: { name: 'eng:drafts:add-file', request: draftAddFileSchema },
  draftsSetPassphrase: { name: 'eng:drafts:set-passphrase', request: draftPassphraseSchema },
  draftsExport: { name: 'eng:drafts:export', request: draftExportSchema },
  draftsImport: { name: 'eng:drafts:import', request: draftImportSchema },
  draftsSend: { name: 'eng:drafts:send', request: draftSendSchema },
  draftsSessionGet: { name: 'eng:drafts:session-get', request: z.object({}).strict() },
  draftsSessionSet: { name: 'eng:drafts:session-set', request: draftSessionSchema },
  outboxList: { name: 'eng:outbox:list', request: z.object({}).strict() },
  outboxFlush: { name: 'eng:outbox:flush', request: z.object({}).strict() },
  outboxPause: { name: 'eng:outbox:pause', request: outboxPauseSchema },
  outboxResume: { name: 'eng:outbox:resume', request: outboxPauseSchema },
  outboxSendNow: { name: 'eng:outbox:send-now', request: outboxSendNowSchema },
  outboxDiscard: { name: 'eng:outbox:discard', request: outboxIdSchema },
  historyQuery: { name: 'eng:history:query', request: historyFilterSchema },
  historyExport: { name: 'eng:history:export', request: historyExportSchema },
  // Batch sends (issue #6)
  recipientsImport: { name: 'eng:pass:recipients-import', request: recipientsImportSchema },
  passBatch: { name: 'eng:pass:batch', request: passBatchSchema },
  draftsSendMany: { name: 'eng:drafts:send-many', request: draftsSendManySchema },
} as const;

/** The one message that is sent (no reply) rather than invoked, and only by the preload itself: pathForFile tells
 * main the path of a File the user dropped (webUtils.getPathForFile, which only real dropped or picked Files have),
 * so main grants it for reading. Messages from one page arrive in order, so the grant lands before any request
 * that names the path. */
export const droppedFileGrant = {
  name: 'eng:paths:grant-dropped-file',
  request: z.strictObject({ path: z.string().min(1).max(MAX_PATH_LENGTH) }),
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
  /** Empty when the user cancelled the dialog. */
  dialogOpenFile: { paths: string[] };
  dialogSaveFile: { path?: string };
  shellShowInFolder: { shown: boolean };
  checkFile: CheckReport;
  checkPassContent: CheckReport;
  // Drafts, outbox, history (issue #5)
  draftsList: { drafts: DraftSummary[]; problems: DraftStoreProblem[] };
  draftsGet: DraftView;
  draftsCreate: DraftView;
  /** The saved draft with its new revision; a stale revision fails with code 'validation', detail 'revision-conflict'. */
  draftsSave: DraftView;
  draftsRename: DraftSummary;
  draftsDuplicate: DraftView;
  /** Moved to the trash: draftsRestore undoes it. */
  draftsDelete: { deleted: boolean };
  draftsRestore: DraftView;
  draftsAddFile: DraftFile;
  draftsSetPassphrase: { storage: SecretStorage };
  draftsExport: { path: string; bytes: number };
  draftsImport: DraftView;
  draftsSend: DraftSendResult;
  draftsSessionGet: DraftSession;
  draftsSessionSet: DraftSession;
  outboxList: OutboxView;
  outboxFlush: OutboxFlushResult;
  outboxPause: OutboxView;
  outboxResume: OutboxView;
  outboxSendNow: OutboxEntry;
  outboxDiscard: { discarded: boolean };
  historyQuery: HistoryQueryResult;
  historyExport: { path: string; count: number };
  // Batch sends (issue #6)
  recipientsImport: RecipientsImportResult;
  passBatch: PassBatchResult;
  draftsSendMany: DraftsSendManyResult;
}

export type ChannelKey = keyof typeof channels;
export type ChannelRequest<K extends ChannelKey> = z.infer<(typeof channels)[K]['request']>;
export type ChannelResponse<K extends ChannelKey> = K extends keyof ChannelResponses ? ChannelResponses[K] : never;

export const events = {
  progress: 'eng:event:progress',
  /** Drafts, outbox, history (issue #5): the outbox changed (entry state, pause). */
  outbox: 'eng:event:outbox',
  /** Batch sends (issue #6): one item of a batch finished. */
  batch: 'eng:event:batch',
} as const;

export interface EventPayloads {
  progress: TransferProgress;
  outbox: OutboxView;
  batch: BatchItemEvent;
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
