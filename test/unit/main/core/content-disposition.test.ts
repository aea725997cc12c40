import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  downloadFileName,
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

describe('downloadFileName', () => {
  test('falls back to <appId>-mpns.p12 when the header is missing or unusable', () => {
    assert.equal(downloadFileName(undefined, 'AppForAll1'), 'AppForAll1-mpns.p12');
    assert.equal(downloadFileName('attachment; filename=".."', '20096-6548262167'), '20096-6548262167-mpns.p12');
    assert.equal(downloadFileName(undefined, 'a/b'), 'b-mpns.p12');
  });
  test('uses the sanitised server name when there is one', () => {
    assert.equal(downloadFileName('attachment; filename="../push.p12"', 'x'), 'push.p12');
  });
});
