// The leak scanner must catch a real leak: secrets planted in written files (as is, in a Basic header, URL-encoded)
// and in renderer payloads are flagged with where they are; clean data gives nothing.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { withTempDir } from '../support/temp-dir';
import { needlesFor, scanRecording, scanTree, type KnownSecret } from './leak-scanner';

const SECRETS: KnownSecret[] = [
  { kind: 'password', value: 'planted-Passw0rd!' },
  { kind: 'api-key', value: 'planted-app-api-key-42' },
  { kind: 'claims-token', value: 'cGxhbnRlZC10b2tlbg_x-Yz' },
  { kind: 'p12-passphrase', value: 'planted p12 pass/phrase' },
];
const needles = needlesFor(SECRETS, ['admin']);

describe('leak scanner', () => {
  test('flags secrets planted in files, in each form, and nothing in clean files', async () => {
    await withTempDir('leak-plant', async (dir) => {
      await mkdir(join(dir, 'data/history'), { recursive: true });
      await writeFile(join(dir, 'data/config.json'), JSON.stringify({ profiles: [{ name: 'Prod', username: 'admin' }] }));
      await writeFile(join(dir, 'data/history/history.jsonl'), '{"status":"sent"}\n');
      assert.deepEqual((await scanTree(dir, needles)).hits, []);

      await writeFile(join(dir, 'data/app.log'), `Authorization: Basic ${Buffer.from('admin:planted-Passw0rd!').toString('base64')}\n`);
      await writeFile(join(dir, 'data/history/export.csv'), `id,url\n1,https://h/x?key=${encodeURIComponent('planted p12 pass/phrase')}\n`);
      await writeFile(join(dir, 'data/crash.dmp'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('cGxhbnRlZC10b2tlbg_x-Yz'), Buffer.from([255])]));
      const scan = await scanTree(dir, needles);
      assert.equal(scan.files, 5);
      assert.deepEqual(
        scan.hits.map((h) => [h.where, h.kind, h.encoding]).sort(),
        [
          // 'admin:' is six bytes, so the password's own base64 sits inside the header's too.
          ['data/app.log', 'password', 'base64'],
          ['data/app.log', 'password', 'basic-auth base64(admin:…)'],
          ['data/crash.dmp', 'claims-token', 'plain'],
          ['data/history/export.csv', 'p12-passphrase', 'url-encoded'],
        ],
      );
      assert.ok(!scan.hits.some((h) => h.context.includes('planted-Passw0rd')), 'the report masks the secret');
    });
  });

  test('flags a secret in a recorded renderer payload and names the record', async () => {
    await withTempDir('leak-plant', async (dir) => {
      const path = join(dir, 'app.renderer.jsonl');
      const records = [
        { source: 'ipc:eng:profile:list', payload: [{ name: 'Prod', hasSecret: true }] },
        { source: 'push:__engOutbox', payload: { entries: [] } },
        { source: 'ipc:eng:profile:save', payload: { name: 'Key', apiKey: 'planted-app-api-key-42' } },
        { source: 'snapshot:teardown', payload: { localStorage: { draft: JSON.stringify({ pass: 'planted p12 pass/phrase' }) } } },
      ];
      await writeFile(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const scan = await scanRecording(path, needles);
      assert.equal(scan.records, 4);
      assert.deepEqual(
        scan.hits.map((h) => [h.where.replace(/^.*jsonl/, ''), h.kind]),
        [
          [':3 ipc:eng:profile:save', 'api-key'],
          [':4 snapshot:teardown', 'p12-passphrase'],
        ],
      );
    });
  });
});
