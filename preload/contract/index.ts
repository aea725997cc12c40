// THE IPC contract between the renderer and the main process (GitHub Desktop's ipc-shared.ts pattern).
// Every invoke channel and push event is named here and nowhere else; their payload types and zod schemas live in
// the per-domain modules beside this file, re-exported below. These modules import only zod: main, preload and
// renderer all import them through this index.
import { z } from 'zod';
import type { BatchItemEvent, DraftsSendManyResult, PassBatchResult, RecipientsImportResult } from './batch';
import { draftsSendManySchema, passBatchSchema, recipientsImportSchema } from './batch';
import type { CheckReport, P12LegacyCopyResult } from './checks';
import { checkFileSchema, p12LegacyCopySchema } from './checks';
import type { DraftFile, DraftSendResult, DraftSession, DraftStoreProblem, DraftSummary, DraftView } from './drafts';
import {
  draftAddFileSchema,
  draftCreateSchema,
  draftExportSchema,
  draftIdRequestSchema,
  draftImportSchema,
  draftPassphraseSchema,
  draftRenameSchema,
  draftSaveSchema,
  draftSendSchema,
  draftSessionSchema,
  draftsListSchema,
} from './drafts';
import { MAX_PATH_LENGTH } from './fields';
import type { AdminMessage, AppList, AppSummary, CertificateExpiry, CertRemoveResult, PassRequestStatus, ServerReading, WnsSetResult } from './admin';
import { appDetailsSchema, appsListSchema, certRemoveSchema, certsExpirySchema, passStatusSchema, wnsSetSchema, wnsTestSchema } from './admin';
import { openFileSchema, saveFileSchema, showInFolderSchema } from './files';
import type { HistoryQueryResult } from './history';
import { historyExportSchema, historyFilterSchema } from './history';
import type { MenuCommand } from './menu';
import type { OutboxEntry, OutboxFlushResult, OutboxView } from './outbox';
import { outboxIdSchema, outboxPauseSchema, outboxSendNowSchema } from './outbox';
import type { ConnectionTestResult, ProfileView, SecretStorage } from './profiles';
import { profileIdSchema, profileSaveSchema } from './profiles';
import type { CertDownloadResult, TransferProgress } from './transfers';
import { cancelSchema, certDownloadSchema } from './transfers';

export * from './errors';
export { MAX_PASS_CONTENT_CHARS, MAX_PATH_LENGTH, operationIdSchema, pathFields, type PathAccess } from './fields';
export * from './profiles';
export * from './transfers';
export * from './files';
export * from './checks';
export * from './check-details';
export * from './drafts';
export * from './outbox';
export * from './history';
export * from './batch';
export * from './admin';
export * from './menu';

// ---------------------------------------------------------------------------------------------------------------
// Channels: eng:<domain>:<verb>; pushes eng:event:<name>.

export const CHANNEL_PREFIX = 'eng:';

// Only what the renderer calls (test/unit/preload/contract.test.ts checks it): a certificate upload and a pass
// update reach the server as drafts (draftsSend) or a batch (passBatch); the CLI calls the services in-process.
export const channels = {
  profileList: { name: 'eng:profile:list', request: z.object({}).strict() },
  profileSave: { name: 'eng:profile:save', request: profileSaveSchema },
  profileRemove: { name: 'eng:profile:remove', request: profileIdSchema },
  profileTest: { name: 'eng:profile:test', request: profileIdSchema },
  certDownload: { name: 'eng:cert:download', request: certDownloadSchema },
  operationCancel: { name: 'eng:op:cancel', request: cancelSchema },
  dialogOpenFile: { name: 'eng:dialog:open-file', request: openFileSchema },
  dialogSaveFile: { name: 'eng:dialog:save-file', request: saveFileSchema },
  shellShowInFolder: { name: 'eng:shell:show-in-folder', request: showInFolderSchema },
  checkFile: { name: 'eng:check:file', request: checkFileSchema },
  p12LegacyCopy: { name: 'eng:cert:legacy-copy', request: p12LegacyCopySchema },
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
  // The administrator's jobs (issue #17)
  appsList: { name: 'eng:apps:list', request: appsListSchema },
  appDetails: { name: 'eng:apps:details', request: appDetailsSchema },
  certsExpiry: { name: 'eng:certs:expiry', request: certsExpirySchema },
  wnsSet: { name: 'eng:wns:set', request: wnsSetSchema },
  wnsTest: { name: 'eng:wns:test', request: wnsTestSchema },
  certRemove: { name: 'eng:cert:remove', request: certRemoveSchema },
  passStatus: { name: 'eng:pass:status', request: passStatusSchema },
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
  certDownload: CertDownloadResult;
  operationCancel: { cancelled: boolean };
  /** Empty when the user cancelled the dialog. */
  dialogOpenFile: { paths: string[] };
  dialogSaveFile: { path?: string };
  shellShowInFolder: { shown: boolean };
  checkFile: CheckReport;
  p12LegacyCopy: P12LegacyCopyResult;
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
  // The administrator's jobs (issue #17)
  appsList: ServerReading<AppList>;
  /** One application as the server answers now (Save as… asks before its dialog whether a certificate is stored). */
  appDetails: AppSummary;
  certsExpiry: ServerReading<CertificateExpiry[]>;
  wnsSet: WnsSetResult;
  wnsTest: AdminMessage;
  certRemove: CertRemoveResult;
  passStatus: ServerReading<PassRequestStatus>;
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
  /** Desktop manners (issue #21): a menu item or its accelerator was chosen. */
  menu: 'eng:event:menu',
} as const;

export interface EventPayloads {
  progress: TransferProgress;
  outbox: OutboxView;
  batch: BatchItemEvent;
  menu: MenuCommand;
}
