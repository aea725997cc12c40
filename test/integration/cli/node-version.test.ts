// The CLI on a Node too old for its bundle says so, instead of failing while loading (issue #19's install story:
// npm installs the package on any Node).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { nodeVersionProblem } from '../../../main/cli/node-version';
import { CLI_PATH } from '../../support/cli';

describe('the Node the CLI runs on', () => {
  test('22.15 and later, 23.8 and later and 24 will do; older ones are named with the one needed', () => {
    for (const ok of ['v22.15.0', 'v22.23.3', 'v23.8.0', 'v24.0.0', 'v24.22.3', 'v25.1.0']) assert.equal(nodeVersionProblem(ok), undefined, ok);
    for (const old of ['v20.20.2', 'v22.14.9', 'v23.7.0', 'v18.0.0']) {
      assert.equal(
        nodeVersionProblem(old),
        `engagement-desk needs Node.js 22.15 or later (24 recommended), and this is Node.js ${old}. Install Node.js 24 and run the command again; nothing was done.`,
      );
    }
  });

  // Debian 12's own Node is 20: the very Node a user of this machine would try first.
  const oldNode = (process.platform === 'win32' ? [] : ['/usr/bin/node', '/usr/local/bin/node']).find((path) => {
    if (!existsSync(path)) return false;
    const version = (spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout ?? '').trim();
    return nodeVersionProblem(version) !== undefined;
  });
  test('the built CLI on an older Node prints that sentence (one JSON object with --json) and exits 1', { skip: oldNode ? false : 'no Node older than 22.15 on this machine' }, () => {
    const version = spawnSync(oldNode!, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const plain = spawnSync(oldNode!, [CLI_PATH, 'profile', 'list'], { encoding: 'utf8' });
    assert.equal(plain.status, 1);
    assert.equal(plain.stdout, '');
    assert.equal(plain.stderr.trim(), nodeVersionProblem(version));
    const json = spawnSync(oldNode!, [CLI_PATH, 'profile', 'list', '--json'], { encoding: 'utf8' });
    assert.equal(json.status, 1);
    assert.deepEqual(JSON.parse(json.stdout), { ok: false, error: { code: 'node-version', message: nodeVersionProblem(version) } });
    assert.equal(spawnSync(oldNode!, [CLI_PATH, '--version'], { encoding: 'utf8' }).status, 0);
  });
});
