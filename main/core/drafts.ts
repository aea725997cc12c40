// Drafts (issue #5), the pure half: schemas (re-exported from the contract, which validates IPC with them),
// readiness, summaries for the index, history records and their CSV form, and the export bundle manifest.
import { z } from 'zod';
import {
  DRAFT_KINDS,
  draftFileSchema,
  draftSchema,
  passImageSchema,
  type Draft,
  type DraftFile,
  type DraftKind,
  type DraftReadiness,
  type DraftSummary,
} from '../../preload/contract';
import { packageSidProblem } from './admin-answers';
import { assertNever } from './assert-never';
import { checkPassContent } from './pass-content';
import { appIdProblem } from './server-url';

export {
  DRAFT_KINDS,
  draftFileSchema,
  draftSchema,
  certUploadDraftPayloadSchema,
  passUpdateDraftPayloadSchema,
} from '../../preload/contract';
export type {
  Draft,
  DraftFile,
  DraftKind,
  DraftReadiness,
  DraftSummary,
  CertUploadDraft,
  PassUpdateDraft,
  HistoryRecord,
  HistoryFilter,
} from '../../preload/contract';

/** Largest draft JSON the store accepts (passContent is the only open-ended part). */
export const MAX_DRAFT_JSON_BYTES = 4 * 1024 * 1024;
/** Largest file a draft may hold: certificates and passes are small; this stops an accidental video. */
export const MAX_DRAFT_FILE_BYTES = 100 * 1024 * 1024;

const DRAFT_NAMES: Record<DraftKind, string> = {
  'cert-upload': 'Certificate upload',
  'pass-update': 'Pass update',
  'wns-credentials': 'WNS credentials',
  'cert-remove': 'Certificate removal',
};

export function defaultDraftName(kind: DraftKind, appId?: string): string {
  const what = DRAFT_NAMES[kind];
  return appId ? `${what} for ${appId}` : what;
}

/**
 * The secret a draft needs at send time, which is never in the draft itself: a certificate's passphrase or a WNS
 * client secret, in the keychain when `remembered` (one account per draft, draftPassphraseAccount), else typed.
 */
export function draftSecret(draft: Draft): { what: 'certificate passphrase' | 'client secret'; remembered: boolean } | undefined {
  if (draft.kind === 'cert-upload') return { what: 'certificate passphrase', remembered: draft.payload.rememberPassphrase };
  if (draft.kind === 'wns-credentials') return { what: 'client secret', remembered: draft.payload.rememberSecret };
  return undefined;
}

/** The app a draft targets, where its kind names one in its payload (the source of truth). */
function payloadAppId(draft: Draft): string | undefined {
  return draft.kind === 'pass-update' ? undefined : draft.payload.appId;
}

/** A new draft at revision 0 (not saved yet). */
export function newDraft(
  input: { id: string; kind: DraftKind; name?: string; profileId?: string; appId?: string },
  now: string,
): Draft {
  const base = {
    id: input.id,
    name: input.name?.trim() || defaultDraftName(input.kind, input.appId),
    createdAt: now,
    updatedAt: now,
    revision: 0,
    ...(input.profileId ? { profileId: input.profileId } : {}),
    ...(input.appId ? { appId: input.appId } : {}),
  };
  switch (input.kind) {
    case 'cert-upload':
      return { ...base, kind: 'cert-upload', payload: { appId: input.appId ?? '', rememberPassphrase: false } };
    case 'pass-update':
      return { ...base, kind: 'pass-update', payload: { images: [], passContent: {} } };
    case 'wns-credentials':
      return { ...base, kind: 'wns-credentials', payload: { appId: input.appId ?? '', packageSid: '', rememberSecret: false } };
    case 'cert-remove':
      return { ...base, kind: 'cert-remove', payload: { appId: input.appId ?? '', backup: true } };
    default:
      return assertNever(input.kind);
  }
}

