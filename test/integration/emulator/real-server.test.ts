// The emulator as the real server behaves (engagement-api.md section E, decision 12): a cloud tenant with its
// identity service on another origin, the /kpns context root, the gateway's real refusal texts (also under 400),
// failures inside 200 answers, an empty .p12 passphrase, and unknown multipart parts ignored unless strict.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import type { Emulator } from '../../../main/emulator/server';
import { makeP12 } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';
import { basic, certificateParts, postMultipart, startTestEmulator } from './emulator-fixtures';

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
}

async function get(url: string, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await request(url, { headers });
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
}

describe('emulator in cloud mode', () => {
  let emulator: Emulator;
  let stop: () => Promise<void>;
  before(async () => {
    ({ emulator, stop } = await startTestEmulator({ cloud: true }));
  });
  after(() => stop());

  test('the identity service is another origin, at /login; the tenant has no context root and no login of its own', async () => {
    assert.equal(emulator.kind, 'cloud');
    assert.equal(emulator.url, emulator.origin, 'no context root');
    const login = new URL(emulator.loginUrl);
    assert.equal(login.pathname, '/login');
    assert.notEqual(login.origin, emulator.origin);

    const answer = await post(emulator.loginUrl, { userid: 'sandbox', password: 'sandbox' });
    assert.equal(answer.status, 200);
    const token = (answer.json.claims_token as { value: string }).value;
    const health = await get(`${emulator.url}/api/v1/healthcheck/json`, { 'X-VoltMX-Authorization': token });
    assert.equal(health.status, 200);
    assert.equal(health.json.healthCheck, 'PASSED');

    assert.equal((await post(`${emulator.origin}/authService/accounts/login`, { userid: 'sandbox', password: 'sandbox' })).status, 404);
    assert.equal((await post(`${login.origin}/authService/accounts/login`, { userid: 'sandbox', password: 'sandbox' })).status, 404);
    const refused = await post(emulator.loginUrl, { userid: 'sandbox', password: 'wrong' });
    assert.equal(refused.status, 401);
    assert.equal(refused.json.message, 'Invalid User Credentials');
    // The identity origin serves no engagement API.
    assert.equal((await get(`${login.origin}/api/v1/healthcheck/json`, { 'X-VoltMX-Authorization': token })).status, 404);
  });

  test('a cloud emulator refuses a context root', async () => {
    await assert.rejects(startTestEmulator({ cloud: true, contextRoot: '/vpns' }), /no context root/);
  });
});

describe('emulator under the Kony-era /kpns root', () => {
  test('answers under /kpns and nowhere else', async () => {
    const { emulator, stop } = await startTestEmulator({ contextRoot: '/kpns' });
    try {
      assert.equal(emulator.kind, 'on-premises');
      assert.equal(emulator.url, `${emulator.origin}/kpns`);
      assert.equal(emulator.loginUrl, `${emulator.origin}/authService/accounts/login`);
      assert.equal((await get(`${emulator.origin}/kpns/api/v1/healthcheck/json`, basic())).status, 200);
      assert.equal((await get(`${emulator.origin}/vpns/api/v1/healthcheck/json`, basic())).status, 404);
      assert.equal((await get(`${emulator.origin}/api/v1/healthcheck/json`, basic())).status, 404);
    } finally {
      await stop();
    }
  });
});

describe('emulator refusals and faults as the real server words them', () => {
  test('authentication failures can answer 400, with the real texts', async () => {
    const { emulator, stop } = await startTestEmulator({ authFailureStatus: 400 });
    try {
      const health = `${emulator.url}/api/v1/healthcheck/json`;
      assert.deepEqual(await get(health, basic('sandbox', 'wrong')), { status: 400, json: { id: '-1', message: 'Authentication fail, Invalid credentials' } });
      assert.deepEqual(await get(health, { 'X-VoltMX-App-API-Key': 'not-the-key' }), { status: 400, json: { id: '-1', message: 'Invalid X-VoltMX-App-API-Key' } });
    } finally {
      await stop();
    }
  });

  test('an errorInOk fault answers 200 with requestId "-1" on a send and id "-1" elsewhere', async () => {
    const { emulator, stop } = await startTestEmulator();
    try {
      emulator.injectFault({ path: '/api/v1/message/pass/import/update', errorInOk: 'Invalid Subscribers' });
      const send = await postMultipart(`${emulator.url}/api/v1/message/pass/import/update`, []);
      assert.equal(send.status, 200);
      assert.deepEqual(send.json(), { requestId: '-1', description: 'Invalid Subscribers' });
      emulator.injectFault({ path: /windows$/, errorInOk: 'Invalid VoltMX AppId or Application is not published with given AppId' });
      const upload = await postMultipart(`${emulator.url}/api/v1/applications/app-1/windows`, []);
      assert.equal(upload.status, 200);
      assert.deepEqual(upload.json(), { id: '-1', message: 'Invalid VoltMX AppId or Application is not published with given AppId' });
      assert.throws(() => emulator.injectFault({ errorInOk: 5 as unknown as string }), /errorInOk must be a string/);
    } finally {
      await stop();
    }
  });

  test('a .p12 with an empty passphrase is accepted with an empty mpnsCertPassPhrase', async () => {
    const tmp = await makeTempDir('empty-pass');
    const { emulator, stop } = await startTestEmulator();
    try {
      const p12 = await readFile((await makeP12(tmp.dir, { passphrase: '' })).path);
      const upload = await postMultipart(`${emulator.url}/api/v1/applications/app-empty/windows`, certificateParts(p12, ''));
      assert.equal(upload.status, 200, upload.text);
      assert.equal((await emulator.storedCertificate('app-empty'))?.size, p12.length);
      // A passphrase-protected file still needs its passphrase.
      const protectedP12 = await readFile((await makeP12(tmp.dir, { passphrase: 'not-empty' })).path);
      const refused = await postMultipart(`${emulator.url}/api/v1/applications/app-other/windows`, certificateParts(protectedP12, ''));
      assert.equal(refused.status, 400);
    } finally {
      await stop();
      await tmp.remove();
    }
  });

  test('unknown multipart parts are ignored as the real server does, and refused in strict mode', async () => {
    const tmp = await makeTempDir('unknown-parts');
    const p12 = await readFile((await makeP12(tmp.dir, { passphrase: 'correct horse' })).path);
    const parts = [...certificateParts(p12), { name: 'extra', content: 'x' }, { name: 'appleCert', filename: 'a.p12', content: 'y' }];
    const lenient = await startTestEmulator();
    const strict = await startTestEmulator({ strictParts: true });
    try {
      assert.equal((await postMultipart(`${lenient.emulator.url}/api/v1/applications/app-1/windows`, parts)).status, 200);
      const refused = await postMultipart(`${strict.emulator.url}/api/v1/applications/app-1/windows`, parts);
      assert.equal(refused.status, 400);
      assert.match((refused.json() as { message: string }).message, /Unknown form parts: "extra", "appleCert"/);
    } finally {
      await lenient.stop();
      await strict.stop();
      await tmp.remove();
    }
  });
});
