// The last known delivery status of a pass request (issue #17, "the history keeps the last known status"). Each
// status read (the app's Delivery status, the Pass status page, the CLI's `pass status`) appends one short line to
// <dataDir>/history/pass-status.jsonl; the newest line of a requestId is shown with the history records that carry
// that requestId. history.jsonl itself is never rewritten nor given new lines, so older versions read it as before.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryPassStatus, PassRequestStatus } from '../../preload/contract';
import { FINAL_CHANNEL_STATUSES } from '../../preload/contract/constants';
import { appendLinesSynced } from './append-lines';

/** Counts over every channel of every pass the request made. */
export function summarizePassStatus(status: PassRequestStatus, at: string = new Date().toISOString()): HistoryPassStatus {
  const channels = status.passes.flatMap((pass) => pass.channels);
  const count = (words: readonly string[]) => channels.filter((c) => words.includes(c.status.toLowerCase())).length;
  return {
    at,
    passes: status.total,
    channels: channels.length,
    delivered: count(['delivered', 'opened']),
    rejected: count(['rejected']),
    undelivered: count(['undelivered']),
    final: channels.filter((c) => c.final || FINAL_CHANNEL_STATUSES.includes(c.status.toLowerCase())).length,
    settled: status.settled,
  };
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** A line of the notes file as a status, or undefined for anything else (a torn or edited line is skipped). */
function parseNote(line: string): { requestId: string; status: HistoryPassStatus } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const counts = [v.passes, v.channels, v.delivered, v.rejected, v.undelivered, v.final];
  if (typeof v.requestId !== 'string' || typeof v.at !== 'string' || !counts.every(isCount) || typeof v.settled !== 'boolean') return undefined;
  return {
    requestId: v.requestId,
    status: {
      at: v.at,
      passes: v.passes as number,
      channels: v.channels as number,
      delivered: v.delivered as number,
      rejected: v.rejected as number,
      undelivered: v.undelivered as number,
      final: v.final as number,
      settled: v.settled,
    },
  };
}

export class PassStatusNotes {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'history', 'pass-status.jsonl');
  }

  /** Append what a status read said, fsynced; returns the summary recorded. */
  async record(status: PassRequestStatus, at?: string): Promise<HistoryPassStatus> {
    const summary = summarizePassStatus(status, at);
    await appendLinesSynced(this.path, [JSON.stringify({ requestId: status.requestId, ...summary })]);
    return summary;
  }

  /** The newest status of each requestId (by read time, so two writers appending out of order still agree). */
  async latest(): Promise<Map<string, HistoryPassStatus>> {
    const text = await readFile(this.path, 'utf8').catch(() => '');
    const latest = new Map<string, HistoryPassStatus>();
    for (const line of text.split('\n')) {
      const note = line.trim() ? parseNote(line) : undefined;
      if (!note) continue;
      const known = latest.get(note.requestId);
      if (!known || known.at <= note.status.at) latest.set(note.requestId, note.status);
    }
    return latest;
  }
}
