import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { CheckReport, CheckReportOf } from '../../../../preload/contract';
import { checkPkpass, type PkpassArchive } from '../../../../main/core/pkpass';
import { readPngInfo } from '../../../../main/core/png';
import {
  makeCertificate,
  makePng,
  samplePassImages,
  samplePassJson,
  signManifest,
  TEST_SIGNER_SUBJECT,
  type CertificateFiles,
} from '../../../support/fixtures';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';

const DAY = 86_400_000;
const codes = (report: CheckReport) => report.issues.map((i) => i.code);
const details = (report: CheckReportOf<'pkpass'>) => {
  assert.ok(report.details, 'the report has details');
  return report.details;
};
const sha1 = (data: Uint8Array | string) => createHash('sha1').update(data).digest('hex');

/** What pkpass-reader would extract from a zip with these files (the core never sees the zip itself). */
function archiveFrom(files: Record<string, Uint8Array | string>, signature?: Uint8Array): PkpassArchive {
  const archive: PkpassArchive = { path: '/tmp/x.pkpass', name: 'x.pkpass', size: 1234, entries: [], texts: {}, images: {}, readErrors: [] };
  for (const [name, content] of Object.entries(files)) {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    archive.entries.push({ name, uncompressedSize: bytes.length, compressedSize: bytes.length, sha1: sha1(bytes), head: bytes.subarray(0, 64) });
    if (name.endsWith('.json') || name.endsWith('.strings')) archive.texts[name] = bytes.toString('utf8');
    const png = readPngInfo(bytes);
    if (png) archive.images[name] = { width: png.width, height: png.height, dataUrl: `data:image/png;base64,${bytes.toString('base64')}` };
  }
  if (signature) {
    archive.entries.push({ name: 'signature', uncompressedSize: signature.length, compressedSize: signature.length, sha1: sha1(signature), head: signature.subarray(0, 64) });
    archive.signature = signature;
  }
  return archive;
}

function manifestFor(files: Record<string, Uint8Array | string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(files).map(([n, c]) => [n, sha1(c)])), null, 2);
}

