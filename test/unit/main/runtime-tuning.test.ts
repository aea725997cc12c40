// The V8 tuning for short bursts: applied only to the V8 line it was measured on, with a flag that V8 knows.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { shortBurstFlags } from '../../../main/runtime-tuning';

describe('shortBurstFlags', () => {
  test("Node 20's and Node 24's V8 get a later TurboFan, each with its own flag; unmeasured lines are left alone", () => {
    assert.deepEqual(shortBurstFlags('11.3.244.8-node.38'), ['--interrupt-budget=1081344']);
    assert.deepEqual(shortBurstFlags('12.4.254.21-node.33'), []);
    assert.deepEqual(shortBurstFlags('13.6.233.17-node.63'), ['--invocation-count-for-turbofan=48000']);
    assert.deepEqual(shortBurstFlags('14.0.375.21-electron.0'), []);
    assert.deepEqual(shortBurstFlags('not a version'), []);
  });

  test('every flag chosen for this runtime is one its V8 accepts', () => {
    const flags = shortBurstFlags(process.versions.v8);
    // A flag V8 does not know makes node refuse to start; one it knows runs the script.
    const run = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ran")'], { encoding: 'utf8' });
    assert.equal(run.stdout, 'ran', `node ${flags.join(' ')}: ${run.stderr}`);
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    for (const flag of flags) assert.ok(options.includes(`${flag.split('=')[0]} `), `${flag} is listed by --v8-options`);
  });
});

describe('the CLI node flags', () => {
  test('the npm "cli" script runs the CLI on Node 24 with the same flags as its shebang, and this Node accepts them', async () => {
    const { readFile } = await import('node:fs/promises');
    const root = new URL('../../../', import.meta.url);
    const flags = JSON.parse(await readFile(new URL('main/cli/node-flags.json', root), 'utf8')) as string[];
    const scripts = (JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts;
    assert.equal(scripts.cli, `node tools/node24 ${flags.join(' ')} out/cli/engagement-desk.js`);
    const run = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ran")'], { encoding: 'utf8' });
    assert.equal(run.stdout, 'ran', run.stderr);
  });
});
