// config.json through the settings store: reads are kept while the file is unchanged, and any write, from this
// store or another process's, is seen at the next read.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { withTempDir } from '../../support/temp-dir';

describe('settings store reads', () => {
  test("another process's write is seen at the next get", async () => {
    await withTempDir('settings-cache', async (dir) => {
      const store = openSettingsStore(dir);
      store.set('profiles', [{ name: 'one' }]);
      assert.deepEqual(store.get('profiles'), [{ name: 'one' }]);
      // Another process (the CLI beside the app) replaces the profiles, with conf as it would.
      const other = spawnSync(
        process.execPath,
        ['--import', 'tsx', '-e', `import('${new URL('../../../main/platform/settings-store.ts', import.meta.url).pathname}').then((m) => m.openSettingsStore(process.argv[1]).set('profiles', [{ name: 'two' }]))`, dir],
        { encoding: 'utf8' },
      );
      assert.equal(other.status, 0, other.stderr);
      assert.deepEqual(store.get('profiles'), [{ name: 'two' }]);
      store.delete('profiles');
      assert.equal(store.get('profiles'), undefined);
    });
  });

  test('a caller that changes what it read does not change the next read', async () => {
    await withTempDir('settings-copy', async (dir) => {
      const store = openSettingsStore(dir);
      store.set('window', { width: 800 });
      const read = store.get('window') as { width: number };
      read.width = 1;
      assert.deepEqual(store.get('window'), { width: 800 });
    });
  });
});
