// What a CLI command loads before it does its work (issue #19, fast start): each command pulls in only the code it
// uses. The built CLI runs as a user's shell runs it, with a hook that lists every module it loaded; the source maps
// of the loaded chunks say which sources and packages those were. A stray import (the contract's schemas in the send
// path, undici's whole index, the drafts store in a one-shot send) fails here instead of slowing every command.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { selfSignedIdentity } from '../../../main/emulator/tls';
import { REPO_ROOT, runCliProcess, type CliRun } from '../../support/cli';
import { makeP12, makePkpass, makePng } from '../../support/fixtures';
import { makeTempDir } from '../../support/temp-dir';

const PASSWORD = 'Start-Cost-Secret-41c2';
const USER = 'ops-admin';
const HOOK = pathToFileURL(join(REPO_ROOT, 'test/support/report-loaded-modules.mjs')).href;

let emulator: Emulator;
let tmp: { dir: string; remove(): Promise<void> };
let home: string;
let runs = 0;

/** Runs the CLI and answers, with its result, the repository paths of every source its loaded chunks hold, and the
 * ids of Node's own modules it loaded. */
async function loadedBy(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ run: CliRun; sources: Set<string>; builtins: Set<string> }> {
  const list = join(tmp.dir, `loaded-${++runs}.txt`);
  const run = await runCliProcess(args, {
    home,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    // Added to NODE_OPTIONS, not in its place: the Windows lane loads its Wine shim through it.
    env: { ...options.env, LOADED_MODULES_FILE: list, NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${HOOK}`].filter(Boolean).join(' ') },
  });
  const sources = new Set<string>();
  const builtins = new Set<string>();
  const cliOut = join(REPO_ROOT, 'out/cli');
  for (const entry of (await readFile(list, 'utf8')).split('\n').filter(Boolean)) {
    if (entry.startsWith('builtin:')) {
      builtins.add(entry.slice('builtin:'.length));
      continue;
    }
    const file = fileURLToPath(entry);
    if (!file.startsWith(cliOut)) continue;
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    for (const source of map.sources) sources.add(relative(REPO_ROOT, resolve(dirname(file), source)).split('\\').join('/'));
  }
  assert.ok(sources.size > 0, `no CLI module was recorded for ${args.join(' ')}`);
  return { run, sources, builtins };
}

const under = (sources: Set<string>, prefix: string) => [...sources].filter((s) => s.startsWith(prefix));

function assertNone(sources: Set<string>, prefixes: string[], what: string): void {
  for (const prefix of prefixes) assert.deepEqual(under(sources, prefix), [], `${what} loaded ${prefix}`);
}

before(async () => {
  tmp = await makeTempDir('start-cost');
  home = join(tmp.dir, 'home');
  await mkdir(home);
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), users: [{ username: USER, password: PASSWORD }] });
  const added = await runCliProcess(['profile', 'add', 'local', '--url', emulator.url, '--auth', 'basic', '--user', USER, '--password-stdin', '--json'], { home, stdin: `${PASSWORD}\n` });
  assert.equal(added.code, 0, added.stderr + added.stdout);
});

after(async () => {
  await emulator?.close();
  await tmp?.remove();
});

describe('what a CLI command loads', () => {
  test('--version loads no command and no package', async () => {
    const { run, sources } = await loadedBy(['--version']);
    assert.equal(run.code, 0, run.stderr);
    assertNone(sources, ['node_modules/', 'main/server/', 'main/platform/'], '--version');
  });

  test('check of a .pkpass loads the checkers, not the HTTP client, the settings store or the schemas', async () => {
    const pass = await makePkpass(tmp.dir, { name: 'typical.pkpass' });
    const { run, sources } = await loadedBy(['check', pass.path]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.ok(under(sources, 'node_modules/yauzl/').length > 0, 'the zip reader is what check uses');
    assertNone(sources, ['node_modules/zod/', 'node_modules/undici/', 'node_modules/conf/', 'node_modules/ajv/', 'main/drafts/', 'main/server/'], 'check');
  });

  test('cert download loads undici’s client parts and the send path only: no schemas, no drafts or outbox', async () => {
    const cert = join(tmp.dir, 'mpns.p12');
    await rename((await makeP12(tmp.dir, { passphrase: 'p12-pass' })).path, cert);
    const up = await runCliProcess(['cert', 'upload', '--profile', 'local', '--app', 'App-1', '--cert', cert, '--passphrase-stdin', '--json'], { home, stdin: 'p12-pass\n' });
    assert.equal(up.code, 0, up.stderr + up.stdout);
    const out = join(tmp.dir, 'downloads');
    await mkdir(out);
    const { run, sources, builtins } = await loadedBy(['cert', 'download', '--profile', 'local', '--app', 'App-1', '--out', out, '--json']);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.ok(sources.has('node_modules/undici/lib/dispatcher/agent.js'), 'the download goes through undici’s Agent');
    // Node's own modules: the built-ins are required, not imported (an ESM import of node:http, node:util or
    // node:process loads every part they load lazily), HTTP/2 and TLS wait for an https server, readline for a
    // prompt, child_process (commander's) for a use this CLI never makes, node:v8 for a batch.
    assert.ok(builtins.has('http'), `the hook records Node's modules: ${[...builtins].join(', ')}`);
    const needless = ['http2', 'tls', 'worker_threads', 'child_process', 'dgram', 'readline', 'v8', 'internal/util/parse_args/parse_args', 'internal/crypto/webcrypto'];
    assert.deepEqual(needless.filter((id) => builtins.has(id)), [], 'cert download loaded Node modules it does not use');
    // (The answer body's helpers bring a few of undici's fetch files; fetch itself, WebSocket, caches and mocks stay out.)
    assertNone(
      sources,
      ['node_modules/zod/', 'node_modules/undici/index.js', 'node_modules/undici/lib/web/fetch/index.js', 'node_modules/undici/lib/web/websocket/', 'node_modules/undici/lib/web/cache/', 'node_modules/undici/lib/mock/', 'main/drafts/', 'main/outbox/', 'preload/contract/index.ts'],
      'cert download',
    );
  });

  test('cert download from an HTTPS server that speaks HTTP/2 only: node:http2 loads when the server chooses it', async () => {
    // The bundle hands undici's HTTP/2 client a stand-in for node:http2 (build.config.mjs): its constants when it
    // loads, the real module at the first HTTP/2 connection. The request's pseudo-headers come from those constants.
    const identity = selfSignedIdentity('127.0.0.1');
    const ca = join(tmp.dir, 'h2-authority.pem');
    await writeFile(ca, identity.cert);
    const body = await readFile((await makeP12(tmp.dir, { passphrase: 'h2-pass' })).path);
    const seen: string[] = [];
    const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const server = createSecureServer({ key: identity.key, cert: identity.cert, allowHTTP1: false }, (req, res) => {
      seen.push(`HTTP/${req.httpVersion} ${req.method} ${req.url}`);
      if (req.headers.authorization !== basic) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"id":"401","message":"Unauthorized"}');
      res.writeHead(200, { 'content-type': 'application/x-pkcs12', 'content-disposition': 'attachment; filename="h2-only.p12"', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const added = await runCliProcess(['profile', 'add', 'h2-only', '--url', url, '--auth', 'basic', '--user', USER, '--password-stdin', '--json'], { home, stdin: `${PASSWORD}\n` });
      assert.equal(added.code, 0, added.stderr + added.stdout);
      const out = join(tmp.dir, 'h2-downloads');
      await mkdir(out);
      const { run, builtins } = await loadedBy(['cert', 'download', '--profile', 'h2-only', '--app', 'App-H2', '--out', out, '--json'], { env: { NODE_EXTRA_CA_CERTS: ca } });
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.deepEqual(seen, ['HTTP/2.0 GET /api/v1/applications/downloadwindowscert?appId=App-H2']);
      const saved = run.json() as { path: string; sha256: string; bytes: number };
      assert.equal(saved.sha256, createHash('sha256').update(body).digest('hex'));
      assert.deepEqual(await readFile(saved.path), body);
      assert.ok(builtins.has('http2') && builtins.has('tls'), 'the HTTP/2 connection loaded node:http2 and node:tls');
    } finally {
      await new Promise<void>((closed) => server.close(() => closed()));
    }
  });

  test('pass update checks its passContent (the schemas load) but opens no drafts store or outbox', async () => {
    const pass = await makePkpass(tmp.dir, { name: 'update.pkpass' });
    const logo = join(tmp.dir, 'logo.png');
    await writeFile(logo, makePng(320, 100));
    const content = join(tmp.dir, 'content.json');
    await writeFile(content, JSON.stringify({ recipients: { recipient: [{ id: '1000000000000000001' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 }));
    const { run, sources } = await loadedBy(['pass', 'update', '--profile', 'local', '--pkpass', pass.path, '--content', content, '--image', `logo=${logo}`, '--json']);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.ok(under(sources, 'node_modules/zod/').length > 0, 'the passContent check is zod’s');
    assertNone(sources, ['main/drafts/', 'main/outbox/', 'node_modules/undici/index.js', 'node_modules/undici/lib/web/fetch/index.js'], 'pass update');
  });

  test('the drafts commands do load the drafts store (the hook sees what it should)', async () => {
    const { run, sources } = await loadedBy(['drafts', 'list', '--json']);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.ok(sources.has('main/drafts/drafts-store.ts'), [...sources].filter((s) => s.startsWith('main/')).join(', '));
  });
});
