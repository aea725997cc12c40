// IPC fuzzing (issue #7): every channel of the contract gets at least 1,000 malformed payloads derived from its
// schema (test/support/ipc-fuzz.ts), sent through the real registry and handlers over real adapters: a data folder
// with real files, the OS keychain (a service of its own), the emulator on loopback. Each payload must come back as
// a 'validation' Result without its handler running; afterwards the data folder, the keychain and the emulator's
// request log are exactly as before, and Object.prototype is untouched.
// ENGAGEMENT_DESK_FUZZ_SEED replays a run (the seed is printed); ENGAGEMENT_DESK_FUZZ_COUNT changes the count.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findCredentialsAsync } from '@napi-rs/keyring';
import { channels, droppedFileGrant, type ChannelKey, type EventPayloads, type Result } from '../../../preload/contract';
import { openAppServices, type AppServices } from '../../../main/services';
import type { Dialogs } from '../../../main/platform/dialogs';
import { createKeychain } from '../../../main/platform/keychain';
import { OperationRegistry } from '../../../main/platform/operations';
import { createPathGrants, type PathGrants } from '../../../main/platform/path-grants';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { receiveDroppedFile } from '../../../main/ipc/dropped-files';
import { pathsIn } from '../../../main/ipc/path-fields';
import { payloadProblem } from '../../../main/ipc/payload-guard';
import { registerAllIpc } from '../../../main/ipc/register-all';
import { createHandlerRegistry, type HandlerRegistry } from '../../../main/ipc/registry';
import { createRng, PayloadFuzzer, type FuzzPaths, type MalformedPayload } from '../../support/ipc-fuzz';
import { makePng } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const SEED = Number(process.env.ENGAGEMENT_DESK_FUZZ_SEED ?? 0x7e57_f022);
const COUNT = Number(process.env.ENGAGEMENT_DESK_FUZZ_COUNT ?? 1000);
const USER = 'fuzz-admin';
const PASSWORD = 'fuzz-Passw0rd';
const KEYCHAIN_SERVICE = `Engagement Desk fuzz ${process.pid}`;

let tmp: TempDir;
let emulator: Emulator;
let services: AppServices;
let operations: OperationRegistry;
let registry: HandlerRegistry;
let pathGrants: PathGrants;
let paths: FuzzPaths;
/** Channels whose handler body started: must stay empty. */
const ran: string[] = [];
const pushed: Array<keyof EventPayloads> = [];
const dialogCalls: string[] = [];
const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);

const dialogs: Dialogs = {
  async openFile(kind) {
    dialogCalls.push(`open ${kind}`);
    return [];
  },
  async saveFile(kind) {
    dialogCalls.push(`save ${kind}`);
    return undefined;
  },
  async showInFolder(path) {
    dialogCalls.push(`show ${path}`);
    return true;
  },
};

/** Every file under the data folder: name, size, mtime and SHA-256. */
async function snapshotTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      const info = await stat(full);
      if (entry.isDirectory()) {
        out.push(`${relative(dir, full)}/ ${info.mtimeMs}`);
        await walk(full);
      } else {
        const sha = createHash('sha256').update(await readFile(full)).digest('hex');
        out.push(`${relative(dir, full)} ${info.size} ${info.mtimeMs} ${sha}`);
      }
    }
  };
  await walk(dir);
  return out.sort();
}

/**
 * The keychain's entries for this suite. A read that fails is tried again for a few seconds: test/run.mjs starts
 * gnome-keyring again, on the same keyring file, when it aborts on its race between short-lived clients (the
 * suites' CLI runs in parallel), and a snapshot taken in that gap says nothing about the payloads. A keychain that
 * stays unreadable still fails the test, with the last error.
 */
