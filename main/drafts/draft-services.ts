// Builds the drafts store, history, sender and outbox over one data folder, for the app (main/index.ts) and the
// CLI alike, so both read and write exactly the same files. Also the one "send a draft" rule both use.
import { join } from 'node:path';
import type { Draft, DraftSendResult, OutboxView } from '../../preload/contract';
import { EngagementError } from '../core/errors';
import { createDraftSender, draftPassphraseAccount, type DraftSenderDeps } from './draft-sender';
import { DraftsStore } from './drafts-store';
import type { HistoryStore } from '../history/history-store';
import type { SecretStore } from '../platform/keychain';
import { createTcpProbe, OutboxService, type SendOptions, type Sender } from '../outbox/outbox';
import type { ProfileService } from '../profiles/profile-service';

export interface DraftServices {
  drafts: DraftsStore;
  history: HistoryStore;
  outbox: OutboxService;
  sender: Sender;
  /** Stops the automatic outbox loop (the app calls this on quit). */
  close(): Promise<void>;
}

export interface DraftServicesDeps {
  dataDir: string;
  /** The history the actions' recorder writes to, read back by the History view and the CLI. */
  history: HistoryStore;
  profiles: Pick<ProfileService, 'find'>;
  actions: DraftSenderDeps['actions'];
  /** WNS credentials and certificate removal drafts (issue #17); their backups go to <dataDir>/backups. */
  admin?: DraftSenderDeps['admin'];
  /** Remembered draft secrets: read to send, deleted once their draft is purged from the trash. */
  secrets: Pick<SecretStore, 'get' | 'delete'>;
  onOutboxChange?: (view: OutboxView) => void;
  /** Retry timing of the automatic outbox (tests shorten it). */
  outboxTiming?: { initialDelayMs?: number; maxDelayMs?: number; idleRescanMs?: number };
}

export async function openDraftServices(deps: DraftServicesDeps): Promise<DraftServices> {
  const drafts = await DraftsStore.open({ dataDir: deps.dataDir, purgeTrashAtOpen: false });
  const { history } = deps;
  const sender = createDraftSender({
    drafts,
    profiles: deps.profiles,
    actions: deps.actions,
    ...(deps.admin ? { admin: deps.admin } : {}),
    backupDir: join(deps.dataDir, 'backups'),
    secrets: deps.secrets,
  });
  const outbox = await OutboxService.open({
    dataDir: deps.dataDir,
    sender,
    probe: createTcpProbe((id) => deps.profiles.find(id)),
    ...(deps.outboxTiming ?? {}),
    ...(deps.onOutboxChange ? { onChange: deps.onOutboxChange } : {}),
  });
  // A deleted draft keeps its remembered secret while it can be restored; when it is purged for good, the secret
  // goes with it. While an outbox entry holds a copy of the draft (and may need the secret to send), the draft
  // stays in the trash, and goes at the first purge after the entry is sent or discarded.
  await drafts.purgeTrash(async (id) => {
    if (outbox.holdsDraft(id)) return false;
    await deps.secrets.delete(draftPassphraseAccount(id));
    return true;
  });
  return { drafts, history, outbox, sender, close: () => outbox.stop() };
}

/**
 * Send a draft now. Sent: done. Server unreachable (nothing left this machine): the draft goes to the outbox and
 * is sent when the server is back. Outcome unknown: it goes to the outbox marked so, for the user to decide.
 * Anything else (the server said no, a local problem) is thrown as the AppError it is.
 */
export async function sendDraftOrQueue(
  services: Pick<DraftServices, 'sender' | 'outbox'>,
  draft: Draft,
  options: SendOptions,
): Promise<DraftSendResult> {
  const outcome = await services.sender.send(draft, options);
  switch (outcome.status) {
    case 'sent':
      return {
        status: 'sent',
        message: outcome.message,
        ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
        ...(outcome.historyId ? { historyId: outcome.historyId } : {}),
      };
    case 'not-sent': {
      const entry = await services.outbox.enqueue(draft, {
        ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
        lastError: outcome.error,
        ...(outcome.historyId ? { historyId: outcome.historyId } : {}),
      });
      return {
        status: 'queued',
        outboxId: entry.id,
        ...(outcome.historyId ? { historyId: outcome.historyId } : {}),
        message: `The server could not be reached (${outcome.error.message}) "${draft.name}" is in the Outbox and will be sent when the server is back.`,
      };
    }
    case 'outcome-unknown': {
      const entry = await services.outbox.enqueue(draft, {
        state: 'outcome-unknown',
        lastError: outcome.error,
        ...(outcome.historyId ? { historyId: outcome.historyId } : {}),
      });
      return {
        status: 'outcome-unknown',
        outboxId: entry.id,
        ...(outcome.historyId ? { historyId: outcome.historyId } : {}),
        message: `${outcome.error.message} Check on the server; the Outbox can send it again if it did not arrive.`,
      };
    }
    case 'failed':
      throw new EngagementError(outcome.error);
  }
}
