// A reset fault on a request whose whole body arrived in one piece: the handler must end (and close() return),
// not wait for more body forever.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { startEmulator } from '../../../main/emulator/server';
import { withTempDir } from '../../support/temp-dir';

function rawMultipartUpload(port: number, path: string): Promise<void> {
  const boundary = 'X-RESET-TEST';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="mpnsCert"; filename="c.p12"\r\nContent-Type: application/x-pkcs12\r\n\r\n`),
    Buffer.alloc(3000, 1),
    Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="mpnsCertPassPhrase"\r\n\r\npw\r\n--${boundary}--\r\n`),
  ]);
  const head = Buffer.from(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic ${Buffer.from('sandbox:sandbox').toString('base64')}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.concat([head, body])));
    socket.on('close', () => resolve());
    socket.on('error', () => undefined);
    socket.resume();
  });
}

test('a reset fault on a fully received body ends the handler; close() returns', { timeout: 10_000 }, async () => {
  await withTempDir('reset-fault', async (dir) => {
    const emulator = await startEmulator({ dataDir: join(dir, 'e'), verifyCertificatePassphrase: false });
    emulator.injectFault({ path: /\/windows$/, resetAfterBytes: 200 });
    await rawMultipartUpload(emulator.port, '/api/v1/applications/App/windows');
    // Before the fix this never settled: the handler waited on a body that would never end.
    await emulator.close();
    assert.equal(await emulator.storedCertificate('App'), undefined, 'a cut-off upload stores nothing');
  });
});
