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
  test('WNS credentials and removal drafts: show, send with the secret from stdin, queued offline (exit 6), flushed by outbox flush, history --kind', async () => {
    await withTempDir('drafts-cli-admin', async (home) => {
      const SID = 'ms-app://s-1-15-2-2972962901-2322836549-3722629029-1345238579-3987825745-2155616079-650196962';
      const SECRET = 'cli-Wns-Draft-Secret-3x';
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
      await (await profiles.clientFor(profile.id)).uploadMpnsCertificate('AppForAll1', join(home, 'push.p12'), PASSPHRASE);
      const store = await DraftsStore.open({ dataDir: home });
      const wns = await store.create({ kind: 'wns-credentials', profileId: profile.id, appId: 'AppForAll1' });
      await store.save({ ...wns, payload: { appId: 'AppForAll1', packageSid: SID, rememberSecret: false } } as Draft);
      const removal = await store.create({ kind: 'cert-remove', profileId: profile.id, appId: 'AppForAll1' });
      await store.settled();
      let server = emulator;
      try {
        // The plain list: each draft's name starts in the same column, the longest kind included.
        const listed = await run(home, ['drafts', 'list']);
        assert.equal(listed.code, 0, listed.err);
        const rows = listed.out.split('\n').filter((line) => line.includes(wns.id) || line.includes(removal.id));
        assert.equal(rows.length, 2, listed.out);
        const nameColumns = [wns, removal].map((draft) => rows.find((line) => line.includes(draft.id))!.indexOf(` ${draft.name}  [`));
        assert.ok(nameColumns[0]! > 0 && nameColumns[0] === nameColumns[1], `names not aligned:\n${rows.join('\n')}`);
        assert.match(rows.find((line) => line.includes(wns.id))!, /wns-credentials \S/);

        const show = await run(home, ['drafts', 'show', wns.id]);
        assert.equal(show.code, 0, show.err);
        assert.match(show.out, /WNS credentials for AppForAll1 \(wns-credentials/);
        assert.match(show.out, /client secret will be asked/);
        const noSecret = await run(home, ['drafts', 'send', wns.id]);
        assert.equal(noSecret.code, 2, 'no terminal and no --client-secret-stdin: refused');

        await server.close();
        const queued = await run(home, ['drafts', 'send', wns.id, '--client-secret-stdin', '--json'], `${SECRET}\n`);
        assert.equal(queued.code, 6, queued.out + queued.err);
        assert.equal((JSON.parse(queued.out) as { result: { status: string } }).result.status, 'queued');
        const queuedRemoval = await run(home, ['drafts', 'send', removal.id, '--json']);
        assert.equal(queuedRemoval.code, 6, queuedRemoval.out + queuedRemoval.err);

        server = await startEmulator({ dataDir: join(home, 'server'), port });
        // The removal needs no secret and goes; the WNS secret typed for the queued send lived only in that process.
        const flushed = await run(home, ['outbox', 'flush', '--json']);
        assert.notEqual(flushed.code, 0, flushed.out);
        assert.equal(await server.storedCertificate('AppForAll1'), undefined, 'removed by the flush');
        const { readdir } = await import('node:fs/promises');
        assert.equal((await readdir(join(home, 'backups'))).length, 1, 'its backup taken first');
        const sent = await run(home, ['drafts', 'send', wns.id, '--client-secret-stdin'], SECRET);
        assert.equal(sent.code, 0, sent.err);

        const wnsLines = JSON.parse((await run(home, ['history', '--kind', 'wns-credentials', '--json'])).out) as { records: Array<{ status: string }> };
        assert.deepEqual(wnsLines.records.map((r) => r.status), ['sent', 'not-sent']);
        const removalLines = JSON.parse((await run(home, ['history', '--kind', 'cert-remove', '--json'])).out) as { records: Array<{ status: string; files: Array<{ role: string }> }> };
        assert.deepEqual(removalLines.records.map((r) => [r.status, r.files[0]?.role]), [['sent', 'backup'], ['not-sent', undefined]]);
        const { readFile } = await import('node:fs/promises');
        for (const name of await readdir(home, { recursive: true })) {
          const path = join(home, name);
          const text = await readFile(path, 'latin1').catch(() => '');
          assert.ok(!text.includes(SECRET), `the client secret is not in ${name}`);
        }
      } finally {
        await server.close();
        await profiles.close();
        await secrets.delete(`profile:${profile.id}`);
      }
    });
  });
});
