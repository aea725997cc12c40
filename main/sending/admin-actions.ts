// The administrator's jobs of issue #17 as the app and the CLI start them. Reads (apps, expiry, pass status) go
// straight through the profile's client; sends (WNS credentials, MPNS certificate removal) take the road of every
// send: local checks first, then one history line written by the SendRecorder. Issuing a new pass is
// EngagementActions.updatePass with `issue`, so it shares the pass update's checks, batch and history.
import type { AdminMessage, AppList, AppSummary, CertificateExpiry, PassRequestStatus } from '../../preload/contract';
import { clientSecretProblem, packageSidProblem, requestIdProblem } from '../core/admin-answers';
import { fail } from '../core/errors';
import { appIdProblem } from '../core/server-url';
import {
  ADMIN_ENDPOINT_LABELS,
  appDetails,
  certificateExpiry,
  listAllApps,
  passRequestStatus,
  removeMpnsCertificate,
  setWnsCredentials,
  testWnsCredentials,
} from '../server/admin-endpoints';
import type { TransferOptions } from '../server/engagement-client';
import type { ProfileService } from '../profiles/profile-service';
import type { SendOrigin, SendRecorder } from './send-record';

export interface WnsSetInput {
  profile: string;
  appId: string;
  packageSid: string;
  clientSecret: string;
}

export interface CertRemoveInput {
  profile: string;
  appId: string;
}

function checkedAppId(appId: string): string {
  const trimmed = appId.trim();
  const problem = appIdProblem(trimmed);
  if (problem) fail('validation', `${problem} Nothing was sent.`);
  return trimmed;
}

export class AdminActions {
  constructor(
    private readonly profiles: ProfileService,
    private readonly recorder: SendRecorder,
  ) {}

  async listApps(profile: string, transfer: TransferOptions = {}): Promise<AppList> {
    return listAllApps(await this.profiles.clientFor(profile), transfer);
  }

  async appDetails(profile: string, appId: string, transfer: TransferOptions = {}): Promise<AppSummary> {
    const id = checkedAppId(appId);
    return appDetails(await this.profiles.clientFor(profile), id, transfer);
  }

  async certificateExpiry(profile: string, appId?: string, transfer: TransferOptions = {}): Promise<CertificateExpiry[]> {
    const id = appId === undefined ? undefined : checkedAppId(appId);
    return certificateExpiry(await this.profiles.clientFor(profile), id, transfer);
  }

  async testWns(profile: string, appId: string, transfer: TransferOptions = {}): Promise<AdminMessage> {
    const id = checkedAppId(appId);
    return testWnsCredentials(await this.profiles.clientFor(profile), id, transfer);
  }

  async passStatus(profile: string, requestId: string, transfer: TransferOptions = {}): Promise<PassRequestStatus> {
    const problem = requestIdProblem(requestId);
    if (problem) fail('validation', problem);
    return passRequestStatus(await this.profiles.clientFor(profile), requestId.trim(), transfer);
  }

  /** The secret goes to the server only: the history line has the endpoint, the app and the server's words. */
  async setWns(input: WnsSetInput, transfer: TransferOptions = {}, origin?: SendOrigin): Promise<AdminMessage> {
    const appId = input.appId.trim();
    return this.recorder.record(
      {
        kind: 'wns-credentials',
        profile: input.profile,
        endpoint: ADMIN_ENDPOINT_LABELS['wns-set'],
        appId,
        files: [],
        secrets: input.clientSecret ? [input.clientSecret] : [],
        ...(origin ? { origin } : {}),
      },
      transfer,
      {
        check: async () => {
          checkedAppId(input.appId);
          const problem = packageSidProblem(input.packageSid) ?? clientSecretProblem(input.clientSecret);
          if (problem) fail('validation', `${problem} Nothing was sent.`);
        },
        send: async (t) => {
          const client = await this.profiles.clientFor(input.profile);
          const result = await setWnsCredentials(client, appId, { packageSid: input.packageSid.trim(), clientSecret: input.clientSecret }, t);
          return { result, message: result.message };
        },
      },
    );
  }

  async removeCertificate(input: CertRemoveInput, transfer: TransferOptions = {}, origin?: SendOrigin): Promise<AdminMessage> {
    const appId = input.appId.trim();
    return this.recorder.record(
      { kind: 'cert-remove', profile: input.profile, endpoint: ADMIN_ENDPOINT_LABELS['cert-remove'], appId, files: [], ...(origin ? { origin } : {}) },
      transfer,
      {
        check: async () => {
          checkedAppId(input.appId);
        },
        send: async (t) => {
          const result = await removeMpnsCertificate(await this.profiles.clientFor(input.profile), appId, t);
          return { result, message: result.message };
        },
      },
    );
  }
}
