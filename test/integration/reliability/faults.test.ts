// Uploads and downloads through the app's own action layer (what the IPC handlers and the CLI call) and through
// the outbox, against the emulator's fault injection: latency past and within the timeouts, resets before and in
// the body, 5xx answers, a body that stalls past the idle timeout, and a refused connection. Every case must end
// in a success or a typed AppError that says what happened and what to do; never a hang (each wait has a hard
// deadline that fails the test), never a partial file, never a second request for one user action.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { link, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAppServices, type AppServices } from '../../../main/services';
import { createKeychain } from '../../../main/platform/keychain';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { toAppError } from '../../../main/core/errors';
import { startEmulator, type Emulator, type Fault } from '../../../main/emulator/server';
import type { AppError, Draft, OutboxEntry } from '../../../preload/contract';
import { makeP12, makePkpass, makePng } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

/** Small timeouts so nothing waits long; the faults are sized against them. */
const TIMEOUTS = { connectTimeoutMs: 1000, headersTimeoutMs: 1500, bodyIdleTimeoutMs: 500 };
/** Longer than any timeout above plus the slowest fault: past this, a wait counts as a hang. */
const HARD_DEADLINE_MS = 10_000;
const PASSPHRASE = 'faults-pw';

type Operation = 'cert-upload' | 'pass-update' | 'cert-download';
type FaultName =
  | 'none'
  | 'latency within the timeout'
  | 'latency beyond the timeout'
  | 'reset before the body'
  | 'reset mid-body'
  | 'HTTP 500'
  | 'HTTP 502'
  | 'HTTP 503'
  | 'HTTP 504'
  | 'body stalls past the idle timeout'
  | 'connection refused';

const FAULT_NAMES: FaultName[] = [
  'none',
  'latency within the timeout',
  'latency beyond the timeout',
  'reset before the body',
  'reset mid-body',
  'HTTP 500',
  'HTTP 502',
  'HTTP 503',
  'HTTP 504',
  'body stalls past the idle timeout',
  'connection refused',
];

/** The emulator fault for a case (undefined: none, or the refused profile is used instead). */
function faultFor(name: FaultName): Omit<Fault, 'method' | 'path'> | undefined {
  switch (name) {
    case 'none':
    case 'connection refused':
      return undefined;
    case 'latency within the timeout':
      return { latencyMs: 150 };
    case 'latency beyond the timeout':
      return { latencyMs: TIMEOUTS.headersTimeoutMs + 1000 };
    case 'reset before the body':
      return { resetAfterBytes: 0 };
    case 'reset mid-body':
      // Uploads: the request body is cut after 700 bytes; the download: the certificate is cut after 700 bytes.
      return { resetAfterBytes: 700 };
    case 'body stalls past the idle timeout':
      // One byte every two seconds: the response starts, then goes silent for longer than bodyIdleTimeoutMs.
      return { bytesPerSecond: 0.5 };
    default:
      return { status: Number(name.slice('HTTP '.length)) };
  }
}

/** What a case must end in: success, or an AppError with this code. */
function expectedCode(name: FaultName): AppError['code'] | 'success' {
  switch (name) {
    case 'none':
    case 'latency within the timeout':
      return 'success';
    case 'latency beyond the timeout':
    case 'body stalls past the idle timeout':
      return 'timeout';
    case 'reset before the body':
    case 'reset mid-body':
    case 'connection refused':
      return 'network';
    default:
      return 'server-error';
  }
}

/** Each AppError message says what went wrong and what to do about it. */
const ADVICE = /try again|check|is the server running/i;

const ROUTES: Record<Operation, { method: string; path: RegExp }> = {
  'cert-upload': { method: 'POST', path: /^\/api\/v1\/applications\/[^/]+\/windows$/ },
  'pass-update': { method: 'POST', path: /^\/api\/v1\/message\/pass\/import\/update$/ },
  'cert-download': { method: 'GET', path: /^\/api\/v1\/applications\/downloadwindowscert$/ },
};

let tmp: TempDir;
let emulator: Emulator;
let services: AppServices;
let deadUrl: string;
let certPath: string;
let pkPassPath: string;
let logoPath: string;
let downloadName: string;
let downloadSha: string;
const DOWNLOAD_APP = 'Faults-Download';
const EXISTING = Buffer.from('the file that was here before, never to be replaced\n');
let caseNumber = 0;