/** Keep the list-level appId in step with the payload (the cert payload is the source of truth). */
export function normalizeDraft(draft: Draft): Draft {
  const fromPayload = payloadAppId(draft);
  if (fromPayload !== undefined) {
    const appId = fromPayload.trim();
    const { appId: _old, ...rest } = draft;
    return appId ? { ...rest, appId } : rest;
  }
  return draft;
}

/** Parse untrusted JSON text into a Draft; throws a readable Error on anything else. */
export function parseDraftJson(text: string): Draft {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`Not valid JSON (${(error as Error).message}).`);
  }
  const parsed = draftSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`Not a valid draft: ${first ? `${first.path.join('.') || 'draft'}: ${first.message}` : 'schema mismatch'}.`);
  }
  return parsed.data;
}

/** Every file a draft holds, with its role ('cert', 'pkPass', 'image:<n>'). */
export function draftFiles(draft: Draft): Array<{ role: string; file: DraftFile; fieldName?: string }> {
  if (draft.kind === 'cert-upload') return draft.payload.cert ? [{ role: 'cert', file: draft.payload.cert }] : [];
  if (draft.kind !== 'pass-update') return [];
  const files: Array<{ role: string; file: DraftFile; fieldName?: string }> = [];
  if (draft.payload.pkPass) files.push({ role: 'pkPass', file: draft.payload.pkPass });
  draft.payload.images.forEach((image, index) => {
    files.push({ role: `image:${index}`, file: image.file, fieldName: image.fieldName });
  });
  return files;
}

/**
 * Can this draft be sent? `hasPassphrase`: a passphrase is available without asking (remembered in the keychain,
 * or typed for this send). A missing passphrase that will simply be asked is not a problem, only `needsPassphrase`.
 */
export function draftReadiness(
  draft: Draft,
  context: { hasPassphrase: boolean; profileExists?: boolean },
): DraftReadiness {
  const problems: string[] = [];
  if (!draft.profileId) problems.push('Choose a server profile.');
  else if (context.profileExists === false) problems.push('The chosen server profile no longer exists.');
  let needsPassphrase = false;
  const secret = draftSecret(draft);
  if (secret && !context.hasPassphrase) {
    if (secret.remembered) {
      const what = secret.what === 'client secret' ? 'client secret' : 'passphrase';
      problems.push(`The remembered ${what} is not in the keychain any more: enter it again.`);
    } else {
      needsPassphrase = true;
    }
  }
  if (draft.kind === 'cert-upload') {
    if (!draft.payload.appId.trim()) problems.push('Enter the application ID.');
    if (!draft.payload.cert) problems.push('Add the .p12 or .pfx certificate.');
  } else if (draft.kind === 'wns-credentials' || draft.kind === 'cert-remove') {
    const appProblem = appIdProblem(draft.payload.appId.trim());
    if (appProblem) problems.push(appProblem);
    if (draft.kind === 'wns-credentials') {
      const sidProblem = packageSidProblem(draft.payload.packageSid);
      if (sidProblem) problems.push(sidProblem);
    }
  } else {
    if (!draft.payload.pkPass) problems.push('Add the .pkpass file.');
    const seen = new Set<string>();
    draft.payload.images.forEach((image, index) => {
      const field = passImageSchema.shape.fieldName.safeParse(image.fieldName);
      if (!field.success) problems.push(`Image ${index + 1}: ${field.error.issues[0]?.message ?? 'invalid field name'}`);
      else if (seen.has(field.data)) problems.push(`Image ${index + 1}: the field name "${field.data}" is used twice.`);
      else seen.add(field.data);
    });
    const report = checkPassContent(draft.payload.passContent);
    for (const issue of report.issues) {
      if (issue.severity === 'error') problems.push(issue.path ? `passContent ${issue.path}: ${issue.message}` : issue.message);
    }
  }
  return { ready: problems.length === 0, problems, needsPassphrase };
}

