// The outbox against the real emulator over loopback, with real files and the real keychain: offline -> queued,
// server back -> flushed (by hand and by the automatic loop), and the unknown-outcome rule.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Draft, OutboxView } from '../../../preload/contract';
import { openDraftServices, sendDraftOrQueue, type DraftServices } from '../../../main/drafts/draft-services';
import { EngagementActions } from '../../../main/sending/engagement-actions';
import { SendRecorder } from '../../../main/sending/send-record';
import { HistoryStore } from '../../../main/history/history-store';
import { createKeychain } from '../../../main/platform/keychain';
import { OperationRegistry } from '../../../main/platform/operations';
import { ProfileService } from '../../../main/profiles/profile-service';
import { openSettingsStore } from '../../../main/platform/settings-store';
import type { ClientOptions } from '../../../main/server/engagement-client';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { createPathGrants } from '../../../main/platform/path-grants';
import { registerDraftsIpc } from '../../../main/drafts/drafts-ipc';
import { createHandlerRegistry } from '../../../main/ipc/registry';
import { makeCertificates, PASSPHRASE } from '../emulator/emulator-fixtures';
import { withTempDir } from '../../support/temp-dir';

interface World {
  dir: string;
  emulator: Emulator;
  port: number;
  profiles: ProfileService;
  services: DraftServices;
  profileId: string;
  certPath: string;
  changes: OutboxView[];
  waitForOutbox(predicate: (view: OutboxView) => boolean): Promise<OutboxView>;
}

async function withWorld(name: string, use: (world: World) => Promise<void>, clientOptions: ClientOptions = {}): Promise<void> {
  await withTempDir(name, async (dir) => {
    const emulator = await startEmulator({ dataDir: join(dir, 'server') });
    const secrets = createKeychain();
    const profiles = new ProfileService({ store: openSettingsStore(dir), secrets, clientOptions });
    const profile = await profiles.save({ name: `Emu ${name}`, baseUrl: emulator.url, authMode: 'basic', username: 'sandbox' }, 'sandbox');
    const certDir = join(dir, 'certs');
    await mkdir(certDir);
    const certs = await makeCertificates(certDir);
    const certPath = join(dir, 'push.p12');
    await writeFile(certPath, certs.modern);
    const changes: OutboxView[] = [];
    const waiters: Array<{ predicate: (view: OutboxView) => boolean; resolve: (view: OutboxView) => void }> = [];
    const history = new HistoryStore(join(dir, 'app'));
    const services = await openDraftServices({
      dataDir: join(dir, 'app'),
      history,
      profiles,
      actions: new EngagementActions(profiles, new SendRecorder({ history, profiles, source: 'app' })),
      secrets,
      outboxTiming: { initialDelayMs: 50, maxDelayMs: 200, idleRescanMs: 1000 },
      onOutboxChange: (view) => {
        changes.push(view);
        for (const waiter of [...waiters]) {
          if (waiter.predicate(view)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(view);
          }
        }
      },
    });
    const world: World = {
      dir,
      emulator,
      port: emulator.port,
      profiles,
      services,
      profileId: profile.id,
      certPath,
      changes,
      waitForOutbox: (predicate) => new Promise((resolve) => waiters.push({ predicate, resolve })),
    };
    try {
      await use(world);
    } finally {
      await services.close();
      await profiles.close();
      await world.emulator.close();
      await secrets.delete(`profile:${profile.id}`);
    }
  });
}

async function certDraft(world: World, appId: string): Promise<Draft> {
  const { drafts } = world.services;
  const draft = await drafts.create({ kind: 'cert-upload', profileId: world.profileId, appId });
  const cert = await drafts.addFile(draft.id, world.certPath);
  return drafts.save({ ...draft, payload: { appId, cert, rememberPassphrase: false } } as Draft);
}

