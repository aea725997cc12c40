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