async function snapshotKeychain(): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const entries = await findCredentialsAsync(KEYCHAIN_SERVICE);
      return entries.map((e) => `${e.account} ${createHash('sha256').update(e.password).digest('hex')}`).sort();
    } catch (error) {
      if (attempt >= 10) throw error;
      console.log(`keychain snapshot failed (${(error as Error).message}); trying again in 1 s`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

interface World {
  tree: string[];
  keychain: string[];
  requests: string;
  objectPrototype: string[];
  arrayPrototype: string[];
}

async function snapshot(): Promise<World> {
  return {
    tree: await snapshotTree(services.dataDir),
    keychain: await snapshotKeychain(),
    requests: JSON.stringify(emulator.requests.map((r) => [r.method, r.path, r.status])),
    objectPrototype: Object.getOwnPropertyNames(Object.prototype).sort(),
    arrayPrototype: Object.getOwnPropertyNames(Array.prototype).sort(),
  };
}

function assertUnpolluted(): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.polluted, undefined, 'Object.prototype was polluted');
  assert.equal(Object.getPrototypeOf(probe), Object.prototype);
}

before(async () => {
  console.log(`IPC fuzz seed ${SEED} (replay with ENGAGEMENT_DESK_FUZZ_SEED=${SEED}), ${COUNT} payloads per channel`);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  tmp = await makeTempDir('ipc-fuzz');
  emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), users: [{ username: USER, password: PASSWORD }] });
  const dataDir = join(tmp.dir, 'data');
  services = await openAppServices({
    dataDir,
    store: openSettingsStore(dataDir),
    secrets: createKeychain({ service: KEYCHAIN_SERVICE }),
    source: 'app',
    sandbox: false,
  });
  operations = new OperationRegistry();

  // The user's own files, some of them chosen (granted) the ways the app grants them.
  const work = join(tmp.dir, 'work');
  const folder = join(work, 'downloads');
  await mkdir(folder, { recursive: true });
  const files = {
    cert: join(work, 'push.p12'),
    pkpass: join(work, 'event.pkpass'),
    logo: join(work, 'logo.png'),
    csv: join(work, 'recipients.csv'),
    saveTo: join(work, 'saved.p12'),
  };
  await writeFile(files.cert, 'not really a p12, the handlers never get to read it');
  await writeFile(files.pkpass, 'PK\u0003\u0004');
  await writeFile(files.logo, makePng(16, 16));
  await writeFile(files.csv, 'id\n1001\n');
  await writeFile(join(folder, 'planted.p12'), 'a file main did not create');
  pathGrants = createPathGrants();
  for (const path of [files.cert, files.pkpass, files.logo, files.csv]) pathGrants.grantFile(path, 'read');
  pathGrants.grantFile(files.saveTo, 'write');
  pathGrants.grantFolder(folder);
  paths = {
    valid: { read: files.cert, write: files.saveTo, reveal: files.logo },
    grantedRead: files.cert,
    grantedWrite: files.saveTo,
    grantedFolder: folder,
    dataDir,
  };

  // Real state a stray write or send would change: a profile with its secret, a draft holding a file, history.
  const profile = await services.profiles.save({ name: 'Fuzz', baseUrl: emulator.url, authMode: 'basic', username: USER }, PASSWORD);
  const draft = await services.drafts.drafts.create({ kind: 'cert-upload', name: 'Fuzz draft', profileId: profile.id, appId: 'FuzzApp' });
  const cert = await services.drafts.drafts.addFile(draft.id, files.cert);
  const current = await services.drafts.drafts.get(draft.id);
  if (current.kind !== 'cert-upload') throw new Error('unreachable');
  await services.drafts.drafts.save({ ...current, payload: { ...current.payload, cert } });

  const real = createHandlerRegistry({ pathGrants });
  // The same registry, with every handler body reporting that it started.
  const spied: HandlerRegistry = {
    invoke: (name, payload) => real.invoke(name, payload),
    channelNames: () => real.channelNames(),
    handle(key, handler) {
      real.handle(key, async (request) => {
        ran.push(channels[key].name);
        return handler(request);
      });
    },
  };
  registerAllIpc(spied, {
    services,
    operations,
    dialogs,
    pathGrants,
    events: (event) => {
      pushed.push(event);
    },
  });
  registry = spied;
});

after(async () => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  operations?.cancelAll();
  for (const view of (await services?.profiles.list()) ?? []) await services.profiles.remove(view.id).catch(() => undefined);
  await services?.close();
  await emulator?.close();
  await tmp?.remove();
});

