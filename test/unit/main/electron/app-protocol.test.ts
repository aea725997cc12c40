// The app:// handler serves only files under out/renderer, with the CSP on every document. Real files in a temp
// folder; the secret sits next to the served root, where a traversal would find it.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  APP_SCHEME_PRIVILEGES,
  mimeTypeFor,
  registerAppScheme,
  resolveAppAsset,
  serveAppAsset,
} from '../../../../main/electron/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../../main/window-policy';

const SECRET = 'top-secret-do-not-serve';
let base: string;
let root: string;

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'engagement-desk-app-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Engagement Desk</title>');
  await writeFile(join(root, 'assets', 'main.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'main.css'), 'body{}');
  await writeFile(join(base, 'secret.txt'), SECRET);
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('resolveAppAsset', () => {
  test('maps app://engagement-desk paths to files under the root', () => {
    assert.equal(resolveAppAsset(root, 'app://engagement-desk/index.html'), join(root, 'index.html'));
    assert.equal(resolveAppAsset(root, 'app://engagement-desk/'), join(root, 'index.html'));
    assert.equal(resolveAppAsset(root, 'app://engagement-desk'), join(root, 'index.html'));
    assert.equal(resolveAppAsset(root, 'app://engagement-desk/assets/main.js?v=3#x'), join(root, 'assets', 'main.js'));
    assert.equal(resolveAppAsset(root, 'app://engagement-desk/assets/a%20b.png'), join(root, 'assets', 'a b.png'));
  });

  test('refuses traversal in every spelling', () => {
    for (const url of [
      'app://engagement-desk/../../etc/passwd',
      'app://engagement-desk/../secret.txt',
      'app://engagement-desk/assets/../../secret.txt',
      'app://engagement-desk/%2e%2e/%2e%2e/etc/passwd',
      'app://engagement-desk/%2E%2E/secret.txt',
      'app://engagement-desk/..%2fsecret.txt',
      'app://engagement-desk/..%2F..%2Fetc%2Fpasswd',
      'app://engagement-desk/..%5csecret.txt',
      'app://engagement-desk/assets/.%2e/.%2e/secret.txt',
      'app://engagement-desk/index.html%00.png',
      'app://engagement-desk/%E0%A4%A',
    ]) {
      assert.equal(resolveAppAsset(root, url), undefined, url);
    }
  });

  test('refuses other hosts, schemes, ports and credentials', () => {
    for (const url of [
      'app://evil/index.html',
      'app://engagement-desk.evil.example/index.html',
      'app://engagement-desk:1234/index.html',
      'app://me:pw@engagement-desk/index.html',
      'file:///etc/passwd',
      `file://${join(root, 'index.html')}`,
      'https://engagement-desk/index.html',
      'not a url',
    ]) {
      assert.equal(resolveAppAsset(root, url), undefined, url);
    }
  });
});

describe('serveAppAsset', () => {
  test('serves HTML with the CSP, the right MIME type and nosniff', async () => {
    const response = await serveAppAsset(root, { url: 'app://engagement-desk/index.html', method: 'GET' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await response.text(), '<!doctype html><title>Engagement Desk</title>');
  });

  test('serves scripts and styles with their MIME types', async () => {
    const js = await serveAppAsset(root, { url: 'app://engagement-desk/assets/main.js' });
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(await js.text(), 'console.log(1)');
    const css = await serveAppAsset(root, { url: 'app://engagement-desk/assets/main.css' });
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  });

  test('never serves the file next to the root, however it is asked for', async () => {
    for (const url of [
      'app://engagement-desk/../secret.txt',
      'app://engagement-desk/%2e%2e/secret.txt',
      'app://engagement-desk/..%2fsecret.txt',
      'app://other/../secret.txt',
    ]) {
      const response = await serveAppAsset(root, { url });
      assert.equal(response.status, 404, url);
      assert.doesNotMatch(await response.text(), new RegExp(SECRET), url);
    }
  });

  test('missing files and folders are 404, writes are 405, HEAD has no body', async () => {
    assert.equal((await serveAppAsset(root, { url: 'app://engagement-desk/nope.js' })).status, 404);
    assert.equal((await serveAppAsset(root, { url: 'app://engagement-desk/assets' })).status, 404);
    assert.equal((await serveAppAsset(root, { url: 'app://engagement-desk/index.html', method: 'POST' })).status, 405);
    const head = await serveAppAsset(root, { url: 'app://engagement-desk/index.html', method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  test('unknown extensions are octet-stream, so nothing is run or rendered by guess', () => {
    assert.equal(mimeTypeFor('x.exe'), 'application/octet-stream');
    assert.equal(mimeTypeFor('X.PNG'), 'image/png');
  });
});

describe('registerAppScheme', () => {
  test('registers app as standard, secure and fetch-capable', () => {
    const calls: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => calls.push(schemes) });
    assert.deepEqual(calls, [[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
    assert.deepEqual({ ...APP_SCHEME_PRIVILEGES }, { standard: true, secure: true, supportFetchAPI: true });
  });
});
