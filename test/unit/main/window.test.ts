// Pins the shell's security policy (main/window.ts applies it; the decisions live in main/window-policy.ts so
// they run without an Electron binary).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  DEFAULT_WINDOW_SIZE,
  MIN_WINDOW_SIZE,
  SECURE_WEB_PREFERENCES,
  isAllowedNavigation,
  isTrustedSender,
  permissionDecision,
  restoreBounds,
  windowOpenDecision,
} from '../../../main/window-policy';

function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    assert.ok(!directives.has(name), `directive ${name} appears twice`);
    directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

describe('web preferences', () => {
  test('isolate and sandbox the renderer and turn off everything it does not need', () => {
    assert.deepEqual(
      { ...SECURE_WEB_PREFERENCES },
      {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        webviewTag: false,
        safeDialogs: true,
        disableBlinkFeatures: 'Auxclick',
      },
    );
  });
});

describe('content security policy', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);

  test('denies by default and allows scripts and styles only from the app itself', () => {
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('style-src'), ["'self'"]);
    assert.deepEqual(csp.get('font-src'), ["'self'"]);
    assert.deepEqual(csp.get('img-src'), ["'self'", 'data:']);
  });

  test('never allows eval or inline script anywhere', () => {
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-/);
    for (const [name, sources] of csp) {
      assert.ok(!sources.some((s) => /unsafe|\*|^https?:$|blob:/i.test(s)), `${name} is too broad: ${sources.join(' ')}`);
    }
  });

  test('keeps the page off the network and out of frames, forms and plugins', () => {
    for (const name of ['connect-src', 'base-uri', 'form-action', 'frame-ancestors', 'object-src']) {
      assert.deepEqual(csp.get(name), ["'none'"], name);
    }
  });

  test("index.html's own policy is the same, so the page is as locked down where no header is sent (a browser test)", async () => {
    const html = await readFile(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    assert.ok(meta, 'renderer/index.html has no Content-Security-Policy meta tag');
    // frame-ancestors is ignored in a meta tag, so only the header can carry it.
    const expected = new Map([...csp].filter(([name]) => name !== 'frame-ancestors'));
    assert.deepEqual(parseCsp(meta), expected);
  });
});

describe('navigation', () => {
  test('stays on app://engagement-desk', () => {
    assert.equal(isAllowedNavigation(APP_ENTRY_URL), true);
    assert.equal(isAllowedNavigation('app://engagement-desk/'), true);
    assert.equal(isAllowedNavigation('app://engagement-desk/index.html#/profiles'), true);
  });

  test('refuses every other place, including look-alike hosts', () => {
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'app://other/index.html',
      'app://engagement-desk.evil.example/index.html',
      'app://engagement-desk:8080/index.html',
      'app://user:pw@engagement-desk/index.html',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'not a url',
      '',
    ]) {
      assert.equal(isAllowedNavigation(url), false, url);
    }
  });
});

describe('window.open', () => {
  test('never opens an Electron window; https goes to the browser', () => {
    assert.deepEqual(windowOpenDecision('https://opensource.hcltechsw.com/volt-mx-docs/'), {
      action: 'deny',
      openExternally: true,
    });
  });

  test('anything but https stays closed', () => {
    for (const url of [
      'http://example.com/',
      'file:///C:/Windows/System32/calc.exe',
      'javascript:alert(1)',
      'app://engagement-desk/index.html',
      'smb://server/share',
      'mailto:someone@example.com',
      'https:',
      'nonsense',
    ]) {
      assert.deepEqual(windowOpenDecision(url), { action: 'deny', openExternally: false }, url);
    }
  });
});

describe('permissions and IPC senders', () => {
  test('every permission is refused', () => {
    assert.equal(permissionDecision(), false);
  });

  test('only our own main frame is trusted', () => {
    assert.equal(isTrustedSender(APP_ENTRY_URL, true), true);
    assert.equal(isTrustedSender(APP_ENTRY_URL, false), false);
    assert.equal(isTrustedSender('https://evil.example/', true), false);
    assert.equal(isTrustedSender('app://evil/index.html', true), false);
    assert.equal(isTrustedSender('', true), false);
  });
});

describe('restoreBounds', () => {
  const laptop = { workArea: { x: 0, y: 0, width: 1920, height: 1050 } };
  const leftMonitor = { workArea: { x: -2560, y: 0, width: 2560, height: 1400 } };

  test('nothing (or garbage) stored: default size, centred by Electron', () => {
    for (const saved of [undefined, null, 'x', { x: 1 }, { x: 0, y: 0, width: Number.NaN, height: 700 }, { x: 0, y: 0, width: -5, height: 700 }]) {
      assert.deepEqual(restoreBounds(saved, [laptop]), { ...DEFAULT_WINDOW_SIZE, maximized: false }, JSON.stringify(saved));
    }
  });

  test('bounds on a connected display come back unchanged, maximized too', () => {
    assert.deepEqual(restoreBounds({ x: 100, y: 80, width: 1000, height: 700 }, [laptop]), {
      x: 100, y: 80, width: 1000, height: 700, maximized: false,
    });
    assert.deepEqual(restoreBounds({ x: -2000, y: 50, width: 1400, height: 900, maximized: true }, [laptop, leftMonitor]), {
      x: -2000, y: 50, width: 1400, height: 900, maximized: true,
    });
  });

  test('a window left on an unplugged monitor is brought back to the primary display', () => {
    const placement = restoreBounds({ x: -2000, y: 50, width: 1400, height: 900 }, [laptop]);
    assert.deepEqual(placement, { width: 1400, height: 900, maximized: false });
  });

  test('a window mostly off screen is pulled fully onto its display', () => {
    const placement = restoreBounds({ x: 1800, y: 900, width: 1000, height: 700 }, [laptop]);
    assert.deepEqual(placement, { x: 920, y: 350, width: 1000, height: 700, maximized: false });
  });

  test('a window bigger than its display is shrunk to fit, never below the minimum size', () => {
    assert.deepEqual(restoreBounds({ x: 0, y: 0, width: 4000, height: 3000 }, [laptop]), {
      x: 0, y: 0, width: 1920, height: 1050, maximized: false,
    });
    const small = restoreBounds({ x: 10, y: 10, width: 300, height: 200 }, [laptop]);
    assert.equal(small.width, MIN_WINDOW_SIZE.width);
    assert.equal(small.height, MIN_WINDOW_SIZE.height);
  });

  test('a title bar above the top of the display does not count as visible', () => {
    const placement = restoreBounds({ x: 100, y: -500, width: 1000, height: 700 }, [laptop]);
    assert.equal(placement.x, undefined);
  });
});
