import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProfileView } from '../../../../../../preload/contract';
import { draftFromView, draftToInput, emptyDraft, isInsecureUrl, serverSummary } from '../../../../../../renderer/src/features/profiles/profile-draft';

const view: ProfileView = {
  id: 'p1',
  name: 'Prod',
  baseUrl: 'https://engagement.example.com/vpns',
  authMode: 'token',
  username: 'ops',
  tokenHeaders: ['X-VoltMX-Authorization', 'X-Kony-Authorization'],
  hasSecret: true,
  secretStorage: 'keychain',
  insecureTransport: false,
  serverKind: 'on-premises',
  serverKindLabel: 'On-premises (/vpns)',
  loginUrlInUse: 'https://engagement.example.com/authService/accounts/login',
};

describe('profile draft', () => {
  test('a new draft needs a name, a URL and a user name', () => {
    const { input, errors } = draftToInput(emptyDraft());
    assert.equal(input, undefined);
    assert.ok(errors.name && errors.baseUrl && errors.username);
  });
  test('default token headers show as empty and are not sent back', () => {
    const draft = draftFromView(view);
    assert.equal(draft.tokenHeaders, '');
    assert.equal(draft.secret, '');
    const { input } = draftToInput(draft);
    assert.deepEqual(input, { id: 'p1', name: 'Prod', baseUrl: 'https://engagement.example.com/vpns', authMode: 'token', username: 'ops' });
  });
  test('custom headers are split on commas; apikey needs no user', () => {
    const { input } = draftToInput({ ...emptyDraft(), name: 'K', baseUrl: 'https://h', authMode: 'apikey', tokenHeaders: ' X-A , X-B ,', username: 'ignored' });
    assert.deepEqual(input?.tokenHeaders, ['X-A', 'X-B']);
    assert.equal(input?.username, undefined);
  });
  test('a URL with a query or an odd scheme is refused', () => {
    assert.match(draftToInput({ ...emptyDraft(), name: 'x', username: 'u', baseUrl: 'https://h/vpns?x=1' }).errors.baseUrl ?? '', /query/);
    assert.match(draftToInput({ ...emptyDraft(), name: 'x', username: 'u', baseUrl: 'ftp://h' }).errors.baseUrl ?? '', /http/);
  });
  test('plain http warns except on this machine', () => {
    assert.equal(isInsecureUrl('http://engagement.example.com'), true);
    assert.equal(isInsecureUrl('http://127.0.0.1:8080'), false);
    assert.equal(isInsecureUrl('https://engagement.example.com'), false);
  });
  test('plain http to another machine is saved only with "Allow plain http" ticked; user-info is refused', () => {
    const plain = { ...emptyDraft(), name: 'x', username: 'u', baseUrl: 'http://engagement.example.com/vpns' };
    assert.match(draftToInput(plain).errors.baseUrl ?? '', /plain http.*Allow plain http/);
    assert.deepEqual(draftToInput({ ...plain, allowHttp: true }).input?.allowHttp, true);
    const login = { ...emptyDraft(), name: 'x', username: 'u', authMode: 'token' as const, baseUrl: 'https://h/vpns', loginUrl: 'http://idp.example.com/login' };
    assert.match(draftToInput(login).errors.loginUrl ?? '', /plain http/);
    assert.match(draftToInput({ ...login, loginUrl: 'https://me:pw@idp.example.com/login' }).errors.loginUrl ?? '', /user:password@/);
  });
  test('the form names the kind of server and the login URL a token profile will use', () => {
    const cloud = { ...emptyDraft(), authMode: 'token' as const, baseUrl: 'https://acme.messaging.voltmxcloud.com' };
    assert.deepEqual(serverSummary(cloud), { kind: 'Volt MX Cloud', loginUrl: 'https://accounts.auth.voltmxcloud.com/login' });
    assert.deepEqual(serverSummary({ ...cloud, baseUrl: 'https://h:8443/kpns' }), { kind: 'On-premises (/kpns)', loginUrl: 'https://h:8443/authService/accounts/login' });
    assert.deepEqual(serverSummary({ ...cloud, loginUrl: 'https://idp.acme.com/login' })?.loginUrl, 'https://idp.acme.com/login');
    assert.deepEqual(serverSummary({ ...cloud, authMode: 'basic' }), { kind: 'Volt MX Cloud' });
    assert.equal(serverSummary({ ...cloud, baseUrl: 'https://' }), undefined);
  });
});
