import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_PAYLOAD_DEPTH, payloadProblem } from '../../../../main/ipc/payload-guard';

describe('payloadProblem', () => {
  test('accepts plain JSON-like requests, text with tabs and new lines, and emoji', () => {
    assert.equal(payloadProblem({}), undefined);
    assert.equal(payloadProblem({ a: [1, 'x\ty\r\nz', { b: null, c: true }], d: undefined, e: 'pass 🎫' }), undefined);
    assert.equal(payloadProblem(Object.assign(Object.create(null) as object, { a: 1 })), undefined);
  });

  test('refuses non-objects, class instances, prototype keys, bad text, cycles and depth', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    let deep: unknown = 1;
    for (let i = 0; i < MAX_PAYLOAD_DEPTH + 1; i++) deep = { n: deep };
    const cases: Array<[unknown, RegExp]> = [
      [undefined, /must be an object/],
      [null, /must be an object/],
      [[], /must be an object/],
      ['x', /must be an object/],
      [new Map(), /must be an object/],
      [{ a: new Date(0) }, /a is not a plain object/],
      [JSON.parse('{"__proto__":{"polluted":1}}'), /"__proto__"/],
      [{ a: JSON.parse('{"constructor":{"prototype":{}}}') }, /"constructor"/],
      [{ a: { prototype: 1 } }, /"prototype"/],
      [{ name: 'a\u0000b' }, /name contains a control character/],
      [{ list: ['ok', '\u001b[2J'] }, /list\.1 contains a control character/],
      [{ name: '\ud800' }, /unpaired surrogate/],
      [{ name: 'x\udc00' }, /unpaired surrogate/],
      [{ id: 10n }, /type bigint/],
      [cycle, /nested too deeply/],
      [deep, /nested too deeply/],
      [{ many: new Array(300_000).fill(0) }, /too large/],
    ];
    for (const [payload, message] of cases) assert.match(payloadProblem(payload) ?? '(accepted)', message);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
