// The administrator's jobs beyond the three sends (issue #17): the server's applications and their Windows push
// state, certificate expiry, WNS credentials, MPNS certificate removal, and the status of a queued pass request.
// Every text here came from the server: bounded by main/core/admin-answers.ts, shown inert by whoever prints it.
import { z } from 'zod';
import { filePath, operationIdSchema, profileIdField } from './fields';
import { MAX_SECRET_LENGTH } from './constants';

const appIdField = z.string().trim().min(1, 'Enter the application ID.').max(200, 'The application ID is too long.');

export const appsListSchema = z.strictObject({ profileId: profileIdField });
export const certsExpirySchema = z.strictObject({ profileId: profileIdField, appId: appIdField.optional() });
export const wnsSetSchema = z.strictObject({
  profileId: profileIdField,
  appId: appIdField,
  packageSid: z.string().max(200),
  clientSecret: z.string().max(MAX_SECRET_LENGTH, 'The client secret is too long: paste only the secret.'),
  /** Progress events carry it, and operationCancel stops the send (issue #17, bullet 7). */
  operationId: operationIdSchema.optional(),
});
export const wnsTestSchema = z.strictObject({ profileId: profileIdField, appId: appIdField });
export const appDetailsSchema = z.strictObject({ profileId: profileIdField, appId: appIdField });
/** `backupPath`: where Save As put the backup download, made before the removal; absent to remove without one. */
export const certRemoveSchema = z.strictObject({
  profileId: profileIdField,
  appId: appIdField,
  backupPath: filePath('write').optional(),
  /** Progress (the backup's download) and cancel, as for wnsSet. */
  operationId: operationIdSchema.optional(),
});
export const passStatusSchema = z.strictObject({ profileId: profileIdField, requestId: z.string().max(40) });

/** A list read from the server, or (offline) the last one read, with when it was read. */
export interface ServerReading<T> {
  value: T;
  /** ISO time the server answered this. */
  readAt: string;
  /** The server could not be reached: this is the copy kept from readAt. */
  offline?: { message: string };
}

/** The server could not be reached, nothing left this machine: the send is a draft in the Outbox now. */
export interface AdminSendQueued {
  outboxId: string;
  draftId: string;
}

export interface CertRemoveResult {
  message: string;
  backup?: { path: string; sha256: string };
  queued?: AdminSendQueued;
}

/** The answer of wnsSet: the server's, or (server unreachable) the Outbox entry it waits in. */
export interface WnsSetResult {
  id: string;
  message: string;
  queued?: AdminSendQueued;
}

/** One application as the list and the details show it. */
export interface AppSummary {
  id: string;
  name: string;
  /** The server's own date text (e.g. `06/15/2016 02:55:46 PM IST`), not parsed. */
  createdDate?: string;
  /** The MPNS certificate the server stores (MPNS itself is retired). */
  mpns: { stored: boolean; expiry?: string };
  /** WNS credentials: the Package SID when set (the secret is never read back). */
  wns: { set: boolean; packageSid?: string };
}

export interface AppList {
  total: number;
  apps: AppSummary[];
}

/** One certificate of the expiry list: an app's (per platform) or a pass-signing one. */
export interface CertificateExpiry {
  kind: 'app' | 'pass';
  appId?: string;
  platform?: string;
  certificateType?: string;
  passTypeIdentifier?: string;
  /** The server's date text (e.g. `07 Jan, 2018 11.41:02 AM IST`). */
  expiryDate: string;
  /** When the server's text could be read: the instant (ISO), for showing in the user's locale. */
  expiresAt?: string;
  daysLeft: number;
}

export { CHANNEL_STATUSES, FINAL_CHANNEL_STATUSES, PASS_CHANNELS } from './constants';

export interface PassChannelStatus {
  channel: string;
  passStatus: string;
  status: string;
  /** No further change is expected (or the value is unknown, so waiting would not tell more). */
  final: boolean;
  /** The channel or status is not one the docs list: shown, flagged, never guessed at. */
  unknown?: string;
}

export interface PassStatusEntry {
  /** A 64-bit id as exact decimal digits. */
  id: string;
  serialNumber?: string;
  channels: PassChannelStatus[];
}

export interface PassRequestStatus {
  requestId: string;
  /** How many passes the request made, as the server counts them. */
  total: number;
  passes: PassStatusEntry[];
  /** Every channel of every pass is final. */
  settled: boolean;
}

/** `{id, message}`: the answer of WNS set and test, and of a certificate removal. */
export interface AdminMessage {
  id: string;
  message: string;
}
