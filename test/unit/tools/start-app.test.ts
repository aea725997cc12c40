// `npm start` on a machine without the Electron runtime: one paragraph that says what happened and what works
// meanwhile, exit 1, and no stack trace from the electron package.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const launcher = resolve(fileURLToPath(import.meta.url), '../../../../tools/start-app.mjs');

test('without the Electron runtime, npm start explains in one paragraph that the CLI and Sandbox still work', () => {
  const emptyElectron = mkdtempSync(join(tmpdir(), 'no-electron-'));
  try {
    const run = spawnSync(process.execPath, [launcher], {
      env: { ...process.env, ENGAGEMENT_DESK_ELECTRON_DIR: emptyElectron },
      encoding: 'utf8',
    });
    assert.equal(run.status, 1);
    const text = run.stderr.trim();
    assert.equal(text.split('\n').length, 1, `one paragraph, got:\n${text}`);
    assert.match(text, /Electron runtime is not installed/);
    assert.match(text, /command line and the Sandbox work/);
    assert.match(text, /npm run cli -- profile test Sandbox/);
    assert.doesNotMatch(text, /\n\s+at |Error:|npx install-electron/);
  } finally {
    rmSync(emptyElectron, { recursive: true, force: true });
  }
});
