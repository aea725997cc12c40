import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_BATCH_RECIPIENTS } from '../../../../preload/contract';
import { parseRecipientsCsv, passContentForRecipient } from '../../../../main/core/recipients-csv';

const ids = (text: string) => {
  const parsed = parseRecipientsCsv(text);
  assert.ok(parsed.ok, parsed.ok ? '' : `line ${parsed.line}: ${parsed.message}`);
  return parsed.recipients.map((r) => [r.id, r.line]);
};

const problem = (text: string) => {
  const parsed = parseRecipientsCsv(text);
  assert.ok(!parsed.ok, 'expected a problem');
  return `line ${parsed.line}: ${parsed.message}`;
};

describe('parseRecipientsCsv', () => {
  test('reads the id column by name (any position, any case), ignoring the other columns', () => {
    assert.deepEqual(ids('Name,ID,Email\r\nAda,1001,a@x\r\nGrace,1002,g@x\r\n'), [
      ['1001', 2],
      ['1002', 3],
    ]);
  });

  test('keeps 64-bit ids exactly as written', () => {
    assert.deepEqual(ids('id\n9223372036854775807\n18446744073709551615'), [
      ['9223372036854775807', 2],
      ['18446744073709551615', 3],
    ]);
  });

  test('handles quoted fields with commas, doubled quotes and line breaks, a BOM and blank lines', () => {
    const text = '\uFEFFnote,id\n"a, ""quoted""\nnote",2001\n\n"",2002\n';
    assert.deepEqual(ids(text), [
      ['2001', 2],
      ['2002', 5],
    ]);
  });

  test('reports problems with the line they are on', () => {
    assert.equal(problem(''), 'line 1: the file is empty; it needs a header row with an "id" column');
    assert.match(problem('name,email\nAda,a@x\n'), /^line 1: the header row has no "id" column/);
    assert.match(problem('id\n1\n2"x\n'), /^line 3: a quote inside an unquoted field/);
    assert.match(problem('id,n\n1,"a"b\n'), /^line 2: unexpected text after a closing quote/);
    assert.match(problem('id,n\n1,a\n2,"never\nclosed\n'), /^line 3: a quoted field is never closed/);
    assert.match(problem('id,n\n1,a\n2\n'), /^line 3: the row has 1 field, the header has 2/);
    assert.match(problem('id,n\n ,a\n'), /^line 2: the id is empty/);
    assert.match(problem('id\n7\n8\n7\n'), /^line 4: the id 7 is already on line 2/);
    assert.match(problem('id\n\n'), /^line 1: there are no recipients/);
  });
});

describe('passContentForRecipient', () => {
  test('replaces the recipients and keeps everything else', () => {
    const shared = { recipients: { recipient: [{ id: 'a' }, { id: 'b' }] }, priority: true, startTimeStamp: 0 };
    assert.deepEqual(passContentForRecipient(shared, '42'), { recipients: { recipient: [{ id: '42' }] }, priority: true, startTimeStamp: 0 });
    assert.deepEqual(shared.recipients.recipient.length, 2, 'the shared content is not changed');
  });

});

describe('parseRecipientsCsv limits', () => {
  test('stops at the first row past the recipient limit (issue #18): the rest of the file is never read', () => {
    // Line 7 would be a quoting error if it were read; the refusal names line 6, the fourth recipient.
    const parsed = parseRecipientsCsv('id\n1\n\n2\n3\n4\n5,"x\n', 3);
    assert.deepEqual(parsed, {
      ok: false,
      line: 6,
      message: 'the file has more than 3 recipients, and a batch takes at most 3; split it into files of at most 3 recipients',
    });
    assert.ok(parseRecipientsCsv('id\n1\n2\n3\n', 3).ok, 'exactly the limit is fine');
  });

  test('the default limit is the batch limit', () => {
    const rows = Array.from({ length: MAX_BATCH_RECIPIENTS + 1 }, (_, i) => String(i + 1));
    const parsed = parseRecipientsCsv(`id\n${rows.join('\n')}\n`);
    assert.ok(!parsed.ok);
    assert.equal(parsed.line, MAX_BATCH_RECIPIENTS + 2);
    assert.ok(parseRecipientsCsv(`id\n${rows.slice(1).join('\n')}`).ok);
  });
});
