import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { basicAuthorization, parseLoginResponse, tokenIsFresh, TOKEN_RENEWAL_SKEW_MS } from '../../../../main/core/auth';

describe('auth', () => {
  test('Basic header is UTF-8 user:pass in unwrapped Base64', () => {
    assert.equal(basicAuthorization('admin', 'pässword'), `Basic ${Buffer.from('admin:pässword').toString('base64')}`);
    const long = basicAuthorization('u'.repeat(100), 'p'.repeat(100));
    assert.ok(!long.includes('\n'));
  });
  test('login response: exp in ms, scaled when in seconds, missing value refused', () => {
    const now = 1_700_000_000_000;
    assert.deepEqual(parseLoginResponse({ claims_token: { value: 't', exp: 1408953838000 } }, now), { value: 't', expiresAt: 1408953838000 });
    assert.deepEqual(parseLoginResponse({ claims_token: { value: 't', exp: 1408953838 } }, now), { value: 't', expiresAt: 1408953838000 });
    assert.equal(parseLoginResponse({ claims_token: { exp: 1 } }, now), undefined);
    assert.equal(parseLoginResponse('nope', now), undefined);
    assert.equal(parseLoginResponse({ claims_token: { value: 't' } }, now)?.expiresAt, now + 600_000);
  });
  test('a token is renewed a skew before it expires', () => {
    const now = 1_000_000;
    assert.equal(tokenIsFresh({ value: 't', expiresAt: now + TOKEN_RENEWAL_SKEW_MS + 1 }, now), true);
    assert.equal(tokenIsFresh({ value: 't', expiresAt: now + TOKEN_RENEWAL_SKEW_MS }, now), false);
    assert.equal(tokenIsFresh(undefined, now), false);
  });
});
