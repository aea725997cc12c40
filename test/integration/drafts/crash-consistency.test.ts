// Kill a process hard while it saves, many times: the store always loads, nothing is quarantined (writes are
// atomic), and the last acknowledged revision (or a later one) is what is on disk. The history stays readable.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DraftsStore } from '../../../main/adapters/drafts-store';
import { HistoryStore } from '../../../main/adapters/history-store';
import { withTempDir } from '../../support/temp-dir';

const writer = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const ROUNDS = 20;

/** Runs the writer until it has acknowledged `acks` saves plus a random few more lines, then SIGKILLs it. */
function runAndKill(dataDir: string, draftId: string, acks: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir, draftId], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastAck = -1;
    let seen = 0;
    let buffered = '';
    let stderr = '';
    const extra = randomInt(0, 3);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ACK (\d+)$/.exec(line);
        if (!match) continue;
        lastAck = Number(match[1]);
        seen++;
      }
      if (seen >= acks + extra && child.exitCode === null && !child.killed) {
        // Kill on the next turn of the event loop, so the moment varies inside the child's save.
        setImmediate(() => child.kill('SIGKILL'));
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (${code}): ${stderr}`));
      else resolve(lastAck);
    });
  });
}

describe('crash consistency', () => {
  test(`SIGKILL during saves, ${ROUNDS} times: the store loads and keeps the last acknowledged save`, { timeout: 300_000 }, async () => {
    await withTempDir('drafts-crash', async (dir) => {
      const setup = await DraftsStore.open({ dataDir: dir });
      const draft = await setup.create({ kind: 'pass-update', name: 'crash me' });
      // Some neighbours, to show one crashed save never takes the others down.
      for (let i = 0; i < 5; i++) await setup.create({ kind: 'cert-upload', name: `neighbour ${i}` });
      await setup.settled();
      let acknowledged = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const lastAck = await runAndKill(dir, draft.id, randomInt(1, 15));
        assert.ok(lastAck > acknowledged, `round ${round}: the writer made progress`);
        acknowledged = lastAck;

        const store = await DraftsStore.open({ dataDir: dir });
        const { drafts, problems } = await store.list();
        assert.deepEqual(problems, [], `round ${round}: nothing quarantined`);
        assert.equal(drafts.length, 6, `round ${round}: every draft listed`);
        const onDisk = await store.get(draft.id);
        assert.ok(onDisk.revision >= lastAck, `round ${round}: revision ${onDisk.revision} >= acknowledged ${lastAck}`);
        assert.ok(onDisk.revision <= lastAck + 1, `round ${round}: at most the one unacknowledged save is extra`);
        const listed = drafts.find((d) => d.id === draft.id);
        assert.equal(listed?.revision, onDisk.revision, `round ${round}: the list shows what is on disk`);
        await store.settled();

        const { records, skippedLines } = await new HistoryStore(dir).all();
        assert.ok(skippedLines <= round + 1, 'at most one torn history line per crash');
        assert.ok(records.length >= lastAck - 1, `round ${round}: every acknowledged send is in the history`);
      }
      console.log(`  [crash] ${ROUNDS} kills, last acknowledged revision ${acknowledged}`);
      // The folder holds no leftovers that would confuse anything: temp files are ignored, then cleaned.
      const store = await DraftsStore.open({ dataDir: dir });
      assert.equal((await store.list()).drafts.length, 6);
      await store.settled();
    });
  });
});
