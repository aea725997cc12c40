// Reads a passContent JSON file given on the command line (pass update, single or batch), refusing it with the
// first error its check finds.
import { readFile } from 'node:fs/promises';
import { fail } from '../core/errors';
import { parsePassContentJson } from '../core/pass-content';

export async function readPassContentFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((error: unknown) =>
    fail('file', `Cannot read the passContent file ${path} (${(error as { code?: string }).code ?? 'error'}).`),
  );
  const parsed = parsePassContentJson(text);
  const errors = parsed.report.issues.filter((i) => i.severity === 'error');
  if (parsed.value === undefined || errors.length > 0) {
    const first = errors[0];
    fail('validation', `${path}: ${first?.path ? `${first.path}: ` : ''}${first?.message ?? 'not valid JSON'}`);
  }
  return parsed.value;
}
