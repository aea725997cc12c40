import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import type { Emulator } from '../../../main/emulator/server';
import { SANDBOX_API_KEY } from '../../../main/emulator/server';
import { basic, startTestEmulator } from './emulator-fixtures';

// The real gateway's texts (engagement-api.md section E).
const AUTH_FAIL = { id: '-1', message: 'Authentication fail, Invalid credentials' };
const API_KEY_FAIL = { id: '-1', message: 'Invalid X-VoltMX-App-API-Key' };

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; type: string }> {
  const response = await request(url, { headers });
  const text = await response.body.text();
  return { status: response.statusCode, body: JSON.parse(text) as unknown, type: String(response.headers['content-type']) };
}

async function login(origin: string, body: string, contentType: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await request(`${origin}/authService/accounts/login`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

describe('emulator authentication', () => {
  let emulator: Emulator;
  let stop: () => Promise<void>;
  let health: string;

  before(async () => {
    ({ emulator, stop } = await startTestEmulator({ contextRoot: '/vpns' }));
    health = `${emulator.url}/api/v1/healthcheck/json`;
  });
  after(() => stop());

  test('login with a JSON body issues a claims token that expires in an hour (epoch ms)', async () => {
    const before = Date.now();
    const { status, body } = await login(
      emulator.origin,
      JSON.stringify({ userid: 'sandbox', password: 'sandbox', provider: 'userstore' }),
      'application/json',
    );
    assert.equal(status, 200);
    const claims = body.claims_token as { value: string; exp: number };
    assert.equal(typeof claims.value, 'string');
    assert.ok(claims.value.length >= 32);
    assert.ok(claims.exp >= before + 3_600_000 && claims.exp <= Date.now() + 3_600_000, `exp ${claims.exp} is not now + 1h in ms`);
    assert.equal(typeof body.refresh_token, 'string');
    assert.deepEqual(Object.keys(body.profile as object).sort(), ['email', 'firstname', 'lastname', 'userid']);
    assert.equal((body.profile as { userid: string }).userid, 'sandbox');
  });

  test('login is at the origin root, not under the context root', async () => {
    const response = await request(`${emulator.url}/authService/accounts/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userid: 'sandbox', password: 'sandbox' }),
    });
    assert.equal(response.statusCode, 404);
    await response.body.dump();
  });

  test('login accepts a form-urlencoded body', async () => {
    const { status, body } = await login(emulator.origin, 'userid=sandbox&password=sandbox', 'application/x-www-form-urlencoded');
    assert.equal(status, 200);
    assert.equal(typeof (body.claims_token as { value: string }).value, 'string');
  });

  test('bad credentials get 401 with the Foundry error envelope', async () => {
    const { status, body } = await login(emulator.origin, JSON.stringify({ userid: 'sandbox', password: 'nope' }), 'application/json');
    assert.equal(status, 401);
    assert.equal(body.domain, 'AUTH');
    assert.equal(body.code, -4);
    assert.equal(body.mfcode, 'Auth-4');
    assert.equal(body.message, 'Invalid User Credentials');
    assert.deepEqual(body.details, { message: 'Invalid User Credentials', errcode: 0, errmsg: 'Invalid User Credentials' });
    assert.match(String(body.requestid), /^[0-9a-f-]{36}$/);
    assert.equal(body.httpstatus, 'Unauthorized');
  });

  test('malformed login bodies get 400', async () => {
    assert.equal((await login(emulator.origin, '{"userid":', 'application/json')).status, 400);
    assert.equal((await login(emulator.origin, '["sandbox"]', 'application/json')).status, 400);
    assert.equal((await login(emulator.origin, JSON.stringify({ userid: 'sandbox' }), 'application/json')).status, 400);
    assert.equal((await login(emulator.origin, JSON.stringify({ userid: 'sandbox', password: 5 }), 'application/json')).status, 400);
    assert.equal((await login(emulator.origin, 'userid=sandbox&password=sandbox', 'text/xml')).status, 400);
  });

  test('login only answers POST', async () => {
    const response = await request(`${emulator.origin}/authService/accounts/login`);
    assert.equal(response.statusCode, 405);
    assert.equal(response.headers.allow, 'POST');
    await response.body.dump();
  });

  test('HTTP Basic with a sandbox user is accepted', async () => {
    const { status, body } = await get(health, basic());
    assert.equal(status, 200);
    assert.deepEqual(body, { healthDetail: { database: 'PASSED', queue: 'PASSED' }, healthCheck: 'PASSED', version: 'emulator-1.0' });
  });

  test('a claims token is accepted in each of the three header spellings, any case', async () => {
    const { body } = await login(emulator.origin, JSON.stringify({ userid: 'sandbox', password: 'sandbox' }), 'application/json');
    const token = (body.claims_token as { value: string }).value;
    for (const name of ['X-VoltMX-Authorization', 'x-kony-authorization', 'X-HCL-AUTHORIZATION']) {
      emulator.clearRequests();
      const result = await get(health, { [name]: token });
      assert.equal(result.status, 200, name);
      assert.deepEqual(emulator.requests[0]?.auth, { scheme: 'token', user: 'sandbox', headerName: name.toLowerCase() });
    }
  });

  test('an App API key is accepted in both header spellings', async () => {
    for (const name of ['X-VoltMX-App-API-Key', 'X-Kony-App-API-Key']) {
      emulator.clearRequests();
      assert.equal((await get(health, { [name]: SANDBOX_API_KEY })).status, 200, name);
      assert.deepEqual(emulator.requests[0]?.auth, { scheme: 'apikey', headerName: name.toLowerCase() });
    }
  });

  test("missing, wrong and unknown credentials are refused with 401 and the real gateway's texts", async () => {
    const refused: Array<[Record<string, string>, unknown]> = [
      [{}, AUTH_FAIL],
      [basic('sandbox', 'wrong'), AUTH_FAIL],
      [basic('nobody', 'sandbox'), AUTH_FAIL],
      [{ authorization: 'Basic !!!not-base64' }, AUTH_FAIL],
      [{ authorization: 'Bearer something' }, AUTH_FAIL],
      [{ 'X-Kony-Authorization': 'not-a-token-this-emulator-issued' }, AUTH_FAIL],
      [{ 'X-VoltMX-App-API-Key': 'wrong-key' }, API_KEY_FAIL],
      [{ 'X-Kony-App-API-Key': '' }, AUTH_FAIL],
    ];
    for (const [headers, expected] of refused) {
      const result = await get(health, headers);
      assert.equal(result.status, 401, JSON.stringify(Object.keys(headers)));
      assert.deepEqual(result.body, expected);
      assert.match(result.type, /^application\/json/);
    }
  });

  test('one valid credential among invalid ones is enough (clients send the token under two names)', async () => {
    const { body } = await login(emulator.origin, JSON.stringify({ userid: 'sandbox', password: 'sandbox' }), 'application/json');
    const token = (body.claims_token as { value: string }).value;
    const result = await get(health, { 'X-VoltMX-Authorization': 'stale', 'X-Kony-Authorization': token });
    assert.equal(result.status, 200);
  });

  test('recorded headers redact every credential and the login record carries no working token', async () => {
    emulator.clearRequests();
    const { body } = await login(emulator.origin, JSON.stringify({ userid: 'sandbox', password: 'sandbox' }), 'application/json');
    const token = (body.claims_token as { value: string }).value;
    await get(health, { ...basic(), 'X-Kony-Authorization': token, 'X-VoltMX-App-API-Key': SANDBOX_API_KEY, 'x-trace': 'kept' });
    const serialised = JSON.stringify(emulator.requests);
    assert.ok(!serialised.includes(token), 'token leaked into the record');
    assert.ok(!serialised.includes(SANDBOX_API_KEY), 'API key leaked into the record');
    assert.ok(!serialised.includes(Buffer.from('sandbox:sandbox').toString('base64')), 'basic credentials leaked');
    const recorded = emulator.requests[1]!;
    assert.equal(recorded.headers.authorization, '<redacted>');
    assert.equal(recorded.headers['x-kony-authorization'], '<redacted>');
    assert.equal(recorded.headers['x-voltmx-app-api-key'], '<redacted>');
    assert.equal(recorded.headers['x-trace'], 'kept');
    assert.equal(emulator.requests[0]!.status, 200);
    assert.match(emulator.requests[0]!.responseBody ?? '', /"claims_token":\{"value":"<redacted>"/);
  });
});

describe('emulator token expiry and custom users', () => {
  test('a token past its exp is refused', async () => {
    // tokenTtlMs 0: the token is already at its expiry instant when issued, so no waiting is needed.
    const { emulator, stop } = await startTestEmulator({ tokenTtlMs: 0 });
    try {
      const { status, body } = await login(emulator.origin, JSON.stringify({ userid: 'sandbox', password: 'sandbox' }), 'application/json');
      assert.equal(status, 200);
      const claims = body.claims_token as { value: string; exp: number };
      assert.ok(claims.exp <= Date.now());
      const result = await get(`${emulator.url}/api/v1/healthcheck/json`, { 'X-VoltMX-Authorization': claims.value });
      assert.equal(result.status, 401);
    } finally {
      await stop();
    }
  });

  test('users and apiKeys options replace the sandbox defaults', async () => {
    const { emulator, stop } = await startTestEmulator({ users: [{ username: 'admin', password: 's3cret' }], apiKeys: ['k-1'] });
    try {
      const health = `${emulator.url}/api/v1/healthcheck/json`;
      assert.equal((await get(health, basic('admin', 's3cret'))).status, 200);
      assert.equal((await get(health, basic())).status, 401);
      assert.equal((await get(health, { 'X-Kony-App-API-Key': 'k-1' })).status, 200);
      assert.equal((await get(health, { 'X-Kony-App-API-Key': SANDBOX_API_KEY })).status, 401);
    } finally {
      await stop();
    }
  });
});
