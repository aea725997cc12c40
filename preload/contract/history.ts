// History (issue #5): one record per send attempt, queried and exported.
import { z } from 'zod';
import type { ErrorCode } from './errors';
import { DRAFT_KINDS } from './drafts';
import { filePath } from './fields';

/**
 * What a history line records: every send is a draft's kind (the administrator's sends of issue #17, WNS
 * credentials and MPNS certificate removal, included). A new pass issued is a 'pass-update' line whose endpoint
 * is the pass import.
 */
export const HISTORY_KINDS = DRAFT_KINDS;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export const HISTORY_STATUSES = ['sent', 'failed', 'not-sent', 'outcome-unknown', 'cancelled'] as const;
export type HistoryStatus = (typeof HISTORY_STATUSES)[number];

export interface HistoryFileRecord {
  role: string;
  name: string;
  sha256: string;
  size: number;
}

/** One send attempt. Never holds a secret (the store redacts defensively anyway). */
export interface HistoryRecord {
  id: string;
  at: string;
  kind: HistoryKind;
  source: 'app' | 'cli' | 'outbox';
  profileId: string;
  profileName: string;
  /** e.g. "POST /api/v1/applications/{appId}/windows" */
  endpoint: string;
  appId?: string;
  draftId?: string;
  draftName?: string;
  files: HistoryFileRecord[];
  status: HistoryStatus;
  httpStatus?: number;
  errorCode?: ErrorCode;
  serverMessage?: string;
  requestId?: string;
  durationMs: number;
  /** A pass request's last known delivery status (issue #17), from history/pass-status.jsonl, not from this line. */
  lastStatus?: HistoryPassStatus;
}

/** What the last status read of a pass request said, counted over every channel of every pass it made. */
export interface HistoryPassStatus {
  /** When it was read (ISO). */
  at: string;
  passes: number;
  channels: number;
  /** Channels delivered or opened. */
  delivered: number;
  rejected: number;
  undelivered: number;
  /** Channels in a final state (delivered, rejected, cancelled, ...). */
  final: number;
  settled: boolean;
}

export const historyFilterSchema = z.strictObject({
  profile: z.string().max(100).optional(),
  kind: z.enum(HISTORY_KINDS).optional(),
  endpoint: z.string().max(200).optional(),
  status: z.enum(HISTORY_STATUSES).optional(),
  text: z.string().max(200).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  limit: z.number().int().positive().max(100000).optional(),
});
export type HistoryFilter = z.infer<typeof historyFilterSchema>;
export const historyExportSchema = z.strictObject({
  format: z.enum(['csv', 'json']),
  path: filePath('write'),
  filter: historyFilterSchema.optional(),
});

/**
 * What a line of history.jsonl must be to be shown (issue #18, point 8): a line another version or a hand edit
 * damaged is set aside and reported, never shown half-read. Unknown fields are dropped, so a newer version's
 * records still load.
 */
export const historyRecordSchema = z.object({
  id: z.string().min(1),
  at: z.string().min(1),
  kind: z.enum(HISTORY_KINDS),
  source: z.enum(['app', 'cli', 'outbox']),
  profileId: z.string(),
  profileName: z.string(),
  endpoint: z.string(),
  appId: z.string().optional(),
  draftId: z.string().optional(),
  draftName: z.string().optional(),
  files: z.array(z.object({ role: z.string(), name: z.string(), sha256: z.string(), size: z.number().nonnegative() })).default([]),
  status: z.enum(HISTORY_STATUSES),
  httpStatus: z.number().int().optional(),
  // A code a newer version added is not a reason to hide the send.
  errorCode: z.string().optional(),
  serverMessage: z.string().optional(),
  requestId: z.string().optional(),
  durationMs: z.number().nonnegative(),
});

/** A line of the history that is not shown: where it is and why. It stays in the file as it was. */
export interface HistoryProblem {
  /** 1-based line number in `file`. */
  line: number;
  file: string;
  /** What is wrong, in a few words ("status: 5 is not one of sent, failed, ..."). */
  reason: string;
  /** The sentence the CLI and the History page show. */
  message: string;
}

export interface HistoryQueryResult {
  records: HistoryRecord[];
  /** Matches before the limit was applied. */
  total: number;
  /** Lines that could not be read: damaged records, a torn last line after a crash (problems.length). */
  skippedLines: number;
  /** The unreadable lines, first ones first (at most MAX_LISTED_HISTORY_PROBLEMS; skippedLines counts them all). */
  problems: HistoryProblem[];
}

export { MAX_LISTED_HISTORY_PROBLEMS } from './constants';
