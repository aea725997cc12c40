// Row 6: the renderer's JavaScript size (gzip) and the time from navigation to the first interactive screen in
// Chromium. The page is served over loopback with the app's CSP; window.engagement is a stub answering with
// canned Result data, so the time is the renderer's own (no main process, no keychain, no network).
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { channels } from '../../preload/contract';
import { CHROMIUM_ARGS } from '../../test/support/e2e-harness';
import { median, REPO_ROOT, round, type BenchConfig, type BenchRow } from '../lib';

const RENDERER_DIR = join(REPO_ROOT, 'out/renderer');
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'";
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

const SANDBOX_VIEW = {
  id: 'sandbox',
  name: 'Sandbox',
  baseUrl: 'http://127.0.0.1:1',
  authMode: 'basic',
  username: 'sandbox',
  tokenHeaders: ['X-VoltMX-Authorization', 'X-Kony-Authorization'],
  builtIn: true,
  hasSecret: true,
  secretStorage: 'built-in',
  insecureTransport: false,
};

/**
 * Runs in the page before the app: the stub bridge, and an observer noting when the first screen is usable.
 * Plain JavaScript text on purpose: a function passed through tsx would carry its `__name` helper calls along.
 */
function stubScript(keys: string[], profiles: unknown[]): string {
  return `(() => {
  const keys = ${JSON.stringify(keys)};
  const profiles = ${JSON.stringify(profiles)};
  const api = { pathForFile: () => '' };
  for (const key of keys) {
    api[key] = async () => key === 'profileList'
      ? { ok: true, value: profiles }
      : { ok: false, error: { code: 'internal', message: 'Not available in the benchmark.', retryable: false } };
  }
  // Event subscriptions (onProgress, onOutbox...) answer an unsubscribe function and never fire.
  window.engagement = new Proxy(Object.freeze(api), {
    get: (target, key) => (typeof key === 'string' && /^on[A-Z]/.test(key) ? () => () => undefined : target[key]),
  });
  const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const observer = new MutationObserver(() => {
    if (window.__interactiveAt !== undefined) return;
    const heading = [...document.querySelectorAll('main h1')].find(visible);
    const selector = document.querySelector('[data-testid="profile-selector"]');
    if (heading && visible(selector) && !selector.disabled) {
      window.__interactiveAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
})();`;
}

export async function rendererRows(config: BenchConfig): Promise<BenchRow[]> {
  const assets = join(RENDERER_DIR, 'assets');
  const scripts = (await readdir(assets)).filter((name) => name.endsWith('.js'));
  if (scripts.length === 0) throw new Error(`No renderer build in ${assets}: run npm run build first.`);
  let raw = 0;
  let gzipped = 0;
  for (const name of scripts) {
    const bytes = await readFile(join(assets, name));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = resolve(RENDERER_DIR, `.${decodeURIComponent(path === '/' ? '/index.html' : path)}`);
    if (!file.startsWith(RENDERER_DIR + sep)) return void response.writeHead(403).end();
    stat(file).then(
      (info) => {
        if (!info.isFile()) throw new Error('not a file');
        response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP, 'cache-control': 'no-store' });
        createReadStream(file).pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const samples: number[] = [];
  try {
    const runs = config.quick ? 1 : 7;
    for (let i = 0; i <= runs; i++) {
      // A fresh context each time: nothing cached from the previous load.
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.addInitScript({ content: stubScript(Object.keys(channels), [SANDBOX_VIEW]) });
      await page.goto(`${origin}/index.html`);
      const at = (await (
        await page
          .waitForFunction(() => (globalThis as unknown as { __interactiveAt?: number }).__interactiveAt, undefined, { timeout: 20_000 })
          .catch((error: unknown) => {
            throw new Error(`The first screen never became interactive${pageErrors.length ? ` (page errors: ${pageErrors.join('; ')})` : ''}: ${String(error)}`);
          })
      ).jsonValue()) as number;
      if (i > 0 || config.quick) samples.push(at); // the first full-run load warms Chromium itself
      await context.close();
    }
  } finally {
    await browser.close();
    await new Promise((done) => server.close(done));
  }
  const tti = median(samples);
  return [
    {
      id: 'renderer-bundle',
      scenario: '6a. renderer JavaScript, gzip -9',
      unit: 'KB',
      ours: round(gzipped / 1024),
      oursPeakRssMB: undefined,
      target: '< 300 KB',
      pass: gzipped < 300 * 1024,
      runs: 1,
      samples: { ours: [round(gzipped / 1024)] },
      notes: `${scripts.length} file(s), ${round(raw / 1024)} KB minified`,
    },
    {
      id: 'renderer-interactive',
      scenario: '6b. navigation to first interactive screen (Chromium)',
      unit: 'ms',
      ours: round(tti),
      target: 'report (no target)',
      pass: Number.isFinite(tti),
      runs: samples.length,
      samples: { ours: samples.map((v) => round(v)) },
      notes: 'heading and profile selector visible and enabled; stub bridge answers at once',
    },
  ];
}
