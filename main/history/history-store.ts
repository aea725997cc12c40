// Send history (issue #5): append-only JSON Lines at <dataDir>/history/history.jsonl, one line per send attempt.
// Appending is O(1) and a crash can at worst tear the last line, which loading skips (and the next append starts
// on a fresh line). Records are redacted defensively before they are written. Every line read is checked against
// the record schema (issue #18, point 8): a damaged line is reported with its line number and left in the file as
// it was, and the other records are shown. The file is not rewritten to move such lines out, because the app and
// the command line may be appending to it at that moment.
import { randomUUID } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryFilter, HistoryProblem, HistoryQueryResult, HistoryRecord, historyRecordSchema } from '../../preload/contract';
import { MAX_LISTED_HISTORY_PROBLEMS } from '../../preload/contract/constants';
import { historyToCsv, matchesHistoryFilter, redactSecrets } from '../core/history-records';
import { writeFileAtomic } from '../platform/atomic-file';
import { appendLinesSynced } from './append-lines';
import { PassStatusNotes } from './pass-status-notes';

/** Records written with one write and one fsync at most (bounds the size of one write). */
const GROUP_MAX_RECORDS = 256;
/** Bytes before the cached offset compared on each read, to notice a file edited in place. */
const TAIL_BYTES = 256;

export type NewHistoryRecord = Omit<HistoryRecord, 'id' | 'at'> & { id?: string; at?: string };

export class HistoryStore {
  readonly path: string;
  private cache: HistoryRecord[] = [];
  private cachedBytes = 0;
  /** Complete lines read so far (blank ones included), for the line numbers of problems. */
  private cachedLines = 0;
  private skipped = 0;
  /** The file the cache was read from and its last bytes: an edited or replaced file (the user correcting a damaged
   * line, as the problem's message suggests) is read again from the start, not from a stale offset. */
  private cachedIno = -1;
  private cachedTail = Buffer.alloc(0);
  private problems: HistoryProblem[] = [];

