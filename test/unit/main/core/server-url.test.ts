import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { API_PATHS, endpointUrl, isInsecureTransport, loginUrlFor, normaliseBaseUrl } from '../../../../main/core/server-url';
import { EngagementError } from '../../../../main/core/errors';

describe('normaliseBaseUrl', () => {
  test('keeps the context root, drops trailing slashes and a pasted /api/v1', () => {
    assert.equal(normaliseBaseUrl(' https://host:8443/vpns/ '), 'https://host:8443/vpns');
    assert.equal(normaliseBaseUrl('http://host:8080'), 'http://host:8080');
    assert.equal(normaliseBaseUrl('https://host/vpns/api/v1'), 'https://host/vpns');
  });
  test('refuses what cannot be a server URL, saying what to do', () => {
    for (const bad of ['host:8080', 'ftp://host', 'https://user:pw@host', 'https://host/vpns?x=1']) {
      assert.throws(() => normaliseBaseUrl(bad), (e: unknown) => e instanceof EngagementError && e.appError.code === 'validation');
    }
    assert.throws(() => normaliseBaseUrl('https://u:secretpw@host'), (e: unknown) => !(e as Error).message.includes('secretpw'));
  });
});

describe('endpoints', () => {
  test('app ids are opaque strings, URL-encoded', () => {
    assert.equal(API_PATHS.windowsCertificate('20096-6548262167'), '/api/v1/applications/20096-6548262167/windows');
    assert.equal(API_PATHS.windowsCertificate('a b/c?d'), '/api/v1/applications/a%20b%2Fc%3Fd/windows');
    assert.equal(API_PATHS.downloadWindowsCertificate('x&y=1'), '/api/v1/applications/downloadwindowscert?appId=x%26y%3D1');
    assert.equal(endpointUrl('https://h/vpns', API_PATHS.passImportUpdate()), 'https://h/vpns/api/v1/message/pass/import/update');
  });
  test('login URL defaults to the identity path on the origin, not under the context root', () => {
    assert.equal(loginUrlFor('https://h:8443/vpns'), 'https://h:8443/authService/accounts/login');
    assert.equal(loginUrlFor('https://h/vpns', 'https://accounts.auth.voltmxcloud.com/login'), 'https://accounts.auth.voltmxcloud.com/login');
  });
  test('plain http is insecure except on loopback', () => {
    assert.equal(isInsecureTransport('http://engagement.example.com/vpns'), true);
    assert.equal(isInsecureTransport('https://engagement.example.com'), false);
    assert.equal(isInsecureTransport('http://127.0.0.1:8080'), false);
    assert.equal(isInsecureTransport('http://localhost:8080'), false);
    assert.equal(isInsecureTransport('http://[::1]:8080'), false);
  });
});
