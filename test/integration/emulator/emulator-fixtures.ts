// Shared set-up for the emulator integration tests: temp dirs, real .p12 files made by openssl, auth headers,
// and a generated multipart body for uploads too large to hold in memory.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { request } from 'undici';
import type { Emulator, EmulatorOptions } from '../../../main/emulator/server';
import { SANDBOX_API_KEY, startEmulator } from '../../../main/emulator/server';
import { openssl } from '../../support/fixtures';

export const PASSPHRASE = 'correct horse';

export function basic(username = 'sandbox', password = 'sandbox'): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

export const apiKeyHeaders = { 'X-VoltMX-App-API-Key': SANDBOX_API_KEY };

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `engagement-emulator-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface Certificates {
  /** OpenSSL 3 default: PBES2 with AES-256-CBC, PBKDF2, SHA-256 MAC. */
  modern: Buffer;
  /** Legacy: RC2-40 / 3DES with a SHA-1 MAC, what older Windows tooling produces. */
  legacy: Buffer;
}

/** Real PKCS#12 files in both encodings, made with the openssl CLI, protected by PASSPHRASE. */
export async function makeCertificates(dir: string): Promise<Certificates> {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=Engagement Desk test MPNS'], dir);
  const exportP12 = (out: string, extra: string[]) =>
    openssl(['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', out, '-passout', `pass:${PASSPHRASE}`, ...extra], dir);
  await exportP12(join(dir, 'modern.p12'), []);
  try {
    // OpenSSL 3 needs -legacy for RC2; OpenSSL 1.1 has no such flag but produces the legacy format by default.
    await exportP12(join(dir, 'legacy.p12'), ['-legacy']);
  } catch {
    await exportP12(join(dir, 'legacy.p12'), ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']);
  }
  return { modern: await readFile(join(dir, 'modern.p12')), legacy: await readFile(join(dir, 'legacy.p12')) };
}

/** DER-encoded OIDs, to prove the two fixtures really use different encryption. */
export const OID = {
  pbes2: Buffer.from('06092a864886f70d01050d', 'hex'),
  aes256cbc: Buffer.from('060960864801650304012a', 'hex'),
  sha1And3Des: Buffer.from('060a2a864886f70d010c0103', 'hex'),
  sha1AndRc2_40: Buffer.from('060a2a864886f70d010c0106', 'hex'),
};

/** Starts an emulator on a fresh data dir; `stop` closes it and removes the dir. */
export async function startTestEmulator(
  options: Partial<EmulatorOptions> = {},
): Promise<{ emulator: Emulator; dataDir: string; stop: () => Promise<void> }> {
  const dir = options.dataDir === undefined ? await tempDir('data') : undefined;
  const dataDir = options.dataDir ?? dir!.path;
  const emulator = await startEmulator({ ...options, dataDir });
  return {
    emulator,
    dataDir,
    stop: async () => {
      await emulator.close();
      await dir?.remove();
    },
  };
}

export interface GeneratedPart {
  name: string;
  filename?: string;
  contentType?: string;
  /** Text, bytes, or a generated body of `size` bytes of `fill`. */
  content: string | Buffer | { size: number; fill: number };
}

export const BOUNDARY = '----engagement-desk-test-boundary';

/** A multipart/form-data body produced chunk by chunk, so a 200 MB upload never exists in memory. */
export async function* multipartBody(parts: readonly GeneratedPart[]): AsyncGenerator<Buffer> {
  const block = Buffer.alloc(1024 * 1024);
  for (const part of parts) {
    let head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType !== undefined) head += `Content-Type: ${part.contentType}\r\n`;
    yield Buffer.from(`${head}\r\n`);
    const content = part.content;
    if (typeof content === 'string') yield Buffer.from(content);
    else if (Buffer.isBuffer(content)) yield content;
    else {
      block.fill(content.fill);
      for (let left = content.size; left > 0; left -= block.length) yield left >= block.length ? block : block.subarray(0, left);
    }
    yield Buffer.from('\r\n');
  }
  yield Buffer.from(`--${BOUNDARY}--\r\n`);
}

export const multipartType = `multipart/form-data; boundary=${BOUNDARY}`;

/** SHA-256 of `size` bytes of `fill`, computed the way multipartBody generates them. */
export function generatedSha256(size: number, fill: number): string {
  const hash = createHash('sha256');
  const block = Buffer.alloc(1024 * 1024, fill);
  for (let left = size; left > 0; left -= block.length) hash.update(left >= block.length ? block : block.subarray(0, left));
  return hash.digest('hex');
}

export async function postMultipart(
  url: string,
  parts: readonly GeneratedPart[],
  headers: Record<string, string> = basic(),
  method: 'POST' | 'PUT' = 'POST',
): Promise<{ status: number; text: string; json: () => unknown }> {
  const response = await request(url, {
    method,
    headers: { ...headers, 'content-type': multipartType },
    body: Readable.from(multipartBody(parts)),
  });
  const text = await response.body.text();
  return { status: response.statusCode, text, json: () => JSON.parse(text) as unknown };
}

export function certificateParts(bytes: Buffer, passphrase = PASSPHRASE, fileName = 'mpns.p12'): GeneratedPart[] {
  return [
    { name: 'mpnsCert', filename: fileName, contentType: 'application/x-pkcs12', content: bytes },
    { name: 'mpnsCertPassPhrase', content: passphrase },
  ];
}

/** Files left in the emulator's upload folder (which exists only once an upload has been kept). */
export async function leftoverUploads(dataDir: string): Promise<string[]> {
  return readdir(join(dataDir, 'uploads')).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
}
