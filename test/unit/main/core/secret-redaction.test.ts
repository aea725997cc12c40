import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { REDACTED_SECRET, redactText, redactValue } from '../../../../main/core/secret-redaction';

describe('secret redaction', () => {
  test('cuts every occurrence out of a text, raw and JSON-escaped', () => {
    assert.equal(redactText('a s3cr3t b s3cr3t', 's3cr3t'), `a ${REDACTED_SECRET} b ${REDACTED_SECRET}`);
    const quoted = 'pa"ss\\word';
    assert.equal(redactText(JSON.stringify({ m: `x ${quoted}` }), quoted), `{"m":"x ${REDACTED_SECRET}"}`);
  });

  test('leaves a text alone without a secret', () => {
    assert.equal(redactText('nothing here', undefined), 'nothing here');
    assert.equal(redactText('nothing here', ''), 'nothing here');
  });

  test('walks records: strings in objects and arrays, keys too; numbers and booleans stay', () => {
    const record = { serverMessage: 'login u:hunter22 failed', files: [{ name: 'hunter22.p12', size: 3 }], ok: false, hunter22: 1 };
    assert.deepEqual(redactValue(record, 'hunter22'), {
      serverMessage: `login u:${REDACTED_SECRET} failed`,
      files: [{ name: `${REDACTED_SECRET}.p12`, size: 3 }],
      ok: false,
      [REDACTED_SECRET]: 1,
    });
    assert.equal(record.serverMessage, 'login u:hunter22 failed', 'the original is not changed');
  });
});
