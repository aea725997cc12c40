// Hard-kill the storage process during saves, over every store the app writes: drafts (save with files,
// delete/restore), the drafts index (journal compaction, session), the history, the outbox and the settings
// (profiles in config.json via conf). After every SIGKILL the parent opens each store and checks: it loads,
// nothing is quarantined (writes are atomic), the last acknowledged save (or a later one) is there, no temp file
// or lock is left behind to pile up across rounds, and no outbox entry is ever sent twice.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DraftsStore } from '../../../main/drafts/drafts-store';
import { HistoryStore } from '../../../main/history/history-store';
import { OutboxService } from '../../../main/outbox/outbox';
import { ProfileService } from '../../../main/profiles/profile-service';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { NO_SECRETS } from '../../support/no-secrets';

const WRITER = fileURLToPath(new URL('./fixtures/storage-writer.ts', import.meta.url));
const KILLS_PER_STORE = Number(process.env.CRASH_KILLS_PER_STORE ?? 34);
const ROUND_DEADLINE_MS = 20_000;

type Mode = 'drafts-save' | 'drafts-trash' | 'drafts-index' | 'history' | 'outbox' | 'settings';
/** Two lanes run side by side (each store has its own data folder); each lane takes its stores in turn. */
const LANES: Mode[][] = [
  ['drafts-save', 'drafts-index', 'outbox'],
  ['drafts-trash', 'history', 'settings'],
];

let tmp: TempDir;
let writerJs: string;

