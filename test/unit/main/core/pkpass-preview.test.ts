import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { passColorToCss, parseStringsFile } from '../../../../main/core/pkpass-preview';

describe('pass preview helpers', () => {
  test('colours become CSS hex; nonsense becomes undefined', () => {
    assert.equal(passColorToCss('rgb(60, 65, 76)'), '#3c414c');
    assert.equal(passColorToCss('rgb(0,0,0)'), '#000000');
    assert.equal(passColorToCss('#ABC'), '#aabbcc');
    assert.equal(passColorToCss('#A0B1C2'), '#a0b1c2');
    assert.equal(passColorToCss('red; background: url(x)'), undefined);
    assert.equal(passColorToCss(12), undefined);
  });

  test('.strings files with comments and escapes', () => {
    assert.deepEqual(parseStringsFile('// c\n"a" = "b";\n/* x */ "q\\"uote" = "line\\nnext";'), { a: 'b', 'q"uote': 'line\nnext' });
  });
});
