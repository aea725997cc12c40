// A damaged config.json (not JSON, truncated, empty, or JSON of the wrong shape) must not stop the app or the CLI
// from starting and must lose nothing: the bytes are kept beside it, the app starts from defaults (or from what
// could be read), and the user is told which file and where the copy is.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openAppServices } from '../../../main/services';
import { createKeychain } from '../../../main/platform/keychain';
import { ProfileService } from '../../../main/profiles/profile-service';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { runCliProcess } from '../../support/cli';
import { withTempDir } from '../../support/temp-dir';
import { NO_SECRETS } from '../../support/no-secrets';


const goodProfile = {
  id: '11111111-2222-3333-4444-555555555555',
  name: 'Production',
  baseUrl: 'https://engage.example.com/vpns',
  authMode: 'basic',
  username: 'admin',
  tokenHeaders: ['X-VoltMX-Authorization'],
};
const wholeFile = JSON.stringify({ profiles: [goodProfile], 'dialogs.lastFolder.p12': '/home/me/certs' }, null, '\t');

const UNREADABLE: Array<[string, string, RegExp]> = [
  ['not JSON at all', 'this is not json {', /not valid JSON/],
  ['truncated mid-write', wholeFile.slice(0, wholeFile.length / 2), /not valid JSON/],
  ['empty', '', /the file is empty/],
  ['a JSON list', '[1, 2, 3]', /holds a list, not a settings object/],
  ['a JSON string', '"profiles"', /holds a string, not a settings object/],
  ['JSON null', 'null', /holds null, not a settings object/],
];

async function damagedCopies(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith('config.json.damaged-'));
}

describe('a damaged settings file', () => {
  for (const [label, text, reason] of UNREADABLE) {
    test(`${label}: kept aside, defaults loaded, the user told where`, async () => {
      await withTempDir('settings-bad', async (dir) => {
        const file = join(dir, 'config.json');
        await writeFile(file, text);
        const store = openSettingsStore(dir);
        const [problem] = store.problems ?? [];
        assert.ok(problem, 'the problem is reported');
        assert.equal(problem.file, file);
        assert.match(problem.message, reason);
        assert.ok(problem.message.includes(file) && problem.message.includes(problem.copy), 'names the file and the copy');
        assert.equal(await readFile(problem.copy, 'utf8'), text, 'the damaged bytes are kept, unchanged');
        assert.deepEqual(await new ProfileService({ store, secrets: NO_SECRETS }).list(), [], 'started from defaults');
        // The app keeps working on the fresh file, and the next start finds nothing wrong.
        store.set('dialogs.lastFolder.p12', '/tmp');
        const again = openSettingsStore(dir);
        assert.deepEqual(again.problems, []);
        assert.equal(again.get('dialogs.lastFolder.p12'), '/tmp');
        assert.deepEqual(await damagedCopies(dir), [problem.copy.slice(dir.length + 1)]);
      });
    });
  }

  test('damaged profile entries: the readable ones load, a copy of the whole file is kept', async () => {
    await withTempDir('settings-partial', async (dir) => {
      const file = join(dir, 'config.json');
      const text = JSON.stringify({ profiles: [goodProfile, { id: 7, name: null }, 'junk'], theme: 'dark' });
      await writeFile(file, text);
      const store = openSettingsStore(dir);
      const [problem] = store.problems ?? [];
      assert.match(problem?.message ?? '', /2 of 3 saved profiles are damaged/);
      assert.equal(await readFile(problem!.copy, 'utf8'), text);
      const profiles = new ProfileService({ store, secrets: NO_SECRETS }).profiles();
      assert.deepEqual(profiles.map((p) => p.name), ['Production']);
      assert.equal(store.get('theme'), 'dark', 'other settings are kept');
      assert.deepEqual(openSettingsStore(dir).problems, [], 'the rewritten file is clean');
    });
  });

  test('"profiles" that is not a list: the rest loads, the copy keeps it', async () => {
    await withTempDir('settings-shape', async (dir) => {
      await writeFile(join(dir, 'config.json'), JSON.stringify({ profiles: { oops: true }, theme: 'light' }));
      const store = openSettingsStore(dir);
      assert.match(store.problems?.[0]?.message ?? '', /"profiles" is not a list/);
      assert.equal(store.get('theme'), 'light');
      assert.equal(store.get('profiles'), undefined);
      assert.match(await readFile(store.problems![0]!.copy, 'utf8'), /"oops":true/);
    });
  });

  test('the app services open over a damaged file and carry the problem for the UI', async () => {
    await withTempDir('settings-services', async (dir) => {
      await writeFile(join(dir, 'config.json'), '{"profiles": [');
      const store = openSettingsStore(dir);
      const services = await openAppServices({ dataDir: dir, store, secrets: createKeychain(), source: 'app', sandbox: false });
      try {
        assert.equal(services.settingsProblems.length, 1);
        assert.deepEqual(await services.profiles.list(), []);
      } finally {
        await services.close();
      }
    });
  });

  test('the CLI starts, says so on stderr, and keeps stdout one JSON object', async () => {
    await withTempDir('settings-cli', async (home) => {
      await mkdir(home, { recursive: true });
      await writeFile(join(home, 'config.json'), wholeFile.slice(0, 40));
      const run = await runCliProcess(['profile', 'list', '--json'], { home });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.json().ok, true);
      const [copy] = await damagedCopies(home);
      assert.ok(copy);
      assert.match(run.stderr, /^Warning: The settings file .*config\.json could not be read \(it is not valid JSON: .*\), so Engagement Desk started with default settings\. Nothing was deleted: the damaged file is kept at .*config\.json\.damaged-/m);
      assert.ok(run.stderr.includes(join(home, copy)), 'names where the copy is');
      // The next run is clean.
      const next = await runCliProcess(['profile', 'list', '--json'], { home });
      assert.equal(next.code, 0);
      assert.doesNotMatch(next.stderr, /Warning/);
    });
  });
});
