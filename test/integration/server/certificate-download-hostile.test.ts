// A hostile server's download (issue #18): a destination that is not a regular file is refused before anything is
// written (point 2); a body that trickles, is too big or comes compressed is refused with nothing left behind
// (point 5); a body that is not shaped like PKCS#12 is kept with a warning (point 9). The server is a small
// node:http server scripted per test; the files are real, on disk.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type { AppError, Profile } from '../../../preload/contract';
import { EngagementError } from '../../../main/core/errors';
import { MAX_CERTIFICATE_DOWNLOAD_BYTES, NOT_PKCS12_WARNING } from '../../../main/server/certificate-download';
import { EngagementClient, type ClientOptions } from '../../../main/server/engagement-client';
import { makeP12 } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

let tmp: TempDir;
let server: Server;
let url: string;
let p12: Buffer;
let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(500).end();

before(async () => {
  tmp = await makeTempDir('download-hostile');
  p12 = await readFile((await makeP12(tmp.dir, { passphrase: 'pw' })).path);
  server = createHttpServer((req, res) => handler(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  server.close();
  await tmp.remove();
});

function client(options: ClientOptions = {}): EngagementClient {
  const profile: Profile = { id: 'p1', name: 'Hostile', baseUrl: url, authMode: 'basic', username: 'u', tokenHeaders: [] };
  return new EngagementClient(profile, async () => 'pw', options);
}

async function folder(name: string): Promise<string> {
  const dir = join(tmp.dir, name);
  await mkdir(dir);
  return dir;
}

/** The download's AppError (it must fail). */
async function refusal(run: Promise<unknown>): Promise<AppError> {
  const outcome = await run.then(
    (value) => assert.fail(`expected a refusal, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
  assert.ok(outcome instanceof EngagementError, String(outcome));
  return outcome.appError;
}

const certificate = (body: Buffer, headers: Record<string, string | number> = {}) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/x-pkcs12', 'content-length': body.length, ...headers }).end(body);
};

describe('only a regular file or a new name is replaced (issue #18 point 2)', () => {
  const unixOnly = process.platform === 'win32' ? 'named pipes, sockets and /dev/null are Unix files' : false;
  test('a named pipe, a link to one, a socket and /dev/null are refused before the request goes out', { skip: unixOnly }, async () => {
    const dir = await folder('special');
    const pipe = join(dir, 'pipe.p12');
    execFileSync('mkfifo', [pipe]);
    const link = join(dir, 'link.p12');
    await symlink(pipe, link);
    const socketPath = join(dir, 'socket.p12');
    const unix = createNetServer().listen(socketPath);
    await once(unix, 'listening');
    let requests = 0;
    handler = (req, res) => {
      requests++;
      certificate(p12)(req, res);
    };
    const c = client();
    try {
      const cases: [string, string][] = [
        [pipe, 'a named pipe'],
        [link, 'a link to a named pipe'],
        [socketPath, 'a socket'],
        ['/dev/null', 'a device'],
      ];
      for (const [target, kind] of cases) {
        const error = await refusal(c.downloadMpnsCertificate('App1', target));
        assert.equal(error.code, 'file');
        assert.equal(error.message, `${target} is ${kind}, not a file: Engagement Desk only replaces regular files. Choose another name or folder.`);
      }
      assert.equal(requests, 0, 'nothing was asked of the server');
      assert.deepEqual((await readdir(dir)).sort(), ['link.p12', 'pipe.p12', 'socket.p12']);
    } finally {
      unix.close();
      await c.close();
    }
  });

  test('a regular file and a link to one are still replaced', async () => {
    const dir = await folder('regular');
    await writeFile(join(dir, 'old.p12'), 'old');
    await symlink(join(dir, 'old.p12'), join(dir, 'link.p12'));
    handler = certificate(p12);
    const c = client();
    try {
      const saved = await c.downloadMpnsCertificate('App1', join(dir, 'old.p12'));
      assert.equal(saved.warning, undefined);
      assert.deepEqual(await readFile(join(dir, 'old.p12')), p12);
      await c.downloadMpnsCertificate('App1', join(dir, 'link.p12'));
      assert.deepEqual(await readFile(join(dir, 'link.p12')), p12);
    } finally {
      await c.close();
    }
  });
});

describe('names that fit 255 bytes (issue #18 point 3)', () => {
  test('a chosen file name of 255 bytes is saved: its temp name is shortened to fit too', async () => {
    const dir = await folder('long-name');
    const target = join(dir, `${'é'.repeat(125)}x.p12`);
    assert.equal(Buffer.byteLength(target.slice(dir.length + 1)), 255);
    handler = certificate(p12);
    const c = client();
    try {
      const saved = await c.downloadMpnsCertificate('App1', target);
      assert.equal(saved.path, target);
      assert.deepEqual(await readdir(dir), [target.slice(dir.length + 1)]);
    } finally {
      await c.close();
    }
  });
});

describe('a hostile body is bounded (issue #18 point 5)', () => {
  test('a body that trickles a byte every 2 s gives up at the deadline, though the idle timeout never fires', async () => {
    const dir = await folder('trickle');
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-pkcs12', 'content-length': 3000 });
      const timer = setInterval(() => res.write('0'), 2000);
      res.write('0');
      res.on('close', () => clearInterval(timer));
    };
    const c = client({ bodyIdleTimeoutMs: 5000, downloadDeadlineMs: 3000 });
    const started = Date.now();
    try {
      const error = await refusal(c.downloadMpnsCertificate('App1', dir));
      assert.equal(error.code, 'timeout');
      assert.match(error.message, /^Timed out waiting for data from 127\.0\.0\.1:\d+: the certificate did not arrive within 3 s \(2 bytes received\)\. Nothing was saved; check the network and try again\.$/);
      assert.ok(Date.now() - started < 4500, `${Date.now() - started} ms`);
      assert.deepEqual(await readdir(dir), []);
    } finally {
      await c.close();
    }
  });

  test('the deadline is twice the idle timeout unless given', async () => {
    const dir = await folder('trickle-default');
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-pkcs12', 'content-length': 3000 });
      const timer = setInterval(() => res.write('0'), 500);
      res.on('close', () => clearInterval(timer));
    };
    const c = client({ bodyIdleTimeoutMs: 1000 });
    try {
      const error = await refusal(c.downloadMpnsCertificate('App1', dir));
      assert.equal(error.code, 'timeout');
      assert.match(error.message, /within 2 s/);
      assert.deepEqual(await readdir(dir), []);
    } finally {
      await c.close();
    }
  });

  test('a body announced over 1 MiB is refused before anything is written', async () => {
    const dir = await folder('announced');
    let destroyed = false;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-pkcs12', 'content-length': 1024 * 1024 * 1024 });
      res.write(Buffer.alloc(64 * 1024));
      res.on('close', () => (destroyed = true));
    };
    const c = client();
    try {
      const error = await refusal(c.downloadMpnsCertificate('App1', dir));
      assert.equal(error.code, 'unexpected-response');
      assert.match(error.message, /^127\.0\.0\.1:\d+ sent 1073741824 bytes for the certificate; a \.p12 certificate file is only a few KB \(at most 1024 KB here\)\. Nothing was saved; ask the server's administrator\.$/);
      assert.deepEqual(await readdir(dir), []);
      for (let i = 0; i < 100 && !destroyed; i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(destroyed, 'the connection was closed rather than read to its end');
    } finally {
      await c.close();
    }
  });

  test('an unannounced body is stopped once it passes 1 MiB, and its temp deleted', async () => {
    const dir = await folder('unannounced');
    let sent = 0;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-pkcs12' });
      const more = () => {
        while (sent < 64 * 1024 * 1024) {
          sent += 64 * 1024;
          if (!res.write(Buffer.alloc(64 * 1024, 1))) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => undefined);
      more();
    };
    const c = client();
    try {
      const error = await refusal(c.downloadMpnsCertificate('App1', dir));
      assert.equal(error.code, 'unexpected-response');
      assert.match(error.message, new RegExp(`sent more than ${MAX_CERTIFICATE_DOWNLOAD_BYTES} bytes for the certificate`));
      assert.deepEqual(await readdir(dir), []);
      assert.ok(sent < 16 * 1024 * 1024, `${sent} bytes were sent before the download stopped`);
    } finally {
      await c.close();
    }
  });

  test('a gzip body (a bomb of zeros here) is refused, not saved as the certificate', async () => {
    const dir = await folder('gzip');
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    handler = certificate(bomb, { 'content-encoding': 'gzip' });
    const c = client();
    try {
      const error = await refusal(c.downloadMpnsCertificate('App1', dir));
      assert.equal(error.code, 'unexpected-response');
      assert.match(error.message, /^127\.0\.0\.1:\d+ sent the certificate compressed \(Content-Encoding: gzip\), which Engagement Desk does not accept for a certificate\. Nothing was saved; ask the server's administrator\.$/);
      assert.deepEqual(await readdir(dir), []);
    } finally {
      await c.close();
    }
  });
});

describe('the saved body is checked to be PKCS#12 (issue #18 point 9)', () => {
  test('anything else is kept as sent, with a warning given before "Saved"', async () => {
    const dir = await folder('not-p12');
    const zip = Buffer.from('PK\x03\x04 this is a zip, not a certificate');
    handler = certificate(zip, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="cert.exe"' });
    const c = client();
    const saved: unknown[] = [];
    try {
      const result = await c.downloadMpnsCertificate('App1', dir, { onSaved: (s) => saved.push(s) });
      assert.equal(result.warning, NOT_PKCS12_WARNING);
      assert.equal(result.path, join(dir, 'cert.exe.p12'));
      assert.deepEqual(saved, [{ path: result.path, bytes: zip.length, warning: NOT_PKCS12_WARNING }]);
      assert.deepEqual(await readFile(result.path), zip);
      // A real certificate with one byte more at its end (its DER no longer spans the file): warned too.
      handler = certificate(Buffer.concat([p12, Buffer.from([0])]));
      assert.equal((await c.downloadMpnsCertificate('App1', join(dir, 'padded.p12'))).warning, NOT_PKCS12_WARNING);
      handler = certificate(p12);
      assert.equal((await c.downloadMpnsCertificate('App1', join(dir, 'real.p12'))).warning, undefined);
    } finally {
      await c.close();
    }
  });
});