describe('checkPkpass', () => {
  let dir: TempDir;
  let signer: CertificateFiles;
  before(async () => {
    dir = await makeTempDir();
    signer = await makeCertificate(dir.dir, { subject: TEST_SIGNER_SUBJECT, days: 365 });
  });
  after(() => dir.remove());

  /** A complete signed pass; `edit` changes the files before the manifest is made. */
  async function signedPass(edit: (files: Record<string, Uint8Array | string>) => void = () => {}, signedAttributes = false) {
    const files: Record<string, Uint8Array | string> = { 'pass.json': JSON.stringify(samplePassJson()), ...samplePassImages() };
    edit(files);
    const manifest = manifestFor(files);
    const signature = await signManifest(dir.dir, manifest, signer, { signedAttributes });
    return { files, manifest, signature, archive: archiveFrom({ ...files, 'manifest.json': manifest }, signature) };
  }

  test('a valid signed pass has no issue and a full preview', async () => {
    const { archive } = await signedPass();
    const report = checkPkpass(archive);
    assert.deepEqual(report.issues, []);
    assert.equal(report.ok, true);
    assert.deepEqual(report.file, { path: '/tmp/x.pkpass', name: 'x.pkpass', size: 1234 });
    const facts = details(report);
    assert.equal(facts.passJson?.style, 'storeCard');
    assert.equal(facts.passJson?.serialNumber, 'SN-0001');
    assert.equal(facts.signer?.verified, true);
    assert.equal(facts.signer?.subjectFields.UID, 'pass.com.example.engagementdesk');
    assert.equal(facts.signer?.sha256Fingerprint, signer.sha256Fingerprint);
    const preview = facts.preview!;
    assert.equal(preview.style, 'storeCard');
    assert.equal(preview.backgroundColor, '#3c414c', 'rgb(60, 65, 76) becomes CSS hex');
    assert.equal(preview.foregroundColor, '#ffffff');
    assert.equal(preview.logoText, 'Example');
    assert.deepEqual(preview.headerFields, [{ key: 'points', label: 'POINTS', value: '1250' }]);
    assert.deepEqual(preview.primaryFields, [{ key: 'balance', label: 'BALANCE', value: '21.75 EUR' }]);
    assert.deepEqual(preview.barcode, { format: 'PKBarcodeFormatQR', message: 'SN-0001' });
    assert.match(preview.images.logo!, /^data:image\/png;base64,/);
    assert.equal(preview.images.logo, archive.images['logo@2x.png']!.dataUrl, 'the @2x logo is preferred');
    assert.ok(preview.images.strip && preview.images.icon);
    assert.equal(preview.images.thumbnail, undefined);
  });

  test('a signature with signed attributes (signing time, message digest) verifies too', async () => {
    const { archive } = await signedPass(undefined, true);
    const report = checkPkpass(archive);
    assert.deepEqual(report.issues, []);
    assert.equal(details(report).signer?.verified, true);
  });

  test('a signature made over another manifest is an error', async () => {
    const { archive } = await signedPass();
    const other = await signedPass((files) => {
      files['pass.json'] = JSON.stringify(samplePassJson({ serialNumber: 'OTHER' }));
    });
    archive.signature = other.signature;
    const report = checkPkpass(archive);
    assert.deepEqual(codes(report), ['pkpass-signature-mismatch']);
    assert.equal(details(report).signer?.verified, false);
  });

  test('missing pass.json, manifest.json and signature are each reported', () => {
    const report = checkPkpass(archiveFrom({ 'icon.png': makePng(29, 29) }));
    assert.deepEqual(codes(report).sort(), ['pkpass-missing-file', 'pkpass-missing-file', 'pkpass-missing-file']);
    assert.deepEqual(report.issues.map((i) => i.path).sort(), ['manifest.json', 'pass.json', 'signature']);
  });

  test('manifest: missing, extra and mismatched files are told apart', async () => {
    const files: Record<string, Uint8Array | string> = { 'pass.json': JSON.stringify(samplePassJson()), ...samplePassImages() };
    const manifest = JSON.parse(manifestFor(files)) as Record<string, string>;
    manifest['logo.png'] = sha1('something else');
    manifest['thumbnail.png'] = sha1('phantom');
    delete manifest['strip.png'];
    const manifestText = JSON.stringify(manifest);
    const archive = archiveFrom({ ...files, 'manifest.json': manifestText }, await signManifest(dir.dir, manifestText, signer));
    const report = checkPkpass(archive);
    const byCode = Object.fromEntries(report.issues.map((i) => [i.code, i.path]));
    assert.equal(byCode['pkpass-manifest-mismatch'], 'logo.png');
    assert.equal(byCode['pkpass-manifest-missing'], 'thumbnail.png');
    assert.equal(byCode['pkpass-manifest-extra'], 'strip.png');
    assert.equal(report.ok, false);
    assert.equal(details(report).signer?.verified, true, 'the signature still covers the (bad) manifest');
  });

  test('manifest.json that is not JSON is an error', () => {
    const report = checkPkpass(archiveFrom({ 'pass.json': JSON.stringify(samplePassJson()), 'icon.png': makePng(29, 29), 'manifest.json': '{nope' }));
    assert.ok(codes(report).includes('pkpass-manifest-invalid'));
  });

  test('pass.json: each required key, formatVersion and the single style', async () => {
    const broken = samplePassJson({ formatVersion: 2, teamIdentifier: undefined, serialNumber: 42, coupon: { primaryFields: [] } });
    const { archive } = await signedPass((files) => {
      files['pass.json'] = JSON.stringify(broken);
    });
    const report = checkPkpass(archive);
    const paths = report.issues.filter((i) => i.code === 'pkpass-pass-json-key').map((i) => i.path);
    assert.deepEqual(paths.sort(), ['pass.json#formatVersion', 'pass.json#serialNumber', 'pass.json#teamIdentifier']);
    assert.ok(codes(report).includes('pkpass-multiple-styles'));
    assert.equal(details(report).preview, undefined, 'no preview without a single style');
  });

  test('pass.json without any style, or not JSON at all', async () => {
    const none = await signedPass((files) => {
      files['pass.json'] = JSON.stringify(samplePassJson({ storeCard: undefined }));
    });
    assert.ok(codes(checkPkpass(none.archive)).includes('pkpass-no-style'));
    const garbage = await signedPass((files) => {
      files['pass.json'] = '{"formatVersion": 1,';
    });
    assert.ok(codes(checkPkpass(garbage.archive)).includes('pkpass-pass-json-invalid'));
  });

  test('fields need keys and values, keys are unique, boarding passes need a transit type', async () => {
    const { archive } = await signedPass((files) => {
      files['pass.json'] = JSON.stringify(
        samplePassJson({
          storeCard: undefined,
          boardingPass: {
            primaryFields: [{ key: 'from', value: 'SFO' }, { key: 'from', value: 'LHR' }],
            secondaryFields: [{ label: 'no key', value: 'x' }, { key: 'gate' }],
          },
        }),
      );
      files['footer.png'] = makePng(286, 15);
    });
    const report = checkPkpass(archive);
    assert.deepEqual(
      report.issues.filter((i) => i.severity === 'error').map((i) => i.code).sort(),
      ['pkpass-field-duplicate-key', 'pkpass-field-invalid', 'pkpass-field-invalid', 'pkpass-pass-json-key'],
    );
    assert.ok(codes(report).includes('image-unused-by-style'), 'a strip is not shown on a boarding pass');
  });

  test('images: a fake PNG is an error, oversize and unknown names are warnings, the icon is required', async () => {
    const { archive } = await signedPass((files) => {
      files['logo.png'] = 'GIF89a pretending to be a png';
      files['strip@2x.png'] = makePng(1000, 400);
      files['banner.png'] = makePng(10, 10);
      delete files['icon.png'];
      delete files['icon@2x.png'];
    });
    const report = checkPkpass(archive);
    const found = Object.fromEntries(report.issues.map((i) => [i.code, i]));
    assert.equal(found['image-not-png']?.path, 'logo.png');
    assert.equal(found['image-not-png']?.severity, 'error');
    assert.equal(found['image-dimensions']?.path, 'strip@2x.png');
    assert.equal(found['image-dimensions']?.severity, 'warning');
    assert.equal(found['pkpass-image-unknown']?.severity, 'warning');
    assert.equal(found['pkpass-missing-icon']?.severity, 'error');
  });

  test('an expired signing certificate is an error, one expiring soon a warning', async () => {
    const { archive } = await signedPass();
    const notAfter = Date.parse(details(checkPkpass(archive)).signer!.notAfter);
    assert.deepEqual(codes(checkPkpass(archive, new Date(notAfter + DAY))), ['pkpass-signer-expired']);
    const soon = checkPkpass(archive, new Date(notAfter - 5 * DAY));
    assert.deepEqual(codes(soon), ['pkpass-signer-expiring-soon']);
    assert.equal(soon.ok, true);
  });

  test('a signing certificate for another pass type is an error', async () => {
    const { archive } = await signedPass((files) => {
      files['pass.json'] = JSON.stringify(samplePassJson({ passTypeIdentifier: 'pass.com.other.card' }));
    });
    assert.deepEqual(codes(checkPkpass(archive)), ['pkpass-signer-pass-type']);
  });

  test('a signature file that is not PKCS#7 is an error', async () => {
    const { archive } = await signedPass();
    archive.signature = new TextEncoder().encode('not a signature');
    assert.deepEqual(codes(checkPkpass(archive)), ['pkpass-signature-invalid']);
  });

  test('read errors are reported, and a fatal one stops the checks', () => {
    const fatal = archiveFrom({});
    fatal.readErrors.push({ severity: 'error', code: 'pkpass-not-zip', message: 'not a zip' });
    assert.deepEqual(codes(checkPkpass(fatal)), ['pkpass-not-zip']);
    const partial = archiveFrom({ 'icon.png': makePng(29, 29) });
    partial.readErrors.push({ severity: 'error', code: 'pkpass-unsafe-path', message: 'bad', path: '../evil' });
    assert.equal(codes(checkPkpass(partial))[0], 'pkpass-unsafe-path');
  });

  test('labels and values are localised from en.lproj/pass.strings in the preview', async () => {
    const { archive } = await signedPass((files) => {
      files['en.lproj/pass.strings'] = '/* labels */\n"BALANCE" = "Balance";\n"21.75 EUR" = "21,75 \\u20AC";\n';
    });
    const report = checkPkpass(archive);
    assert.deepEqual(report.issues, []);
    assert.deepEqual(details(report).preview?.primaryFields, [{ key: 'balance', label: 'Balance', value: '21,75 €' }]);
  });
});

describe('pass.json colours', () => {
  test('an invalid colour in pass.json is a warning', async () => {
    const files = { 'pass.json': JSON.stringify(samplePassJson({ backgroundColor: 'blue' })), 'icon.png': makePng(29, 29) };
    const report = checkPkpass(archiveFrom({ ...files, 'manifest.json': manifestFor(files) }));
    assert.ok(report.issues.some((i) => i.code === 'pkpass-color-invalid' && i.severity === 'warning'));
  });
});
