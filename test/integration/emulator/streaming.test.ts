import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { request } from 'undici';
import { SANDBOX_API_KEY } from '../../../main/emulator/server';
import { basic, generatedSha256, leftoverUploads, multipartBody, multipartType, postMultipart, startTestEmulator } from './emulator-fixtures';

const MiB = 1024 * 1024;

describe('emulator streaming', () => {
  test('an unauthenticated 100 MB multipart upload gets its 401 before the body is sent, and does not hang', { timeout: 60_000 }, async () => {
    const { emulator, stop } = await startTestEmulator();
    try {
      let bodyFinished = false;
      async function* tracked(): AsyncGenerator<Buffer> {
        yield* multipartBody([
          { name: 'pkPass', filename: 'huge.pkpass', content: { size: 100 * MiB, fill: 3 } },
          { name: 'passContent', content: '{}' },
        ]);
        bodyFinished = true;
      }
      const response = await request(`${emulator.url}/api/v1/message/pass/import/update`, {
        method: 'POST',
        headers: { 'content-type': multipartType, 'x-kony-app-api-key': 'wrong' },
        body: Readable.from(tracked()),
      });
      assert.equal(response.statusCode, 401);
      assert.equal(bodyFinished, false, 'the 401 only came after the whole body was read');
      assert.deepEqual(await response.body.json(), { id: '-1', message: 'Invalid X-VoltMX-App-API-Key' });
      assert.deepEqual(emulator.requests[0]?.parts, []);

      // The same connection pool still works afterwards (the body was drained, not left stuck in the socket).
      const health = await request(`${emulator.url}/api/v1/healthcheck/json`, { headers: basic() });
      assert.equal(health.statusCode, 200);
      await health.body.dump();
    } finally {
      await stop();
    }
  });

  test('the early 401 also reaches a fetch() client streaming its body', { timeout: 60_000 }, async () => {
    const { emulator, stop } = await startTestEmulator();
    try {
      const body = Readable.toWeb(
        Readable.from(multipartBody([{ name: 'mpnsCert', filename: 'c.p12', content: { size: 100 * MiB, fill: 4 } }])),
      ) as ReadableStream<Uint8Array>;
      const response = await fetch(`${emulator.url}/api/v1/applications/a/windows`, {
        method: 'POST',
        headers: { 'content-type': multipartType },
        body,
        duplex: 'half',
      } as RequestInit);
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), { id: '-1', message: 'Authentication fail, Invalid credentials' });
    } finally {
      await stop();
    }
  });

  test('a 200 MB certificate and a 100 MB pkPass stream through with flat memory and intact bytes', { timeout: 180_000 }, async () => {
    const { emulator, dataDir, stop } = await startTestEmulator({ verifyCertificatePassphrase: false });
    try {
      const size = 200 * MiB;
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sample = (): void => {
        peak = Math.max(peak, process.memoryUsage().rss);
      };
      const sampler = setInterval(sample, 20);
      try {
        const upload = await postMultipart(`${emulator.url}/api/v1/applications/large/windows`, [
          { name: 'mpnsCert', filename: 'large.p12', content: { size, fill: 0xa5 } },
          { name: 'mpnsCertPassPhrase', content: 'unused' },
        ]);
        assert.equal(upload.status, 200, upload.text);
        const expected = generatedSha256(size, 0xa5);
        assert.equal((await emulator.storedCertificate('large'))?.sha256, expected);

        const response = await request(`${emulator.url}/api/v1/applications/downloadwindowscert?appId=large`, { headers: basic() });
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers['content-length'], String(size));
        const hash = createHash('sha256');
        let received = 0;
        for await (const chunk of response.body) {
          hash.update(chunk as Buffer);
          received += (chunk as Buffer).length;
        }
        assert.equal(received, size);
        assert.equal(hash.digest('hex'), expected);

        const pass = await postMultipart(
          `${emulator.url}/api/v1/message/pass/import/update`,
          [
            { name: 'pkPass', filename: 'big.pkpass', content: { size: 100 * MiB, fill: 7 } },
            { name: 'passContent', content: JSON.stringify({ recipients: { recipient: [{ id: '1' }] } }) },
          ],
          { 'X-VoltMX-App-API-Key': SANDBOX_API_KEY },
        );
        assert.equal(pass.status, 200, pass.text);
        const recorded = emulator.requests.at(-1)!;
        assert.equal(recorded.parts[0]?.size, 100 * MiB);
        assert.equal(recorded.parts[0]?.sha256, generatedSha256(100 * MiB, 7));
        assert.deepEqual(await leftoverUploads(dataDir), []);
      } finally {
        clearInterval(sampler);
        sample();
      }
      const growth = (peak - baseline) / MiB;
      assert.ok(growth < 100, `RSS grew by ${growth.toFixed(1)} MiB while streaming 400 MB`);
    } finally {
      await stop();
    }
  });
});
