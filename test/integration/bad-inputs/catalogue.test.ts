// Runs the bad-input catalogue (cases.ts and hostile/, gathered in all.ts): for every row, the exact message the user sees, and proof that nothing
// the user had was lost: their files (hashed), the saved profiles and their keychain secrets, the draft they were
// working on, the certificate already on the server, no partial file at the destination and no temp file anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BAD_INPUTS } from './all';
import { leftoverTemps, openWorld, snapshot, type World } from './world';

// A guard against a hang, not a speed check: every row also has its own deadline where it waits on a server.
describe('bad-input catalogue', { timeout: 600_000 }, () => {
  let world: World;
  before(async () => {
    world = await openWorld();
  });
  after(async () => {
    await world?.close();
  });

  test('covers at least 40 bad inputs in every category', () => {
    assert.ok(BAD_INPUTS.length >= 40, `${BAD_INPUTS.length} rows`);
    for (const category of ['file', 'form', 'profile', 'server'] as const) {
      assert.ok(BAD_INPUTS.some((row) => row.category === category), `no ${category} row`);
    }
    assert.equal(new Set(BAD_INPUTS.map((row) => row.name)).size, BAD_INPUTS.length, 'row names are unique');
  });

  for (const row of BAD_INPUTS) {
    test(`[${row.category}/${row.via}] ${row.name}`, async () => {
      world.created.clear();
      await row.setup?.(world);
      try {
        const before = await snapshot(world);
        const seen = await row.act(world);
        assert.deepEqual(seen, row.expected(world), 'what the user sees');
        await row.verify?.(world);
        const afterwards = await snapshot(world);
        const expectedInputs = new Map([...before.inputs, ...world.created]);
        assert.deepEqual(afterwards.inputs, expectedInputs, "the user's files (and the bad input itself) are unchanged");
        assert.equal(afterwards.profiles, before.profiles, 'the saved profiles are unchanged');
        assert.deepEqual(afterwards.secrets, before.secrets, 'every profile keeps its keychain secret');
        assert.equal(afterwards.draft, before.draft, 'the draft is still there with its content');
        assert.equal(afterwards.keptCertificate, before.keptCertificate, 'the certificate on the server is unchanged');
        const saved = seen.kind === 'saved' ? [seen.path.slice(world.downloads.length + 1)] : [];
        assert.deepEqual(afterwards.downloads, [...before.downloads, ...saved].sort(), 'no partial or stray file at the destination');
        assert.deepEqual(await leftoverTemps([world.downloads, world.dataDir, world.inputs, ...(row.extraDirs?.(world) ?? [])]), [], 'no temp file left');
      } finally {
        world.emulator.clearFaults();
        await row.teardown?.(world);
      }
    });
  }
});
