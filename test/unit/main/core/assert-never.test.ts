import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertNever } from '../../../../main/core/assert-never';

describe('assertNever', () => {
  test('throws with the value it was handed: data outside its type reached a switch', () => {
    assert.throws(() => assertNever('surprise' as never, 'error code'), /^Error: Unexpected error code: "surprise"$/);
    assert.throws(() => assertNever({ kind: 'later' } as never), /Unexpected value: \{"kind":"later"\}/);
  });
});
