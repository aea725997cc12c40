import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkImage, IMAGE_ROLE_SPECS, parseImageName, parseImageRole, readPngInfo } from '../../../../main/core/png';
import { makePng } from '../../../support/fixtures';

const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('readPngInfo', () => {
  test('reads width, height, bit depth and colour type from a real PNG', () => {
    assert.deepEqual(readPngInfo(makePng(375, 123)), { width: 375, height: 123, bitDepth: 8, colorType: 6 });
  });

  test('needs only the first bytes of the file', () => {
    assert.deepEqual(readPngInfo(makePng(58, 58).subarray(0, 64)), { width: 58, height: 58, bitDepth: 8, colorType: 6 });
  });

  test('refuses JPEG, text, truncated headers and zero dimensions', () => {
    assert.equal(readPngInfo(Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...new Array(40).fill(0)])), undefined);
    assert.equal(readPngInfo(Buffer.from('this is not an image at all, really not')), undefined);
    assert.equal(readPngInfo(makePng(10, 10).subarray(0, 20)), undefined);
    const zero = Buffer.from(makePng(10, 10));
    zero.writeUInt32BE(0, 16);
    assert.equal(readPngInfo(zero), undefined);
  });

  test('refuses a PNG signature followed by something other than IHDR', () => {
    const broken = Buffer.from(makePng(10, 10));
    broken.write('IDAT', 12, 'ascii');
    assert.equal(readPngInfo(broken), undefined);
  });
});

describe('image names and roles', () => {
  test('parses Wallet image names with scale and localisation folder', () => {
    assert.deepEqual(parseImageName('logo.png'), { role: 'logo', scale: 1 });
    assert.deepEqual(parseImageName('strip@2x.png'), { role: 'strip', scale: 2 });
    assert.deepEqual(parseImageName('fr.lproj/icon@3x.png'), { role: 'icon', scale: 3, locale: 'fr.lproj' });
    assert.equal(parseImageName('banner.png'), undefined);
    assert.equal(parseImageName('logo@4x.png'), undefined);
    assert.equal(parseImageName('images/logo.png'), undefined);
  });

  test('parses role names with and without a scale', () => {
    assert.deepEqual(parseImageRole('logo'), { role: 'logo' });
    assert.deepEqual(parseImageRole('Strip@2x'), { role: 'strip', scale: 2 });
    assert.equal(parseImageRole('hero'), undefined);
  });

  test('the role table carries the sizes Apple documents', () => {
    assert.deepEqual([IMAGE_ROLE_SPECS.logo.maxWidth, IMAGE_ROLE_SPECS.logo.maxHeight], [160, 50]);
    assert.deepEqual([IMAGE_ROLE_SPECS.icon.maxWidth, IMAGE_ROLE_SPECS.icon.maxHeight], [29, 29]);
    assert.deepEqual([IMAGE_ROLE_SPECS.thumbnail.maxWidth, IMAGE_ROLE_SPECS.thumbnail.maxHeight], [90, 90]);
    assert.deepEqual([IMAGE_ROLE_SPECS.background.maxWidth, IMAGE_ROLE_SPECS.background.maxHeight], [180, 220]);
    assert.deepEqual([IMAGE_ROLE_SPECS.footer.maxWidth, IMAGE_ROLE_SPECS.footer.maxHeight], [286, 15]);
  });
});

describe('checkImage', () => {
  const info = (width: number, height: number) => readPngInfo(makePng(width, height));

  test('an image within its role limits has no issue', () => {
    assert.deepEqual(checkImage('logo@1x', info(160, 50), 2000), []);
    assert.deepEqual(checkImage('logo@2x', info(320, 100), 2000), []);
    assert.deepEqual(checkImage('logo', info(480, 150), 2000), [], 'a bare role is judged at @3x');
  });

  test('a non-PNG is an error, an empty file too', () => {
    const notPng = checkImage('icon', undefined, 100, { path: 'icon.png' });
    assert.deepEqual(codes(notPng), ['image-not-png']);
    assert.equal(notPng[0]?.severity, 'error');
    assert.equal(notPng[0]?.path, 'icon.png');
    assert.deepEqual(codes(checkImage('icon', undefined, 0)), ['image-empty']);
  });

  test('dimensions beyond the role are a warning naming the limit', () => {
    const issues = checkImage('logo@1x', info(161, 50), 2000);
    assert.deepEqual(codes(issues), ['image-dimensions']);
    assert.equal(issues[0]?.severity, 'warning');
    assert.match(issues[0]!.message, /160 x 50/);
  });

  test('strip height depends on the style', () => {
    assert.deepEqual(checkImage('strip@1x', info(375, 123), 100, { style: 'eventTicket' }).map((i) => i.code), ['image-dimensions']);
    assert.deepEqual(checkImage('strip@1x', info(375, 144), 100, { style: 'coupon' }), []);
    assert.deepEqual(codes(checkImage('strip@1x', info(375, 144), 100, { style: 'generic' })), ['image-dimensions', 'image-unused-by-style']);
  });

  test('a thumbnail outside 2:3..3:2 and an image unused by the style are warnings', () => {
    assert.deepEqual(codes(checkImage('thumbnail@1x', info(90, 30), 100)), ['image-aspect-ratio']);
    assert.deepEqual(codes(checkImage('footer@1x', info(286, 15), 100, { style: 'storeCard' })), ['image-unused-by-style']);
  });

  test('unknown roles and large files are warnings, not errors', () => {
    const issues = checkImage('hero', info(10, 10), 3 * 1024 * 1024);
    assert.deepEqual(codes(issues), ['image-unknown-role', 'image-file-large']);
    assert.ok(issues.every((i) => i.severity === 'warning'));
  });
});
