// Sends a draft through the same EngagementActions as a direct upload, from the draft's own stored copies of its
// files (so a draft sends after the originals are moved or deleted), each copy sent under its original name. The
// send is recorded by the one SendRecorder, whose line names the draft. Whether a failure is retryable or of
// unknown outcome is decided by classifySendFailure (main/core/drafts.ts).
//
// WNS credentials and an MPNS certificate removal (issue #17) go through AdminActions the same way. A removal's
// backup is taken when the removal is actually sent (now, or from the Outbox hours later), not when it was
// queued: the certificate is downloaded into the backups folder (a new file, never replacing one), and only once
// it is saved is the removal sent. A backup that fails (server down, nothing stored, disk full, cancelled) stops
// the removal, and the one history line of the removal says why; a saved backup is named in that line.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AppError, Draft, HistoryFileRecord } from '../../preload/contract';
import { assertNever } from '../core/assert-never';
import { classifySendFailure, draftFiles, draftReadiness, draftSecret } from '../core/drafts';
import { appError, EngagementError, toAppError } from '../core/errors';
import { ENDPOINT_LABELS } from '../core/server-url';
import { ADMIN_ENDPOINT_LABELS } from '../server/admin-endpoints';
import { sanitiseFileName } from '../core/content-disposition';
import type { DraftsStore } from './drafts-store';
import type { AdminActions } from '../sending/admin-actions';
import type { EngagementActions } from '../sending/engagement-actions';
import type { SendOrigin, SendStatus, SendSubject } from '../sending/send-record';
import type { SecretStore } from '../platform/keychain';
import type { SendOptions, SendOutcome, Sender } from '../outbox/outbox';
import type { ProfileService } from '../profiles/profile-service';

/** Keychain account of a draft's remembered secret: its certificate passphrase, or a WNS draft's client secret. */
export function draftPassphraseAccount(draftId: string): string {
  return `draft:${draftId}:passphrase`;
}

export interface DraftSenderDeps {
  drafts: DraftsStore;
  profiles: Pick<ProfileService, 'find'>;
  /** The sends, and their recorder (which writes every line, a refused draft's included). */
  actions: Pick<EngagementActions, 'uploadCertificate' | 'updatePass' | 'recorder'> & Partial<Pick<EngagementActions, 'downloadCertificate'>>;
  /** WNS credentials and certificate removal (issue #17); without them such drafts are refused, nothing sent. */
  admin?: Pick<AdminActions, 'setWns' | 'removeCertificate'>;
  /** Where a removal draft's backup is downloaded when the removal is sent. */
  backupDir?: string;
  secrets: Pick<SecretStore, 'get'>;
}

/** The endpoint a draft's history line names. */
export function draftEndpoint(draft: Draft): string {
  switch (draft.kind) {
    case 'cert-upload':
      return ENDPOINT_LABELS['cert-upload'];
    case 'pass-update':
      return draft.payload.issue ? ADMIN_ENDPOINT_LABELS['pass-issue'] : ENDPOINT_LABELS['pass-update'];
    case 'wns-credentials':
      return ADMIN_ENDPOINT_LABELS['wns-set'];
    case 'cert-remove':
      return ADMIN_ENDPOINT_LABELS['cert-remove'];
    default:
      return assertNever(draft);
  }
}

