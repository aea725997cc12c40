// engagement-desk drafts / outbox / history, run in-process over the same data folder the app uses, against the
// emulator and the real keychain. (Registered here on a bare program; main/cli/program.ts wires them in the app.)
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Command } from 'commander';
import type { Draft } from '../../../preload/contract';
import { DraftsStore } from '../../../main/drafts/drafts-store';
import { createCliContext } from '../../../main/cli/context';
import { registerDraftsCommands } from '../../../main/cli/drafts-commands';
import { startEmulator } from '../../../main/emulator/server';
import { makeCertificates, PASSPHRASE } from '../emulator/emulator-fixtures';
import { withTempDir } from '../../support/temp-dir';

async function run(home: string, args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let code = 0;
  const ctx = createCliContext({
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    readStdin: async () => stdin,
    stdinIsTTY: false,
    stderrIsTTY: false,
    env: { ENGAGEMENT_DESK_HOME: home },
  });
  const program = new Command('engagement-desk').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerDraftsCommands(program, ctx, (c) => (code = c));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch {
    code = 2;
  } finally {
    await (await ctx.openServices()).close();
  }
  return { code, out, err };
}

describe('drafts CLI', () => {
  test('list, show, send offline (queued, exit 6), outbox flush when back, history', async () => {
    await withTempDir('drafts-cli', async (home) => {
      const emulator = await startEmulator({ dataDir: join(home, 'server') });
      const port = emulator.port;
      const { ProfileService } = await import('../../../main/profiles/profile-service');
      const { openSettingsStore } = await import('../../../main/platform/settings-store');
      const { createKeychain } = await import('../../../main/platform/keychain');
      const secrets = createKeychain();
      const profiles = new ProfileService({ store: openSettingsStore(home), secrets });
      const profile = await profiles.save({ name: 'Emu', baseUrl: emulator.url, authMode: 'basic', username: 'sandbox' }, 'sandbox');
      await mkdir(join(home, 'certs'));
      const certs = await makeCertificates(join(home, 'certs'));
      await writeFile(join(home, 'push.p12'), certs.modern);
      const store = await DraftsStore.open({ dataDir: home });
      const draft = await store.create({ kind: 'cert-upload', profileId: profile.id, appId: 'CliApp', name: 'CLI cert' });
      const cert = await store.addFile(draft.id, join(home, 'push.p12'));
      await store.save({ ...draft, payload: { appId: 'CliApp', cert, rememberPassphrase: false } } as Draft);
      await store.settled();
      let server = emulator;
      try {
        const list = await run(home, ['drafts', 'list', '--json']);
        assert.equal(list.code, 0, list.err);
        const listed = JSON.parse(list.out) as { drafts: Array<{ id: string; name: string; ready: boolean }> };
        assert.deepEqual(listed.drafts.map((d) => [d.name, d.ready]), [['CLI cert', true]]);

        const show = await run(home, ['drafts', 'show', draft.id]);
        assert.equal(show.code, 0, show.err);
        assert.match(show.out, new RegExp(cert.sha256));
        assert.match(show.out, /passphrase will be asked/);
        assert.equal((await run(home, ['drafts', 'show', 'nope'])).code, 2);

        await server.close();
        const offline = await run(home, ['drafts', 'send', draft.id, '--passphrase-stdin', '--json'], `${PASSPHRASE}\n`);
        assert.equal(offline.code, 6, offline.out + offline.err);
        assert.equal((JSON.parse(offline.out) as { result: { status: string } }).result.status, 'queued');
        const queued = await run(home, ['outbox', 'list', '--json']);
        assert.equal((JSON.parse(queued.out) as { outbox: { entries: Array<{ state: string }> } }).outbox.entries[0]?.state, 'queued');

        // The passphrase typed for the queued send lived only in that process: a later flush needs it again.
        server = await startEmulator({ dataDir: join(home, 'server'), port });
        const blocked = await run(home, ['outbox', 'flush', '--json']);
        assert.notEqual(blocked.code, 0);
        const direct = await run(home, ['drafts', 'send', draft.id, '--passphrase-stdin'], PASSPHRASE);
        assert.equal(direct.code, 0, direct.err);
        assert.match(direct.out, /^Sent\./);

        const history = await run(home, ['history', '--json', '--status', 'sent']);
        assert.equal(history.code, 0);
        assert.equal((JSON.parse(history.out) as { records: unknown[] }).records.length, 1);
        const csv = await run(home, ['history', '--csv', join(home, 'h.csv')]);
        assert.equal(csv.code, 0, csv.err);
        assert.equal((await run(home, ['history', '--status', 'bogus'])).code, 2);
      } finally {
        await server.close();
        await profiles.close();
        await secrets.delete(`profile:${profile.id}`);
      }
    });
  });
});
