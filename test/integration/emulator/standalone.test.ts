import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { basic, tempDir } from './emulator-fixtures';

const CHILD = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'standalone-child.ts');

test('the standalone emulator prints its URL and credentials, serves, and exits cleanly on SIGTERM', { timeout: 60_000 }, async () => {
  const data = await tempDir('standalone');
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, data.path], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout.setEncoding('utf8');
    // Wait for the banner line that carries the URL (a state, not a sleep).
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (text: string) => {
        stdout += text;
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`child exited (${code}) before listening:\n${stdout}\n${stderr}`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/vpns$/);
    assert.match(stdout, /user: +sandbox \/ sandbox/);
    assert.match(stdout, /API key: +sandbox-app-api-key/);

    const response = await request(`${url}/api/v1/healthcheck/json`, { headers: basic() });
    assert.equal(response.statusCode, 200);
    await response.body.dump();

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, null, 'the process was killed instead of shutting down');
    assert.equal(code, 0);
    assert.match(stdout, /Emulator stopped\./);
    assert.match(stderr, /^GET \/vpns\/api\/v1\/healthcheck\/json 200 \d+ms$/m);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await data.remove();
  }
});
