// The drafts store (row 5): save one draft and list them all, with few and with many drafts stored. "Cold list" is
// a fresh store instance, which is what a newly started app (or a second process) pays.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Draft } from '../../preload/contract';
import { DraftsStore } from '../../main/drafts/drafts-store';
import { median } from '../lib-stats';

async function populate(store: DraftsStore, count: number): Promise<void> {
  let next = 0;
  // Creates are independent (one file and journal lines per draft), so a few run at once to keep setup short.
  await Promise.all(
    Array.from({ length: Math.min(16, count) }, async () => {
      while (next < count) {
        const n = next++;
        await store.create({ kind: n % 2 === 0 ? 'pass-update' : 'cert-upload', name: `Draft ${n}`, appId: `app-${n % 50}` });
      }
    }),
  );
}

function edited(draft: Draft, round: number): Draft {
  if (draft.kind !== 'pass-update') return { ...draft, name: `${draft.name} ${round}` };
  const passContent = {
    recipients: { recipient: Array.from({ length: 20 }, (_, i) => ({ id: String(9_000_000_000_000_000_000n + BigInt(i)) })) },
    passIntegrationConfig: { passUpdateNotificationDetails: [{ channel: 'EMAIL', enabled: true, subject: `Update ${round}`, messageContent: 'x'.repeat(500) }] },
    priority: true,
    startTimeStamp: 0,
    endTimeStamp: 0,
  };
  return { ...draft, payload: { ...draft.payload, passContent } };
}

export async function runDrafts(config: Record<string, unknown>): Promise<Record<string, unknown>> {
  const counts = config.counts as number[];
  const iterations = Number(config.iterations ?? 20);
  const results: Record<string, unknown> = {};
  for (const count of counts) {
    const dataDir = join(String(config.dir), `n${count}`);
    await mkdir(dataDir, { recursive: true });
    const store = await DraftsStore.open({ dataDir });
    const populateStarted = performance.now();
    await populate(store, count);
    const populateMs = performance.now() - populateStarted;
    await store.settled();

    let draft = await store.create({ kind: 'pass-update', name: 'Benchmark draft' });
    const save: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const next = edited(draft, i);
      const started = performance.now();
      draft = await store.save(next);
      save.push(performance.now() - started);
    }
    const listWarm: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const started = performance.now();
      const { drafts } = await store.list();
      listWarm.push(performance.now() - started);
      if (drafts.length !== count + 1) throw new Error(`listed ${drafts.length} drafts, expected ${count + 1}`);
    }
    await store.settled();
    const listCold: number[] = [];
    for (let i = 0; i < Math.max(3, Math.floor(iterations / 4)); i++) {
      const started = performance.now();
      const fresh = await DraftsStore.open({ dataDir });
      const { drafts } = await fresh.list();
      listCold.push(performance.now() - started);
      await fresh.settled();
      if (drafts.length !== count + 1) throw new Error(`listed ${drafts.length} drafts, expected ${count + 1}`);
    }
    results[String(count)] = {
      populateMs,
      saveMs: median(save),
      listWarmMs: median(listWarm),
      listColdMs: median(listCold),
      samples: { save, listWarm, listCold },
    };
  }
  return { opMs: 0, results };
}
