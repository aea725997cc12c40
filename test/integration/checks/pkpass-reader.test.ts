import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readPkpassArchive, unsafeEntryName } from '../../../main/checks/pkpass-reader';
import { makePkpass, makePng, samplePassImages } from '../../support/fixtures';
import { deflatedZeros, writeZip } from '../../support/zip-writer';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const MB = 1024 * 1024;
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('readPkpassArchive', () => {
  let dir: TempDir;
  before(async () => {
    dir = await makeTempDir();
  });
  after(() => dir.remove());

  test('reads a real pass: entries with SHA-1, texts, signature and preview images', async () => {
    const pass = await makePkpass(dir.dir, { files: { ...samplePassImages(), 'en.lproj/pass.strings': '"A" = "B";' } });
    const archive = await readPkpassArchive(pass.path);
    assert.deepEqual(archive.readErrors, []);
    assert.equal(archive.size, (await readFile(pass.path)).length);
    const names = archive.entries.map((e) => e.name).sort();
    assert.deepEqual(names, ['en.lproj/pass.strings', 'icon.png', 'icon@2x.png', 'logo.png', 'logo@2x.png', 'manifest.json', 'pass.json', 'signature', 'strip.png']);
    for (const entry of archive.entries) {
      if (pass.manifest[entry.name]) assert.equal(entry.sha1, pass.manifest[entry.name], entry.name);
    }
    assert.equal(archive.texts['pass.json'], pass.passJson);
    assert.equal(archive.texts['manifest.json'], pass.manifestText);
    assert.equal(archive.texts['en.lproj/pass.strings'], '"A" = "B";');
    assert.deepEqual(archive.signature, new Uint8Array(pass.signature!));
    assert.deepEqual({ width: archive.images['logo.png']?.width, height: archive.images['logo.png']?.height }, { width: 160, height: 50 });
    assert.equal(archive.images['logo.png']?.dataUrl, `data:image/png;base64,${samplePassImages()['logo.png']!.toString('base64')}`);
  });

  test('UTF-16 pass.strings (as Xcode writes them) are decoded', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('"KEY" = "Grüße";', 'utf16le')]);
    const pass = await makePkpass(dir.dir, { files: { ...samplePassImages(), 'de.lproj/pass.strings': utf16 } });
    const archive = await readPkpassArchive(pass.path);
    assert.equal(archive.texts['de.lproj/pass.strings'], '"KEY" = "Grüße";');
  });

  test('path traversal, absolute paths, backslashes and duplicates are refused as issues', async () => {
    const pass = await makePkpass(dir.dir, {
      rawEntries: [
        { name: '../evil', data: 'x' },
        { name: 'images/../../evil2', data: 'x' },
        { name: '/etc/passwd', data: 'x' },
        { name: 'C:/Windows/evil', data: 'x' },
        { name: 'dir\\evil', data: 'x' },
        { name: 'pass.json', data: '{}' },
      ],
    });
    const archive = await readPkpassArchive(pass.path);
    assert.deepEqual(codes(archive.readErrors), [
      'pkpass-unsafe-path',
      'pkpass-unsafe-path',
      'pkpass-unsafe-path',
      'pkpass-unsafe-path',
      'pkpass-unsafe-path',
      'pkpass-duplicate-entry',
    ]);
    assert.deepEqual(archive.readErrors.map((i) => i.path), ['../evil', 'images/../../evil2', '/etc/passwd', 'C:/Windows/evil', 'dir\\evil', 'pass.json']);
    assert.ok(archive.readErrors.every((i) => i.severity === 'error'));
    assert.ok(!archive.entries.some((e) => e.name.includes('evil')), 'unsafe entries are never read');
    assert.equal(archive.texts['pass.json'], pass.passJson, 'the first pass.json wins, the duplicate is not read');
  });

  test('unsafeEntryName covers the rules', () => {
    assert.equal(unsafeEntryName('en.lproj/logo.png'), undefined);
    assert.equal(unsafeEntryName('a..b.png'), undefined, '".." inside a name is fine');
    assert.ok(unsafeEntryName('a/../b'));
    assert.ok(unsafeEntryName('\\\\server\\share'));
    assert.ok(unsafeEntryName(''));
  });

  test('a zip bomb with an honest header (200 MB of zeros) is refused without inflating it', async () => {
    const zeros = await deflatedZeros(200 * MB);
    const path = join(dir.dir, 'honest-bomb.pkpass');
    await writeFile(path, writeZip([{ name: 'pass.json', data: '{}' }, { name: 'strip.png', deflated: zeros }]));
    const start = performance.now();
    const archive = await readPkpassArchive(path);
    const elapsed = performance.now() - start;
    assert.deepEqual(codes(archive.readErrors), ['pkpass-zip-bomb']);
    assert.equal(archive.readErrors[0]?.path, 'strip.png');
    assert.ok(elapsed < 1000, `took ${elapsed} ms: the entry must not be inflated`);
    assert.deepEqual(archive.entries.map((e) => e.name), ['pass.json']);
  });

  test('a zip bomb whose header lies about the size is stopped at the declared size', async () => {
    const zeros = await deflatedZeros(50 * MB);
    const path = join(dir.dir, 'lying-bomb.pkpass');
    await writeFile(path, writeZip([{ name: 'logo.png', deflated: zeros, declaredUncompressedSize: 1000 }]));
    const start = performance.now();
    const archive = await readPkpassArchive(path);
    assert.deepEqual(codes(archive.readErrors), ['pkpass-zip-bomb']);
    assert.ok(performance.now() - start < 1000, 'aborted early, not after inflating 50 MB');
    assert.deepEqual(archive.entries, []);
  });

  test('too many entries are refused before anything is read', async () => {
    const entries = Array.from({ length: 30 }, (_, i) => ({ name: `file${i}.txt`, data: 'x' }));
    const path = join(dir.dir, 'many.pkpass');
    await writeFile(path, writeZip(entries));
    const archive = await readPkpassArchive(path, { maxEntries: 20 });
    assert.deepEqual(codes(archive.readErrors), ['pkpass-too-many-entries']);
    assert.deepEqual(archive.entries, []);
    assert.deepEqual((await readPkpassArchive(path)).readErrors, [], 'the default limit is 2,000');
  });

  test('entries above the per-entry and total limits are refused', async () => {
    const big = randomBytes(300 * 1024);
    const path = join(dir.dir, 'large.pkpass');
    await writeFile(path, writeZip([{ name: 'a.png', data: big }, { name: 'b.png', data: big }, { name: 'c.png', data: big }]));
    const perEntry = await readPkpassArchive(path, { maxEntryBytes: 200 * 1024 });
    assert.deepEqual(codes(perEntry.readErrors), ['pkpass-too-large', 'pkpass-too-large', 'pkpass-too-large']);
    const total = await readPkpassArchive(path, { maxTotalBytes: 700 * 1024 });
    assert.deepEqual(codes(total.readErrors), ['pkpass-too-large']);
    assert.deepEqual(total.entries.map((e) => e.name), ['a.png', 'b.png']);
    assert.equal(total.entries[0]?.sha1, createHash('sha1').update(big).digest('hex'));
  });

  test('random bytes and a truncated zip are not a zip', async () => {
    const random = join(dir.dir, 'random.pkpass');
    await writeFile(random, randomBytes(4096));
    assert.deepEqual(codes((await readPkpassArchive(random)).readErrors), ['pkpass-not-zip']);
    const good = await readFile((await makePkpass(dir.dir)).path);
    const truncated = join(dir.dir, 'truncated.pkpass');
    await writeFile(truncated, good.subarray(0, good.length - 30));
    assert.deepEqual(codes((await readPkpassArchive(truncated)).readErrors), ['pkpass-not-zip']);
  });

  test('a corrupt deflate stream is reported for that entry only', async () => {
    const path = join(dir.dir, 'corrupt.pkpass');
    const zip = writeZip([{ name: 'icon.png', data: makePng(29, 29) }, { name: 'pass.json', data: '{"a":1}', method: 'store' }]);
    zip[30 + 'icon.png'.length] = 0xff; // first deflate block header: BTYPE 11 is reserved, so inflate fails
    await writeFile(path, zip);
    const archive = await readPkpassArchive(path);
    assert.deepEqual(codes(archive.readErrors), ['pkpass-entry-unreadable']);
    assert.equal(archive.readErrors[0]?.path, 'icon.png');
    assert.deepEqual(archive.entries.map((e) => e.name), ['pass.json']);
    assert.equal(archive.texts['pass.json'], '{"a":1}');
  });

  test('a missing file rejects (the caller reports it)', async () => {
    await assert.rejects(readPkpassArchive(join(dir.dir, 'nope.pkpass')), { code: 'ENOENT' });
  });
});