describe('IPC fuzzing', () => {
  test('every contract channel has a handler and a payload generator', () => {
    const names = Object.values(channels).map((c) => c.name).sort();
    assert.deepEqual(registry.channelNames().sort(), names);
    for (const [key, spec] of Object.entries(channels)) {
      const fuzzer = new PayloadFuzzer(spec.request, paths);
      // The generator's base sample must be a request main accepts, or every rejection would prove nothing.
      assert.equal(payloadProblem(fuzzer.sample), undefined, key);
      const parsed = spec.request.safeParse(fuzzer.sample);
      assert.ok(parsed.success, `${key}: the valid sample does not parse: ${parsed.success ? '' : parsed.error.message}`);
      for (const use of pathsIn(spec.request, parsed.data)) assert.equal(pathGrants.check(use.path, use.access), undefined, `${key} ${use.field}`);
    }
  });

  for (const key of Object.keys(channels) as ChannelKey[]) {
    const { name, request: schema } = channels[key];
    test(`${name}: ${COUNT} malformed payloads are each refused as 'validation', with nothing run, written or sent`, async () => {
      // Each channel gets its own stream, so one channel's failure replays alone with the same seed.
      const rng = createRng(SEED ^ hashString(name));
      const variants = PayloadFuzzer.variants(schema);
      const before = await snapshot();
      const wrong: string[] = [];
      let sent = 0;
      for (let variant = 0; variant < variants; variant++) {
        const fuzzer = new PayloadFuzzer(schema, paths, variant);
        const share = Math.ceil(COUNT / variants);
        for (const { label, payload } of fuzzer.payloads(share, rng)) {
          sent++;
          let result: Result<unknown>;
          try {
            result = await registry.invoke(name, payload);
          } catch (error) {
            wrong.push(`${label}: threw ${(error as Error).message}`);
            continue;
          }
          if (result.ok) wrong.push(`${label}: accepted`);
          else if (result.error.code !== 'validation') wrong.push(`${label}: ${result.error.code} ${result.error.message}`);
          else if (result.error.message.length > 1000) wrong.push(`${label}: a ${result.error.message.length}-character message echoes the input`);
        }
      }
      assert.ok(sent >= COUNT, `only ${sent} payloads`);
      assert.deepEqual(wrong.slice(0, 15), [], `${wrong.length} of ${sent} payloads were not refused as validation errors (seed ${SEED})`);
      assert.deepEqual(ran, [], 'a handler ran');
      assert.deepEqual(pushed, [], 'an event was pushed');
      assert.deepEqual(dialogCalls, [], 'a dialog was opened');
      assert.deepEqual(crashes, [], 'an uncaught error');
      assertUnpolluted();
      const afterwards = await snapshot();
      assert.deepEqual(afterwards.tree, before.tree, 'the data folder changed');
      assert.deepEqual(afterwards.keychain, before.keychain, 'the keychain changed');
      assert.equal(afterwards.requests, before.requests, 'a request reached the server');
      assert.deepEqual(afterwards.objectPrototype, before.objectPrototype, 'Object.prototype changed');
      assert.deepEqual(afterwards.arrayPrototype, before.arrayPrototype, 'Array.prototype changed');
    });
  }

  test(`${droppedFileGrant.name}: ${COUNT} malformed grant messages grant nothing`, () => {
    const rng = createRng(SEED ^ hashString(droppedFileGrant.name));
    const fuzzer = new PayloadFuzzer(droppedFileGrant.request, paths);
    const granted: string[] = [];
    const attempts: MalformedPayload[] = [...fuzzer.payloads(COUNT, rng)];
    // Well-formed messages naming a path that is not absolute and plain grant nothing either.
    for (const path of ['relative.p12', '../x.p12', 'file:///etc/passwd', '/tmp/a/../b.p12', '/tmp/./b.p12', '/tmp//b.p12']) {
      attempts.push({ label: `path ${path}`, payload: { path } });
    }
    for (const { label, payload } of attempts) {
      if (receiveDroppedFile(pathGrants, payload)) granted.push(label);
    }
    assert.deepEqual(granted, []);
    for (const path of ['relative.p12', '../x.p12', 'file:///etc/passwd', '/tmp/a/../b.p12', '/etc/passwd', 'a\u0000b']) {
      assert.notEqual(pathGrants.check(path, 'read'), undefined, path);
    }
    assertUnpolluted();
  });
});

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
