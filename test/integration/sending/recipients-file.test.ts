// The recipients CSV reader shared by the app's Import CSV and the CLI's --batch, over real files.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readRecipientsFile } from '../../../main/sending/recipients-file';
import { EngagementError } from '../../../main/core/errors';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

async function refusal(path: string): Promise<{ code: string; message: string }> {
  try {
    await readRecipientsFile(path);
  } catch (error) {
    assert.ok(error instanceof EngagementError, String(error));
    return { code: error.appError.code, message: error.appError.message };
  }
  return assert.fail('the file was accepted');
}

describe('readRecipientsFile', () => {
  let tmp: TempDir;
  before(async () => {
    tmp = await makeTempDir('recipients');
  });
  after(() => tmp.remove());

  test('reads the ids of a spreadsheet export', async () => {
    const path = join(tmp.dir, 'list.csv');
    await writeFile(path, '\ufeffid,name\r\n1000000000000000001,Ada\r\n1000000000000000002,Grace\r\n');
    assert.deepEqual((await readRecipientsFile(path)).map((r) => r.id), ['1000000000000000001', '1000000000000000002']);
  });

  test('a missing file, a folder and a bad line each say what is wrong and what to do', async () => {
    const missing = join(tmp.dir, 'gone.csv');
    assert.deepEqual(await refusal(missing), { code: 'file', message: `Recipients file not found: ${missing}. Check the path, or choose the file again.` });
    const folder = join(tmp.dir, 'folder.csv');
    await mkdir(folder);
    assert.deepEqual(await refusal(folder), { code: 'file', message: `${folder} is not a file. Choose a CSV file with a header row that has an "id" column.` });
    const duplicate = join(tmp.dir, 'twice.csv');
    await writeFile(duplicate, 'id\n5\n5\n');
    assert.deepEqual(await refusal(duplicate), { code: 'validation', message: 'Recipients file twice.csv, line 3: the id 5 is already on line 2; each recipient gets one update.' });
  });

  test('a million rows are refused at the first row past the limit, without reading the rest (issue #18)', async () => {
    const path = join(tmp.dir, 'million.csv');
    const ids = Array.from({ length: 1_000_000 }, (_, i) => String(i + 1));
    await writeFile(path, `id\n${ids.join('\n')}\n`);
    const heapBefore = process.memoryUsage().heapUsed;
    assert.deepEqual(await refusal(path), {
      code: 'validation',
      message:
        'Recipients file million.csv, line 100002: the file has more than 100,000 recipients, and a batch takes at most 100,000; split it into files of at most 100,000 recipients.',
    });
    // Reading all million rows took about 500 MB; the file (7 MB) and 100,000 parsed rows take far less.
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 200 * 1024 * 1024, 'the refusal stays small');
  });
});
