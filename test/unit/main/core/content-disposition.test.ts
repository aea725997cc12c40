import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  certificateFileName,
  downloadFileName,
  MAX_FILE_NAME_BYTES,
  filenameFromContentDisposition,
  sanitiseFileName,
} from '../../../../main/core/content-disposition';

describe('filenameFromContentDisposition', () => {
  test('reads quoted, bare and RFC 5987 names, filename* first', () => {
    assert.equal(filenameFromContentDisposition('attachment; filename="my cert.p12"'), 'my cert.p12');
    assert.equal(filenameFromContentDisposition('attachment; filename=plain.p12'), 'plain.p12');
    assert.equal(
      filenameFromContentDisposition(`attachment; filename="fallback.p12"; filename*=UTF-8''%C3%A9t%C3%A9.p12`),
      'été.p12',
    );
    assert.equal(filenameFromContentDisposition('attachment; filename="a\\"b.p12"'), 'a"b.p12');
    assert.equal(filenameFromContentDisposition(undefined), undefined);
    assert.equal(filenameFromContentDisposition('attachment'), undefined);
  });

  test('decodes filename* in UTF-8 and in ISO-8859-1, whichever order the parameters come in', () => {
    assert.equal(filenameFromContentDisposition(`attachment; filename*=UTF-8''Zertifikat%20%E2%82%AC%20%C3%A4.p12`), 'Zertifikat € ä.p12');
    assert.equal(filenameFromContentDisposition(`attachment; filename*=utf-8'de'%C3%BCber.p12; filename="uber.p12"`), 'über.p12');
    // ISO-8859-1: one byte per character, so %E9 is é (decodeURIComponent would have thrown on it).
    assert.equal(filenameFromContentDisposition(`attachment; filename="caf_.p12"; filename*=ISO-8859-1''caf%E9.p12`), 'café.p12');
    assert.equal(filenameFromContentDisposition(`attachment; filename*=iso-8859-1'en'%A3%20rates.p12`), '£ rates.p12');
    // Quoted, though RFC 8187 says it should not be: still read.
    assert.equal(filenameFromContentDisposition(`attachment; filename*="UTF-8''%C3%A9t%C3%A9.p12"`), 'été.p12');
  });

  test('a malformed header gives the plain filename or nothing, never an exception', () => {
    // Bad percent-encoding in UTF-8, an unknown charset, no charset at all: filename* is skipped.
    assert.equal(filenameFromContentDisposition(`attachment; filename="plain.p12"; filename*=UTF-8''%E9t%C3.p12`), 'plain.p12');
    assert.equal(filenameFromContentDisposition(`attachment; filename="plain.p12"; filename*=KOI8-R''%F0.p12`), 'plain.p12');
    assert.equal(filenameFromContentDisposition(`attachment; filename="plain.p12"; filename*=%C3%A9.p12`), 'plain.p12');
    assert.equal(filenameFromContentDisposition(`attachment; filename*=UTF-8''%ZZ.p12`), undefined);
    // An unterminated quote (the download then takes the default name), stray separators, a parameter without a
    // value, no type.
    assert.equal(filenameFromContentDisposition('attachment; filename="unterminated.p12'), undefined);
    assert.equal(filenameFromContentDisposition(';;; filename = spaced.p12 ;'), 'spaced.p12');
    assert.equal(filenameFromContentDisposition('attachment; filename; other=1'), undefined);
    assert.equal(filenameFromContentDisposition('"=;=";\\'), undefined);
    assert.equal(downloadFileName(`attachment; filename*=UTF-8''%ZZ`, 'App1'), 'App1-mpns.p12');
  });
});

describe('sanitiseFileName', () => {
  test('keeps only the last path segment, whatever the separator', () => {
    assert.equal(sanitiseFileName('../../etc/passwd'), 'passwd');
    assert.equal(sanitiseFileName('..\\..\\Windows\\system.ini'), 'system.ini');
    assert.equal(sanitiseFileName('/abs/path/cert.p12'), 'cert.p12');
  });
  test('refuses names that are nothing but dots or spaces', () => {
    assert.equal(sanitiseFileName('..'), undefined);
    assert.equal(sanitiseFileName('. .'), undefined);
    assert.equal(sanitiseFileName(''), undefined);
    assert.equal(sanitiseFileName('dir/'), undefined);
  });
  test('defuses reserved Windows device names and forbidden characters', () => {
    assert.equal(sanitiseFileName('CON'), '_CON');
    assert.equal(sanitiseFileName('nul.p12'), '_nul.p12');
    assert.equal(sanitiseFileName('com1.txt'), '_com1.txt');
    assert.equal(sanitiseFileName('a<b>:c|d?.p12'), 'a_b__c_d_.p12');
    assert.equal(sanitiseFileName('line\r\nbreak.p12'), 'line__break.p12');
    assert.equal(sanitiseFileName('trailing. '), 'trailing');
  });
  test('shortens very long names but keeps the extension', () => {
    const name = sanitiseFileName(`${'x'.repeat(400)}.p12`);
    assert.ok(name);
    assert.equal(name.length, 200);
    assert.ok(name.endsWith('.p12'));
  });
});

