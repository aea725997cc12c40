// The outbox (issue #5): drafts queued to be sent when the server can be reached.
import { z } from 'zod';
import type { AppError } from './errors';
import type { DraftKind } from './drafts';

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'outcome-unknown', 'paused'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxEntry {
  id: string;
  draftId: string;
  draftName: string;
  kind: DraftKind;
  /** A pass draft queued to issue a new pass rather than update scheduled ones. */
  issue?: boolean;
  profileId: string;
  state: OutboxState;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  lastError?: AppError;
  /** Why a queued entry is not sent automatically, e.g. a passphrase that must be typed. */
  blockedReason?: 'passphrase-needed';
  historyId?: string;
  requestId?: string;
  message?: string;
}

export interface OutboxView {
  entries: OutboxEntry[];
  paused: boolean;
}

export interface OutboxFlushResult {
  sent: number;
  failed: number;
  outcomeUnknown: number;
  stillQueued: number;
}

export const outboxIdSchema = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
/** Without an id: pause/resume all automatic sending; with one: that entry only. */
export const outboxPauseSchema = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional() });
export const outboxSendNowSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  passphrase: z.string().max(1024).optional(),
  /** Resending an "outcome unknown" entry needs the user's explicit say-so. */
  confirmResend: z.boolean().optional(),
});
