// The contract exposes only what the page uses (issue #15): a channel the renderer never calls is attack surface
// with no user, so every channel must be called through the bridge somewhere in renderer/src.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHANNEL_PREFIX, channels, droppedFileGrant, events, type ChannelKey } from '../../../preload/contract';

const rendererSrc = fileURLToPath(new URL('../../../renderer/src/', import.meta.url));

function rendererSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return rendererSources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Renderer code without comments, so a channel named only in a comment does not count as used. */
const rendererCode = rendererSources(rendererSrc)
  .map((file) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''))
  .join('\n');

describe('preload/contract', () => {
  test('the scan sees the renderer (guards against a silently empty check)', () => {
    assert.ok(rendererCode.includes('api.'), 'no bridge call found in renderer/src');
  });

  test('every channel is called by the renderer through the bridge', () => {
    const unused = (Object.keys(channels) as ChannelKey[]).filter((key) => !new RegExp(`\\bapi\\.${key}\\(`).test(rendererCode));
    assert.deepEqual(unused, [], 'channels the renderer never calls: remove them from the contract, the preload and main');
  });

  test('the single-send channels stay gone: uploads and pass updates go as drafts or batches', () => {
    const names = Object.values(channels).map((spec) => spec.name as string);
    for (const name of ['eng:cert:upload', 'eng:pass:update', 'eng:check:pass-content']) assert.ok(!names.includes(name), name);
  });

  test('channel and event names are unique, prefixed and shaped eng:<domain>:<verb>', () => {
    const names = [...Object.values(channels).map((spec) => spec.name as string), droppedFileGrant.name, ...Object.values(events)];
    assert.equal(new Set(names).size, names.length, 'a name is used twice');
    for (const name of names) {
      assert.ok(name.startsWith(CHANNEL_PREFIX), name);
      assert.match(name, /^eng:[a-z]+:[a-z-]+$/, name);
    }
    for (const name of Object.values(events)) assert.match(name, /^eng:event:/, name);
  });
});
