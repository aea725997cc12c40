import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readCertUploadResponse, readPassQueuedResponse, rawIdMember } from '../../../../main/core/responses';
import { EngagementError } from '../../../../main/core/errors';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof EngagementError ? error.appError.code : 'not-engagement';
  }
  return 'no-throw';
};

describe('responses', () => {
  test('requestId beyond 2^53 keeps every digit, string or bare number', () => {
    assert.equal(readPassQueuedResponse('{"requestId":"2318508739642895844","description":"Request Queued. "}').requestId, '2318508739642895844');
    assert.equal(readPassQueuedResponse('{"requestId":9223372036854775807,"description":"Request Queued. "}').requestId, '9223372036854775807');
    assert.equal(rawIdMember('{"id": 2338546026820740145}', 'id'), '2338546026820740145');
  });
  test('a 200 without a request id is an unexpected response', () => {
    assert.equal(codeOf(() => readPassQueuedResponse('{"description":"oops"}')), 'unexpected-response');
    assert.equal(codeOf(() => readPassQueuedResponse('<html>')), 'unexpected-response');
  });
  test('certificate upload: id -1 or blank is a refusal with the server message', () => {
    assert.deepEqual(readCertUploadResponse('{"message":"Details updated successfully","id":"AppForAll1"}'), {
      id: 'AppForAll1',
      message: 'Details updated successfully',
    });
    assert.equal(codeOf(() => readCertUploadResponse('{"id":"-1","message":"Invalid certificate"}')), 'bad-request');
    assert.equal(codeOf(() => readCertUploadResponse('not json')), 'unexpected-response');
  });
});
