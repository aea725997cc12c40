// Our side of the transfer rows, through the same EngagementClient (undici, keep-alive pool of 16) and runBatch
// that the app and the CLI use.
import type { Profile } from '../../preload/contract';
import { runBatch } from '../../main/adapters/batch';
import { EngagementClient } from '../../main/adapters/engagement-client';
import { preloadSmallFiles } from '../../main/adapters/multipart';
import { passContentForRecipient } from '../../main/core/recipients-csv';

function clientFor(baseUrl: string): EngagementClient {
  const profile: Profile = { id: 'bench', name: 'bench', baseUrl, authMode: 'basic', username: 'sandbox', tokenHeaders: [] };
  return new EngagementClient(profile, async () => 'sandbox');
}

export async function runTransfer(mode: 'download' | 'upload' | 'batch', config: Record<string, unknown>): Promise<Record<string, unknown>> {
  const client = clientFor(String(config.baseUrl));
  try {
    const started = performance.now();
    if (mode === 'download') {
      const result = await client.downloadMpnsCertificate(String(config.appId), String(config.destination));
      return { opMs: performance.now() - started, bytes: result.bytes, sha256: result.sha256 };
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
