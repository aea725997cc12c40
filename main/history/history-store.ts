// Send history (issue #5): append-only JSON Lines at <dataDir>/history/history.jsonl, one line per send attempt.
// Appending is O(1) and a crash can at worst tear the last line, which loading skips (and the next append starts
// on a fresh line). Records are redacted defensively before they are written.
import { randomUUID } from 'node:crypto';
import { mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryFilter, HistoryQueryResult, HistoryRecord } from '../../preload/contract';
import { historyToCsv, matchesHistoryFilter, redactSecrets } from '../core/drafts';
import { writeFileAtomic } from '../platform/atomic-file';

/** Records written with one write and one fsync at most (bounds the size of one write). */
const GROUP_MAX_RECORDS = 256;

export type NewHistoryRecord = Omit<HistoryRecord, 'id' | 'at'> & { id?: string; at?: string };

export class HistoryStore {
  readonly path: string;
  private cache: HistoryRecord[] = [];
  private cachedBytes = 0;
  private skipped = 0;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'history', 'history.jsonl');
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
    await mkdir(join(this.path, '..'), { recursive: true });
    const handle = await open(this.path, 'a+', 0o600);
    try {
      const { size } = await handle.stat();
      let prefix = '';
      if (size > 0) {
        // A torn last line (crash mid-append) must not swallow these records: start on a new line.
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
      await handle.write(`${prefix}${lines.join('\n')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** All readable records, oldest first; lines that do not parse are counted, not fatal. */
  async all(): Promise<{ records: HistoryRecord[]; skippedLines: number }> {
    const info = await stat(this.path).catch(() => undefined);
    const size = info?.size ?? 0;
    if (size < this.cachedBytes) {
      this.cache = [];
      this.cachedBytes = 0;
      this.skipped = 0;
    }
    if (size > this.cachedBytes) {
      // Read only what was appended since the last look (another process, e.g. the CLI, may have appended).
      const handle = await open(this.path, 'r');
      try {
        const buffer = Buffer.alloc(size - this.cachedBytes);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.cachedBytes);
        const text = buffer.subarray(0, bytesRead).toString('utf8');
        const complete = text.lastIndexOf('\n') + 1;
        for (const line of text.slice(0, complete).split('\n')) {
          if (!line.trim()) continue;
          const record = parseRecord(line);
          if (record) this.cache.push(record);
          else this.skipped++;
        }
        this.cachedBytes += Buffer.byteLength(text.slice(0, complete));
        // An unterminated last line is either being written right now or was torn by a crash.
        const rest = text.slice(complete);
        if (rest.trim()) {
          const record = parseRecord(rest);
          return { records: record ? [...this.cache, record] : [...this.cache], skippedLines: this.skipped + (record ? 0 : 1) };
        }
      } finally {
        await handle.close();
      }
    }
    return { records: [...this.cache], skippedLines: this.skipped };
  }

  /** Newest first, filtered; `limit` caps the rows returned, `total` counts every match. */
  async query(filter: HistoryFilter = {}): Promise<HistoryQueryResult> {
    const { records, skippedLines } = await this.all();
    const matches = records.filter((record) => matchesHistoryFilter(record, filter)).reverse();
    return { records: filter.limit ? matches.slice(0, filter.limit) : matches, total: matches.length, skippedLines };
  }

  /** Write the filtered history (newest first) as CSV or JSON, atomically. Returns the number of rows. */
  async export(path: string, format: 'csv' | 'json', filter: HistoryFilter = {}): Promise<number> {
    const { records } = await this.query({ ...filter, limit: undefined });
    const text = format === 'csv' ? historyToCsv(records) : `${JSON.stringify(records, null, 2)}\n`;
    await writeFileAtomic(path, text, { mode: 0o644 });
    return records.length;
  }
}

function parseRecord(line: string): HistoryRecord | undefined {
  try {
    const value = JSON.parse(line) as HistoryRecord;
    if (typeof value !== 'object' || value === null || typeof value.id !== 'string' || typeof value.at !== 'string') return undefined;
    return { ...value, files: Array.isArray(value.files) ? value.files : [] };
  } catch {
    return undefined;
  }
}