describe('certificateFileName (issue #18 point 3: the server does not choose what the saved file looks like)', () => {
  test('strips bidi controls, zero-width and other invisible characters', () => {
    assert.equal(certificateFileName('invoice\u202Eexe.p12'), 'invoiceexe.p12');
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\u200D', '\uFEFF', '\u00AD', '\u2060', '\u3164', '\uFE0F']) {
      assert.equal(certificateFileName(`a${c}b.p12`), 'ab.p12', `U+${c.codePointAt(0)!.toString(16)}`);
    }
    assert.equal(certificateFileName('\u202E\u200B'), undefined);
    assert.equal(certificateFileName('tab\there\u0085\u2028.p12'), 'tab_here__.p12');
    assert.equal(certificateFileName('no\u00A0break\u3000space.p12'), 'no break space.p12');
  });
  test('always ends in .p12: another extension stays visible before it', () => {
    assert.equal(certificateFileName('cert.exe'), 'cert.exe.p12');
    assert.equal(certificateFileName('cert'), 'cert.p12');
    assert.equal(certificateFileName('cert.pfx'), 'cert.pfx.p12');
    assert.equal(certificateFileName('Cert.P12'), 'Cert.P12');
    assert.equal(certificateFileName('cert.p12.exe'), 'cert.p12.exe.p12');
    assert.equal(certificateFileName('cert.p12. . '), 'cert.p12');
  });
  test('makes Windows device names safe, with trailing dots or spaces and any extension', () => {
    for (const name of ['CON', 'con.p12', 'CON .p12', 'CON..p12', 'nul. .txt', 'PRN', 'aux.p12', 'COM1.p12', 'com9', 'LPT1.x', 'lpt³.p12', 'CONIN$', 'conout$.p12', 'CONIN$ .p12']) {
      const safe = certificateFileName(name);
      assert.ok(safe?.startsWith('_') && safe.endsWith('.p12'), `${name} -> ${safe}`);
    }
    assert.equal(certificateFileName('CON .p12'), '_CON .p12');
    assert.equal(certificateFileName('CONSOLE.p12'), 'CONSOLE.p12');
    assert.equal(certificateFileName('COM10.p12'), 'COM10.p12');
  });
  test('fits the byte limit in UTF-8, cut on a code point boundary, keeping .p12', () => {
    for (const unit of ['x', 'é', '€', '😀', 'e\u0301']) {
      const name = certificateFileName(`${unit.repeat(300)}.exe`);
      assert.ok(name, unit);
      assert.ok(Buffer.byteLength(name, 'utf8') <= MAX_FILE_NAME_BYTES, `${unit}: ${Buffer.byteLength(name, 'utf8')} bytes`);
      assert.ok(name.endsWith('.p12'), name);
      assert.ok(!name.includes('\uFFFD') && Buffer.from(name, 'utf8').toString('utf8') === name, 'no broken character');
      assert.ok(!/[\uD800-\uDFFF](?![\uDC00-\uDFFF])/.test(name.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')), 'no lone surrogate');
    }
    // A 255-byte name plus the temp file's and freeName's additions still fits 255 bytes.
    assert.ok(MAX_FILE_NAME_BYTES + ' (999)'.length + '..4194304-0123456789ab.tmp'.length <= 255);
  });
});

describe('downloadFileName', () => {
  test('a hostile Content-Disposition name is made plain', () => {
    assert.equal(downloadFileName(`attachment; filename*=UTF-8''invoice%E2%80%AEexe.p12`, 'x'), 'invoiceexe.p12');
    assert.equal(downloadFileName('attachment; filename="cert.exe"', 'x'), 'cert.exe.p12');
    assert.equal(downloadFileName('attachment; filename="CON .p12"', 'x'), '_CON .p12');
  });
  test('falls back to <appId>-mpns.p12 when the header is missing or unusable', () => {
    assert.equal(downloadFileName(undefined, 'AppForAll1'), 'AppForAll1-mpns.p12');
    assert.equal(downloadFileName('attachment; filename=".."', '20096-6548262167'), '20096-6548262167-mpns.p12');
    assert.equal(downloadFileName(undefined, 'a/b'), 'b-mpns.p12');
  });
  test('uses the sanitised server name when there is one', () => {
    assert.equal(downloadFileName('attachment; filename="../push.p12"', 'x'), 'push.p12');
  });
});
