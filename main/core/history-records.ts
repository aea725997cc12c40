// The history's records as text: secrets cut out, filters, CSV. Plain functions with no zod, so the send path
// (every send writes a history line) does not load the contract's schemas.
import type { HistoryFilter, HistoryRecord } from '../../preload/contract';

const SECRET_KEY = /pass(word|phrase)|secret|token|api.?key|authorization/i;

/** Defensive: records never carry secrets, but if a key that looks like one slips in, its value is replaced. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      out[key] = SECRET_KEY.test(key) && inner !== undefined && inner !== null ? '[redacted]' : redactSecrets(inner);
    }
    return out as T;
  }
  return value;
}

export function matchesHistoryFilter(record: HistoryRecord, filter: HistoryFilter): boolean {
  if (filter.profile) {
    const wanted = filter.profile.toLowerCase();
    if (record.profileId.toLowerCase() !== wanted && record.profileName.toLowerCase() !== wanted) return false;
  }
  if (filter.kind && record.kind !== filter.kind) return false;
  if (filter.endpoint && !record.endpoint.toLowerCase().includes(filter.endpoint.toLowerCase())) return false;
  if (filter.status && record.status !== filter.status) return false;
  if (filter.from && record.at < normalizeBound(filter.from, 'start')) return false;
  if (filter.to && record.at > normalizeBound(filter.to, 'end')) return false;
  if (filter.text) {
    const needle = filter.text.toLowerCase();
    const haystack = [
      record.draftName ?? '',
      record.appId ?? '',
      record.serverMessage ?? '',
      record.requestId ?? '',
      record.profileName,
      record.endpoint,
      ...record.files.map((file) => `${file.name} ${file.sha256}`),
    ];
    if (!haystack.some((text) => text.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/** A bare date (2025-01-31) as a bound covers the whole day; full ISO times are used as given. */
function normalizeBound(value: string, side: 'start' | 'end'): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return side === 'start' ? `${value}T00:00:00.000Z` : `${value}T23:59:59.999Z`;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
}

export const HISTORY_CSV_COLUMNS = [
  'time',
  'status',
  'kind',
  'profile',
  'endpoint',
  'appId',
  'draft',
  'files',
  'sha256',
  'sizes',
  'httpStatus',
  'errorCode',
  'serverMessage',
  'requestId',
  'durationMs',
  'source',
  'id',
] as const;

/** One CSV cell: RFC 4180 quoting, and a leading quote on = + - @ (and tab/CR) so spreadsheets never run it. */
export function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function historyToCsv(records: readonly HistoryRecord[]): string {
  const rows = [HISTORY_CSV_COLUMNS.join(',')];
  for (const r of records) {
    const cells: Array<string | number | undefined> = [
      r.at,
      r.status,
      r.kind,
      r.profileName,
      r.endpoint,
      r.appId,
      r.draftName,
      r.files.map((f) => f.name).join('; '),
      r.files.map((f) => f.sha256).join('; '),
      r.files.map((f) => String(f.size)).join('; '),
      r.httpStatus,
      r.errorCode,
      r.serverMessage,
      r.requestId,
      r.durationMs,
      r.source,
      r.id,
    ];
    rows.push(cells.map(csvCell).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
