import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { epochToLocalInput, localInputToEpoch } from '../../../../../renderer/src/lib/datetime';

describe('schedule times', () => {
  test('0 is an empty input (now / no end) both ways', () => {
    assert.equal(epochToLocalInput(0), '');
    assert.equal(localInputToEpoch(''), 0);
  });
  test('local input and epoch ms round-trip in the local time zone', () => {
    const local = new Date(2025, 5, 30, 14, 5).getTime();
    assert.equal(epochToLocalInput(local), '2025-06-30T14:05');
    assert.equal(localInputToEpoch('2025-06-30T14:05'), local);
  });
  test('text that is not a date is refused', () => {
    assert.equal(localInputToEpoch('tomorrow'), undefined);
    assert.equal(epochToLocalInput(Number.NaN), '');
  });
});
