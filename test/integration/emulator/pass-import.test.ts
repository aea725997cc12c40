import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import type { Emulator } from '../../../main/emulator/server';
import type { GeneratedPart } from './emulator-fixtures';
import { basic, leftoverUploads, postMultipart, sha256, startTestEmulator } from './emulator-fixtures';

const PKPASS = Buffer.from('PK\u0003\u0004 pretend pkpass archive');
const LOGO = Buffer.from('\u0089PNG logo bytes');

function passContent(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    recipients: { recipient: [{ id: '48494' }] },
    passIntegrationConfig: {
      passIssueNotificationDetails: [{ channel: 'SMS', enabled: true, messageContent: 'Get it: ##SMS Pass Link##' }],
      passUpdateNotificationDetails: [
        { channel: 'EMAIL', enabled: 'false', subject: 'Pass Update', senderName: 'A', senderEmail: 'a@example.com', messageContent: 'x' },
      ],
    },
    priority: true,
    startTimeStamp: 0,
    endTimeStamp: 0,
    ...overrides,
  });
}

function parts(content: string = passContent(), extra: GeneratedPart[] = []): GeneratedPart[] {
  return [
    { name: 'pkPass', filename: 'boarding.pkpass', contentType: 'application/vnd.apple.pkpass', content: PKPASS },
    { name: 'logo', filename: 'logo.png', contentType: 'image/png', content: LOGO },
    { name: 'passContent', contentType: 'application/json', content },
    ...extra,
  ];
}

