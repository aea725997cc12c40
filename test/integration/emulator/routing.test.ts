import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import type { Emulator, RecordedRequest } from '../../../main/emulator/server';
import { basic, startTestEmulator } from './emulator-fixtures';

async function call(
  url: string,
  init: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  const response = await request(url, { method: init.method ?? 'GET', headers: init.headers ?? basic(), body: init.body ?? null });
  return { status: response.statusCode, text: await response.body.text(), headers: response.headers };
}

describe('emulator routing', () => {
  let emulator: Emulator;
  let stop: () => Promise<void>;
  const lines: string[] = [];

  before(async () => {
    ({ emulator, stop } = await startTestEmulator({ contextRoot: '/vpns', log: (line) => lines.push(line) }));
  });
  after(() => stop());

  test('thirty requests at once: all answered, and Node warns of no listener leak', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // Each held for 300 ms, so all thirty are in the emulator at once.
      emulator.injectFault({ path: '/api/v1/healthcheck/json', latencyMs: 300, times: 30 });
      const agent = new Agent({ connections: 30 });
      const statuses = await Promise.all(
        Array.from({ length: 30 }, async () => {
          const response = await request(`${emulator.url}/api/v1/healthcheck/json`, { headers: basic(), dispatcher: agent });
          await response.body.dump();
          return response.statusCode;
        }),
      );
      await agent.close();
      assert.deepEqual(new Set(statuses), new Set([200]));
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      assert.deepEqual(warnings.map((w) => w.name), []);
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('url carries the context root; origin does not', () => {
    assert.equal(emulator.origin, `http://127.0.0.1:${emulator.port}`);
    assert.equal(emulator.url, `${emulator.origin}/vpns`);
  });

  test('the health check answers under the context root only', async () => {
    assert.equal((await call(`${emulator.url}/api/v1/healthcheck/json`)).status, 200);
    const outside = await call(`${emulator.origin}/api/v1/healthcheck/json`);
    assert.equal(outside.status, 404);
    assert.deepEqual(JSON.parse(outside.text), { id: '-1', message: 'Not found' });
  });

  test('unknown routes are 404, even without credentials', async () => {
    for (const path of ['/api/v1/nothing', '/api/v2/healthcheck/json', '/api/v1/applications/a/apple', '/']) {
      const result = await call(`${emulator.url}${path}`, { headers: {} });
      assert.equal(result.status, 404, path);
      assert.deepEqual(JSON.parse(result.text), { id: '-1', message: 'Not found' });
    }
  });

  test('a wrong method on a known route is 405 with Allow', async () => {
    const cases: [string, 'GET' | 'POST' | 'PUT' | 'DELETE', string][] = [
      ['/api/v1/healthcheck/json', 'POST', 'GET'],
      ['/api/v1/applications/downloadwindowscert?appId=a', 'DELETE', 'GET'],
      ['/api/v1/applications/a/windows', 'GET', 'POST, PUT'],
      ['/api/v1/message/pass/import/update', 'PUT', 'POST'],
    ];
    for (const [path, method, allow] of cases) {
      const result = await call(`${emulator.url}${path}`, { method });
      assert.equal(result.status, 405, `${method} ${path}`);
      assert.equal(result.headers.allow, allow);
      assert.deepEqual(JSON.parse(result.text), { id: '-1', message: 'Method not allowed' });
    }
  });

  test('requests are recorded with path, query, method, status and JSON response body', async () => {
    emulator.clearRequests();
    await call(`${emulator.url}/api/v1/applications/downloadwindowscert?appId=A%20B&x=1`);
    const [recorded] = emulator.requests;
    assert.ok(recorded);
    assert.equal(recorded.method, 'GET');
    assert.equal(recorded.path, '/vpns/api/v1/applications/downloadwindowscert');
    assert.deepEqual(recorded.query, { appId: 'A B', x: '1' });
    assert.equal(recorded.status, 400);
    assert.match(recorded.responseBody ?? '', /"id":"-1"/);
    assert.deepEqual(recorded.auth, { scheme: 'basic', user: 'sandbox' });
    assert.deepEqual(recorded.parts, []);
    assert.ok(recorded.startedAt <= Date.now() && recorded.durationMs >= 0);
    assert.ok(recorded.id > 0);
  });

  test('the log gets one line per request with method, path, status and time, never credentials', async () => {
    lines.length = 0;
    await call(`${emulator.url}/api/v1/healthcheck/json?appId=q`);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^GET \/vpns\/api\/v1\/healthcheck\/json 200 \d+ms$/);
    assert.ok(!lines[0]!.includes('sandbox'));
  });
});

describe('emulator control API', () => {
  let emulator: Emulator;
  let stop: () => Promise<void>;

  before(async () => {
    ({ emulator, stop } = await startTestEmulator());
  });
  after(() => stop());

  test('GET/DELETE /__emulator/requests list and clear the record, without recording themselves', async () => {
    await call(`${emulator.url}/api/v1/healthcheck/json`);
    const listed = await call(`${emulator.origin}/__emulator/requests`, { headers: {} });
    assert.equal(listed.status, 200);
    const requests = JSON.parse(listed.text) as RecordedRequest[];
    assert.ok(requests.some((r) => r.path === '/api/v1/healthcheck/json' && r.status === 200));
    assert.ok(!requests.some((r) => r.path.startsWith('/__emulator')));
    assert.equal((await call(`${emulator.origin}/__emulator/requests`, { method: 'DELETE', headers: {} })).status, 204);
    assert.deepEqual(emulator.requests, []);
  });

  test('POST /__emulator/faults injects a fault (string path, "Infinity" times, pathRegex); DELETE clears', async () => {
    const post = (fault: unknown) =>
      call(`${emulator.origin}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
    assert.equal((await post({ path: '/api/v1/healthcheck/json', status: 503, times: 'Infinity' })).status, 201);
    assert.equal((await call(`${emulator.url}/api/v1/healthcheck/json`)).status, 503);
    assert.equal((await call(`${emulator.url}/api/v1/healthcheck/json`)).status, 503);
    assert.equal((await call(`${emulator.origin}/__emulator/faults`, { method: 'DELETE', headers: {} })).status, 204);
    assert.equal((await call(`${emulator.url}/api/v1/healthcheck/json`)).status, 200);

    assert.equal((await post({ pathRegex: '^/api/v1/health', status: 500 })).status, 201);
    assert.equal((await call(`${emulator.url}/api/v1/healthcheck/json`)).status, 500);
  });

  test('an invalid fault is refused with 400', async () => {
    for (const body of ['{"status":"500"}', '{"nope":1}', '[1]', '{"pathRegex":"("}', 'not json']) {
      const result = await call(`${emulator.origin}/__emulator/faults`, { method: 'POST', headers: {}, body });
      assert.equal(result.status, 400, body);
      assert.match((JSON.parse(result.text) as { message: string }).message, /^Invalid fault/);
    }
  });

  test('unknown control paths are 404; wrong methods 405', async () => {
    assert.equal((await call(`${emulator.origin}/__emulator/nothing`, { headers: {} })).status, 404);
    assert.equal((await call(`${emulator.origin}/__emulator/faults`, { method: 'PUT', headers: {}, body: '{}' })).status, 405);
  });
});
