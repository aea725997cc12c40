// Wine shim for the Windows lane's test fixtures (never the product): the tests build their certificates and signed
// passes with the openssl command (test/support/fixtures.ts), and a Windows process under Wine cannot start a Linux
// program. The lane serves this on 127.0.0.1 with a random token; fixtures.ts on Windows posts each openssl call
// here (ENGAGEMENT_DESK_OPENSSL_BRIDGE) and it runs on Linux with Windows paths mapped through the Wine prefix.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';

/** A Windows path as Linux sees it: Z:\x is /x, another drive is the prefix's dosdevices link. Others unchanged. */
export function linuxPath(value, prefix) {
  const match = /^([A-Za-z]):\\(.*)$/s.exec(value);
  if (!match) return value;
  const rest = match[2].replaceAll('\\', '/');
  return match[1].toUpperCase() === 'Z' ? `/${rest}` : join(prefix, 'dosdevices', `${match[1].toLowerCase()}:`, rest);
}

/** Starts the bridge; resolves to its URL (token included) and a close function. */
export async function startOpensslBridge(prefix) {
  const token = randomBytes(16).toString('hex');
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.url !== `/${token}` || request.method !== 'POST') {
        response.writeHead(404).end();
        return;
      }
      const call = JSON.parse(body);
      const args = call.args.map((arg) => linuxPath(arg, prefix));
      const env = { PATH: process.env.PATH, ...(call.p12Pass !== undefined ? { ED_TEST_P12_PASS: call.p12Pass } : {}) };
      execFile('openssl', args, { cwd: linuxPath(call.cwd, prefix), env, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
      });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/${token}`, close: () => new Promise((resolve) => server.close(resolve)) };
}