/** The list row for a draft. Readiness here ignores the keychain (the list never touches it). */
export function draftSummary(draft: Draft): DraftSummary {
  const readiness = draftReadiness(draft, { hasPassphrase: true });
  return {
    id: draft.id,
    name: draft.name,
    kind: draft.kind,
    ...(draft.kind === 'pass-update' && draft.payload.issue ? { issue: true } : {}),
    ...(draft.profileId ? { profileId: draft.profileId } : {}),
    ...(draft.appId ? { appId: draft.appId } : {}),
    createdAt: draft.createdAt,
    updatedAt: draft.updatedAt,
    revision: draft.revision,
    ready: readiness.ready,
    problems: readiness.problems.slice(0, 5),
    fileNames: draftFiles(draft).map((entry) => entry.file.name),
  };
}

export const draftSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(DRAFT_KINDS),
  issue: z.boolean().optional(),
  profileId: z.string().optional(),
  appId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  revision: z.number().int(),
  ready: z.boolean(),
  problems: z.array(z.string()),
  fileNames: z.array(z.string()),
});

/** Case-insensitive search over name, app ID, profile (id or name via `profileNames`) and file names. */
export function matchesDraftQuery(
  summary: DraftSummary,
  query: string | undefined,
  profileNames?: ReadonlyMap<string, string>,
): boolean {
  const needle = query?.trim().toLowerCase();
  if (!needle) return true;
  const haystack = [
    summary.name,
    summary.appId ?? '',
    summary.profileId ?? '',
    summary.profileId ? (profileNames?.get(summary.profileId) ?? '') : '',
    ...summary.fileNames,
  ];
  return haystack.some((text) => text.toLowerCase().includes(needle));
}

/** Newest change first, then name: the order of the drafts list. */
export function compareSummaries(a: DraftSummary, b: DraftSummary): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.name.localeCompare(b.name);
}

// ---------------------------------------------------------------------------------------------------------------
// History

// Kept in history-records.ts (no zod, for the send path): re-exported for the drafts and history code.
export { csvCell, HISTORY_CSV_COLUMNS, historyToCsv, matchesHistoryFilter, redactSecrets } from './history-records';

// ---------------------------------------------------------------------------------------------------------------
// Export bundle (one file holding a draft and its files)

export const BUNDLE_FORMAT = 'engagement-desk-draft';
export const BUNDLE_VERSION = 1;

export const bundleManifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  exportedAt: z.string().max(40),
  /** Lets the importing machine pick its own profile with the same name. */
  profileName: z.string().max(200).optional(),
  draft: z.object({ path: z.literal('draft.json'), sha256: draftFileSchema.shape.sha256, size: z.number().int().nonnegative() }),
  blobs: z
    .array(
      z.object({
        path: z.string().regex(/^blobs\/[0-9a-f]{64}$/),
        sha256: draftFileSchema.shape.sha256,
        size: z.number().int().nonnegative().max(MAX_DRAFT_FILE_BYTES),
      }),
    )
    .max(60),
});
export type BundleManifest = z.infer<typeof bundleManifestSchema>;

/** Check a parsed bundle draft against its manifest: every referenced file listed, with the same size. */
export function bundleProblems(draft: Draft, manifest: BundleManifest): string[] {
  const problems: string[] = [];
  const listed = new Map(manifest.blobs.map((blob) => [blob.sha256, blob]));
  for (const blob of manifest.blobs) {
    if (blob.path !== `blobs/${blob.sha256}`) problems.push(`Manifest entry ${blob.path} does not match its hash.`);
  }
  for (const { file } of draftFiles(draft)) {
    const blob = listed.get(file.sha256);
    if (!blob) problems.push(`The file ${file.name} is missing from the export.`);
    else if (blob.size !== file.size) problems.push(`The file ${file.name} has the wrong size in the export.`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Sends: was the request sent or not?

// Kept in send-failure.ts (no zod, for the send path).
export { classifySendFailure, type SendFailureVerdict } from './send-failure';

/** OS/undici codes raised before a connection exists (toAppError gives them the reason 'connect-failed'). */
export { NOT_SENT_NETWORK_CODES } from './errors';
