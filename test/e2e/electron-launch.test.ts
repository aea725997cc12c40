// Launches the built app (out/main/index.js) in real Electron through Playwright and checks what only a real
// Electron can show: the preload bridge, the sandboxed page without Node, the enforced CSP header, the app://
// origin. Skipped when the Electron binary is not installed (it cannot be downloaded everywhere);
// the binary is located without node_modules/electron/index.js, which would try to download it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { channels } from '../../preload/contract';
import { API_GLOBAL } from '../../preload/api';
import { CONTENT_SECURITY_POLICY } from '../../main/window-policy';
import { makeTempDir } from '../support/temp-dir';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const mainEntry = join(root, 'out/main/index.js');

/** The Electron executable, or why there is none. Mirrors electron's own lookup minus its download fallback. */
function findElectron(): { path: string } | { reason: string } {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!relative && !override) return { reason: `no Electron binary (${pathFile} is missing: the download never ran)` };
  const executable = override ? join(override, relative || 'electron') : join(packageDir, 'dist', relative);
  if (!existsSync(executable)) return { reason: `no Electron binary at ${executable}` };
  return { path: executable };
}

test('the packaged shell starts with a locked-down window and a working bridge', async (t) => {
  const found = findElectron();
  if ('reason' in found) {
    const reason = `Electron e2e skipped: ${found.reason}.`;
    console.log(reason);
    t.skip(reason);
    return;
  }
  assert.ok(existsSync(mainEntry), `${mainEntry} is missing: run npm run build first`);

  const home = await makeTempDir('electron-e2e');
  let app: ElectronApplication | undefined;
  try {
    app = await electron.launch({
      executablePath: found.path,
      // The repo root: Electron reads package.json "main", and app.getAppPath() is where out/ lives.
      args: [root],
      env: { ...process.env, ENGAGEMENT_DESK_HOME: home.dir },
      timeout: 60_000,
    });
    const page = await app.firstWindow();
    await page.waitForFunction((name) => name in globalThis, API_GLOBAL);
    assert.equal(await page.title(), 'Engagement Desk');

    // The page functions run in the browser; the root tsconfig has no DOM types, hence the structural casts.
    const bridge = await page.evaluate((name) => {
      const scope = globalThis as unknown as Record<string, unknown>;
      const api = (scope[name] ?? {}) as Record<string, unknown>;
      return {
        functions: Object.keys(api).filter((key) => typeof api[key] === 'function').sort(),
        others: Object.keys(api).filter((key) => typeof api[key] !== 'function'),
        require: typeof scope.require,
        process: typeof scope.process,
        module: typeof scope.module,
      };
    }, API_GLOBAL);
    assert.deepEqual(bridge.functions, [...Object.keys(channels), 'onProgress', 'pathForFile'].sort());
    assert.deepEqual(bridge.others, []);
    assert.deepEqual(
      { require: bridge.require, process: bridge.process, module: bridge.module },
      { require: 'undefined', process: 'undefined', module: 'undefined' },
    );

    // The bridge reaches the real handlers in main (the built-in Sandbox profile is always listed).
    const listed = await page.evaluate((name) => {
      const scope = globalThis as unknown as Record<string, { profileList(request: object): Promise<{ ok: boolean }> }>;
      return scope[name]?.profileList({});
    }, API_GLOBAL);
    assert.equal(listed?.ok, true, JSON.stringify(listed));

    // An injected inline script must not run: the CSP is in force. Inline scripts run synchronously on insertion,
    // so `ran` is known at once; the violation event then confirms which directive blocked it.
    const inline = await page.evaluate(
      () =>
        new Promise<{ ran: boolean; directive?: string }>((resolveResult) => {
          interface Doc {
            addEventListener(type: string, listener: (event: { effectiveDirective: string }) => void, options: object): void;
            createElement(tag: string): { textContent: string };
            head: { append(node: unknown): void };
          }
          const scope = globalThis as unknown as { document: Doc; __engagementInlineRan?: boolean };
          scope.document.addEventListener(
            'securitypolicyviolation',
            (event) => resolveResult({ ran: false, directive: event.effectiveDirective }),
            { once: true },
          );
          const script = scope.document.createElement('script');
          script.textContent = 'window.__engagementInlineRan = true';
          scope.document.head.append(script);
          if (scope.__engagementInlineRan === true) resolveResult({ ran: true });
        }),
    );
    assert.deepEqual(inline, { ran: false, directive: 'script-src-elem' });

    // The header (not only the page's meta tag) carries the full policy; the window shows our page and title.
    const fromMain = await app.evaluate(async ({ BrowserWindow, session }) => {
      const response = await session.defaultSession.fetch('app://engagement-desk/index.html');
      const window = BrowserWindow.getAllWindows()[0];
      return {
        csp: response.headers.get('content-security-policy'),
        nosniff: response.headers.get('x-content-type-options'),
        url: window?.webContents.getURL(),
        windowTitle: window?.getTitle(),
      };
    });
    assert.deepEqual(fromMain, {
      csp: CONTENT_SECURITY_POLICY,
      nosniff: 'nosniff',
      url: 'app://engagement-desk/index.html',
      windowTitle: 'Engagement Desk',
    });
  } finally {
    await app?.close();
    await home.remove();
  }
});
