// main/server/undici-parts.ts takes undici's Agent, request and connector from their own files rather than the
// package index (a faster CLI start). These are undici's files, not its documented entry point: this checks they are
// the very objects the package exports, and that request() splits a URL as undici's own request() does.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
// undici-parts first: it must give dispatchers request() before undici's index (imported next) would.
import { Agent, buildConnector, request } from '../../../../main/server/undici-parts';
import * as undici from 'undici';

describe('undici parts', () => {
  test('Agent and buildConnector are the package’s own exports, and every dispatcher has request()', () => {
    assert.equal(Agent, undici.Agent);
    assert.equal(buildConnector, undici.buildConnector);
    assert.equal(typeof (undici.Dispatcher.prototype as { request?: unknown }).request, 'function');
    assert.equal(new Agent().request, new undici.Agent().request);
  });

  test('request() sends the path with its query, GET by default and PUT with a body, and reads the answer', async () => {
    const seen: Array<{ method?: string; url?: string; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, body });
        res.end(`answer to ${req.method}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new Agent();
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const got = await request(`${base}/api/v1/x?appId=a%20b&n=1`, { dispatcher: agent });
      assert.equal(got.statusCode, 200);
      assert.equal(await got.body.text(), 'answer to GET');
      const put = await request(new URL('/y', base), { dispatcher: agent, body: 'hello' });
      assert.equal(await put.body.text(), 'answer to PUT');
      const post = await request(`${base}/z`, { dispatcher: agent, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      await post.body.dump();
      assert.deepEqual(seen, [
        { method: 'GET', url: '/api/v1/x?appId=a%20b&n=1', body: '' },
        { method: 'PUT', url: '/y', body: 'hello' },
        { method: 'POST', url: '/z', body: '{}' },
      ]);
    } finally {
      await agent.close();
      server.close();
    }
  });
});
