// Builds the main-side services over one data folder: the send services (send-services.ts: profiles, settings +
// keychain + Sandbox, and the send actions, whose SendRecorder writes the history line of every send, a draft's
// included), then the administrator's actions, the drafts, outbox and history on top. The Electron app, the CLI and
// the browser tests all call this, so each runs the same stack over the same files.
import type { OutboxView } from '../preload/contract';
import { openDraftServices, type DraftServices } from './drafts/draft-services';
import type { EngagementActions } from './sending/engagement-actions';
import { AdminActions } from './sending/admin-actions';
import type { SecretStore } from './platform/keychain';
import type { ProfileService } from './profiles/profile-service';
import type { KeyValueStore, SettingsProblem } from './platform/settings-store';
import { openSendServices, type SendServicesOptions } from './send-services';

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

export interface AppServicesOptions extends SendServicesOptions {
  onOutboxChange?: (view: OutboxView) => void;
}

export { buildSendActions } from './send-services';

export async function openAppServices(options: AppServicesOptions): Promise<AppServices> {
  const send = await openSendServices(options);
  const { dataDir, secrets, profiles, history, actions } = send;
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
    ...send,
    admin,
    drafts,
    async close() {
      await drafts.close();
      await send.close();
    },
  };
}
