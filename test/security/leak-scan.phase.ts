// The last phase of test/run.mjs, after every e2e suite has run: scans every file the e2e apps wrote (settings,
// drafts, outbox, history, exports, downloads, logs) and everything their renderers received or could read (IPC
// answers, push events, console messages, page errors, DOM, Web Storage, IndexedDB) for every secret in play during
// the run. Not a *.test.ts file: it must run after the others, over what they left under ENGAGEMENT_DESK_LEAK_ROOT.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { describe, test } from 'node:test';
import type { AppSecretsFile } from '../support/leak-recorder';
import { describeHits, needlesFor, scanBuffer, scanRecording, scanTree, type KnownSecret, type LeakHit } from './leak-scanner';

const root = process.env.ENGAGEMENT_DESK_LEAK_ROOT;
/** Set by test/run.mjs when every suite ran, so each kind of secret must have been used by some e2e test. */
const fullRun = process.env.ENGAGEMENT_DESK_LEAK_FULL === '1';

async function load(): Promise<{ apps: AppSecretsFile[]; secrets: KnownSecret[]; usernames: string[] }> {
  assert.ok(root, 'ENGAGEMENT_DESK_LEAK_ROOT is not set: run this phase through test/run.mjs');
  const recordings = join(root, 'recordings');
  const names = (await readdir(recordings).catch(() => [] as string[])).filter((n) => n.endsWith('.secrets.json')).sort();
  const apps = await Promise.all(names.map(async (n) => JSON.parse(await readFile(join(recordings, n), 'utf8')) as AppSecretsFile));
  const secrets = new Map<string, KnownSecret>();
  for (const app of apps) for (const secret of app.secrets) secrets.set(secret.value, secret);
  return { apps, secrets: [...secrets.values()], usernames: [...new Set(apps.flatMap((a) => a.usernames))] };
}

const sum = (apps: AppSecretsFile[], pick: (a: AppSecretsFile) => number) => apps.reduce((n, a) => n + pick(a), 0);

describe('no secret leaks (after the e2e run)', async () => {
  const { apps, secrets, usernames } = await load();
  const needles = needlesFor(secrets, usernames);

  test('the e2e apps were recorded, and the scanner finds the secrets where they are meant to be', async () => {
    assert.ok(apps.length > 0, 'no e2e app was recorded');
    // Positive control: the secrets files list every secret as is, so the scanner must see each one there.
    const kinds = new Set(secrets.map((s) => s.kind));
    const control = new Set<string>();
    for (const name of await readdir(join(root as string, 'recordings'))) {
      if (!name.endsWith('.secrets.json')) continue;
      for (const hit of scanBuffer(name, await readFile(join(root as string, 'recordings', name)), needles)) control.add(hit.kind);
    }
    assert.deepEqual([...control].sort(), [...kinds].sort());
  });

  test('every kind of secret was really used: Basic password, claims-token login, App API key, p12 passphrase', { skip: !fullRun && 'only checked when every suite runs' }, () => {
    const used = {
      basic: sum(apps, (a) => a.authenticated.basic ?? 0),
      token: sum(apps, (a) => a.authenticated.token ?? 0),
      apikey: sum(apps, (a) => a.authenticated.apikey ?? 0),
      passphrases: sum(apps, (a) => a.certificatePassphrasesSent),
      tokensIssued: secrets.filter((s) => s.kind === 'claims-token').length,
    };
    console.log(`secrets used by the e2e run: ${JSON.stringify(used)}`);
    for (const [kind, count] of Object.entries(used)) assert.ok(count > 0, `no e2e test used ${kind}`);
  });

  test('no file any e2e app wrote holds a secret (settings, drafts, outbox, history, exports, downloads, logs)', async () => {
    const appsDir = join(root as string, 'apps');
    // The emulator's folder is the server's, not the app's.
    const scan = await scanTree(appsDir, needles, (path) => path.split(sep).includes('emulator'));
    console.log(
      `scanned ${scan.files} files (${(scan.bytes / 1024).toFixed(0)} KB) of ${apps.length} e2e apps for ${secrets.length} secrets ` +
        `(${needles.length} encoded forms)`,
    );
    assert.ok(scan.files > 0, 'the e2e apps wrote no file at all');
    assert.deepEqual(scan.hits, [], `secrets found in files:\n${describeHits(scan.hits)}`);
  });

  test('nothing the renderer received or could read holds a secret', async () => {
    const recordings = join(root as string, 'recordings');
    const hits: LeakHit[] = [];
    const typed: LeakHit[] = [];
    let records = 0;
    const bySource: Record<string, number> = {};
    for (const name of (await readdir(recordings)).filter((n) => n.endsWith('.renderer.jsonl')).sort()) {
      const scan = await scanRecording(join(recordings, name), needles);
      records += scan.records;
      for (const [source, n] of Object.entries(scan.bySource)) {
        const group = source.replace(/:.*$/, '');
        bySource[group] = (bySource[group] ?? 0) + n;
      }
      // A form field holding what the user typed (a passphrase before Send) is the user's input, not a leak.
      for (const hit of scan.hits) (/ form-values:/.test(hit.where) ? typed : hits).push(hit);
    }
    console.log(`scanned ${records} renderer records: ${JSON.stringify(bySource)}; form fields still holding typed secrets: ${typed.length}`);
    assert.ok(records > 0, 'nothing was recorded from the renderers');
    assert.deepEqual(hits, [], `secrets reached the renderer:\n${describeHits(hits)}`);
  });
});
