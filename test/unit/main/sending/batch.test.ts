import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runBatch } from '../../../../main/sending/batch';
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

  test('a worker that releases its slot lets the next item start, and the batch still waits for it to settle', async () => {
    const recorded = new Map<number, () => void>();
    const started: number[] = [];
    let settledFirst = false;
    const running = runBatch(
      [0, 1, 2],
      async (item, _signal, _index, release) => {
        started.push(item);
        // The answer is in: hand the slot on, then finish the (slow) recording.
        release();
        release(); // a second call changes nothing
        await new Promise<void>((resolve) => recorded.set(item, resolve));
        if (item === 0) settledFirst = true;
        return `r${item}`;
      },
      { concurrency: 1 },
    );
    while (started.length < 3) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, [0, 1, 2], 'with one slot, all three started while none had settled');
    let done = false;
    void running.then(() => (done = true));
    recorded.get(2)?.();
    recorded.get(1)?.();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(done, false, 'the batch waits for item 0, which has not settled');
    recorded.get(0)?.();
    const outcome = await running;
    assert.ok(settledFirst);
    assert.deepEqual(outcome.results.map((r) => r.ok && r.value), ['r0', 'r1', 'r2']);
  });

  test('items that released their slot but have not settled are bounded (4 per slot)', async () => {
    const gate = gatedWorker();
    const items = Array.from({ length: 30 }, (_, i) => i);
    const running = runBatch(items, (item, signal, index, release) => {
      const settled = gate.worker(item, signal);
      release();
      return settled;
    }, { concurrency: 2 });
    await gate.startedAtLeast(8);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(gate.started.length, 8, 'no more than 2 slots x 4 unsettled items');
    gate.gates.get(0)?.resolve('x');
    await gate.startedAtLeast(9);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(gate.started.length, 9, 'one settled, one more started');
    while (gate.gates.size > 0 || gate.started.length < items.length) {
      for (const g of [...gate.gates.values()]) g.resolve('x');
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual((await running).summary, { sent: 30, failed: 0, skipped: 0 });
  });

  test('a stop after items released their slots: they still settle and report how they really ended', async () => {
    const stop = new AbortController();
    const finish = new Map<number, () => void>();
    const running = runBatch(
      [0, 1, 2, 3, 4],
      async (item, _signal, _index, release) => {
        release();
        await new Promise<void>((resolve) => finish.set(item, resolve));
        return item;
      },
      { concurrency: 1, signal: stop.signal },
    );
    while (finish.size < 2) await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    for (const resolve of finish.values()) resolve();
    const outcome = await running;
    assert.equal(outcome.stopped, true);
    const started = finish.size;
    assert.ok(started >= 2 && started < 5, `started ${started}`);
    assert.deepEqual(outcome.results.map((r) => r.status), [...Array<string>(started).fill('done'), ...Array<string>(5 - started).fill('skipped')]);
  });

  test('an onItem that throws: every started item still settles, then the batch reports that error', async () => {
    const settled: number[] = [];
    await assert.rejects(
      runBatch(
        [0, 1, 2, 3],
        async (item) => {
          await new Promise((resolve) => setImmediate(resolve));
          settled.push(item);
          return item;
        },
        {
          concurrency: 4,
          onItem: (result) => {
            if (result.index === 1) throw new Error('the progress display failed');
          },
        },
      ),
      /the progress display failed/,
    );
    assert.deepEqual([...settled].sort(), [0, 1, 2, 3]);
  });

  test('a cancel does not relabel an item that already had its answer: its own failure is reported', async () => {
    const stop = new AbortController();
    let failRecording: (error: unknown) => void = () => undefined;
    const running = runBatch(
      [0],
      async (_item, _signal, _index, release) => {
        release(); // answered; now "recording"
        await new Promise((_resolve, reject) => (failRecording = reject));
        return 'never';
      },
      { signal: stop.signal, inFlight: 'cancel' },
    );
    await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    failRecording(Object.assign(new Error('disk full'), { code: 'ENOSPC' }));
    const [result] = (await running).results;
    assert.ok(result && !result.ok);
    assert.notEqual(result.error.code, 'cancelled');
    assert.match(result.error.message, /disk full|space/i);
  });
});

