import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
// Node's own FormData: on Node 24 undici's request streams it, while the undici package's FormData class fails there
// ("action is not a function" from Node's bundled undici; the app itself sends no FormData).
import { request } from 'undici';
import type { Emulator } from '../../../main/emulator/server';
import { startEmulator } from '../../../main/emulator/server';
import { withPbmac1 } from '../../support/pbmac1';
import type { Certificates } from './emulator-fixtures';
import {
  OID,
  PASSPHRASE,
  apiKeyHeaders,
  basic,
  certificateParts,
  makeCertificates,
  postMultipart,
  sha256,
  startTestEmulator,
  tempDir,
} from './emulator-fixtures';

function uploadUrl(emulator: Emulator, appId: string): string {
  return `${emulator.url}/api/v1/applications/${encodeURIComponent(appId)}/windows`;
}

function downloadUrl(emulator: Emulator, appId: string): string {
  return `${emulator.url}/api/v1/applications/downloadwindowscert?appId=${encodeURIComponent(appId)}`;
}

async function download(emulator: Emulator, appId: string): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer }> {
  const response = await request(downloadUrl(emulator, appId), { headers: basic() });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, headers: response.headers, bytes };
}

async function listFilesRecursively(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('MPNS certificate upload and download', () => {
  let certs: Certificates;
  let work: { path: string; remove: () => Promise<void> };
  let emulator: Emulator;
  let dataDir: string;
  let stop: () => Promise<void>;

  before(async () => {
    work = await tempDir('p12');
    certs = await makeCertificates(work.path);
    // Strict parts: these tests name every unknown part the real server would silently ignore.
    ({ emulator, dataDir, stop } = await startTestEmulator({ contextRoot: '/vpns', strictParts: true }));
  });
  after(async () => {
    await stop();
    await work.remove();
  });

  test('the fixtures really are one modern (PBES2/AES) and one legacy (PBE-SHA1) PKCS#12', () => {
    assert.ok(certs.modern.includes(OID.pbes2) && certs.modern.includes(OID.aes256cbc));
    assert.ok(!certs.legacy.includes(OID.pbes2));
    assert.ok(certs.legacy.includes(OID.sha1And3Des) || certs.legacy.includes(OID.sha1AndRc2_40));
  });

  for (const variant of ['modern', 'legacy'] as const) {
    test(`a ${variant} .p12 uploads, and downloads as the identical bytes under its original name`, async () => {
      const appId = `app-${variant}`;
      const bytes = certs[variant];
      const upload = await postMultipart(uploadUrl(emulator, appId), certificateParts(bytes, PASSPHRASE, `${variant} cert.p12`));
      assert.equal(upload.status, 200, upload.text);
      assert.deepEqual(upload.json(), { message: 'Details updated successfully', id: appId });

      const result = await download(emulator, appId);
      assert.equal(result.status, 200);
      assert.equal(result.headers['content-type'], 'application/x-pkcs12');
      assert.equal(result.headers['content-length'], String(bytes.length));
      assert.equal(result.headers['content-disposition'], `attachment; filename="${variant} cert.p12"`);
      assert.ok(result.bytes.equals(bytes), 'downloaded bytes differ from the upload');

      const stored = await emulator.storedCertificate(appId);
      assert.ok(stored);
      assert.equal(stored.fileName, `${variant} cert.p12`);
      assert.equal(stored.size, bytes.length);
      assert.equal(stored.sha256, sha256(bytes));
      assert.ok((await readFile(stored.path)).equals(bytes));
    });
  }

  test('the upload is recorded with the file hash and a redacted passphrase, which is stored nowhere', async () => {
    emulator.clearRequests();
    const upload = await postMultipart(uploadUrl(emulator, 'app-record'), certificateParts(certs.modern), apiKeyHeaders);
    assert.equal(upload.status, 200, upload.text);
    const [recorded] = emulator.requests;
    assert.equal(recorded?.path, '/vpns/api/v1/applications/app-record/windows');
    assert.deepEqual(recorded?.parts, [
      { name: 'mpnsCert', filename: 'mpns.p12', contentType: 'application/x-pkcs12', size: certs.modern.length, sha256: sha256(certs.modern) },
      { name: 'mpnsCertPassPhrase', contentType: 'text/plain', size: Buffer.byteLength(PASSPHRASE), sha256: '<redacted>', text: '<redacted>' },
    ]);
    assert.ok(!JSON.stringify(emulator.requests).includes(PASSPHRASE));
    for (const file of await listFilesRecursively(dataDir)) {
      assert.ok(!(await readFile(file)).includes(Buffer.from(PASSPHRASE)), `passphrase found in ${file}`);
    }
  });

  test('a client FormData upload (Blob parts) works, and PUT is accepted like POST', async () => {
    const form = new FormData();
    form.append('mpnsCert', new Blob([certs.legacy]), 'form.p12');
    form.append('mpnsCertPassPhrase', PASSPHRASE);
    // Node's own fetch and FormData, as a script calling the server would use them.
    const response = await fetch(uploadUrl(emulator, 'app-form'), { method: 'PUT', headers: basic(), body: form });
    assert.equal(response.status, 200, await response.text());
    assert.equal((await emulator.storedCertificate('app-form'))?.fileName, 'form.p12');
  });

  test('the appId is URL-decoded from the path and stored under a filesystem-safe name', async () => {
    const appId = '20096-6548262167/Ünïcode ../CON:app';
    const upload = await postMultipart(uploadUrl(emulator, appId), certificateParts(certs.modern));
    assert.equal(upload.status, 200, upload.text);
    assert.deepEqual(upload.json(), { message: 'Details updated successfully', id: appId });
    const result = await download(emulator, appId);
    assert.equal(result.status, 200);
    assert.ok(result.bytes.equals(certs.modern));
    const stored = await emulator.storedCertificate(appId);
    assert.ok(stored?.path.startsWith(join(dataDir, 'certs')));
    assert.match(stored!.path.slice(join(dataDir, 'certs').length), /^[/\\][A-Za-z0-9_-]+[/\\][0-9a-f]{64}\.p12$/);
    // Ids differing only in case must not share storage (case-insensitive filesystems).
    assert.equal(await emulator.storedCertificate(appId.toUpperCase()), undefined);
  });

  test('a second upload replaces the first', async () => {
    assert.equal((await postMultipart(uploadUrl(emulator, 'app-replace'), certificateParts(certs.modern, PASSPHRASE, 'one.p12'))).status, 200);
    assert.equal((await postMultipart(uploadUrl(emulator, 'app-replace'), certificateParts(certs.legacy, PASSPHRASE, 'two.p12'))).status, 200);
    const result = await download(emulator, 'app-replace');
    assert.ok(result.bytes.equals(certs.legacy));
    assert.equal(result.headers['content-disposition'], 'attachment; filename="two.p12"');
    const blobs = (await listFilesRecursively(join(dataDir, 'certs'))).filter((f) => f.includes('app-replace') && f.endsWith('.p12'));
    assert.equal(blobs.length, 1, 'the replaced blob was not removed');
  });

  test('a non-ASCII file name comes back through filename*', async () => {
    assert.equal((await postMultipart(uploadUrl(emulator, 'app-name'), certificateParts(certs.modern, PASSPHRASE, 'zertifikat-ä.p12'))).status, 200);
    const result = await download(emulator, 'app-name');
    assert.equal(result.headers['content-disposition'], `attachment; filename="zertifikat-_.p12"; filename*=UTF-8''zertifikat-%C3%A4.p12`);
  });

  test('a wrong passphrase is refused with 400 and nothing is stored', async () => {
    for (const bytes of [certs.modern, certs.legacy]) {
      const upload = await postMultipart(uploadUrl(emulator, 'app-wrong'), certificateParts(bytes, 'wrong passphrase'));
      assert.equal(upload.status, 400);
      assert.deepEqual(upload.json(), { id: '-1', message: 'The certificate could not be opened with mpnsCertPassPhrase; check the passphrase' });
    }
    assert.equal(await emulator.storedCertificate('app-wrong'), undefined);
    const leftovers = (await listFilesRecursively(join(dataDir, 'certs'))).filter((f) => f.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
  });

  test('a file whose integrity check (MAC) fails although the passphrase opens it is refused as changed, not as "not PKCS#12"', async () => {
    const changed = withPbmac1(certs.modern, { passphrase: PASSPHRASE, forge: true });
    const upload = await postMultipart(uploadUrl(emulator, 'app-changed'), certificateParts(changed, PASSPHRASE));
    assert.equal(upload.status, 400);
    assert.deepEqual(upload.json(), {
      id: '-1',
      message: 'mpnsCert fails its integrity check (MAC) although mpnsCertPassPhrase opens it: the file was changed after it was exported',
    });
    assert.equal(await emulator.storedCertificate('app-changed'), undefined);
  });

  test('a file that is not PKCS#12 is refused', async () => {
    const upload = await postMultipart(uploadUrl(emulator, 'app-junk'), certificateParts(Buffer.from('not a certificate at all')));
    assert.equal(upload.status, 400);
    assert.match((upload.json() as { message: string }).message, /not a readable PKCS#12/);
  });

  test('every malformed upload gets a 400 naming the problem', async () => {
    const url = uploadUrl(emulator, 'app-400');
    const cases: [string, Parameters<typeof postMultipart>[1], RegExp][] = [
      ['no certificate', [{ name: 'mpnsCertPassPhrase', content: PASSPHRASE }], /mpnsCert \(the \.p12 file\) is required/],
      ['no passphrase', [{ name: 'mpnsCert', filename: 'c.p12', content: certs.modern }], /mpnsCertPassPhrase is required/],
      // An empty passphrase is sent on (a .p12 may have one); this file's is not empty, so it does not open.
      ['empty passphrase', certificateParts(certs.modern, ''), /could not be opened with mpnsCertPassPhrase/],
      ['empty file', certificateParts(Buffer.alloc(0)), /mpnsCert is empty/],
      ['unknown parts', [...certificateParts(certs.modern), { name: 'extra', content: 'x' }, { name: 'appleCert', filename: 'a.p12', content: 'y' }], /Unknown form parts: "extra", "appleCert"/],
      ['wrong field-name case', [{ name: 'mpnscert', filename: 'c.p12', content: certs.modern }, { name: 'mpnsCertPassPhrase', content: PASSPHRASE }], /"mpnscert"/],
      ['certificate as text', [{ name: 'mpnsCert', content: 'abc' }, { name: 'mpnsCertPassPhrase', content: PASSPHRASE }], /mpnsCert must be a file part/],
      ['passphrase as file', [{ name: 'mpnsCert', filename: 'c.p12', content: certs.modern }, { name: 'mpnsCertPassPhrase', filename: 'p.txt', content: PASSPHRASE }], /mpnsCertPassPhrase must be a text part/],
      ['two certificates', [...certificateParts(certs.modern), { name: 'mpnsCert', filename: 'd.p12', content: certs.modern }], /Only one mpnsCert part/],
    ];
    for (const [label, parts, message] of cases) {
      const upload = await postMultipart(url, parts);
      assert.equal(upload.status, 400, label);
      const body = upload.json() as { id: string; message: string };
      assert.equal(body.id, '-1', label);
      assert.match(body.message, message, label);
    }
    assert.equal(await emulator.storedCertificate('app-400'), undefined);
  });

  test('a body neither multipart nor JSON is refused with 400; JSON is WNS credentials, checked as such', async () => {
    const response = await request(uploadUrl(emulator, 'app-text'), {
      method: 'POST',
      headers: { ...basic(), 'content-type': 'text/plain' },
      body: 'mpnsCert',
    });
    assert.equal(response.statusCode, 400);
    assert.match(((await response.body.json()) as { message: string }).message, /multipart\/form-data/);
    const json = await request(uploadUrl(emulator, 'AppForAll1'), {
      method: 'POST',
      headers: { ...basic(), 'content-type': 'application/json' },
      body: JSON.stringify({ windowsPhone8: true }),
    });
    assert.equal(json.statusCode, 400);
    assert.equal(((await json.body.json()) as { message: string }).message, 'Windows8 cloud credentials are invalid');
    // An app the server does not have is refused first, inside a 200 as the real server answers it.
    const unknown = await request(uploadUrl(emulator, 'app-json'), {
      method: 'POST',
      headers: { ...basic(), 'content-type': 'application/json' },
      body: JSON.stringify({ windowsPhone8: true }),
    });
    assert.equal(unknown.statusCode, 200);
    assert.deepEqual(await unknown.body.json(), { id: '-1', message: 'Invalid VoltMX AppId or Application is not published with given AppId' });
    assert.equal(await emulator.storedCertificate('app-json'), undefined);
  });

  test('a malformed multipart body is refused with 400', async () => {
    const response = await request(uploadUrl(emulator, 'app-broken'), {
      method: 'POST',
      headers: { ...basic(), 'content-type': 'multipart/form-data; boundary=abc' },
      body: '--abc\r\nContent-Disposition: form-data; name="mpnsCert"; filename="x.p12"\r\n\r\nno closing boundary',
    });
    assert.equal(response.statusCode, 400);
    assert.match(((await response.body.json()) as { message: string }).message, /Malformed multipart/);
  });

  test('an empty appId in the path is refused', async () => {
    const upload = await postMultipart(`${emulator.url}/api/v1/applications//windows`, certificateParts(certs.modern));
    assert.equal(upload.status, 400);
  });

  test('download without appId, or for an app with no certificate, is a 400', async () => {
    for (const url of [
      `${emulator.url}/api/v1/applications/downloadwindowscert`,
      `${emulator.url}/api/v1/applications/downloadwindowscert?appId=`,
      downloadUrl(emulator, 'never-uploaded'),
    ]) {
      const response = await request(url, { headers: basic() });
      assert.equal(response.statusCode, 400, url);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      const body = (await response.body.json()) as { id: string; message: string };
      assert.equal(body.id, '-1');
      assert.ok(body.message.length > 0);
    }
  });

  test('upload and download require auth', async () => {
    const upload = await postMultipart(uploadUrl(emulator, 'app-noauth'), certificateParts(certs.modern), {});
    assert.equal(upload.status, 401);
    const response = await request(downloadUrl(emulator, 'app-modern'));
    assert.equal(response.statusCode, 401);
    await response.body.dump();
  });
});

describe('certificate storage across restarts', () => {
  test('a certificate uploaded before close is downloadable after a restart on the same dataDir', async () => {
    const work = await tempDir('restart');
    try {
      const certs = await makeCertificates(work.path);
      const dataDir = join(work.path, 'data');
      const first = await startEmulator({ dataDir });
      const upload = await postMultipart(uploadUrl(first, 'persisted'), certificateParts(certs.legacy, PASSPHRASE, 'kept.p12'));
      assert.equal(upload.status, 200, upload.text);
      await first.close();

      const second = await startEmulator({ dataDir, contextRoot: 'vpns/' });
      try {
        assert.equal(second.url, `${second.origin}/vpns`);
        const result = await download(second, 'persisted');
        assert.equal(result.status, 200);
        assert.ok(result.bytes.equals(certs.legacy));
        assert.equal(result.headers['content-disposition'], 'attachment; filename="kept.p12"');
      } finally {
        await second.close();
      }
    } finally {
      await work.remove();
    }
  });

  test('verifyCertificatePassphrase: false stores whatever bytes arrive', async () => {
    const { emulator, stop } = await startTestEmulator({ verifyCertificatePassphrase: false });
    try {
      const bytes = Buffer.from('opaque bytes, not a p12');
      const upload = await postMultipart(uploadUrl(emulator, 'opaque'), certificateParts(bytes, 'anything'));
      assert.equal(upload.status, 200, upload.text);
      assert.ok((await download(emulator, 'opaque')).bytes.equals(bytes));
    } finally {
      await stop();
    }
  });
});