function uploadsTo(emulator: Emulator, appId: string): number {
  return emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/applications/${appId}/windows`)).length;
}

describe('outbox against the emulator', () => {
  test('server down: the send is queued; server back on the same port: flush sends it from the draft\'s own copy', async () => {
    await withWorld('outbox-flush', async (world) => {
      const draft = await certDraft(world, 'OfflineApp');
      await rm(world.certPath); // the original is gone: the draft must send its stored copy
      await world.emulator.close();

      const result = await sendDraftOrQueue(world.services, draft, { passphrase: PASSPHRASE, source: 'app' });
      assert.equal(result.status, 'queued', result.message);
      const queued = await world.services.outbox.list();
      assert.equal(queued.entries.length, 1);
      assert.equal(queued.entries[0]?.state, 'queued');
      assert.equal(queued.entries[0]?.lastError?.detail, 'ECONNREFUSED');

      // Still down: a flush leaves it queued.
      assert.deepEqual(await world.services.outbox.flush(), { sent: 0, failed: 0, outcomeUnknown: 0, stillQueued: 1 });

      world.emulator = await startEmulator({ dataDir: join(world.dir, 'server'), port: world.port });
      assert.deepEqual(await world.services.outbox.flush(), { sent: 1, failed: 0, outcomeUnknown: 0, stillQueued: 0 });
      assert.equal(uploadsTo(world.emulator, 'OfflineApp'), 1);
      const stored = await world.emulator.storedCertificate('OfflineApp');
      assert.equal(stored?.sha256, draft.kind === 'cert-upload' ? draft.payload.cert?.sha256 : '');

      const history = await world.services.history.query({});
      assert.deepEqual(history.records.map((r) => r.status), ['sent', 'not-sent', 'not-sent']);
      const sent = history.records[0];
      assert.equal(sent?.files[0]?.name, 'push.p12');
      assert.equal(sent?.endpoint, 'POST /api/v1/applications/{appId}/windows');
      assert.equal(sent?.appId, 'OfflineApp');
      assert.ok(!JSON.stringify(history).includes(PASSPHRASE), 'no passphrase in the history');
    });
  });

  test('the automatic loop sends by itself once the server is reachable again, and not while paused', async () => {
    await withWorld('outbox-auto', async (world) => {
      const draft = await certDraft(world, 'AutoApp');
      await world.emulator.close();
      const result = await sendDraftOrQueue(world.services, draft, { passphrase: PASSPHRASE, source: 'app' });
      assert.equal(result.status, 'queued');
      await world.services.outbox.pause();
      world.services.outbox.start();
      world.emulator = await startEmulator({ dataDir: join(world.dir, 'server'), port: world.port });
      // Paused: resuming is what lets it go; the loop probes, finds the server and sends.
      const sentView = world.waitForOutbox((view) => view.entries.some((e) => e.state === 'sent'));
      assert.equal(uploadsTo(world.emulator, 'AutoApp'), 0);
      await world.services.outbox.resume();
      const view = await sentView;
      assert.equal(view.entries[0]?.state, 'sent');
      assert.equal(uploadsTo(world.emulator, 'AutoApp'), 1);
    });
  });

  test('connection reset after the request went out: outcome unknown, never resent by flush or loop', async () => {
    await withWorld('outbox-unknown', async (world) => {
      const draft = await certDraft(world, 'ResetApp');
      world.emulator.injectFault({ path: /\/windows$/, resetAfterBytes: 200, times: 1 });
      const result = await sendDraftOrQueue(world.services, draft, { passphrase: PASSPHRASE, source: 'app' });
      assert.equal(result.status, 'outcome-unknown', result.message);
      assert.equal(uploadsTo(world.emulator, 'ResetApp'), 1);

      const [entry] = (await world.services.outbox.list()).entries;
      assert.equal(entry?.state, 'outcome-unknown');
      assert.deepEqual(await world.services.outbox.flush(), { sent: 0, failed: 0, outcomeUnknown: 0, stillQueued: 0 });
      world.services.outbox.start();
      await world.services.outbox.stop();
      assert.equal(uploadsTo(world.emulator, 'ResetApp'), 1, 'not resent by itself');

      // Only the user, explicitly, resends it.
      await assert.rejects(world.services.outbox.sendNow(entry?.id ?? ''), /outcome of the last send is unknown/);
      const resent = await world.services.outbox.sendNow(entry?.id ?? '', { confirmResend: true, passphrase: PASSPHRASE });
      assert.equal(resent.state, 'sent');
      assert.equal(uploadsTo(world.emulator, 'ResetApp'), 2);
      const statuses = (await world.services.history.query({})).records.map((r) => r.status);
      assert.deepEqual(statuses, ['sent', 'outcome-unknown']);
    });
  });

  test('no answer in time after the request was sent: outcome unknown (the server did store it)', async () => {
    await withWorld(
      'outbox-timeout',
      async (world) => {
        const draft = await certDraft(world, 'SlowApp');
        world.emulator.injectFault({ path: /\/windows$/, latencyMs: 1500, times: 1 });
        const result = await sendDraftOrQueue(world.services, draft, { passphrase: PASSPHRASE, source: 'app' });
        assert.equal(result.status, 'outcome-unknown', result.message);
        const [entry] = (await world.services.outbox.list()).entries;
        assert.equal(entry?.lastError?.detail, 'UND_ERR_HEADERS_TIMEOUT');
        assert.equal((await world.services.outbox.flush()).sent, 0);
      },
      { headersTimeoutMs: 300 },
    );
  });

  test('through IPC: offline send queues, a 4xx is an error result, history and outbox read back', async () => {
    await withWorld('outbox-ipc', async (world) => {
      // The user picked the certificate and the export's destination in the app's dialogs.
      const pathGrants = createPathGrants();
      pathGrants.grantFile(world.certPath, 'read');
      pathGrants.grantFile(join(world.dir, 'history.csv'), 'write');
      const registry = createHandlerRegistry({ pathGrants });
      const events: Array<{ event: string; payload: unknown }> = [];
      registerDraftsIpc(registry, {
        pathGrants,
        services: world.services,
        profiles: world.profiles,
        secrets: createKeychain(),
        operations: new OperationRegistry(),
        events: (event, payload) => events.push({ event, payload }),
      });
      const created = await registry.invoke('eng:drafts:create', { kind: 'cert-upload', profileId: world.profileId, appId: 'IpcApp' });
      assert.ok(created.ok);
      const view = created.value as { draft: Draft; readiness: { ready: boolean } };
      assert.equal(view.readiness.ready, false);
      const file = await registry.invoke('eng:drafts:add-file', { id: view.draft.id, path: world.certPath });
      assert.ok(file.ok);
      const saved = await registry.invoke('eng:drafts:save', {
        draft: { ...view.draft, payload: { appId: 'IpcApp', cert: file.value, rememberPassphrase: true } },
      });
      assert.ok(saved.ok);
      const savedView = saved.value as { draft: Draft; readiness: { ready: boolean; problems: string[] } };
      assert.equal(savedView.readiness.ready, false, 'remember is on but nothing is in the keychain yet');
      const remembered = await registry.invoke('eng:drafts:set-passphrase', { id: view.draft.id, passphrase: PASSPHRASE, remember: true });
      assert.deepEqual(remembered, { ok: true, value: { storage: 'keychain' } });
      const ready = await registry.invoke('eng:drafts:get', { id: view.draft.id });
      assert.ok(ready.ok && (ready.value as { readiness: { ready: boolean } }).readiness.ready);

      const stale = await registry.invoke('eng:drafts:save', { draft: view.draft });
      assert.equal(stale.ok, false);
      assert.equal(!stale.ok && stale.error.reason, 'revision-conflict');

      await world.emulator.close();
      const sent = await registry.invoke('eng:drafts:send', { id: view.draft.id, operationId: 'op-1' });
      assert.ok(sent.ok, JSON.stringify(sent));
      assert.equal((sent.value as { status: string }).status, 'queued');
      world.emulator = await startEmulator({ dataDir: join(world.dir, 'server'), port: world.port });
      const flushed = await registry.invoke('eng:outbox:flush', {});
      assert.deepEqual(flushed, { ok: true, value: { sent: 1, failed: 0, outcomeUnknown: 0, stillQueued: 0 } });
      assert.ok(events.some((e) => e.event === 'progress'), 'upload progress was pushed');

      // A server refusal is an error result (not queued).
      world.emulator.injectFault({ path: /\/windows$/, status: 400, body: '{"id":"-1","message":"Invalid appId"}', contentType: 'application/json' });
      const refused = await registry.invoke('eng:drafts:send', { id: view.draft.id, operationId: 'op-2' });
      assert.equal(refused.ok, false);
      assert.equal(!refused.ok && refused.error.code, 'bad-request');

      const history = await registry.invoke('eng:history:query', { status: 'failed' });
      assert.ok(history.ok);
      const records = (history.value as { records: Array<{ serverMessage?: string; httpStatus?: number }> }).records;
      assert.equal(records.length, 1);
      assert.equal(records[0]?.httpStatus, 400);
      assert.equal(records[0]?.serverMessage, 'Invalid appId');
      const csvPath = join(world.dir, 'history.csv');
      const exported = await registry.invoke('eng:history:export', { format: 'csv', path: csvPath });
      assert.deepEqual(exported, { ok: true, value: { path: csvPath, count: 3 } });
      await createKeychain().delete(`draft:${view.draft.id}:passphrase`);
    });
  });
});