before(async () => {
  tmp = await makeTempDir('crash-all');
  writerJs = join(tmp.dir, 'storage-writer.mjs');
  // One bundle per run: plain `node` starts it in ~50 ms where node + tsx would take most of a second.
  await build({
    entryPoints: [WRITER],
    outfile: writerJs,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
});

/** Writers still running when a check fails in the other lane; killed before the folder is removed. */
const running = new Set<ReturnType<typeof spawn>>();

after(async () => {
  for (const child of running) child.kill('SIGKILL');
  await Promise.all([...running].map((child) => new Promise((resolve) => child.once('close', resolve))));
  await tmp?.remove();
});

/** Starts the writer, lets it acknowledge a few saves, then SIGKILLs it at a random moment. Returns its ACK lines. */
function runAndKill(mode: Mode, dataDir: string, args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerJs, mode, dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const acks: string[] = [];
    const killAfter = randomInt(1, 5);
    let buffered = '';
    let stderr = '';
    let killing = false;
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${mode}: the writer acknowledged ${acks.length} saves in ${ROUND_DEADLINE_MS} ms: ${stderr}`));
    }, ROUND_DEADLINE_MS);
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ACK ')) acks.push(line.slice(4));
      if (acks.length >= killAfter && !killing) {
        killing = true;
        // Vary the moment inside the next save: right away, after the current I/O callbacks, or a few ms later.
        const when = randomInt(0, 4);
        if (when === 0) kill();
        else if (when === 1) setImmediate(kill);
        else setTimeout(kill, randomInt(1, when === 2 ? 5 : 25));
      }
    });
    child.on('error', reject);
    // 'close', not 'exit': every ACK the child wrote before it died must be read from the pipe first (an ACK
    // missed here would make the check expect an older state than the one acknowledged).
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      running.delete(child);
      if (signal !== 'SIGKILL') reject(new Error(`${mode}: the writer exited on its own (${code}): ${stderr}`));
      else resolve(acks);
    });
  });
}

const TEMP_NAMES = [
  /^\..+\.(?:\d+-)?[0-9a-f]{12}\.tmp$/, // writeFileAtomic
  /^(?:\d+-)?[0-9a-f]{16}\.tmp$/, // blob store
  /^config\.json\.tmp-\d{10}[0-9a-f]{6}$/, // conf (atomically)
  /\.lock$/, // outbox claims
];

/** Temp files, locks and quarantined copies anywhere under `dir`. */
async function leftovers(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const name = entry.name;
    if (TEMP_NAMES.some((pattern) => pattern.test(name)) || name.includes('.damaged-')) found.push(join(entry.parentPath, name));
  }
  return found;
}


/** One store under test: its folder, how to start its writer, and what must hold after each kill. */
interface Subject {
  dataDir: string;
  args: string[];
  kills: number;
  /** Kills that left a temp file or lock behind (they landed inside a temp-file write or an outbox send). */
  midWrite: number;
  check(acks: string[], round: number): Promise<void>;
}

async function draftsSubject(root: string, mode: Mode): Promise<Subject> {
  const dataDir = join(root, mode);
  const setup = await DraftsStore.open({ dataDir });
  const count = mode === 'drafts-index' ? 4 : 1;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await setup.create({ kind: 'pass-update', name: `draft ${i}` })).id);
  await setup.create({ kind: 'cert-upload', name: 'neighbour' });
  await setup.settled();
  const acked = new Map<string, number>();
  const revisionAtStart = (await setup.get(ids[0]!)).revision;

  return {
    dataDir,
    args: ids,
    kills: 0,
    midWrite: 0,
    async check(acks, round) {
      const store = await DraftsStore.open({ dataDir });
      const { drafts, problems } = await store.list();
      assert.deepEqual(problems, [], `${mode} round ${round}: nothing quarantined`);
      const listed = new Map(drafts.map((d) => [d.id, d]));
      assert.ok(drafts.some((d) => d.name === 'neighbour'), `${mode} round ${round}: the neighbour draft is listed`);

      if (mode === 'drafts-trash') {
        const id = ids[0]!;
        const inTrash = (await store.trash()).filter((t) => t.id === id).length;
        const inItems = await stat(join(store.itemsDir, `${id}.json`)).then(() => 1, () => 0);
        assert.equal(inItems + inTrash, 1, `${mode} round ${round}: the draft is in items/ or the trash, exactly once`);
        assert.equal(listed.has(id), inItems === 1, `${mode} round ${round}: the list agrees with items/`);
        if (inItems) assert.equal((await store.get(id)).revision, revisionAtStart, 'restoring never changes the draft');
        assert.ok(acks.length > 0);
      } else {
        for (const line of acks) {
          const [id, revision] = line.split(' ');
          acked.set(id!, Number(revision));
        }
        for (const id of ids) {
          const onDisk = await store.get(id);
          const last = acked.get(id) ?? 0;
          assert.ok(onDisk.revision >= last, `${mode} round ${round}: revision ${onDisk.revision} >= acknowledged ${last}`);
          assert.ok(onDisk.revision <= last + 1 || !acked.has(id), `${mode} round ${round}: at most one unacknowledged save`);
          assert.equal(listed.get(id)?.revision, onDisk.revision, `${mode} round ${round}: the list shows what is on disk`);
          // The next writer starts from what is on disk: a save this round's kill left unacknowledged is its base.
          acked.set(id, onDisk.revision);
          // Files the draft refers to are in the blob store, whole.
          if (onDisk.kind === 'pass-update' && onDisk.payload.pkPass) await store.verifyBlob(onDisk.payload.pkPass);
        }
        const session = await store.getSession();
        assert.ok(session.openDraftIds.every((id) => ids.includes(id)), `${mode} round ${round}: the session loads`);
        const index = await readFile(join(store.root, 'index.json'), 'utf8').catch(() => undefined);
        if (index !== undefined) JSON.parse(index);
      }
      await store.settled();
    },
  };
}

function historySubject(root: string): Subject {
  const dataDir = join(root, 'history');
  const expected: string[] = [];
  return {
    dataDir,
    args: [],
    kills: 0,
    midWrite: 0,
    async check(acks, round) {
      expected.push(...acks);
      const { records, skippedLines } = await new HistoryStore(dataDir).all();
      const ids = records.map((r) => r.requestId ?? '');
      assert.equal(new Set(ids).size, ids.length, `history round ${round}: no record appears twice`);
      const present = new Set(ids);
      const missing = expected.filter((id) => !present.has(id));
      assert.deepEqual(missing, [], `history round ${round}: every acknowledged append is there`);
      assert.ok(skippedLines <= round + 1, `history round ${round}: at most one torn line per kill (${skippedLines})`);
    },
  };
}

async function outboxSubject(root: string): Promise<Subject> {
  const dataDir = join(root, 'outbox');
  const drafts = await DraftsStore.open({ dataDir });
  const profileId = 'crash-profile';
  const template = await drafts.create({ kind: 'pass-update', name: 'queued', profileId });
  const lastState = new Map<string, string>();
  return {
    dataDir,
    args: [template.id],
    kills: 0,
    midWrite: 0,
    async check(acks, round) {
      let paused: boolean | undefined;
      for (const line of acks) {
        const [id, state] = line.split(' ');
        if (id === 'outbox') paused = state === 'paused';
        else lastState.set(id!, state!);
      }
      const outbox = await OutboxService.open({
        dataDir,
        sender: { send: () => Promise.reject(new Error('the parent never sends')) },
      });
      const view = await outbox.list();
      const byId = new Map(view.entries.map((e) => [e.id, e]));
      assert.ok(!view.entries.some((e) => e.state === 'sending'), `outbox round ${round}: a killed send is never left "sending"`);
      const lastLine = acks.at(-1) ?? '';
      const lastId = lastLine.split(' ')[0];
      for (const [id, state] of lastState) {
        const entry = byId.get(id);
        if (state === 'discarded') assert.equal(entry, undefined, `outbox round ${round}: a discarded entry stays gone`);
        else if (state === 'sent') {
          // Its discard may have been the save in flight when the kill came.
          if (entry || id !== lastId) assert.equal(entry?.state, 'sent', `outbox round ${round}: a sent entry stays sent`);
        } else assert.ok(entry, `outbox round ${round}: acknowledged entry ${id} (${state}) is in the outbox`);
      }
      // An entry whose discard was in flight is gone now, and must stay gone from here on.
      for (const [id, state] of lastState) if (state === 'sent' && !byId.has(id)) lastState.set(id, 'discarded');
      if (paused !== undefined && !/ enqueued$/.test(lastLine)) {
        assert.equal(view.paused, paused, `outbox round ${round}: the acknowledged pause state holds`);
      }
      // The sender logs before it answers: a name twice would be a duplicate send after a crash.
      const sent = (await readFile(join(dataDir, 'sent.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
      assert.equal(new Set(sent).size, sent.length, `outbox round ${round}: no entry was ever sent twice`);
    },
  };
}

function settingsSubject(root: string): Subject {
  const dataDir = join(root, 'settings');
  let acknowledged = 0;
  return {
    dataDir,
    args: [],
    kills: 0,
    midWrite: 0,
    async check(acks, round) {
      for (const line of acks) acknowledged = Math.max(acknowledged, Number(line.split(' ')[1]));
      // The writer is dead, so any temp file beside config.json is abandoned: staleTempMs 0 removes them all.
      const store = openSettingsStore(dataDir, { staleTempMs: 0 });
      assert.deepEqual(store.problems, [], `settings round ${round}: config.json loads as it is`);
      const counter = Number(store.get('crash.counter'));
      assert.ok(counter >= acknowledged && counter <= acknowledged + 1, `settings round ${round}: counter ${counter} vs acknowledged ${acknowledged}`);
      const profiles = new ProfileService({ store, secrets: NO_SECRETS }).profiles();
      assert.equal(profiles.length, 1, `settings round ${round}: one profile`);
      const saved = Number(/^user-(\d+)$/.exec(profiles[0]?.username ?? '')?.[1]);
      assert.ok(saved === counter || saved === counter + 1, `settings round ${round}: the profile (${saved}) is the acknowledged one or later`);
    },
  };
}

describe('crash consistency of every store', () => {
  // A guard against a hang, not a speed check (each round has its own 20 s deadline): 204 kills take about 80 s on a
  // quiet two-core machine and near 240 s when other work shares it.
  test(`SIGKILL during saves, ${KILLS_PER_STORE} times per store`, { timeout: 480_000 }, async () => {
    const root = join(tmp.dir, 'data');
    await mkdir(root, { recursive: true });
    const subjects: Record<Mode, Subject> = {
      'drafts-save': await draftsSubject(root, 'drafts-save'),
      'drafts-trash': await draftsSubject(root, 'drafts-trash'),
      'drafts-index': await draftsSubject(root, 'drafts-index'),
      history: historySubject(root),
      outbox: await outboxSubject(root),
      settings: settingsSubject(root),
    };
    const started = Date.now();
    await Promise.all(
      LANES.map(async (modes) => {
        for (let round = 0; round < KILLS_PER_STORE; round++) {
          for (const mode of modes) {
            const subject = subjects[mode];
            const acks = await runAndKill(mode, subject.dataDir, subject.args);
            subject.kills++;
            // A temp file or lock before the stores are opened means the kill landed inside a write.
            if ((await leftovers(subject.dataDir)).length > 0) subject.midWrite++;
            assert.ok(acks.length > 0, `${mode} round ${round}: the writer made progress`);
            await subject.check(acks, round);
            assert.deepEqual(await leftovers(subject.dataDir), [], `${mode} round ${round}: no temp file, lock or quarantined copy left`);
          }
        }
      }),
    );
    const kills = Object.entries(subjects).map(([mode, s]) => `${mode} ${s.kills} (${s.midWrite} left a temp file or lock)`);
    const total = Object.values(subjects).reduce((sum, s) => sum + s.kills, 0);
    console.log(`  [crash] ${total} SIGKILLs (${kills.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.ok(total >= 200, 'at least 200 kills');
  });
});
