// The preload cannot run without Electron, so its shape is checked in its source: one named function per contract
// channel, each invoking exactly its own channel, and nothing generic handed to the page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { channels } from '../../../preload/contract';

const source = readFileSync(new URL('../../../preload/index.ts', import.meta.url), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/^\s*\/\/.*$/gm, '');

describe('preload/index.ts', () => {
  test('has one named function per channel key, each bound to its own channel', () => {
    for (const key of Object.keys(channels)) {
      const line = new RegExp(`^\\s+${key}: \\(request\\) => ipcRenderer\\.invoke\\(channels\\.${key}\\.name, request\\),$`, 'm');
      assert.match(source, line, key);
    }
    const invokes = source.match(/ipcRenderer\.invoke\(/g) ?? [];
    assert.equal(invokes.length, Object.keys(channels).length, 'an invoke that is not a channel function');
  });

  test('exposes one object and never ipcRenderer or a generic invoke', () => {
    assert.equal(source.match(/exposeInMainWorld\(/g)?.length, 1);
    assert.match(source, /exposeInMainWorld\(API_GLOBAL, api\)/);
    assert.doesNotMatch(source, /invoke\(\s*(channel|name)\b/);
    assert.doesNotMatch(source, /exposeInMainWorld\([^)]*ipcRenderer/);
  });

  test('subscriptions forward the payload only and can be undone', () => {
    assert.match(source, /ipcRenderer\.on\(events\.progress, forward\)/);
    assert.match(source, /ipcRenderer\.removeListener\(events\.progress, forward\)/);
    assert.match(source, /\(_event: IpcRendererEvent, progress: TransferProgress\) => listener\(progress\)/);
    assert.match(source, /ipcRenderer\.on\(events\.batch, forward\)/);
    assert.match(source, /ipcRenderer\.removeListener\(events\.batch, forward\)/);
    assert.match(source, /\(_event: IpcRendererEvent, item: BatchItemEvent\) => listener\(item\)/);
  });
});
