import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findJsonSyntaxError, parsePassContentJson, serializePassContent } from '../../../../main/core/pass-content-json';

/** A small valid passContent (the full documented sample is in pass-content.test.ts). */
const sample = {
  recipients: { recipient: [{ id: '1234567890123456789' }] },
  passIntegrationConfig: { passIssueNotificationDetails: [], passUpdateNotificationDetails: [] },
  priority: true,
  startTimeStamp: 0,
  endTimeStamp: 0,
};

describe('parsePassContentJson and serializePassContent', () => {
  test('round trip: serialise with two spaces, parse back to the same value', () => {
    const text = serializePassContent(sample);
    assert.ok(text.startsWith('{\n  "recipients": {'));
    const { value, report } = parsePassContentJson(text);
    assert.deepEqual(value, sample);
    assert.equal(report.ok, true);
  });

  test('a syntax error carries line and column', () => {
    const text = '{\n  "recipients": {\n    "recipient": [{"id": "1"},]\n  }\n}';
    const { value, report } = parsePassContentJson(text);
    assert.equal(value, undefined);
    assert.equal(report.issues[0]?.code, 'pass-content-syntax');
    assert.match(report.issues[0]!.message, /line 3, column 31/);
    assert.deepEqual(report.details?.syntax, { line: 3, column: 31, offset: 50 });
  });

  test('the scanner finds the usual mistakes', () => {
    assert.match(findJsonSyntaxError("{'a': 1}").message, /property name|double quotes/);
    assert.equal(findJsonSyntaxError('{"a": 1 "b": 2}').offset, 8);
    assert.match(findJsonSyntaxError('{"a": "x').message, /unterminated/);
    assert.match(findJsonSyntaxError('{"a": 1} x').message, /after the end/);
    assert.equal(findJsonSyntaxError('[1, 2,]').offset, 6);
  });

  test('empty text is an error, a BOM is accepted', () => {
    assert.equal(parsePassContentJson('  ').report.issues[0]?.code, 'pass-content-syntax');
    assert.equal(parsePassContentJson(`\uFEFF${serializePassContent(sample)}`).report.ok, true);
  });
});
