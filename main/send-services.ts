// The part of the services a send needs: the profiles (settings + keychain + Sandbox) and the send actions, whose
// recorder writes each send's history line. openAppServices (services.ts) builds everything else on top of it; the
// CLI's transfer commands (cert upload/download, pass update/issue) open only this, so a one-shot send does not
// open the drafts store and the outbox or load the modules and schemas behind them.
import { join } from 'node:path';
import type { HistoryRecord } from '../preload/contract';
import { EngagementActions } from './sending/engagement-actions';
import { SendRecorder, type HistoryWriter } from './sending/send-record';
import { HistoryStore } from './history/history-store';
import type { ClientOptions } from './server/engagement-client';
import type { SecretStore } from './platform/keychain';
import { DownloadJournal } from './platform/atomic-file';
import { ProfileService } from './profiles/profile-service';
import { createSandbox } from './profiles/sandbox';
import type { KeyValueStore, SettingsProblem } from './platform/settings-store';

export interface SendServicesOptions {
  dataDir: string;
  store: KeyValueStore;
  secrets: SecretStore;
  source: HistoryRecord['source'];
  /** The built-in Sandbox profile (default on). */
  sandbox?: boolean;
  clientOptions?: ClientOptions;
  /** Cuts a secret given for this run (the CLI's ENGAGEMENT_DESK_SECRET) out of every history line. */
  redactHistory?: <T>(record: T) => T;
}

export interface OpenedSendServices {
  dataDir: string;
  store: KeyValueStore;
  secrets: SecretStore;
  profiles: ProfileService;
  /** Every send, recorded in the history by its one recorder. */
  actions: EngagementActions;
  history: HistoryStore;
  /** A damaged settings file found at start-up and set aside (shown to the user like a quarantined draft). */
  settingsProblems: readonly SettingsProblem[];
  close(): Promise<void>;
}

/** The one place send actions and their recorder are built: the app's and the CLI's services, and the CLI's
 * profile from the environment (which has no data folder of its own to open). */
export function buildSendActions(
  profiles: ProfileService,
  history: HistoryWriter,
  source: HistoryRecord['source'],
  redact?: <R>(record: R) => R,
): EngagementActions {
  return new EngagementActions(profiles, new SendRecorder({ history, profiles, source, ...(redact ? { redact } : {}) }));
}

export async function openSendServices(options: SendServicesOptions): Promise<OpenedSendServices> {
  const { dataDir, store, secrets } = options;
  // Downloads note their folder here while they run; a start sweeps the temps that killed processes left there.
  const downloadJournal = new DownloadJournal(join(dataDir, 'downloads-in-progress'));
  await downloadJournal.sweep();
  const profiles = new ProfileService({
    store,
    secrets,
    ...(options.sandbox === false ? {} : { sandbox: createSandbox(dataDir) }),
    clientOptions: { ...options.clientOptions, downloadJournal },
  });
  const history = new HistoryStore(dataDir);
  const actions = buildSendActions(profiles, history, options.source, options.redactHistory);
  return {
    dataDir,
    store,
    secrets,
    profiles,
    actions,
    history,
    settingsProblems: store.problems ?? [],
    close: () => profiles.close(),
  };
}
