// Our side of the transfer rows, through the same EngagementClient (undici, keep-alive pool of 16) and runBatch
// that the app and the CLI use.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../../preload/contract';
import { openAppServices } from '../../main/services';
import { openSettingsStore } from '../../main/platform/settings-store';
import { runBatch } from '../../main/sending/batch';
import { EngagementClient } from '../../main/server/engagement-client';
import { preloadSmallFiles } from '../../main/server/multipart';
import { passContentForRecipient } from '../../main/core/recipients-csv';

function clientFor(baseUrl: string): EngagementClient {
  const profile: Profile = { id: 'bench', name: 'bench', baseUrl, authMode: 'basic', username: 'sandbox', tokenHeaders: [] };
  // The bench streams bodies far bigger than a certificate through the download path: the 1 MiB limit is lifted.
  return new EngagementClient(profile, async () => 'sandbox', { maxCertificateBytes: Number.POSITIVE_INFINITY });
}

/**
 * The app's whole send path for a batch (AppServices.actions.sendPassBatch, as the passBatch IPC handler and the
 * CLI's --batch call it): the per-send checks, the profile lookup and one fsynced history line per send, over a
 * fresh data folder. The secret comes from memory: the app reads the keychain once per profile and keeps it.
 */
export async function runAppBatch(config: Record<string, unknown>): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'engagement-desk-bench-app-'));
  const secrets = new Map<string, string>();
  const services = await openAppServices({
    dataDir,
    store: openSettingsStore(dataDir),
    secrets: {
      set: async (account, secret) => (secrets.set(account, secret), 'keychain'),
      get: async (account) => secrets.get(account),
      delete: async (account) => void secrets.delete(account),
      storageOf: async (account) => (secrets.has(account) ? 'keychain' : 'none'),
      lastProblem: () => undefined,
    },
    source: 'cli',
    sandbox: false,
  });
  try {
    const profile = await services.profiles.save({ name: 'bench', baseUrl: String(config.baseUrl), authMode: 'basic', username: 'sandbox', tokenHeaders: [] }, 'sandbox');
    const images = (config.images as Array<{ fieldName: string; path: string }>) ?? [];
    const ids = config.ids as string[];
    const pkPassPath = String(config.pkpass);
    const started = performance.now();
    // As the IPC handler and the CLI do: the files are checked once, then every recipient gets its send.
    await services.actions.checkPassUpdate({ pkPassPath, images, passContent: passContentForRecipient(config.passContent, ids[0]!) });
    const outcome = await services.actions.sendPassBatch(
      { profile: profile.id, pkPassPath, images, passContent: config.passContent, recipientIds: ids },
      { concurrency: Number(config.concurrency ?? 16) },
    );
    const opMs = performance.now() - started;
    const failed = outcome.results.filter((r) => !r.ok);
    if (failed.length > 0) throw new Error(`${failed.length} requests failed, first: ${JSON.stringify(failed[0])}`);
    const recorded = (await services.drafts.history.query({ limit: ids.length + 1 })).total;
    if (recorded !== ids.length) throw new Error(`the history holds ${recorded} records, expected ${ids.length}`);
    return { opMs, requests: ids.length, perSecond: ids.length / (opMs / 1000) };
  } finally {
    await services.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function runTransfer(mode: 'download' | 'upload' | 'batch', config: Record<string, unknown>): Promise<Record<string, unknown>> {
  const client = clientFor(String(config.baseUrl));
  try {
    const started = performance.now();
    if (mode === 'download') {
      // Two moments: the file saved (durable at its destination; the app says "Saved"), then its SHA-256 known.
      let savedMs = Number.NaN;
      const result = await client.downloadMpnsCertificate(String(config.appId), String(config.destination), {
        onSaved: () => (savedMs = performance.now() - started),
      });
      return { opMs: savedMs, hashedMs: performance.now() - started, bytes: result.bytes, sha256: result.sha256 };
    }
    const images = (config.images as Array<{ fieldName: string; path: string }>) ?? [];
    if (mode === 'upload') {
      const result = await client.updatePassWithImport(String(config.pkpass), images, config.passContent);
      return { opMs: performance.now() - started, requestId: result.requestId };
    }
    const ids = config.ids as string[];
    const sendAll = async (recipients: readonly string[]) => {
      // As the CLI's --batch does: the small pass and image are read once for the whole batch.
      const preloaded = await preloadSmallFiles([String(config.pkpass), ...images.map((i) => i.path)]);
      return runBatch(
        recipients,
        (id, signal) => client.updatePassWithImport(String(config.pkpass), images, passContentForRecipient(config.passContent, id), { signal, preloaded }),
        { concurrency: Number(config.concurrency ?? 16) },
      );
    };
    let opStarted = started;
    if (Array.isArray(config.earlierIds)) {
      // A running app has sent before: one earlier batch of the same size, untimed, then the measured one.
      await sendAll(config.earlierIds as string[]);
      opStarted = performance.now();
    }
    const outcome = await sendAll(ids);
    const opMs = performance.now() - opStarted;
    const failed = outcome.results.filter((r) => !r.ok);
    if (failed.length > 0) throw new Error(`${failed.length} requests failed, first: ${JSON.stringify(failed[0])}`);
    return { opMs, requests: ids.length, perSecond: ids.length / (opMs / 1000) };
  } finally {
    await client.close();
  }
}
