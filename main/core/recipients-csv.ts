// The recipients file of a batch pass update: RFC 4180 CSV with a header row and a required `id` column (other
// columns are allowed and ignored). Ids are audience ids, 64-bit on the server, so they stay strings. Any problem
// is reported with the line it is on, because the file usually comes from a spreadsheet export the user must fix.
import { MAX_BATCH_RECIPIENTS } from '../../preload/contract/constants';

export interface Recipient {
  id: string;
  /** 1-based line of the file where the record starts. */
  line: number;
}

export type RecipientsParse = { ok: true; recipients: Recipient[] } | { ok: false; line: number; message: string };

interface CsvRecord {
  fields: string[];
  line: number;
}

class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Splits RFC 4180 text into records (CRLF or LF endings, quoted fields may hold commas, quotes and newlines), and
 * stops at the first record past maxRecords: a million-row file once took half a gigabyte before it was refused.
 */
function readRecords(text: string, maxRecords: number, tooMany: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // spreadsheet exports often start with a BOM
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let quoted = false;
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        quoted = true;
        const opened = line;
        i++;
        for (;;) {
          if (i >= text.length) throw new CsvError(opened, 'a quoted field is never closed (missing ")');
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          value += ch;
          i++;
        }
        const after = text[i];
        if (after !== undefined && after !== ',' && after !== '\n' && !(after === '\r' && text[i + 1] === '\n')) {
          throw new CsvError(line, 'unexpected text after a closing quote (a quote inside a field must be doubled: "")');
        }
      } else {
        const from = i;
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') throw new CsvError(line, 'a quote inside an unquoted field (quote the whole field and double the quote)');
          i++;
        }
        value = text.slice(from, i);
      }
      fields.push(value);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    }
    // A blank line (one empty unquoted field) is not a record: trailing newlines and spacer lines are common.
    if (!(fields.length === 1 && fields[0] === '' && !quoted)) {
      if (records.length === maxRecords) throw new CsvError(start, tooMany);
      records.push({ fields, line: start });
    }
  }
  return records;
}

/** `maxRecipients`: rows below the header that are read at most; one more and the file is refused at that line. */
export function parseRecipientsCsv(text: string, maxRecipients: number = MAX_BATCH_RECIPIENTS): RecipientsParse {
  // NUL bytes or undecodable bytes: a spreadsheet (.xlsx), an image or another binary file, not a CSV export.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000\ufffd]/.test(text.slice(0, 64 * 1024))) {
    return { ok: false, line: 1, message: 'this is not a text file; save the list as CSV (comma-separated values) with a header row that has an "id" column' };
  }
  let records: CsvRecord[];
  try {
    const limit = maxRecipients.toLocaleString('en');
    records = readRecords(text, maxRecipients + 1, `the file has more than ${limit} recipients, and a batch takes at most ${limit}; split it into files of at most ${limit} recipients`);
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, line: error.line, message: error.message };
    throw error;
  }
  const header = records[0];
  if (!header) return { ok: false, line: 1, message: 'the file is empty; it needs a header row with an "id" column' };
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const idColumn = names.indexOf('id');
  if (idColumn < 0) {
    return { ok: false, line: header.line, message: `the header row has no "id" column (found: ${header.fields.map((f) => `"${f}"`).join(', ')})` };
  }
  if (names.indexOf('id', idColumn + 1) >= 0) return { ok: false, line: header.line, message: 'the header row has two "id" columns' };

  const recipients: Recipient[] = [];
  const seen = new Map<string, number>();
  for (const record of records.slice(1)) {
    if (record.fields.length !== header.fields.length) {
      return {
        ok: false,
        line: record.line,
        message: `the row has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}, the header has ${header.fields.length}`,
      };
    }
    const id = (record.fields[idColumn] ?? '').trim();
    if (id === '') return { ok: false, line: record.line, message: 'the id is empty' };
    if ([...id].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return { ok: false, line: record.line, message: 'the id contains a control character' };
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      return { ok: false, line: record.line, message: `the id ${id} is already on line ${earlier}; each recipient gets one update` };
    }
    seen.set(id, record.line);
    recipients.push({ id, line: record.line });
  }
  if (recipients.length === 0) return { ok: false, line: header.line, message: 'there are no recipients below the header row' };
  return { ok: true, recipients };
}

/** The passContent for one recipient: the shared content with its recipients replaced by this one id. */
export function passContentForRecipient(passContent: unknown, id: string): Record<string, unknown> {
  const base = typeof passContent === 'object' && passContent !== null && !Array.isArray(passContent) ? passContent : {};
  return { ...(base as Record<string, unknown>), recipients: { recipient: [{ id }] } };
}
