import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { API_PATHS, appIdProblem, endpointUrl, isInsecureTransport, loginUrlFor, MAX_APP_ID_LENGTH, normaliseBaseUrl, normaliseLoginUrl, plainHttpProblem, serverKindLabel, serverKindOf } from '../../../../main/core/server-url';
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
  test('app ids are one URL segment: encoded, and a dot segment or nothing is refused before a URL is built', () => {
    assert.equal(API_PATHS.windowsCertificate('20096-6548262167'), '/api/v1/applications/20096-6548262167/windows');
    assert.equal(API_PATHS.windowsCertificate('a b/c?d'), '/api/v1/applications/a%20b%2Fc%3Fd/windows');
    assert.equal(API_PATHS.downloadWindowsCertificate('x&y=1'), '/api/v1/applications/downloadwindowscert?appId=x%26y%3D1');
    // Issue #18: '..' and '.' encode to themselves, so --app .. posted to /api/v1/windows.
    for (const bad of ['..', '.', '']) {
      const refused = (e: unknown) => e instanceof EngagementError && e.appError.code === 'validation' && e.appError.message.endsWith(' Nothing was sent.');
      assert.throws(() => API_PATHS.windowsCertificate(bad), refused, bad);
      assert.throws(() => API_PATHS.downloadWindowsCertificate(bad), refused, bad);
    }
    assert.equal(endpointUrl('https://h/vpns', API_PATHS.passImportUpdate()), 'https://h/vpns/api/v1/message/pass/import/update');
  });
  test('login URL defaults to the identity path on the origin, not under the context root', () => {
    assert.equal(loginUrlFor('https://h:8443/vpns'), 'https://h:8443/authService/accounts/login');
    assert.equal(loginUrlFor('https://h/vpns', 'https://accounts.auth.voltmxcloud.com/login'), 'https://accounts.auth.voltmxcloud.com/login');
  });
  test('cloud tenants are told by their host and log in at their identity service (decision 8)', () => {
    assert.equal(serverKindOf('https://acme.messaging.voltmxcloud.com'), 'voltmx-cloud');
    assert.equal(serverKindOf('https://ACME.Messaging.KonyCloud.com/'), 'kony-cloud');
    assert.equal(serverKindOf('https://messaging.voltmxcloud.com.evil.example'), 'on-premises');
    assert.equal(serverKindOf('https://voltmxcloud.com'), 'on-premises');
    assert.equal(loginUrlFor('https://acme.messaging.voltmxcloud.com'), 'https://accounts.auth.voltmxcloud.com/login');
    assert.equal(loginUrlFor('https://acme.messaging.konycloud.com'), 'https://accounts.auth.konycloud.com/login');
    assert.equal(loginUrlFor('https://acme.messaging.konycloud.com', 'https://idp.acme.com/login'), 'https://idp.acme.com/login');
    assert.equal(serverKindLabel('https://h:8443/kpns'), 'On-premises (/kpns)');
    assert.equal(serverKindLabel('https://h:8443'), 'On-premises (no context root)');
  });
  test('a login URL with user-info or a query is refused without repeating it; plain http needs confirming', () => {
    assert.equal(normaliseLoginUrl(' https://idp.example.com/login '), 'https://idp.example.com/login');
    for (const bad of ['https://u:Pw-in-url@idp.example.com/login', 'https://idp.example.com/login?apikey=Key-in-url', 'ftp://idp.example.com/', 'idp login']) {
      assert.throws(() => normaliseLoginUrl(bad), (e: unknown) => e instanceof EngagementError && e.appError.code === 'validation' && !/Pw-in-url|Key-in-url/.test(e.message), bad);
    }
    assert.match(plainHttpProblem('http://idp.example.com/login', 'login URL') ?? '', /^The login URL http:\/\/idp\.example\.com\/login uses plain http/);
    assert.equal(plainHttpProblem('http://127.0.0.1:8080/login', 'login URL'), undefined);
    assert.equal(plainHttpProblem('https://idp.example.com/login', 'login URL'), undefined);
  });
  test('plain http is insecure except on loopback', () => {
    assert.equal(isInsecureTransport('http://engagement.example.com/vpns'), true);
    assert.equal(isInsecureTransport('https://engagement.example.com'), false);
    assert.equal(isInsecureTransport('http://127.0.0.1:8080'), false);
    assert.equal(isInsecureTransport('http://localhost:8080'), false);
    assert.equal(isInsecureTransport('http://[::1]:8080'), false);
  });
});

describe('appIdProblem', () => {
  const RULE =
    'Application IDs have only letters, digits, "-", "_" and "." (for example 20096-6548262167): copy the ID from the app\'s page in the Engagement console.';
  test('real ids pass', () => {
    for (const good of ['20096-6548262167', 'AppForAll1', 'a.b', '...', 'x'.repeat(MAX_APP_ID_LENGTH)]) assert.equal(appIdProblem(good), undefined, good);
  });
  test('dot segments, empty and over-long ids are refused, saying what to do', () => {
    assert.equal(appIdProblem(''), 'Enter the application ID.');
    for (const dots of ['.', '..']) {
      assert.equal(appIdProblem(dots), `The application ID "${dots}" is not an ID: in a URL it names a folder, so the request would go to another endpoint. ${RULE}`);
    }
    assert.equal(
      appIdProblem('7'.repeat(MAX_APP_ID_LENGTH + 1)),
      `The application ID "${'7'.repeat(40)}…" is 101 characters long; application IDs have at most 100. ${RULE}`,
    );
  });
  test('characters that change the URL or the terminal are named, and shown inert', () => {
    assert.equal(appIdProblem('a?b'), `The application ID "a?b" contains "?". ${RULE}`);
    assert.equal(appIdProblem('a#b'), `The application ID "a#b" contains "#". ${RULE}`);
    assert.equal(appIdProblem('%2e%2e'), `The application ID "%2e%2e" contains "%". ${RULE}`);
    assert.equal(appIdProblem('a\\b'), `The application ID "a\\b" contains a slash (\\). ${RULE}`);
    assert.equal(appIdProblem('App\u001b[2J'), `The application ID "App\\u001b[2J" contains a control character (U+001B). ${RULE}`);
    assert.equal(appIdProblem('App\t1'), `The application ID "App\\u00091" contains a control character (U+0009). ${RULE}`);
  });
});