/** Settles `promise` or fails the test: a hang must not stall the suite. */
async function settle<T>(promise: Promise<T>, what: string): Promise<{ ok: true; value: T } | { ok: false; error: AppError }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), HARD_DEADLINE_MS);
  });
  const outcome = await Promise.race([
    promise.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error: toAppError(error) }),
    ),
    hang,
  ]);
  clearTimeout(timer);
  if (outcome === 'hang') assert.fail(`${what}: still waiting after ${HARD_DEADLINE_MS} ms (a hang)`);
  return outcome;
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function requestsTo(operation: Operation): number {
  const route = ROUTES[operation];
  return emulator.requests.filter((r) => r.method === route.method && route.path.test(r.path)).length;
}

async function historyTotal(): Promise<number> {
  return (await services.drafts.history.query({})).total;
}

async function newestHistory() {
  return (await services.drafts.history.query({ limit: 1 })).records[0];
}

before(async () => {
  tmp = await makeTempDir('faults');
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator') });
  const dataDir = join(tmp.dir, 'data');
  services = await openAppServices({
    dataDir,
    store: openSettingsStore(dataDir),
    secrets: createKeychain(),
    source: 'cli',
    sandbox: false,
    clientOptions: TIMEOUTS,
  });
  deadUrl = `http://127.0.0.1:${await closedPort()}`;
  await services.profiles.save({ name: 'Faulty', baseUrl: emulator.url, authMode: 'basic', username: 'sandbox' }, 'sandbox');
  await services.profiles.save({ name: 'Refused', baseUrl: deadUrl, authMode: 'basic', username: 'sandbox' }, 'sandbox');
  certPath = (await makeP12(tmp.dir, { passphrase: PASSPHRASE })).path;
  pkPassPath = (await makePkpass(tmp.dir)).path;
  logoPath = join(tmp.dir, 'logo.png');
  await writeFile(logoPath, makePng(160, 50));
  // The certificate every download fetches.
  await services.actions.uploadCertificate({ profile: 'Faulty', appId: DOWNLOAD_APP, certPath, passphrase: PASSPHRASE });
  const stored = await emulator.storedCertificate(DOWNLOAD_APP);
  assert.ok(stored);
  downloadName = stored.fileName;
  downloadSha = stored.sha256;
});

after(async () => {
  for (const profile of ['Faulty', 'Refused', 'Refused outbox cert-upload', 'Refused outbox pass-update']) {
    await services?.profiles.remove(profile).catch(() => undefined);
  }
  await services?.close();
  await emulator?.close();
  await tmp?.remove();
});