  /** The last known delivery status of pass requests, kept beside the history (history.jsonl keeps its format). */
  readonly passStatuses: PassStatusNotes;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'history', 'history.jsonl');
    this.passStatuses = new PassStatusNotes(dataDir);
  }

  /**
   * Append one record, fsynced before the promise resolves: a send the server accepted must not vanish from the
   * history. Appends that arrive while a write is in progress (a batch's concurrent sends, the outbox) are written
   * together as one group with one fsync (a group commit), so a batch of a thousand sends costs tens of fsyncs,
   * not a thousand, and each caller still hears back only once its own line is on disk.
   */
  async append(input: NewHistoryRecord): Promise<HistoryRecord> {
    const record = redactSecrets({ ...input, id: input.id ?? randomUUID(), at: input.at ?? new Date().toISOString() }) as HistoryRecord;
    return new Promise<HistoryRecord>((resolve, reject) => {
      this.waiting.push({ record, resolve, reject });
      if (!this.writing) void this.writeGroups();
    });
  }

  private waiting: Array<{ record: HistoryRecord; resolve: (record: HistoryRecord) => void; reject: (error: unknown) => void }> = [];
  private writing = false;

  /** Writes whatever is waiting as one group, then the group that gathered meanwhile, until none is left. */
  private async writeGroups(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, GROUP_MAX_RECORDS);
        try {
          await this.appendLines(group.map((entry) => JSON.stringify(entry.record)));
          for (const entry of group) entry.resolve(entry.record);
        } catch (error) {
          for (const entry of group) entry.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async appendLines(lines: string[]): Promise<void> {
    await appendLinesSynced(this.path, lines);
  }

  /** All readable records, oldest first; lines that are not records are counted and listed, not fatal. */
  async all(): Promise<{ records: HistoryRecord[]; skippedLines: number; problems: HistoryProblem[] }> {
    const info = await stat(this.path).catch(() => undefined);
    const size = info?.size ?? 0;
    if (size < this.cachedBytes || (info && info.ino !== this.cachedIno) || !(await this.tailUnchanged())) {
      this.cache = [];
      this.cachedBytes = 0;
      this.cachedLines = 0;
      this.skipped = 0;
      this.problems = [];
    }
    if (size > this.cachedBytes) {
      // Read only what was appended since the last look (another process, e.g. the CLI, may have appended).
      // The record schema (zod, with the rest of the contract) loads when history is read, not on every send.
      const { historyRecordSchema } = await import('../../preload/contract');
      const parseRecord = (line: string) => parseRecordWith(historyRecordSchema, line);
      const handle = await open(this.path, 'r');
      try {
        const buffer = Buffer.alloc(size - this.cachedBytes);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.cachedBytes);
        const text = buffer.subarray(0, bytesRead).toString('utf8');
        const complete = text.lastIndexOf('\n') + 1;
        for (const line of text.slice(0, complete).split('\n').slice(0, -1)) {
          this.cachedLines++;
          if (!line.trim()) continue;
          const parsed = parseRecord(line);
          if (parsed.ok) this.cache.push(parsed.record);
          else this.setAside(this.cachedLines, parsed.reason);
        }
        const completeBytes = Buffer.byteLength(text.slice(0, complete));
        this.cachedBytes += completeBytes;
        this.cachedIno = info?.ino ?? -1;
        if (completeBytes > 0) this.cachedTail = Buffer.from(buffer.subarray(Math.max(0, completeBytes - TAIL_BYTES), completeBytes));
        // An unterminated last line is either being written right now or was torn by a crash: not remembered, read
        // again next time (it may be complete by then).
        const rest = text.slice(complete);
        if (rest.trim()) {
          const parsed = parseRecord(rest);
          if (parsed.ok) return { records: [...this.cache, parsed.record], skippedLines: this.skipped, problems: [...this.problems] };
          const torn = historyProblem(this.path, this.cachedLines + 1, 'the line is cut off (the app or the command line stopped while writing it)');
          return {
            records: [...this.cache],
            skippedLines: this.skipped + 1,
            problems: this.problems.length < MAX_LISTED_HISTORY_PROBLEMS ? [...this.problems, torn] : [...this.problems],
          };
        }
      } finally {
        await handle.close();
      }
    }
    return { records: [...this.cache], skippedLines: this.skipped, problems: [...this.problems] };
  }

  /** Whether the bytes just before the cached offset are still the ones read (appends never change them). */
  private async tailUnchanged(): Promise<boolean> {
    if (this.cachedBytes === 0 || this.cachedTail.length === 0) return true;
    const handle = await open(this.path, 'r').catch(() => undefined);
    if (!handle) return false;
    try {
      const now = Buffer.alloc(this.cachedTail.length);
      const { bytesRead } = await handle.read(now, 0, now.length, this.cachedBytes - this.cachedTail.length);
      return bytesRead === now.length && now.equals(this.cachedTail);
    } finally {
      await handle.close();
    }
  }

  private setAside(line: number, reason: string): void {
    this.skipped++;
    if (this.problems.length < MAX_LISTED_HISTORY_PROBLEMS) this.problems.push(historyProblem(this.path, line, reason));
  }

  /** Newest first, filtered; `limit` caps the rows returned, `total` counts every match. */
  async query(filter: HistoryFilter = {}): Promise<HistoryQueryResult> {
    const { records, skippedLines, problems } = await this.all();
    const statuses = await this.passStatuses.latest();
    const matches = records
      .filter((record) => matchesHistoryFilter(record, filter))
      .reverse()
      .map((record) => {
        const lastStatus = record.requestId !== undefined ? statuses.get(record.requestId) : undefined;
        return lastStatus ? { ...record, lastStatus } : record;
      });
    return { records: filter.limit ? matches.slice(0, filter.limit) : matches, total: matches.length, skippedLines, problems };
  }

  /** Write the filtered history (newest first) as CSV or JSON, atomically. Returns the number of rows. */
  async export(path: string, format: 'csv' | 'json', filter: HistoryFilter = {}): Promise<number> {
    const { records } = await this.query({ ...filter, limit: undefined });
    const text = format === 'csv' ? historyToCsv(records) : `${JSON.stringify(records, null, 2)}\n`;
    await writeFileAtomic(path, text, { mode: 0o644 });
    return records.length;
  }
}

/** The sentence shown for an unreadable line: which line, why, that nothing was lost, and what the user can do. */
export function historyProblem(file: string, line: number, reason: string): HistoryProblem {
  return {
    line,
    file,
    reason,
    message:
      `Line ${line} of the send history could not be read: ${reason}. It is not shown, and it is kept as it was in ${file}; ` +
      'the other sends are shown. To see it again, correct that line in a text editor (or remove it if it is not needed).',
  };
}

type ParsedLine = { ok: true; record: HistoryRecord } | { ok: false; reason: string };

function parseRecordWith(schema: typeof historyRecordSchema, line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'it is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'it is not a send record (a JSON object)' };
  const parsed = schema.safeParse(value);
  // The record as written (its own field order, fields a newer version added), once it has the shape shown.
  if (parsed.success) {
    const record = value as HistoryRecord;
    return { ok: true, record: { ...record, files: Array.isArray(record.files) ? record.files : [] } };
  }
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  if (!issue || path === '') return { ok: false, reason: 'it is not a send record' };
  const found = issue.path.reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined), value);
  if (found === undefined) return { ok: false, reason: `its ${path} is missing` };
  return { ok: false, reason: `its ${path} is ${shortJson(found)}, ${expected(issue)}` };
}

/** What the schema wanted, in words. */
function expected(issue: { code: string; message: string; values?: readonly unknown[]; expected?: unknown }): string {
  if (issue.code === 'invalid_value' && issue.values) return `not one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_type' && typeof issue.expected === 'string') return `not ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
  return `which is not allowed (${issue.message})`;
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
