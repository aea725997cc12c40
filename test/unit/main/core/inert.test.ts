import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inert, inertJson, inertLines, isInert } from '../../../../main/core/inert';

describe('inert', () => {
  test('ESC sequences, CSI, BEL, backspace and CR are shown escaped, so a server cannot clear the screen or draw a prompt', () => {
    const hostile = 'Failed\x1b[2J\x1b[H\rroot@server:~# \x07\x08\x9b31m';
    assert.equal(inert(hostile), 'Failed\\x1b[2J\\x1b[H\\x0droot@server:~# \\x07\\x08\\x9b31m');
    assert.ok(isInert(inert(hostile)));
  });

  test('every C0 and C1 control and DEL is escaped; printable text, accents and emoji are not', () => {
    for (let code = 0; code <= 0x1f; code++) assert.equal(inert(String.fromCharCode(code)), `\\x${code.toString(16).padStart(2, '0')}`);
    for (let code = 0x7f; code <= 0x9f; code++) assert.equal(inert(String.fromCharCode(code)), `\\x${code.toString(16)}`);
    const plain = 'Zürich — 证书 ✔ 🎫 C:\\certs\\push.p12 "quoted" <b>';
    assert.equal(inert(plain), plain);
    assert.ok(isInert(plain));
  });

  test('bidi controls are shown escaped, so invoice\u202eexe.p12 does not read as invoicep12.exe', () => {
    assert.equal(inert('invoice\u202eexe.p12'), 'invoice\\u202eexe.p12');
    for (const char of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029']) {
      assert.equal(inert(char), `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    }
    // Right-to-left letters are text, not controls.
    assert.equal(inert('שלום مرحبا'), 'שלום مرحبا');
  });

  test('a line feed in a value is escaped; inertLines keeps the line feeds of text we composed', () => {
    assert.equal(inert('one\ntwo\tthree'), 'one\\x0atwo\\x09three');
    assert.equal(inertLines('line 1\nline 2 \x1b[31mred\r'), 'line 1\nline 2 \\x1b[31mred\\x0d');
  });

  test('inertJson is the same data, with nothing a terminal acts on', () => {
    const value = { message: 'x\x1b[2J\x9b\u202e\u2028y\x7f', n: 5 };
    const text = inertJson(value);
    assert.deepEqual(JSON.parse(text), value);
    assert.ok(isInert(text), text);
    assert.equal(text, '{"message":"x\\u001b[2J\\u009b\\u202e\\u2028y\\u007f","n":5}');
  });
});
