import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import type { Emulator } from '../../../main/emulator/server';
import { basic, generatedSha256, postMultipart, startTestEmulator } from './emulator-fixtures';

const HEALTH = '/api/v1/healthcheck/json';
const DOWNLOAD = '/api/v1/applications/downloadwindowscert';
const CERT_SIZE = 1024 * 1024;

async function get(url: string): Promise<{ status: number; text: string; type: string }> {
  const response = await request(url, { headers: basic() });
  return { status: response.statusCode, text: await response.body.text(), type: String(response.headers['content-type']) };
}

/** Reads a download to the end or to its failure, answering how many bytes arrived and whether it failed. */
async function readDownload(url: string): Promise<{ status: number; received: number; error: unknown }> {
  const response = await request(url, { headers: basic() });
  let received = 0;
  try {
    for await (const chunk of response.body) received += (chunk as Buffer).length;
    return { status: response.statusCode, received, error: undefined };
  } catch (error) {
    return { status: response.statusCode, received, error };
  }
}

describe('fault injection', () => {
  let emulator: Emulator;
  let stop: () => Promise<void>;
  let health: string;
  let download: string;

  before(async () => {
    // Context root set, so the tests also prove that fault paths are matched without it.
    ({ emulator, stop } = await startTestEmulator({ contextRoot: '/vpns', verifyCertificatePassphrase: false }));
    health = `${emulator.url}${HEALTH}`;
    download = `${emulator.url}${DOWNLOAD}?appId=big`;
    const upload = await postMultipart(`${emulator.url}/api/v1/applications/big/windows`, [
      { name: 'mpnsCert', filename: 'big.p12', content: { size: CERT_SIZE, fill: 0x5a } },
      { name: 'mpnsCertPassPhrase', content: 'x' },
    ]);
    assert.equal(upload.status, 200, upload.text);
  });
  after(() => stop());

  test('status replaces the handler once, with the house-style body, then the route works again', async () => {
    emulator.injectFault({ path: HEALTH, status: 503 });
    const faulted = await get(health);
    assert.equal(faulted.status, 503);
    assert.deepEqual(JSON.parse(faulted.text), { id: '-1', message: 'Service Unavailable' });
    assert.equal((await get(health)).status, 200);
  });

  test('status 500 defaults to the documented message; a custom body and content type are sent as given', async () => {
    emulator.injectFault({ path: HEALTH, status: 500 });
    assert.deepEqual(JSON.parse((await get(health)).text), { id: '-1', message: 'Server failure to process request' });
    emulator.clearRequests();
    emulator.injectFault({ path: HEALTH, status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' });
    const faulted = await get(health);
    assert.equal(faulted.status, 502);
    assert.equal(faulted.text, '<html>Bad gateway</html>');
    assert.equal(faulted.type, 'text/html');
    assert.equal(emulator.requests[0]?.status, 502);
    assert.equal(emulator.requests[0]?.responseBody, undefined);
  });

  test('times limits how many requests a fault hits; Infinity keeps it until cleared', async () => {
    emulator.injectFault({ path: HEALTH, status: 500, times: 2 });
    assert.deepEqual([(await get(health)).status, (await get(health)).status, (await get(health)).status], [500, 500, 200]);
    emulator.injectFault({ path: HEALTH, status: 429, times: Infinity });
    for (let i = 0; i < 5; i++) assert.equal((await get(health)).status, 429);
    emulator.clearFaults();
    assert.equal((await get(health)).status, 200);
  });

  test('faults match on method, exact path without the context root, or a RegExp', async () => {
    emulator.injectFault({ method: 'POST', path: HEALTH, status: 500 });
    emulator.injectFault({ path: `/vpns${HEALTH}`, status: 500 });
    assert.equal((await get(health)).status, 200, 'a POST fault or a path with the context root must not match');
    emulator.clearFaults();
    emulator.injectFault({ method: 'get', path: /healthcheck/, status: 418 });
    assert.equal((await get(health)).status, 418);
    emulator.injectFault({ status: 500 });
    assert.equal((await get(download)).status, 500, 'a fault without method and path matches anything');
  });

  test('latencyMs delays the answer', async () => {
    emulator.injectFault({ path: HEALTH, latencyMs: 300 });
    const started = performance.now();
    assert.equal((await get(health)).status, 200);
    assert.ok(performance.now() - started >= 290, 'the answer was not delayed');
  });

  test('resetAfterBytes cuts a download after exactly that many bytes', async () => {
    emulator.injectFault({ path: DOWNLOAD, resetAfterBytes: 100_000 });
    const cut = await readDownload(download);
    assert.equal(cut.status, 200);
    assert.ok(cut.error, 'the truncated download did not fail');
    assert.equal(cut.received, 100_000);
    const whole = await readDownload(download);
    assert.equal(whole.error, undefined);
    assert.equal(whole.received, CERT_SIZE);
  });

  test('resetAfterBytes 0 sends the headers and no body', async () => {
    emulator.injectFault({ path: DOWNLOAD, resetAfterBytes: 0 });
    const cut = await readDownload(download);
    assert.equal(cut.status, 200);
    assert.ok(cut.error);
    assert.equal(cut.received, 0);
  });

  test('bytesPerSecond throttles the body without changing it', async () => {
    emulator.injectFault({ path: DOWNLOAD, bytesPerSecond: 4 * 1024 * 1024 });
    const started = performance.now();
    const response = await request(download, { headers: basic() });
    const hash = createHash('sha256');
    for await (const chunk of response.body) hash.update(chunk as Buffer);
    const elapsed = performance.now() - started;
    // 1 MiB at 4 MiB/s: about 250 ms (the last slice is not waited for).
    assert.ok(elapsed >= 200, `took only ${elapsed} ms`);
    assert.equal(hash.digest('hex'), generatedSha256(CERT_SIZE, 0x5a));
  });

  test('faults can be combined with a status: throttled error body', async () => {
    emulator.injectFault({ path: HEALTH, status: 500, bytesPerSecond: 100 });
    const started = performance.now();
    const faulted = await get(health);
    assert.equal(faulted.status, 500);
    assert.deepEqual(JSON.parse(faulted.text), { id: '-1', message: 'Server failure to process request' });
    // ~55 bytes at 100 B/s in 5-byte slices: about half a second.
    assert.ok(performance.now() - started >= 400);
  });

  test('a bad fault is refused with a TypeError naming the field', () => {
    assert.throws(() => emulator.injectFault({ status: 99 }), /fault\.status/);
    assert.throws(() => emulator.injectFault({ times: 0 }), /fault\.times/);
    assert.throws(() => emulator.injectFault({ resetAfterBytes: -1 }), /fault\.resetAfterBytes/);
    assert.throws(() => emulator.injectFault({ bytesPerSecond: 0 }), /fault\.bytesPerSecond/);
    assert.throws(() => emulator.injectFault({ latency: 5 } as never), /Unknown fault field "latency"/);
  });
});

describe('request-body reset fault', () => {
  test('resetAfterBytes on an upload drops the connection mid-body; nothing is stored and no temp file is left', async () => {
    const { emulator, dataDir, stop } = await startTestEmulator({ verifyCertificatePassphrase: false });
    let stopped = false;
    try {
      emulator.injectFault({ method: 'POST', path: '/api/v1/applications/cut/windows', resetAfterBytes: 64 * 1024 });
      await assert.rejects(
        postMultipart(`${emulator.url}/api/v1/applications/cut/windows`, [
          { name: 'mpnsCert', filename: 'cut.p12', content: { size: 8 * 1024 * 1024, fill: 1 } },
          { name: 'mpnsCertPassPhrase', content: 'x' },
        ]),
      );
      assert.equal(emulator.requests[0]?.status, 0, 'no response should have been sent');
      // close() waits for in-flight handlers, so their clean-up has finished when it resolves.
      await emulator.close();
      stopped = true;
      assert.equal(await emulator.storedCertificate('cut'), undefined);
      const certsDir = join(dataDir, 'certs');
      const leftovers = (await readdir(certsDir, { recursive: true })).filter((name) => name.endsWith('.tmp'));
      assert.deepEqual(leftovers, []);
    } finally {
      if (stopped) await stop().catch(() => undefined);
      else await stop();
    }
  });

  test('a fault whose status answers an upload still gets the client its response', async () => {
    const { emulator, stop } = await startTestEmulator();
    try {
      emulator.injectFault({ path: '/api/v1/message/pass/import/update', status: 500 });
      const result = await postMultipart(`${emulator.url}/api/v1/message/pass/import/update`, [
        { name: 'pkPass', filename: 'p.pkpass', content: { size: 4 * 1024 * 1024, fill: 2 } },
        { name: 'passContent', content: '{}' },
      ]);
      assert.equal(result.status, 500);
      assert.deepEqual(emulator.requests[0]?.parts, [], 'the faulted request body must not be parsed');
    } finally {
      await stop();
    }
  });
});