describe('pass import/update', () => {
  let emulator: Emulator;
  let dataDir: string;
  let stop: () => Promise<void>;
  let url: string;

  before(async () => {
    // Strict parts: the unknown text part below is named, where the real server would ignore it.
    ({ emulator, dataDir, stop } = await startTestEmulator({ strictParts: true }));
    url = `${emulator.url}/api/v1/message/pass/import/update`;
  });
  after(() => stop());

  test('a pkPass with an image and passContent is queued; requestId is a 19-digit string in the raw body', async () => {
    emulator.clearRequests();
    const result = await postMultipart(url, parts());
    assert.equal(result.status, 200, result.text);
    // Checked on the raw text: a JSON.parse round trip would hide a bare 64-bit number.
    assert.match(result.text, /^\{"requestId":"\d{19}","description":"Request Queued\. "\}$/);
    const requestId = (result.json() as { requestId: string }).requestId;
    assert.ok(BigInt(requestId) >= 1_000_000_000_000_000_000n && BigInt(requestId) < 9_200_000_000_000_000_000n);

    const recorded = emulator.requests[0]!;
    assert.equal(recorded.status, 200);
    assert.equal(recorded.responseBody, result.text);
    assert.deepEqual(
      recorded.parts.map(({ name, filename, size, sha256: hash }) => ({ name, filename, size, hash })),
      [
        { name: 'pkPass', filename: 'boarding.pkpass', size: PKPASS.length, hash: sha256(PKPASS) },
        { name: 'logo', filename: 'logo.png', size: LOGO.length, hash: sha256(LOGO) },
        { name: 'passContent', filename: undefined, size: Buffer.byteLength(passContent()), hash: sha256(Buffer.from(passContent())) },
      ],
    );
    assert.equal(recorded.parts[2]!.text, passContent());
  });

  test('request ids differ between requests', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((((await postMultipart(url, parts())).json()) as { requestId: string }).requestId);
    assert.equal(ids.size, 5);
  });

  test('uploads are deleted after the request by default', async () => {
    assert.equal((await postMultipart(url, parts())).status, 200);
    assert.deepEqual(await leftoverUploads(dataDir), []);
  });

  test('several images with any field names, and string booleans, are accepted', async () => {
    const content = passContent({ priority: 'false' });
    const result = await postMultipart(url, parts(content, [
      { name: 'imageFieldName1', filename: 'strip.png', content: LOGO },
      { name: 'icon', filename: 'icon.png', contentType: 'image/png', content: LOGO },
    ]));
    assert.equal(result.status, 200, result.text);
  });

  test('each invalid request gets a 400 with a clear message', async () => {
    const pkPass: GeneratedPart = { name: 'pkPass', filename: 'p.pkpass', content: PKPASS };
    const content = (value: string): GeneratedPart => ({ name: 'passContent', content: value });
    const cases: [string, GeneratedPart[], RegExp][] = [
      ['no pkPass', [content(passContent())], /pkPass \(the \.pkpass file\) is required/],
      ['empty pkPass', [{ ...pkPass, content: Buffer.alloc(0) }, content(passContent())], /pkPass is empty/],
      ['two pkPass', [pkPass, pkPass, content(passContent())], /Only one pkPass part/],
      ['pkPass as text', [{ name: 'pkPass', content: 'abc' }, content(passContent())], /pkPass must be a file part/],
      ['no passContent', [pkPass], /passContent is required/],
      ['passContent as a file', [pkPass, { name: 'passContent', filename: 'blob', content: passContent() }], /passContent must be a text part/],
      ['bad JSON', [pkPass, content('{"recipients":')], /passContent is not valid JSON/],
      ['not an object', [pkPass, content('[]')], /passContent must be a JSON object/],
      ['no recipients', [pkPass, content(passContent({ recipients: undefined }))], /recipients\.recipient must be a non-empty array/],
      ['empty recipients', [pkPass, content(passContent({ recipients: { recipient: [] } }))], /non-empty array/],
      ['numeric id', [pkPass, content(passContent({ recipients: { recipient: [{ id: 48494 }] } }))], /recipient\[0\]\.id must be a non-empty string/],
      ['blank id', [pkPass, content(passContent({ recipients: { recipient: [{ id: '1' }, { id: ' ' }] } }))], /recipient\[1\]\.id/],
      ['bad priority', [pkPass, content(passContent({ priority: 'yes' }))], /priority must be true or false/],
      ['bad enabled', [pkPass, content(passContent({ passIntegrationConfig: { passIssueNotificationDetails: [{ channel: 'SMS', enabled: 'true / false' }] } }))], /passIssueNotificationDetails\[0\]\.enabled/],
      ['bad channel', [pkPass, content(passContent({ passIntegrationConfig: { passUpdateNotificationDetails: [{ channel: 'PUSH' }] } }))], /channel must be "SMS" or "EMAIL"/],
      ['bad timestamp', [pkPass, content(passContent({ endTimeStamp: 'tomorrow' }))], /endTimeStamp must be epoch milliseconds/],
      ['unknown text part', [pkPass, content(passContent()), { name: 'expiryTimeStamp', content: '0' }], /Unknown text parts: "expiryTimeStamp"/],
    ];
    for (const [label, body, message] of cases) {
      const result = await postMultipart(url, body);
      assert.equal(result.status, 400, `${label}: ${result.text}`);
      const json = result.json() as { id: string; message: string };
      assert.equal(json.id, '-1', label);
      assert.match(json.message, message, label);
    }
    assert.deepEqual(await leftoverUploads(dataDir), [], 'a refused upload left files behind');
  });

  test('a non-multipart body is refused', async () => {
    const response = await request(url, { method: 'POST', headers: { ...basic(), 'content-type': 'application/json' }, body: passContent() });
    assert.equal(response.statusCode, 400);
    assert.match(((await response.body.json()) as { message: string }).message, /multipart\/form-data/);
  });
});

describe('pass import/update with keepPassUploads', () => {
  test('the files and passContent are kept under passes/<requestId>/', async () => {
    const { emulator, dataDir, stop } = await startTestEmulator({ keepPassUploads: true });
    try {
      const result = await postMultipart(`${emulator.url}/api/v1/message/pass/import/update`, parts());
      assert.equal(result.status, 200, result.text);
      const requestId = (result.json() as { requestId: string }).requestId;
      const dir = join(dataDir, 'passes', requestId);
      const manifest = JSON.parse(await readFile(join(dir, 'request.json'), 'utf8')) as {
        passContent: unknown;
        files: { field: string; stored: string; sha256: string }[];
      };
      assert.deepEqual(manifest.passContent, JSON.parse(passContent()));
      assert.deepEqual(manifest.files.map((f) => f.field), ['pkPass', 'logo']);
      assert.ok((await readFile(join(dir, manifest.files[0]!.stored))).equals(PKPASS));
      assert.ok((await readFile(join(dir, manifest.files[1]!.stored))).equals(LOGO));
    } finally {
      await stop();
    }
  });
});
