// WNS credentials and MPNS certificate removal sent from the app (issue #17, bullet 7): the road of every send.
// Checks first (AdminActions), progress and cancel under an operation id, one history line per attempt (the
// SendRecorder), and, when the server cannot be reached and nothing left this machine, the Outbox: the send
// becomes a draft of its kind and waits there, sent when the server is back.
//
// The client secret of a queued WNS send is never written: the Outbox holds it in this process's memory (as a
// typed certificate passphrase), and after a restart the entry waits until it is typed again. A queued removal
// does not reuse the file the user picked with Save As: its backup is taken when the removal is actually sent,
// into <dataDir>/backups (main/drafts/draft-sender.ts), and a backup that fails stops the removal.
import type { AppError, CertRemoveResult, Draft, WnsSetResult } from '../../preload/contract';
import { classifySendFailure } from '../core/send-failure';
import { toAppError } from '../core/errors';
import type { EventSink, HandlerRegistry } from '../ipc/registry';
import type { OperationRegistry } from '../platform/operations';
import type { TransferOptions } from '../server/engagement-client';
import type { AdminActions } from '../sending/admin-actions';
import type { EngagementActions } from '../sending/engagement-actions';
import type { DraftServices } from './draft-services';

export interface AdminSendIpcDeps {
  services: Pick<DraftServices, 'drafts' | 'outbox'>;
  admin: Pick<AdminActions, 'setWns' | 'removeCertificate'>;
  actions: Pick<EngagementActions, 'downloadCertificate'>;
  operations: OperationRegistry;
  events: EventSink;
}

/** A send that can go to the Outbox: the transfer it runs with, and whether its body started (then it may have
 * arrived, and it is never queued to go again by itself). */
interface Attempt {
  transfer: TransferOptions;
  bodyStarted(): boolean;
}

export function registerAdminSendIpc(registry: HandlerRegistry, deps: AdminSendIpcDeps): void {
  const { services, admin, actions, operations, events } = deps;

  const attempt = async <T>(operationId: string | undefined, work: (a: Attempt) => Promise<T>): Promise<T> => {
    let started = false;
    const make = (signal?: AbortSignal): Attempt => ({
      transfer: {
        ...(signal ? { signal } : {}),
        onProgress: (progress) => {
          if (progress.direction === 'upload' && progress.transferred > 0) started = true;
          if (operationId) events('progress', { operationId, ...progress });
        },
      },
      bodyStarted: () => started,
    });
    return operationId ? operations.run(operationId, (signal) => work(make(signal))) : work(make());
  };

  /** The error when the server could not be reached and nothing left this machine; else undefined. */
  const unreachable = (error: unknown, bodyStarted: boolean): AppError | undefined => {
    const appErr = toAppError(error);
    return classifySendFailure(appErr, bodyStarted) === 'not-sent' ? appErr : undefined;
  };

  /** The send as a draft of its kind, in the Outbox. */
  const queue = async (
    make: (draft: Draft) => Draft,
    input: { kind: 'wns-credentials' | 'cert-remove'; profileId: string; appId: string },
    lastError: AppError,
    secret?: string,
  ) => {
    const created = await services.drafts.create({ kind: input.kind, profileId: input.profileId, appId: input.appId.trim() });
    const draft = await services.drafts.save(make(created));
    const entry = await services.outbox.enqueue(draft, { lastError, ...(secret !== undefined ? { passphrase: secret } : {}) });
    return { outboxId: entry.id, draftId: draft.id, name: draft.name };
  };

  registry.handle('wnsSet', (request) =>
    attempt(request.operationId, async ({ transfer, bodyStarted }): Promise<WnsSetResult> => {
      const input = { profile: request.profileId, appId: request.appId, packageSid: request.packageSid, clientSecret: request.clientSecret };
      try {
        return await admin.setWns(input, transfer);
      } catch (error) {
        const offline = unreachable(error, bodyStarted());
        if (!offline) throw error;
        const queued = await queue(
          (draft) => (draft.kind === 'wns-credentials' ? { ...draft, payload: { ...draft.payload, packageSid: request.packageSid.trim() } } : draft),
          { kind: 'wns-credentials', profileId: request.profileId, appId: request.appId },
          offline,
          request.clientSecret,
        );
        return {
          id: '',
          message:
            `The server could not be reached (${offline.message}) "${queued.name}" is in the Outbox and will be sent when the server is back. ` +
            'The client secret is kept in memory only: if Engagement Desk is closed first, the Outbox asks for it again.',
          queued: { outboxId: queued.outboxId, draftId: queued.draftId },
        };
      }
    }),
  );

  registry.handle('certRemove', (request) =>
    attempt(request.operationId, async ({ transfer, bodyStarted }): Promise<CertRemoveResult> => {
      let backup: { path: string; sha256: string } | undefined;
      try {
        // The backup first, to the file Save As granted; if it fails, nothing is removed.
        if (request.backupPath !== undefined) {
          const saved = await actions.downloadCertificate({ profile: request.profileId, appId: request.appId, destination: request.backupPath }, transfer);
          backup = { path: saved.path, sha256: saved.sha256 };
        }
        const result = await admin.removeCertificate({ profile: request.profileId, appId: request.appId }, transfer);
        return { message: result.message, ...(backup ? { backup } : {}) };
      } catch (error) {
        const offline = unreachable(error, bodyStarted());
        if (!offline) throw error;
        const withBackup = request.backupPath !== undefined;
        const queued = await queue(
          (draft) => (draft.kind === 'cert-remove' ? { ...draft, payload: { ...draft.payload, backup: withBackup } } : draft),
          { kind: 'cert-remove', profileId: request.profileId, appId: request.appId },
          offline,
        );
        return {
          message:
            `The server could not be reached (${offline.message}) "${queued.name}" is in the Outbox and will be sent when the server is back.` +
            (withBackup
              ? ' Before the removal is sent, the certificate is backed up into the backups folder of Engagement Desk\'s data (not to the file chosen now); if that backup fails, nothing is removed.'
              : ''),
          ...(backup ? { backup } : {}),
          queued: { outboxId: queued.outboxId, draftId: queued.draftId },
        };
      }
    }),
  );
}
