import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { basicAuthorization, parseLoginResponse, tokenIsFresh, tokenRenewalMargin, TOKEN_RENEWAL_SKEW_MS } from '../../../../main/core/auth';

describe('auth', () => {
  test('Basic header is UTF-8 user:pass in unwrapped Base64', () => {
    assert.equal(basicAuthorization('admin', 'pässword'), `Basic ${Buffer.from('admin:pässword').toString('base64')}`);
    const long = basicAuthorization('u'.repeat(100), 'p'.repeat(100));
    assert.ok(!long.includes('\n'));
  });
  test('login response: exp in ms, scaled when in seconds, missing value refused', () => {
    const now = 1_700_000_000_000;
    assert.deepEqual(parseLoginResponse({ claims_token: { value: 't', exp: 1408953838000 } }, now), { value: 't', expiresAt: 1408953838000, receivedAt: now });
    assert.deepEqual(parseLoginResponse({ claims_token: { value: 't', exp: 1408953838 } }, now), { value: 't', expiresAt: 1408953838000, receivedAt: now });
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
  test('the renewal margin scales with the lifetime: a short token is reused for 85% of its life', () => {
    const at = 1_000_000;
    const hour = { value: 't', expiresAt: at + 3_600_000, receivedAt: at };
    assert.equal(tokenRenewalMargin(hour), TOKEN_RENEWAL_SKEW_MS);
    const minute = { value: 't', expiresAt: at + 60_000, receivedAt: at };
    assert.equal(tokenRenewalMargin(minute), 9_000);
    assert.equal(tokenIsFresh(minute, at + 50_999), true);
    assert.equal(tokenIsFresh(minute, at + 51_000), false);
    const tenSeconds = { value: 't', expiresAt: at + 10_000, receivedAt: at };
    assert.equal(tokenIsFresh(tenSeconds, at + 8_000), true, 'reused, not one login per send');
    assert.equal(tokenIsFresh({ value: 't', expiresAt: at, receivedAt: at }, at), false, 'an expired token never is');
  });
});
