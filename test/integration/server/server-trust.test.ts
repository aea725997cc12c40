// Which authorities a server's certificate may chain to: Node's own, the operating system's store where Node can
// read it, and a given one. The client is tried against the emulator serving HTTPS with a self-signed certificate.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EngagementClient } from '../../../main/server/engagement-client';
import { serverTrust, trustingConnector, type ServerTrust, type TlsTrustApi } from '../../../main/server/server-trust';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { codeOf } from '../../support/errors';
import { makeTempDir } from '../../support/temp-dir';

/** A node:tls stand-in that records the authorities each secure context was made with. */
function fakeTls(lists: { default: string[]; system: string[] | Error }): TlsTrustApi & { made: string[][] } {
  const made: string[][] = [];
  return {
    made,
    getCACertificates(type) {
      const list = lists[type];
      if (list instanceof Error) throw list;
      return list;
    },
    createSecureContext(options) {
      made.push([...(options.ca as string[])]);
      return tls.createSecureContext();
    },
  };
}

describe('serverTrust', () => {
  test("trusts the operating system's authorities beside Node's own, without duplicates", () => {
    const api = fakeTls({ default: ['NODE-A', 'SHARED'], system: ['SHARED', 'COMPANY-CA'] });
    const trust = serverTrust(undefined, api);
    assert.deepEqual(trust.sources, ['bundled', 'system']);
    assert.ok(trust.secureContext);
    assert.deepEqual(api.made, [['NODE-A', 'SHARED', 'COMPANY-CA']]);
  });

  test("keeps Node's defaults (no secure context of its own) when the OS store is empty or unreadable", () => {
    for (const system of [[], new Error('no store')]) {
      const api = fakeTls({ default: ['NODE-A'], system });
      const trust = serverTrust(undefined, api);
      assert.equal(trust.secureContext, undefined);
      assert.deepEqual(trust.sources, ['bundled']);
      assert.equal(api.made.length, 0);
    }
  });

  test('adds a given authority to the rest', () => {
    const api = fakeTls({ default: ['NODE-A'], system: ['COMPANY-CA'] });
    assert.deepEqual(serverTrust('PROFILE-CA', api).sources, ['bundled', 'system', 'extra']);
    assert.deepEqual(api.made, [['NODE-A', 'COMPANY-CA', 'PROFILE-CA']]);
  });

  test("on a Node that cannot list its authorities, a given one is added to Node's bundled roots", () => {
    const made: string[][] = [];
    const trust = serverTrust('PROFILE-CA', {
      createSecureContext(options) {
        made.push([...(options.ca as string[])]);
        return tls.createSecureContext();
      },
    });
    assert.deepEqual(trust.sources, ['bundled', 'extra']);
    assert.deepEqual(made, [[...tls.rootCertificates, 'PROFILE-CA']]);
  });
});

describe('a client and an HTTPS server with its own authority', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let server: Emulator;
  before(async () => {
    tmp = await makeTempDir();
    server = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), tls: 'self-signed' });
  });
  after(async () => {
    await server.close();
    await tmp.remove();
  });
  const clientFor = (ca?: string) =>
    new EngagementClient(
      { id: 'p', name: 'Private CA', baseUrl: server.url, authMode: 'basic', username: 'sandbox', tokenHeaders: [] },
      async () => 'sandbox',
      ca === undefined ? {} : { ca },
    );

  test('is refused with the tls error when the authority is not trusted', async () => {
    const client = clientFor();
    try {
      assert.equal(await codeOf(client.healthCheck()), 'tls');
    } finally {
      await client.close();
    }
  });

  test('connects once that authority is trusted', async () => {
    assert.ok(server.certificatePem);
    const client = clientFor(server.certificatePem);
    try {
      const result = await client.healthCheck();
      assert.ok(result.message.length > 0);
    } finally {
      await client.close();
    }
  });

  test('a connector sets the trust up at its first https: connection only, and once', async () => {
    assert.ok(server.certificatePem);
    const asked: Array<string | undefined> = [];
    const connect = trustingConnector({ timeout: 5_000, extraCa: server.certificatePem }, (extraCa): ServerTrust => {
      asked.push(extraCa);
      return serverTrust(extraCa);
    });
    const open = (url: string) =>
      new Promise<Socket>((resolve, reject) => {
        const { protocol, hostname, host, port } = new URL(url);
        connect({ protocol, hostname, host, port }, (error, socket) => (error ? reject(error) : resolve(socket as Socket)));
      });
    const plain = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const address = plain.address();
      assert.ok(address && typeof address === 'object');
      (await open(`http://127.0.0.1:${address.port}`)).destroy();
      assert.deepEqual(asked, [], 'an http: connection needs no TLS trust');
      for (let i = 0; i < 2; i++) {
        const socket = await open(server.url);
        assert.ok(socket instanceof tls.TLSSocket && socket.authorized, 'the emulator\'s certificate is trusted through the given authority');
        socket.destroy();
      }
      assert.deepEqual(asked, [server.certificatePem]);
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});
