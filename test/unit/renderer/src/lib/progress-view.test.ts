import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { progressView } from '../../../../../renderer/src/lib/progress-view';

const MB = 1024 * 1024;

describe('what a progress bar says', () => {
  test('before the first event: starting, cancellable', () => {
    assert.deepEqual(progressView(undefined), { text: 'Starting…', cancellable: true });
  });

  test('a download under way: its share of the known size, cancellable', () => {
    assert.deepEqual(progressView({ operationId: 'op', direction: 'download', transferred: MB / 2, total: MB }), {
      percent: 50,
      text: '50% · 512 KB of 1.0 MB',
      cancellable: true,
    });
  });

  test('a download of unknown size: the bytes so far', () => {
    const view = progressView({ operationId: 'op', direction: 'download', transferred: 3 * MB });
    assert.equal(view.percent, undefined);
    assert.equal(view.text, '3.0 MB');
  });

  test('a saved download says so while its SHA-256 is read back, with nothing left to cancel', () => {
    assert.deepEqual(progressView({ operationId: 'op', direction: 'download', transferred: MB, total: MB, saved: true }), {
      percent: 100,
      text: 'Saved · computing its SHA-256…',
      cancellable: false,
    });
  });

  test('an upload whose bytes are all sent waits for the server, and can still be cancelled', () => {
    assert.deepEqual(progressView({ operationId: 'op', direction: 'upload', transferred: 10, total: 10 }), {
      percent: 100,
      text: 'Sent · waiting for the server…',
      cancellable: true,
    });
  });
});
