import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appErrorSchema, ERROR_CODES } from '../../../../preload/contract';
import {
  EngagementError,
  appError,
  exitCodeFor,
  httpStatusError,
  serverMessageFromBody,
  toAppError,
} from '../../../../main/core/errors';

describe('serverMessageFromBody', () => {
  test('reads the house style {id,message}', () => {
    assert.equal(serverMessageFromBody('{"id":"-1","message":"Invalid TemplateId"}', 'application/json'), 'Invalid TemplateId');
  });
  test('reads the Foundry envelope and nested envelopes', () => {
    const foundry = JSON.stringify({ domain: 'AUTH', code: -4, mfcode: 'Auth-4', message: 'Invalid User Credentials', details: { errmsg: 'x' } });
    assert.equal(serverMessageFromBody(foundry, 'application/json'), 'Invalid User Credentials');
    const nested = JSON.stringify({ subscriptionResponse: { statusCode: '401', ksid: '-1', message: 'Unauthorized request.' } });
    assert.equal(serverMessageFromBody(nested, undefined), 'Unauthorized request.');
  });
  test('uses the first text line, the HTML title, or nothing', () => {
    assert.equal(serverMessageFromBody('Service down\nstack...', 'text/plain'), 'Service down');
    assert.equal(serverMessageFromBody('<html><head><title>502 Bad Gateway</title></head></html>', 'text/html'), '502 Bad Gateway');
    assert.equal(serverMessageFromBody('<html><body>x</body></html>', 'text/html'), undefined);
    assert.equal(serverMessageFromBody('   ', 'application/json'), undefined);
  });
});

describe('httpStatusError', () => {
  test('classifies statuses and keeps the server message', () => {
    const e401 = httpStatusError(401, '', 'Unauthorized request');
    assert.equal(e401.code, 'auth-rejected');
    assert.match(e401.message, /Unauthorized request/);
    assert.equal(e401.httpStatus, 401);
    assert.equal(httpStatusError(400, '', 'appId missing').code, 'bad-request');
    assert.match(httpStatusError(400, '', 'appId missing').message, /appId missing/);
    assert.equal(httpStatusError(404, '', undefined).code, 'client-error');
    assert.match(httpStatusError(404, '', undefined).message, /context root/);
    const e500 = httpStatusError(503, '', undefined);
    assert.equal(e500.code, 'server-error');
    assert.equal(e500.retryable, true);
  });
});

describe('toAppError', () => {
  test('maps socket and undici codes', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    assert.equal(toAppError(refused, { host: 'h:1' }).code, 'network');
    assert.equal(toAppError(refused).detail, 'ECONNREFUSED');
    const wrapped = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    assert.match(toAppError(wrapped).message, /DNS/);
    assert.equal(toAppError(Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' })).code, 'timeout');
    assert.equal(toAppError(Object.assign(new Error('t'), { code: 'UND_ERR_ABORTED' })).code, 'cancelled');
    assert.equal(toAppError(Object.assign(new Error('self signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).code, 'tls');
    assert.equal(toAppError(Object.assign(new Error('x'), { code: 'ENOENT' }), { path: '/x' }).code, 'file');
  });
  test('a connect that fails with an errno the mapper does not list (Windows: UNKNOWN) is a network error, exit 6', () => {
    // As undici raises it under Windows: `fetch failed` caused by a Node system error from connect().
    const cause = Object.assign(new Error('connect UNKNOWN 127.0.0.1:4100'), { code: 'UNKNOWN', errno: -4094, syscall: 'connect' });
    const mapped = toAppError(Object.assign(new TypeError('fetch failed'), { cause }), { host: '127.0.0.1:4100' });
    assert.deepEqual([mapped.code, mapped.reason, mapped.detail, exitCodeFor(mapped.code)], ['network', 'connect-failed', 'UNKNOWN', 6]);
    assert.equal(mapped.message, 'Could not connect to 127.0.0.1:4100 (UNKNOWN). Check the network and the server URL, then try again.');
    // The same code from anything but connect() stays what it was.
    assert.equal(toAppError(Object.assign(new Error('read UNKNOWN'), { code: 'UNKNOWN', syscall: 'read' })).code, 'internal');
  });
  test('a failure before the connection existed carries a typed reason; the OS code stays in detail for people', () => {
    const error = (code: string) => toAppError(Object.assign(new Error(code), { code }), { host: 'h:1' });
    assert.deepEqual(
      ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'ECONNRESET', 'UND_ERR_HEADERS_TIMEOUT'].map((code) => [
        code,
        error(code).reason,
        error(code).detail,
      ]),
      [
        ['ECONNREFUSED', 'connect-failed', 'ECONNREFUSED'],
        ['ENOTFOUND', 'connect-failed', 'ENOTFOUND'],
        ['EHOSTUNREACH', 'connect-failed', 'EHOSTUNREACH'],
        ['UND_ERR_CONNECT_TIMEOUT', 'connect-timeout', 'UND_ERR_CONNECT_TIMEOUT'],
        ['ETIMEDOUT', 'socket-timeout', 'ETIMEDOUT'],
        ['ECONNRESET', undefined, 'ECONNRESET'],
        ['UND_ERR_HEADERS_TIMEOUT', undefined, 'UND_ERR_HEADERS_TIMEOUT'],
      ],
    );
    assert.deepEqual(appError('validation', 'Reload it.', { reason: 'revision-conflict' }), {
      code: 'validation',
      message: 'Reload it.',
      retryable: false,
      reason: 'revision-conflict',
    });
    assert.equal(appErrorSchema.safeParse({ code: 'validation', message: 'x', retryable: false, reason: 'passphrase-needed' }).success, true);
    assert.equal(appErrorSchema.safeParse({ code: 'validation', message: 'x', retryable: false, reason: 'made-up' }).success, false);
  });
  test('passes an EngagementError through unchanged', () => {
    const inner = appError('bad-request', 'nope', { httpStatus: 400 });
    assert.deepEqual(toAppError(new EngagementError(inner)), inner);
  });
  test('anything else is internal', () => {
    assert.equal(toAppError(new Error('boom')).code, 'internal');
    assert.equal(toAppError('text').code, 'internal');
  });
});

describe('exitCodeFor', () => {
  test('follows the issue #2 table for every code', () => {
    const expected: Record<string, number> = {
      validation: 2, file: 2, 'not-found': 2,
      'auth-missing': 3, 'auth-rejected': 3,
      'bad-request': 4, 'client-error': 4,
      'server-error': 5,
      network: 6, tls: 6, timeout: 6,
      cancelled: 1, 'unexpected-response': 1, 'keychain-unavailable': 3, internal: 1,
    };
    for (const code of ERROR_CODES) assert.equal(exitCodeFor(code), expected[code], code);
  });
});
