// History (issue #5): one record per send attempt, queried and exported.
import { z } from 'zod';
import type { ErrorCode } from './errors';
import { DRAFT_KINDS, type DraftKind } from './drafts';
import { filePath } from './fields';

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
  kind: DraftKind;
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
}

export const historyFilterSchema = z.strictObject({
  profile: z.string().max(100).optional(),
  kind: z.enum(DRAFT_KINDS).optional(),
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

export interface HistoryQueryResult {
  records: HistoryRecord[];
  /** Matches before the limit was applied. */
  total: number;
  /** Lines that could not be read (a torn last line after a crash). */
  skippedLines: number;
}
