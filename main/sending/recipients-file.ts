// The recipients CSV of a batch, read the same way by the app (Import CSV) and the CLI (--batch FILE.csv).
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_BATCH_RECIPIENTS } from '../../preload/contract/constants';
import { fail, toAppError, EngagementError } from '../core/errors';
import { parseRecipientsCsv, type Recipient } from '../core/recipients-csv';

/** A spreadsheet export of at most MAX_BATCH_RECIPIENTS ids is far below this. */
export const MAX_RECIPIENTS_FILE_BYTES = 32 * 1024 * 1024;

/** Reads and parses a recipients CSV; a problem names the file (and its line), and nothing is returned. */
export async function readRecipientsFile(path: string): Promise<Recipient[]> {
  const info = await stat(path).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'ENOENT') fail('file', `Recipients file not found: ${path}. Check the path, or choose the file again.`);
    throw new EngagementError(toAppError(error, { path }), { cause: error });
  });
  if (!info.isFile()) fail('file', `${path} is not a file. Choose a CSV file with a header row that has an "id" column.`);
  if (info.size > MAX_RECIPIENTS_FILE_BYTES) {
    fail(
      'validation',
      `${path} is too large for a recipients file (over 32 MB). Split it into files of at most ${MAX_BATCH_RECIPIENTS.toLocaleString('en')} recipients.`,
    );
  }
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new EngagementError(toAppError(error, { path }), { cause: error });
  });
  // The parser stops at the first row past the limit, so a file of millions of short rows costs no more than this.
  const parsed = parseRecipientsCsv(text, MAX_BATCH_RECIPIENTS);
  if (!parsed.ok) fail('validation', `Recipients file ${basename(path)}, line ${parsed.line}: ${parsed.message}.`, { detail: path });
  return parsed.recipients;
}