export function createDraftSender(deps: DraftSenderDeps): Sender {
  let cleaned = false;
  return {
    async send(draft: Draft, options: SendOptions): Promise<SendOutcome> {
      if (!cleaned) {
        cleaned = true;
        await removeStaleStaging(join(deps.drafts.root, 'sending'));
      }
      const profile = draft.profileId ? deps.profiles.find(draft.profileId) : undefined;
      let passphrase = options.passphrase;
      const secret = draftSecret(draft);
      if (secret?.remembered && passphrase === undefined) {
        passphrase = await deps.secrets.get(draftPassphraseAccount(draft.id)).catch(() => undefined);
      }
      const readiness = draftReadiness(draft, {
        hasPassphrase: passphrase !== undefined,
        profileExists: draft.profileId ? profile !== undefined : undefined,
      });
      if (secret && passphrase === undefined && readiness.problems.length === 0) {
        // Nothing was attempted, so nothing goes to the history: the user is asked and sends again.
        return {
          status: 'failed',
          error: appError('validation', `Enter the ${secret.what} to send "${draft.name}".`, { reason: 'passphrase-needed' }),
        };
      }

      const files: HistoryFileRecord[] = draftFiles(draft).map(({ role, file, fieldName }) => ({
        role: fieldName ? `image:${fieldName}` : role,
        name: file.name,
        sha256: file.sha256,
        size: file.size,
      }));
      let historyId: string | undefined;
      let settled: SendStatus | undefined;
      const origin: SendOrigin = {
        source: options.source,
        draft: { id: draft.id, name: draft.name, files, startedAt: Date.now() },
        onSettled: (status) => (settled = status),
        onRecorded: (id) => (historyId = id),
      };
      // A draft refused before its send started (not ready, a damaged stored copy) has its line all the same,
      // written by the same recorder as every send.
      const refuse = (error: unknown): Promise<unknown> => {
        const subject: SendSubject = {
          kind: draft.kind,
          profile: draft.profileId ?? '',
          endpoint: draftEndpoint(draft),
          ...(draft.appId ? { appId: draft.appId } : {}),
          files: [],
          origin,
        };
        return deps.actions.recorder.record(subject, {}, {
          check: () => Promise.reject(error),
          send: () => Promise.reject(new Error('unreachable: the check refused the send')),
        });
      };

      let bodyStarted = false;
      try {
        if (!readiness.ready || !profile) {
          throw appError('validation', `"${draft.name}" is not ready to send: ${readiness.problems.join(' ')}`);
        }
        // The stored copies are content-addressed (named by their hash): each goes out under its original name.
        const stored = async (file: { sha256: string; size: number; name: string }) => ({
          path: await deps.drafts.verifyBlob(file),
          fileName: sanitiseFileName(file.name) ?? 'file',
        });
        const transfer = {
          ...(options.signal ? { signal: options.signal } : {}),
          onProgress: (progress: Parameters<NonNullable<SendOptions['onProgress']>>[0]) => {
            if (progress.direction === 'upload' && progress.transferred > 0) bodyStarted = true;
            options.onProgress?.(progress);
          },
        };
        if (draft.kind === 'cert-upload') {
          const cert = draft.payload.cert;
          if (!cert) throw new Error('unreachable: readiness checked the certificate');
          const copy = await stored(cert);
          const result = await deps.actions.uploadCertificate(
            { profile: profile.id, appId: draft.payload.appId, certPath: copy.path, certFileName: copy.fileName, passphrase: passphrase ?? '' },
            transfer,
            origin,
          );
          return { status: 'sent', message: result.message, ...(historyId ? { historyId } : {}) };
        }
        if (draft.kind === 'wns-credentials' || draft.kind === 'cert-remove') {
          const admin = deps.admin;
          if (!admin) throw appError('validation', `"${draft.name}" cannot be sent from here: this build has no administration actions. Nothing was sent.`);
          if (draft.kind === 'wns-credentials') {
            const result = await admin.setWns(
              { profile: profile.id, appId: draft.payload.appId, packageSid: draft.payload.packageSid, clientSecret: passphrase ?? '' },
              transfer,
              origin,
            );
            return { status: 'sent', message: result.message, ...(historyId ? { historyId } : {}) };
          }
          let backupNote = '';
          if (draft.payload.backup) {
            const download = deps.actions.downloadCertificate;
            if (!download || !deps.backupDir) throw appError('validation', `"${draft.name}" asks for a backup, which cannot be taken from here. Nothing was removed.`);
            await mkdir(deps.backupDir, { recursive: true, mode: 0o700 });
            const saved = await download
              .call(deps.actions, { profile: profile.id, appId: draft.payload.appId, destination: deps.backupDir }, transfer)
              .catch((error: unknown) => {
                throw backupFailure(error);
              });
            // The removal's line names the backup it was made with.
            if (origin.draft) origin.draft.files = [{ role: 'backup', name: basename(saved.path), sha256: saved.sha256, size: saved.bytes }];
            backupNote = ` The backup is ${saved.path} (SHA-256 ${saved.sha256}).`;
          }
          const result = await admin.removeCertificate({ profile: profile.id, appId: draft.payload.appId }, transfer, origin);
          return { status: 'sent', message: `${result.message}${backupNote}`, ...(historyId ? { historyId } : {}) };
        }
        const pkPass = draft.payload.pkPass;
        if (!pkPass) throw new Error('unreachable: readiness checked the pass');
        const pkPassCopy = await stored(pkPass);
        const images = [];
        for (const image of draft.payload.images) {
          const copy = await stored(image.file);
          images.push({ fieldName: image.fieldName.trim(), path: copy.path, fileName: copy.fileName });
        }
        const result = await deps.actions.updatePass(
          { profile: profile.id, pkPassPath: pkPassCopy.path, pkPassFileName: pkPassCopy.fileName, images, passContent: draft.payload.passContent, ...(draft.payload.issue ? { issue: true } : {}) },
          transfer,
          origin,
        );
        return { status: 'sent', message: result.description.trim(), requestId: result.requestId, ...(historyId ? { historyId } : {}) };
      } catch (thrown) {
        // Sent, but its line could not be written: a sender that throws is of unknown outcome to the outbox.
        if (settled === 'sent') throw thrown;
        // Thrown before the send started: recorded here. Anything later was recorded on the road.
        if (settled === undefined) await refuse(thrown).catch(() => undefined);
        const error = toAppError(thrown);
        const verdict = classifySendFailure(error, bodyStarted);
        if (verdict === 'outcome-unknown') {
          const unknown: AppError = {
            ...error,
            retryable: false,
            message: `${error.message} The request may have reached the server, so it is not sent again automatically.`,
          };
          return { status: 'outcome-unknown', error: unknown, ...(historyId ? { historyId } : {}) };
        }
        return { status: verdict, error, ...(historyId ? { historyId } : {}) };
      }
    },
  };
}

/**
 * A removal's backup that failed: whatever happened to the download, the removal itself never went out, so it is
 * never "outcome unknown". A download cut off or timed out is not sent (tried again later); an answer that is no
 * certificate is a plain failure.
 */
function backupFailure(error: unknown): unknown {
  const failure = toAppError(error);
  if (classifySendFailure(failure, false) !== 'outcome-unknown') return error;
  const message = `${failure.message} The backup was not saved, so the certificate was not removed.`;
  if (failure.code === 'network') return new EngagementError({ ...failure, reason: 'connect-failed', message });
  if (failure.code === 'timeout') return new EngagementError({ ...failure, reason: 'connect-timeout', message });
  return new EngagementError({ ...failure, code: 'server-error', retryable: false, message });
}

/** Drafts were once sent from a staging folder of hard links (data/drafts/sending); sweep what a crash left there. */
async function removeStaleStaging(root: string): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
  const cutoff = Date.now() - 24 * 3600 * 1000;
  for (const name of names) {
    const info = await stat(join(root, name)).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) await rm(join(root, name), { recursive: true, force: true }).catch(() => undefined);
  }
}
