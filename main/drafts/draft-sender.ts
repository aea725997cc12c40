// Sends a draft through the same EngagementActions as a direct upload, from the draft's own stored copies of its
// files (so a draft sends after the originals are moved or deleted), each copy sent under its original name. The
// send is recorded by the one SendRecorder, whose line names the draft. Whether a failure is retryable or of
// unknown outcome is decided by classifySendFailure (main/core/drafts.ts).
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppError, Draft, HistoryFileRecord } from '../../preload/contract';
import { classifySendFailure, draftFiles, draftReadiness } from '../core/drafts';
import { appError, toAppError } from '../core/errors';
import { ENDPOINT_LABELS } from '../core/server-url';
import { ADMIN_ENDPOINT_LABELS } from '../server/admin-endpoints';
import { sanitiseFileName } from '../core/content-disposition';
import type { DraftsStore } from './drafts-store';
import type { EngagementActions } from '../sending/engagement-actions';
import type { SendOrigin, SendStatus, SendSubject } from '../sending/send-record';
import type { SecretStore } from '../platform/keychain';
import type { SendOptions, SendOutcome, Sender } from '../outbox/outbox';
import type { ProfileService } from '../profiles/profile-service';

/** Keychain account of a draft's remembered certificate passphrase. */
export function draftPassphraseAccount(draftId: string): string {
  return `draft:${draftId}:passphrase`;
}

export interface DraftSenderDeps {
  drafts: DraftsStore;
  profiles: Pick<ProfileService, 'find'>;
  /** The sends, and their recorder (which writes every line, a refused draft's included). */
  actions: Pick<EngagementActions, 'uploadCertificate' | 'updatePass' | 'recorder'>;
  secrets: Pick<SecretStore, 'get'>;
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
      if (draft.kind === 'cert-upload' && passphrase === undefined && draft.payload.rememberPassphrase) {
        passphrase = await deps.secrets.get(draftPassphraseAccount(draft.id)).catch(() => undefined);
      }
      const readiness = draftReadiness(draft, {
        hasPassphrase: passphrase !== undefined,
        profileExists: draft.profileId ? profile !== undefined : undefined,
      });
      if (draft.kind === 'cert-upload' && passphrase === undefined && readiness.problems.length === 0) {
        // Nothing was attempted, so nothing goes to the history: the user is asked and sends again.
        return {
          status: 'failed',
          error: appError('validation', `Enter the certificate passphrase to send "${draft.name}".`, { reason: 'passphrase-needed' }),
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
          endpoint: draft.kind === 'pass-update' && draft.payload.issue ? ADMIN_ENDPOINT_LABELS['pass-issue'] : ENDPOINT_LABELS[draft.kind],
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

/** Drafts were once sent from a staging folder of hard links (data/drafts/sending); sweep what a crash left there. */
async function removeStaleStaging(root: string): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
  const cutoff = Date.now() - 24 * 3600 * 1000;
  for (const name of names) {
    const info = await stat(join(root, name)).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) await rm(join(root, name), { recursive: true, force: true }).catch(() => undefined);
  }
}
