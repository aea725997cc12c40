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

  test('pathForFile tells main about a dropped file (its one send) before handing the path to the page', () => {
    assert.equal(source.match(/ipcRenderer\.send\(/g)?.length, 1);
    const body = source.slice(source.indexOf('pathForFile(file)'));
    const send = body.indexOf('ipcRenderer.send(droppedFileGrant.name, { path })');
    assert.ok(send > body.indexOf('webUtils.getPathForFile(file as File)'), 'the grant carries the path webUtils found');
    assert.ok(send < body.indexOf('return path;'), 'the grant is sent before the path is returned');
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
