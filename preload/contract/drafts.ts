// Drafts (issue #5): a certificate upload or pass update kept to be sent later, and the drafts session; since
// issue #17 also WNS credentials and an MPNS certificate removal, so every send takes the same road.
import { z } from 'zod';
import { boundedJson, draftId, filePath, operationIdSchema } from './fields';
import { secretField, type SecretStorage } from './profiles';
// Schemas are here (not in main/core/drafts.ts) because the IPC layer validates drafts with them; main/core/drafts.ts
// re-exports them and adds the logic. While editing, a draft may be incomplete or invalid: only shapes are checked.

export const DRAFT_KINDS = ['cert-upload', 'pass-update', 'wns-credentials', 'cert-remove'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 in lower-case hex.');
const isoTime = z.string().min(1).max(40);

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
  /** Issue a new pass (pass import) rather than update scheduled passes; absent in drafts made before the choice. */
  issue: z.boolean().optional(),
});
/**
 * WNS credentials (issue #17). The client secret is never in a draft: like a certificate passphrase it is in the OS
 * keychain (remembered, under the same draft account) or typed at send time and held in memory while queued.
 */
export const wnsCredentialsDraftPayloadSchema = z.strictObject({
  appId: z.string().max(200),
  packageSid: z.string().max(200),
  rememberSecret: z.boolean(),
});
/**
 * An MPNS certificate removal (issue #17). With `backup`, the certificate is downloaded into the app's backups
 * folder when the removal is actually sent (now or from the Outbox), and a backup that fails stops the removal.
 */
export const certRemoveDraftPayloadSchema = z.strictObject({
  appId: z.string().max(200),
  backup: z.boolean(),
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
  z.strictObject({ ...draftBase, kind: z.literal('wns-credentials'), payload: wnsCredentialsDraftPayloadSchema }),
  z.strictObject({ ...draftBase, kind: z.literal('cert-remove'), payload: certRemoveDraftPayloadSchema }),
]);
export type Draft = z.infer<typeof draftSchema>;
export type CertUploadDraft = Extract<Draft, { kind: 'cert-upload' }>;
export type PassUpdateDraft = Extract<Draft, { kind: 'pass-update' }>;
export type WnsCredentialsDraft = Extract<Draft, { kind: 'wns-credentials' }>;
export type CertRemoveDraft = Extract<Draft, { kind: 'cert-remove' }>;

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
  /** A pass draft that issues a new pass rather than updating scheduled ones. */
  issue?: boolean;
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
  passphrase: secretField('passphrase').optional(),
  remember: z.boolean(),
});
export const draftExportSchema = z.strictObject({ id: draftId, path: filePath('write') });
export const draftImportSchema = z.strictObject({ path: filePath('read') });
export const draftSendSchema = z.strictObject({
  id: draftId,
  operationId: operationIdSchema,
  /** Asked at send time when the draft does not remember it. Never stored unless remember is set. */
  passphrase: secretField('passphrase').optional(),
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

export const draftSessionSchema = z.strictObject({
  openDraftIds: z.array(draftId).max(100),
  activeDraftId: draftId.optional(),
});
export type DraftSession = z.infer<typeof draftSessionSchema>;
