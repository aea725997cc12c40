// The seam between the outbox and whatever sends a draft (main/drafts/draft-sender.ts): the outbox decides what
// happens to an entry from the outcome alone.
import type { AppError, Draft } from '../../preload/contract';
import type { TransferProgressUpdate } from '../server/engagement-client';

export type SendOutcome =
  | { status: 'sent'; message: string; requestId?: string; historyId?: string }
  /** The request never left: safe to retry. */
  | { status: 'not-sent'; error: AppError; historyId?: string }
  /** The server answered no, or a local problem; `error.reason === 'passphrase-needed'` when one must be typed. */
  | { status: 'failed'; error: AppError; historyId?: string }
  | { status: 'outcome-unknown'; error: AppError; historyId?: string };

export interface SendOptions {
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgressUpdate) => void;
  /** Typed for this send; otherwise the sender looks in the keychain. */
  passphrase?: string;
  source: 'app' | 'cli' | 'outbox';
}

export interface Sender {
  send(draft: Draft, options: SendOptions): Promise<SendOutcome>;
}

/** How one attempt at an outbox entry ended: the sender's outcome, or not tried ('busy': another process holds it). */
export type SendAttemptResult = SendOutcome['status'] | 'busy' | 'skipped';
