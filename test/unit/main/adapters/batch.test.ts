import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runBatch } from '../../../../main/adapters/batch';
import { fail } from '../../../../main/core/errors';

/** A worker whose items finish only when the test says so, recording how many run at once. */
function gatedWorker() {
  let inFlight = 0;
  let maxInFlight = 0;
  const started: number[] = [];
  const gates = new Map<number, { resolve(value: string): void; reject(error: unknown): void }>();
  const waiters: Array<{ count: number; resolve(): void }> = [];
  const worker = (item: number, signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      started.push(item);
      const settle = () => {
        inFlight--;
        gates.delete(item);
      };
      gates.set(item, {
        resolve: (v) => (settle(), resolve(v)),
        reject: (e) => (settle(), reject(e)),
      });
      signal.addEventListener('abort', () => gates.get(item)?.reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
      for (const w of waiters.splice(0)) {
        if (started.length >= w.count) w.resolve();
        else waiters.push(w);
      }
    });
  return {
    worker,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    started,
    gates,
    /** Resolves once `count` items have started. */
    startedAtLeast(count: number) {
      return started.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }));
    },
  };
}

describe('runBatch', () => {
  test('never runs more than `concurrency` workers at once, and runs them all', async () => {
    let inFlight = 0;
    let max = 0;
    const items = Array.from({ length: 40 }, (_, i) => i);
    const outcome = await runBatch(
      items,
      async (item) => {
        inFlight++;
        max = Math.max(max, inFlight);
        // Finish in a scrambled order so lanes interleave.
        for (let i = 0; i < (item * 7) % 5; i++) await Promise.resolve();
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return item * 2;
      },
      { concurrency: 4 },
    );
    assert.equal(max, 4);
    assert.equal(outcome.results.length, 40);
    assert.deepEqual(outcome.summary, { sent: 40, failed: 0, skipped: 0 });
    assert.equal(outcome.stopped, false);
  });

  test('keeps results in item order whatever order the items finish in', async () => {
    const gate = gatedWorker();
    const running = runBatch([0, 1, 2], gate.worker, { concurrency: 3 });
    await gate.startedAtLeast(3);
    gate.gates.get(2)?.resolve('c');
    gate.gates.get(0)?.resolve('a');
    gate.gates.get(1)?.resolve('b');
    const outcome = await running;
    assert.deepEqual(
      outcome.results.map((r) => [r.index, r.ok && r.value]),
      [
        [0, 'a'],
        [1, 'b'],
        [2, 'c'],
      ],
    );
  });

  test('one failure does not stop the others, and keeps its AppError', async () => {
    const seen: number[] = [];
    const outcome = await runBatch(
      [0, 1, 2, 3, 4],
      async (item) => {
        if (item === 1) fail('server-error', 'HTTP 500 for item 1', { httpStatus: 500 });
        if (item === 3) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return `ok-${item}`;
      },
      { concurrency: 2, onItem: (r) => seen.push(r.index) },
    );
    assert.deepEqual(outcome.summary, { sent: 3, failed: 2, skipped: 0 });
    assert.deepEqual(outcome.results.map((r) => r.status), ['done', 'failed', 'done', 'failed', 'done']);
    const second = outcome.results[1];
    assert.ok(second && !second.ok);
    assert.equal(second.error.code, 'server-error');
    assert.equal(second.error.httpStatus, 500);
    const fourth = outcome.results[3];
    assert.ok(fourth && !fourth.ok);
    assert.equal(fourth.error.code, 'network');
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4]);
  });

  test('a stop lets in-flight items finish and marks the unstarted ones skipped', async () => {
    const gate = gatedWorker();
    const stop = new AbortController();
    const running = runBatch([0, 1, 2, 3, 4, 5], gate.worker, { concurrency: 2, signal: stop.signal });
    await gate.startedAtLeast(2);
    stop.abort();
    // The two in flight still finish normally: their real outcome is recorded.
    gate.gates.get(0)?.resolve('zero');
    gate.gates.get(1)?.resolve('one');
    const outcome = await running;
    assert.deepEqual(gate.started, [0, 1]);
    assert.equal(outcome.stopped, true);
    assert.deepEqual(outcome.results.map((r) => r.status), ['done', 'done', 'skipped', 'skipped', 'skipped', 'skipped']);
    assert.deepEqual(outcome.summary, { sent: 2, failed: 0, skipped: 4 });
    for (const r of outcome.results.slice(2)) {
      assert.ok(!r.ok);
      assert.equal(r.error.code, 'cancelled');
    }
  });

  test("with inFlight 'cancel' a stop aborts the running workers and reports them cancelled", async () => {
    const gate = gatedWorker();
    const stop = new AbortController();
    const running = runBatch([0, 1, 2, 3], gate.worker, { concurrency: 2, signal: stop.signal, inFlight: 'cancel' });
    await gate.startedAtLeast(2);
    stop.abort();
    const outcome = await running;
    assert.equal(gate.inFlight, 0);
    assert.deepEqual(outcome.results.map((r) => r.status), ['failed', 'failed', 'skipped', 'skipped']);
    for (const r of outcome.results) {
      assert.ok(!r.ok);
      assert.equal(r.error.code, 'cancelled');
    }
  });

  test('a stop already fired starts nothing', async () => {
    let calls = 0;
    const outcome = await runBatch([1, 2, 3], async () => ++calls, { signal: AbortSignal.abort() });
    assert.equal(calls, 0);
    assert.deepEqual(outcome.summary, { sent: 0, failed: 0, skipped: 3 });
  });

  test('refuses a concurrency that is not a positive integer', async () => {
    await assert.rejects(runBatch([1], async () => 1, { concurrency: 0 }), RangeError);
    await assert.rejects(runBatch([1], async () => 1, { concurrency: 1.5 }), RangeError);
  });
});
