import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import busboy from 'busboy';
import { buildMultipart, PRELOAD_MAX_BYTES, preloadSmallFiles } from '../../../../main/server/multipart';
import { EngagementError } from '../../../../main/core/errors';
import { withTempDir } from '../../../support/temp-dir';

async function collect(stream: AsyncGenerator<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('buildMultipart', () => {
  test('the announced length is exactly the bytes streamed; parts carry names, file names and types', async () => {
    await withTempDir('multipart', async (dir) => {
      const file = join(dir, 'pass.pkpass');
      await writeFile(file, Buffer.alloc(700_000, 9));
      const body = await buildMultipart(
        [
          { kind: 'file', name: 'pkPass', path: file, contentType: 'application/vnd.apple.pkpass' },
          { kind: 'text', name: 'passContent', value: '{"é":"ü"}', contentType: 'application/json' },
        ],
        { hashFiles: true },
      );
      let counted = 0;
      const bytes = await collect(body.stream((n) => (counted += n)));
      assert.equal(bytes.length, body.length);
      assert.equal(counted, body.length);
      const boundary = /boundary=(.+)$/.exec(body.contentType)?.[1];
      assert.ok(boundary);
      const text = bytes.toString('latin1');
      assert.ok(text.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="pkPass"; filename="pass.pkpass"\r\nContent-Type: application/vnd.apple.pkpass\r\n\r\n`));
      assert.ok(text.endsWith(`--${boundary}--\r\n`));
      assert.ok(bytes.includes(Buffer.from('{"é":"ü"}', 'utf8')));
      const sha = createHash('sha256').update(Buffer.alloc(700_000, 9)).digest('hex');
      assert.deepEqual(body.sentFiles(), [{ field: 'pkPass', name: 'pass.pkpass', size: 700_000, sha256: sha }]);
    });
  });

  test('quotes and line breaks in names cannot break out of the header', async () => {
    await withTempDir('multipart-quote', async (dir) => {
      const file = join(dir, 'x.png');
      await writeFile(file, 'png');
      const body = await buildMultipart([{ kind: 'file', name: 'lo"go\r\nX-Evil: 1', path: file, fileName: 'a"b.png', contentType: 'image/png' }]);
      const text = (await collect(body.stream())).toString('latin1');
      assert.match(text, /name="lo%22go%0D%0AX-Evil: 1"; filename="a%22b.png"/);
      assert.doesNotMatch(text, /\r\nX-Evil/);
    });
  });

  test('a file that grows while it is sent fails the request instead of sending a corrupt body', async () => {
    await withTempDir('multipart-grow', async (dir) => {
      const file = join(dir, 'c.p12');
      await writeFile(file, Buffer.alloc(1000));
      const body = await buildMultipart([{ kind: 'file', name: 'mpnsCert', path: file, contentType: 'application/x-pkcs12' }]);
      await appendFile(file, Buffer.alloc(10));
      await assert.rejects(collect(body.stream()), (e: unknown) => e instanceof EngagementError && e.appError.code === 'file' && /changed while/.test(e.message));
    });
  });

  test('a missing file is a clear file error before anything is streamed', async () => {
    await assert.rejects(
      buildMultipart([{ kind: 'file', name: 'pkPass', path: '/nonexistent/p.pkpass', contentType: 'x' }]),
      (e: unknown) => e instanceof EngagementError && e.appError.code === 'file' && /p\.pkpass/.test(e.message),
    );
  });

  test('preloaded files make the same body, in one buffer, without touching the disk again', async () => {
    await withTempDir('multipart-preload', async (dir) => {
      const file = join(dir, 'small.pkpass');
      await writeFile(file, Buffer.alloc(5000, 3));
      const fields = [
        { kind: 'file' as const, name: 'pkPass', path: file, contentType: 'application/vnd.apple.pkpass' },
        { kind: 'text' as const, name: 'passContent', value: '{}' },
      ];
      const preloaded = await preloadSmallFiles([file, file]);
      assert.equal(preloaded.size, 1);
      const fromDisk = await buildMultipart(fields);
      assert.equal(fromDisk.inMemory(), undefined, 'a body streamed from disk is never materialised');
      const streamed = await collect(fromDisk.stream());
      await writeFile(file, Buffer.alloc(5000, 4)); // the batch keeps the snapshot it started with
      const fromMemory = await buildMultipart(fields, { preloaded, hashFiles: true });
      const whole = fromMemory.inMemory();
      assert.ok(whole);
      assert.equal(whole.length, fromMemory.length);
      // Same layout (boundaries differ per body): compare with the boundary normalised.
      const norm = (b: Buffer, body: { contentType: string }) => b.toString('latin1').replaceAll(body.contentType.split('boundary=')[1]!, 'B');
      assert.equal(norm(whole, fromMemory), norm(streamed, fromDisk));
      assert.equal(fromMemory.sentFiles()[0]?.sha256, createHash('sha256').update(Buffer.alloc(5000, 3)).digest('hex'));
    });
  });

  test('the bodies of one batch share a boundary and their encoded file parts; a text holding it gets its own', async () => {
    await withTempDir('multipart-shared', async (dir) => {
      const file = join(dir, 'small.pkpass');
      const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
      await writeFile(file, bytes);
      const preloaded = await preloadSmallFiles([file]);
      assert.equal(preloaded.get(file)?.sha256, createHash('sha256').update(bytes).digest('hex'));
      const fields = (text: string) => [
        { kind: 'file' as const, name: 'pkPass', path: file, contentType: 'application/vnd.apple.pkpass' },
        { kind: 'text' as const, name: 'passContent', value: text, contentType: 'application/json' },
      ];
      const texts = ['{"id":"1"}', '{"id":"2"}', `{"note":"--${preloaded.boundary}--"}`];
      const bodies = await Promise.all(texts.map((text) => buildMultipart(fields(text), { preloaded, hashFiles: true })));
      assert.equal(bodies[0]!.contentType, bodies[1]!.contentType, 'one boundary for the batch');
      assert.notEqual(bodies[2]!.contentType, bodies[0]!.contentType, 'a text holding the shared boundary gets a fresh one');
      for (const [i, body] of bodies.entries()) {
        const whole = body.inMemory();
        assert.ok(whole);
        assert.equal(whole.length, body.length);
        assert.ok(whole.equals(await collect(body.stream())), 'streamed and in-memory bodies are the same bytes');
        const parsed = await parseMultipart(body.contentType, whole);
        assert.ok(parsed.files.pkPass?.equals(bytes), `body ${i}: the file part arrives intact`);
        assert.equal(parsed.fields.passContent, texts[i], `body ${i}: the text part arrives intact`);
        assert.equal(body.sentFiles()[0]?.sha256, preloaded.get(file)?.sha256);
      }
    });
  });

  test('one preloaded file under two field names, beside a file too large to preload: every part intact', async () => {
    await withTempDir('multipart-mixed', async (dir) => {
      const image = join(dir, 'same.png');
      const imageBytes = Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 7) % 256));
      await writeFile(image, imageBytes);
      const big = join(dir, 'big.pkpass');
      const bigBytes = Buffer.alloc(PRELOAD_MAX_BYTES + 1, 5);
      await writeFile(big, bigBytes);
      const preloaded = await preloadSmallFiles([image, big]);
      assert.equal(preloaded.size, 1, 'the large file stays on disk');
      const imageFields = [
        { kind: 'file' as const, name: 'logo', path: image, contentType: 'image/png' },
        { kind: 'file' as const, name: 'icon', path: image, contentType: 'image/png' },
      ];
      const text = { kind: 'text' as const, name: 'passContent', value: '{"id":"9"}', contentType: 'application/json' };
      for (let round = 0; round < 2; round++) {
        const small = await buildMultipart([...imageFields, text], { preloaded, hashFiles: true });
        const parsed = await parseMultipart(small.contentType, small.inMemory()!);
        assert.ok(parsed.files.logo?.equals(imageBytes) && parsed.files.icon?.equals(imageBytes), `round ${round}: both image parts`);
        assert.deepEqual(small.sentFiles().map((f) => [f.field, f.name, f.size]), [['logo', 'same.png', 700], ['icon', 'same.png', 700]]);
      }
      const mixed = await buildMultipart([{ kind: 'file', name: 'pkPass', path: big, contentType: 'application/vnd.apple.pkpass' }, ...imageFields, text], { preloaded, hashFiles: true });
      assert.equal(mixed.inMemory(), undefined, 'a body with a file streamed from disk is not materialised');
      const bytes = await collect(mixed.stream());
      assert.equal(bytes.length, mixed.length);
      const parsed = await parseMultipart(mixed.contentType, bytes);
      assert.ok(parsed.files.pkPass?.equals(bigBytes), 'the streamed file arrives intact');
      assert.ok(parsed.files.logo?.equals(imageBytes) && parsed.files.icon?.equals(imageBytes), 'the preloaded ones too');
      assert.equal(parsed.fields.passContent, text.value);
      assert.deepEqual(mixed.sentFiles().map((f) => f.sha256), [createHash('sha256').update(bigBytes).digest('hex'), ...[0, 1].map(() => preloaded.get(image)?.sha256)]);
    });
  });
});

/** Parses a multipart body as a server would (busboy, which the emulator uses too). */
async function parseMultipart(contentType: string, body: Buffer): Promise<{ files: Record<string, Buffer>; fields: Record<string, string> }> {
  const parser = busboy({ headers: { 'content-type': contentType } });
  const files: Record<string, Buffer> = {};
  const fields: Record<string, string> = {};
  parser.on('file', (name, stream) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => (files[name] = Buffer.concat(chunks)));
  });
  parser.on('field', (name, value) => (fields[name] = value));
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', reject);
  });
  parser.end(body);
  await finished;
  return { files, fields };
}

