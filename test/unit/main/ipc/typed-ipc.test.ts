// typed-ipc.ts needs ipcMain; the decision it applies to every call (sender check, then the registry) is
// guardedInvoke/senderCheck, tested here against a real registry.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { channels } from '../../../../preload/contract';
import { createPathGrants } from '../../../../main/platform/path-grants';
import { createHandlerRegistry } from '../../../../main/ipc/registry';
import { guardedInvoke, senderCheck } from '../../../../main/ipc/sender-check';
import { APP_ENTRY_URL } from '../../../../main/window-policy';

const ourFrame = { url: APP_ENTRY_URL, isMainFrame: true };
const channel = channels.operationCancel.name;

describe('senderCheck', () => {
  test('lets our main frame call eng: channels', () => {
    assert.equal(senderCheck(channel, ourFrame), undefined);
    assert.equal(senderCheck(channel, { url: 'app://engagement-desk/', isMainFrame: true }), undefined);
  });

  test('refuses sub-frames, foreign pages, vanished frames and foreign channels', () => {
    const cases = [
      [channel, { url: APP_ENTRY_URL, isMainFrame: false }],
      [channel, { url: 'https://evil.example/', isMainFrame: true }],
      [channel, { url: 'file:///tmp/x.html', isMainFrame: true }],
      [channel, { url: 'app://other/index.html', isMainFrame: true }],
      [channel, null],
      [channel, undefined],
      ['other:op:cancel', ourFrame],
      ['', ourFrame],
    ] as const;
    for (const [name, frame] of cases) {
      const error = senderCheck(name, frame);
      assert.ok(error, `${name} ${JSON.stringify(frame)} was allowed`);
      assert.equal(error.code, 'internal');
      assert.equal(error.retryable, false);
    }
  });
});

describe('guardedInvoke', () => {
  test('an untrusted sender never reaches the handler', async () => {
    const registry = createHandlerRegistry({ pathGrants: createPathGrants() });
    const calls: string[] = [];
    registry.handle('operationCancel', async ({ operationId }) => {
      calls.push(operationId);
      return { cancelled: true };
    });

    const refused = await guardedInvoke(registry, channel, { url: 'https://evil.example/', isMainFrame: true }, { operationId: 'op-1' });
    assert.equal(refused.ok, false);
    assert.deepEqual(calls, []);

    const allowed = await guardedInvoke(registry, channel, ourFrame, { operationId: 'op-2' });
    assert.deepEqual(allowed, { ok: true, value: { cancelled: true } });
    assert.deepEqual(calls, ['op-2']);
  });

  test('a trusted sender still gets the schema check', async () => {
    const registry = createHandlerRegistry({ pathGrants: createPathGrants() });
    registry.handle('operationCancel', async () => ({ cancelled: true }));
    const result = await guardedInvoke(registry, channel, ourFrame, { operationId: 42 });
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.code, 'validation');
  });
});
