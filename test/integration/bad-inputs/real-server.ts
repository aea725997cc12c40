// Bad-input rows of issue #16 (meeting the real server): login and server URLs that would leak or downgrade a
// secret, and the real server's failures that a client trusting the status alone would miss. Each row names the
// exact message the user sees; catalogue.test.ts proves that nothing the user had was lost.
import { openSettingsStore, PROFILES_KEY } from '../../../main/platform/settings-store';
import { err, saveProfile, UNKNOWN_APP_HINT, updatePass, uploadCert, type BadInput } from './cases';
import type { World } from './world';

/** config.json must hold none of what a refused URL carried. */
function assertNotSaved(w: World, ...texts: string[]): void {
  const profiles = JSON.stringify(openSettingsStore(w.dataDir).get(PROFILES_KEY) ?? []);
  for (const text of texts) {
    if (profiles.includes(text)) throw new Error(`config.json holds "${text}" from a refused profile`);
  }
}

const AUTH_FAIL_BODY = '{"id":"-1","message":"Authentication fail, Invalid credentials"}';

export const REAL_SERVER_INPUTS: BadInput[] = [
  {
    name: 'login URL with a user name and password in it',
    category: 'profile',
    via: 'ipc',
    act: (w) =>
      saveProfile(w, { name: 'Userinfo login', baseUrl: 'https://engage.example.com/vpns', authMode: 'token', loginUrl: 'https://admin:Login-Pw-31@idp.example.com/login' }),
    expected: () =>
      err('validation', 'The login URL contains a user name or password (user:password@host). Remove it: the password goes to the keychain, the user name to the profile.'),
    verify: (w) => assertNotSaved(w, 'Login-Pw-31', 'Userinfo login'),
  },
  {
    name: 'login URL with an API key in its query',
    category: 'profile',
    via: 'ipc',
    act: (w) =>
      saveProfile(w, { name: 'Query login', baseUrl: 'https://engage.example.com/vpns', authMode: 'token', loginUrl: 'https://idp.example.com/login?apikey=Query-Key-31' }),
    expected: () =>
      err('validation', 'The login URL has a query (?…) or fragment (#…). Remove it: a key in the URL would be saved in plain text; the login needs only the address.'),
    verify: (w) => assertNotSaved(w, 'Query-Key-31', 'Query login'),
  },
  {
    name: 'plain http server URL, not confirmed',
    category: 'profile',
    via: 'ipc',
    act: (w) => saveProfile(w, { name: 'Plain http', baseUrl: 'http://engage.example.com:8080/vpns' }),
    expected: () =>
      err(
        'validation',
        'The server URL http://engage.example.com:8080/vpns uses plain http: the credentials would cross the network unencrypted. Use https://, or confirm plain http (the app\'s "Allow plain http" box, the CLI\'s --allow-http). Nothing was saved.',
      ),
    verify: (w) => assertNotSaved(w, 'Plain http'),
  },
  {
    name: 'plain http login URL of a token profile, not confirmed',
    category: 'profile',
    via: 'ipc',
    act: (w) => saveProfile(w, { name: 'Plain login', baseUrl: 'https://engage.example.com/vpns', authMode: 'token', loginUrl: 'http://idp.example.com/login' }),
    expected: () =>
      err(
        'validation',
        'The login URL http://idp.example.com/login uses plain http: the credentials would cross the network unencrypted. Use https://, or confirm plain http (the app\'s "Allow plain http" box, the CLI\'s --allow-http). Nothing was saved.',
      ),
    verify: (w) => assertNotSaved(w, 'Plain login', 'idp.example.com'),
  },
  {
    name: 'pass update answered 200 with requestId "-1" and a description',
    category: 'server',
    via: 'service',
    act: (w) => {
      w.emulator.injectFault({ path: '/api/v1/message/pass/import/update', errorInOk: 'Invalid Subscribers' });
      return updatePass(w);
    },
    expected: () => err('bad-request', 'The server did not accept the request: Invalid Subscribers.'),
  },
  {
    name: 'certificate upload answered 200 with id "-1": the app is not published',
    category: 'server',
    via: 'service',
    act: (w) => {
      w.emulator.injectFault({ path: /\/windows$/, errorInOk: 'Invalid VoltMX AppId or Application is not published with given AppId' });
      return uploadCert(w, w.files.p12);
    },
    expected: () => err('bad-request', `The server did not accept the request: Invalid VoltMX AppId or Application is not published with given AppId.${UNKNOWN_APP_HINT}`),
  },
  {
    name: 'authentication failure answered with 400 and the real text',
    category: 'server',
    via: 'service',
    act: (w) => {
      w.emulator.injectFault({ path: '/api/v1/message/pass/import/update', status: 400, body: AUTH_FAIL_BODY });
      return updatePass(w);
    },
    expected: () =>
      err('auth-rejected', 'The server refused the credentials (HTTP 400): Authentication fail, Invalid credentials. Check the user name, password or API key in the profile.'),
  },
];
