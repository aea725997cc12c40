// Builds the main-side services over one data folder: profiles (settings + keychain + Sandbox), the send actions
// (one EngagementActions, whose SendRecorder writes the history line of every send, a draft's included), and the
// drafts, outbox and history. The Electron app, the CLI and the browser tests all call this, so each runs the same
// stack over the same files.
import { join } from 'node:path';
import type { HistoryRecord, OutboxView } from '../preload/contract';
import { openDraftServices, type DraftServices } from './drafts/draft-services';
import { EngagementActions } from './sending/engagement-actions';
import { AdminActions } from './sending/admin-actions';
import { SendRecorder, type HistoryWriter } from './sending/send-record';
import { HistoryStore } from './history/history-store';
import type { ClientOptions } from './server/engagement-client';
import type { SecretStore } from './platform/keychain';
import { DownloadJournal } from './platform/atomic-file';
import { ProfileService } from './profiles/profile-service';
import { createSandbox } from './profiles/sandbox';
import type { KeyValueStore, SettingsProblem } from './platform/settings-store';

export interface AppServices {
  dataDir: string;
  store: KeyValueStore;
  secrets: SecretStore;
  profiles: ProfileService;
  /** Every send (direct, batch, draft, outbox), recorded in the history by its one recorder. */
  actions: EngagementActions;
  /** The administrator's jobs (issue #17): apps, expiry, WNS, certificate removal, pass status. */
  admin: AdminActions;
  drafts: DraftServices;
  /** A damaged settings file found at start-up and set aside (shown to the user like a quarantined draft). */
  settingsProblems: readonly SettingsProblem[];
  close(): Promise<void>;
}

export interface AppServicesOptions {
  dataDir: string;
  store: KeyValueStore;
  secrets: SecretStore;
  source: HistoryRecord['source'];
  /** The built-in Sandbox profile (default on). */
  sandbox?: boolean;
  clientOptions?: ClientOptions;
  onOutboxChange?: (view: OutboxView) => void;
  /** Cuts a secret given for this run (the CLI's ENGAGEMENT_DESK_SECRET) out of every history line. */
  redactHistory?: <T>(record: T) => T;
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

export async function openAppServices(options: AppServicesOptions): Promise<AppServices> {
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
  const admin = new AdminActions(profiles, actions.recorder);
  const drafts = await openDraftServices({
    dataDir,
    history,
    profiles,
    actions,
    admin,
    secrets,
    ...(options.onOutboxChange ? { onOutboxChange: options.onOutboxChange } : {}),
  });
  profiles.onRemoved((profileId) => drafts.outbox.forgetPassphrases(profileId));
  return {
    dataDir,
    store,
    secrets,
    profiles,
    actions,
    admin,
    drafts,
    settingsProblems: store.problems ?? [],
    async close() {
      await drafts.close();
      await profiles.close();
    },
  };
}