/** Runs one operation through EngagementActions with `faultName` armed, and checks every invariant. */
async function runCase(operation: Operation, faultName: FaultName): Promise<{ ok: boolean; error?: AppError }> {
  const n = ++caseNumber;
  const profile = faultName === 'connection refused' ? 'Refused' : 'Faulty';
  const fault = faultFor(faultName);
  emulator.clearFaults();
  if (fault) emulator.injectFault({ ...fault, method: ROUTES[operation].method, path: ROUTES[operation].path });
  const requestsBefore = requestsTo(operation);
  const historyBefore = await historyTotal();
  const what = `${operation} with ${faultName}`;

  let folder = '';
  let outcome;
  if (operation === 'cert-download') {
    folder = join(tmp.dir, `download-${n}`);
    await mkdir(folder);
    // A file with the very name the server sends: a download into the folder must never replace it.
    await writeFile(join(folder, downloadName), EXISTING);
    outcome = await settle(services.actions.downloadCertificate({ profile, appId: DOWNLOAD_APP, destination: folder }), what);
  } else if (operation === 'cert-upload') {
    outcome = await settle(
      services.actions.uploadCertificate({ profile, appId: `Faults-${n}`, certPath, passphrase: PASSPHRASE }),
      what,
    );
  } else {
    // Each send carries its own .pkpass name, so its history row is its own.
    const pass = join(tmp.dir, `pass-${n}.pkpass`);
    await link(pkPassPath, pass);
    outcome = await settle(
      services.actions.updatePass({
        profile,
        pkPassPath: pass,
        images: [{ fieldName: 'logo', path: logoPath }],
        passContent: { recipients: { recipient: [{ id: `case-${n}` }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 },
      }),
      what,
    );
  }
  emulator.clearFaults();

  // A success, or a typed error that names the problem and what to do.
  if (!outcome.ok) {
    assert.ok(outcome.error.code && outcome.error.message, `${what}: a typed AppError`);
    assert.match(outcome.error.message, ADVICE, `${what}: "${outcome.error.message}" says what to do`);
  }

  // One user action, at most one request: nothing is retried behind the user's back.
  const requests = requestsTo(operation) - requestsBefore;
  assert.equal(requests, faultName === 'connection refused' ? 0 : 1, `${what}: requests that reached the server`);

  if (operation === 'cert-download') {
    const names = (await readdir(folder)).sort();
    assert.deepEqual(await readFile(join(folder, downloadName)), EXISTING, `${what}: the existing file is untouched`);
    if (outcome.ok) {
      const saved = outcome.value as { path: string; sha256: string };
      assert.equal(names.length, 2, `${what}: the existing file and the download, nothing else (${names.join(', ')})`);
      assert.equal(saved.sha256, downloadSha, `${what}: the bytes the server holds`);
    } else {
      assert.deepEqual(names, [downloadName], `${what}: no partial or temp file left in the folder`);
    }
    assert.equal(await historyTotal(), historyBefore, `${what}: a download is not a send`);
  } else {
    // Every send attempt that got past the local checks is in the history exactly once.
    assert.equal((await historyTotal()) - historyBefore, 1, `${what}: one history row`);
    const row = await newestHistory();
    assert.equal(row?.status === 'sent', outcome.ok, `${what}: the history row says how it ended (${row?.status})`);
    if (!outcome.ok) {
      const expectedStatus = faultName === 'connection refused' ? 'not-sent' : /^HTTP/.test(faultName) ? 'failed' : 'outcome-unknown';
      assert.equal(row?.status, expectedStatus, `${what}: history status`);
    }
    if (operation === 'pass-update') assert.equal(row?.files[0]?.name, `pass-${n}.pkpass`, `${what}: the row is this send's`);
    else assert.equal(row?.appId, `Faults-${n}`, `${what}: the row is this send's`);
  }
  return outcome.ok ? { ok: true } : { ok: false, error: outcome.error };
}

describe('faults through the action layer', () => {
  for (const operation of ['cert-upload', 'pass-update', 'cert-download'] as const) {
    for (const faultName of FAULT_NAMES) {
      test(`${operation}: ${faultName}`, { timeout: 30_000 }, async () => {
        const outcome = await runCase(operation, faultName);
        const expected = expectedCode(faultName);
        if (expected === 'success') assert.ok(outcome.ok, `succeeds: ${outcome.error?.message}`);
        else assert.equal(outcome.error?.code, expected, `${outcome.error?.message}`);
        if (faultName === 'connection refused') assert.equal(outcome.error?.detail, 'ECONNREFUSED');
      });
    }
  }
});

// -----------------------------------------------------------------------------------------------------------------
// The outbox: queued drafts flushed while the server is faulty, then again once it is healthy.

async function queuedDraft(kind: 'cert-upload' | 'pass-update', profileId: string, n: number): Promise<Draft> {
  const store = services.drafts.drafts;
  const created = await store.create({ kind, name: `outbox case ${n}`, profileId, ...(kind === 'cert-upload' ? { appId: `Outbox-${n}` } : {}) });
  if (created.kind === 'cert-upload') {
    const cert = await store.addFile(created.id, certPath);
    return store.save({ ...created, payload: { ...created.payload, appId: `Outbox-${n}`, cert } });
  }
  if (created.kind !== 'pass-update') throw new Error(`unexpected draft kind ${created.kind}`);
  const pkPass = await store.addFile(created.id, pkPassPath);
  const logo = await store.addFile(created.id, logoPath);
  return store.save({
    ...created,
    payload: {
      pkPass,
      images: [{ fieldName: 'logo', file: logo }],
      passContent: { recipients: { recipient: [{ id: `outbox-${n}` }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 },
    },
  });
}

/** The state a queued entry must reach when flushed under `faultName`. */
function expectedState(faultName: FaultName): OutboxEntry['state'] {
  switch (expectedCode(faultName)) {
    case 'success':
      return 'sent';
    case 'server-error':
      return 'failed';
    default:
      // Refused: nothing left the machine, so it waits in the queue. Anything after the request went out: unknown.
      return faultName === 'connection refused' ? 'queued' : 'outcome-unknown';
  }
}

describe('faults through the outbox', () => {
  for (const kind of ['cert-upload', 'pass-update'] as const) {
    test(`${kind} drafts flushed under every fault, then flushed again healthy: never sent twice`, { timeout: 120_000 }, async () => {
      const outbox = services.drafts.outbox;
      const faulty = services.profiles.require('Faulty');
      const refused = await services.profiles.save(
        { name: `Refused outbox ${kind}`, baseUrl: deadUrl, authMode: 'basic', username: 'sandbox' },
        'sandbox',
      );
      const cases: Array<{ faultName: FaultName; entry: OutboxEntry; requests: number }> = [];
      for (const faultName of FAULT_NAMES) {
        const n = ++caseNumber;
        const draft = await queuedDraft(kind, faultName === 'connection refused' ? refused.id : faulty.id, n);
        const entry = await outbox.enqueue(draft, kind === 'cert-upload' ? { passphrase: PASSPHRASE } : {});
        const fault = faultFor(faultName);
        emulator.clearFaults();
        if (fault) emulator.injectFault({ ...fault, method: ROUTES[kind].method, path: ROUTES[kind].path });
        const before = requestsTo(kind);
        const historyBefore = await historyTotal();
        const flushed = await settle(outbox.flush({ source: 'app' }), `outbox ${kind} with ${faultName}`);
        emulator.clearFaults();
        assert.ok(flushed.ok, `flush settles without throwing: ${flushed.ok ? '' : flushed.error.message}`);
        const after = outbox.get(entry.id);
        assert.equal(after?.state, expectedState(faultName), `${kind} with ${faultName}: ${after?.lastError?.message ?? ''}`);
        if (after?.lastError) assert.match(after.lastError.message, ADVICE, `${kind} with ${faultName}: the error says what to do`);
        const requests = requestsTo(kind) - before;
        assert.equal(requests, faultName === 'connection refused' ? 0 : 1, `${kind} with ${faultName}: requests`);
        assert.equal((await historyTotal()) - historyBefore, 1, `${kind} with ${faultName}: one history row`);
        cases.push({ faultName, entry, requests });
      }

      // The server is healthy again (and the refused profile now points at it): flush once more.
      // Another origin needs the password again (issue #18): it is bound to the server it was entered for.
      await services.profiles.save({ id: refused.id, name: refused.name, baseUrl: emulator.url, authMode: 'basic', username: 'sandbox' }, 'sandbox');
      const before = requestsTo(kind);
      const flushed = await settle(outbox.flush({ source: 'app' }), `outbox ${kind} healthy flush`);
      assert.ok(flushed.ok);
      // Only the entry that never left the machine goes out; unknown outcomes and server refusals wait for the user.
      assert.equal(requestsTo(kind) - before, 1, `${kind}: the healthy flush sends only the entry that was never sent`);
      for (const { faultName, entry } of cases) {
        const state = outbox.get(entry.id)?.state;
        const expected = faultName === 'connection refused' ? 'sent' : expectedState(faultName);
        assert.equal(state, expected, `${kind} with ${faultName} after the healthy flush`);
      }
      // And a third flush sends nothing at all.
      const third = requestsTo(kind);
      await settle(outbox.flush({ source: 'app' }), `outbox ${kind} third flush`);
      assert.equal(requestsTo(kind), third, `${kind}: nothing is ever sent twice`);
    });
  }
});

// -----------------------------------------------------------------------------------------------------------------
// A randomized soak: faults drawn from a seeded generator; the same invariants after every operation.

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('randomized fault soak', () => {
  const ops = Number(process.env.FAULT_SOAK_OPS ?? 300);
  const seed = Number(process.env.FAULT_SOAK_SEED ?? Date.now() % 2 ** 31);
  test(`${ops} operations with random faults (seed ${seed})`, { timeout: 600_000 }, async () => {
    console.log(`  [soak] seed ${seed} (rerun with FAULT_SOAK_SEED=${seed}), ${ops} operations`);
    const random = seededRandom(seed);
    const operations: Operation[] = ['cert-upload', 'pass-update', 'cert-download'];
    // Slow faults (the timeouts) are drawn less often so the soak stays short; half the operations run clean.
    const weighted: Array<[FaultName, number]> = [
      ['none', 14],
      ['latency within the timeout', 2],
      ['latency beyond the timeout', 1],
      ['reset before the body', 2],
      ['reset mid-body', 2],
      ['HTTP 500', 1],
      ['HTTP 502', 1],
      ['HTTP 503', 1],
      ['HTTP 504', 1],
      ['body stalls past the idle timeout', 1],
      ['connection refused', 2],
    ];
    const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
    const draw = (): FaultName => {
      let pick = random() * total;
      for (const [name, weight] of weighted) {
        pick -= weight;
        if (pick < 0) return name;
      }
      return 'none';
    };
    const tally = new Map<string, number>();
    for (let i = 0; i < ops; i++) {
      const operation = operations[Math.floor(random() * operations.length)]!;
      const faultName = draw();
      // runCase asserts every invariant: settles, typed error with advice, one request at most, history once,
      // no partial download, the existing file untouched.
      const outcome = await runCase(operation, faultName);
      const key = outcome.ok ? 'success' : outcome.error!.code;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    console.log(`  [soak] outcomes: ${[...tally].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  });
});
