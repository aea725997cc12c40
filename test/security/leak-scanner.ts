// Looks for secrets where none may be: every file the app wrote and everything the renderer could reach (recorded
// by the e2e harness as JSON lines). A secret is searched in the forms a leak would take: as is, URL-encoded,
// JSON-escaped, base64 and base64url (alone and as the `user:password` of a Basic header), and hex.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

export type SecretKind = 'password' | 'api-key' | 'claims-token' | 'p12-passphrase' | 'keychain-secret';

export interface KnownSecret {
  kind: SecretKind;
  value: string;
}

export interface Needle {
  kind: SecretKind;
  encoding: string;
  bytes: Buffer;
}

export interface LeakHit {
  kind: SecretKind;
  encoding: string;
  /** File path (relative to the scanned root), or `recording:line source`. */
  where: string;
  /** A little text around the hit, the secret itself masked. */
  context: string;
}

/** Public by design (the built-in Sandbox's credentials, printed in the README), and too common a word to search. */
const PUBLIC_VALUES = new Set(['sandbox', 'sandbox-app-api-key']);
const MIN_LENGTH = 6;

export function isSearchable(value: string): boolean {
  return value.length >= MIN_LENGTH && !PUBLIC_VALUES.has(value);
}

/** The forms a secret can take in a file, a log line or a payload. */
export function needlesFor(secrets: readonly KnownSecret[], usernames: readonly string[] = []): Needle[] {
  const needles = new Map<string, Needle>();
  const add = (kind: SecretKind, encoding: string, text: string) => {
    if (!needles.has(text)) needles.set(text, { kind, encoding, bytes: Buffer.from(text, 'utf8') });
  };
  for (const { kind, value } of secrets) {
    if (!isSearchable(value)) continue;
    add(kind, 'plain', value);
    add(kind, 'url-encoded', encodeURIComponent(value));
    add(kind, 'form-encoded', new URLSearchParams({ v: value }).toString().slice(2));
    add(kind, 'json-escaped', JSON.stringify(value).slice(1, -1));
    add(kind, 'base64', Buffer.from(value).toString('base64').replace(/=+$/, ''));
    add(kind, 'base64url', Buffer.from(value).toString('base64url'));
    add(kind, 'hex', Buffer.from(value).toString('hex'));
    for (const user of usernames) {
      add(kind, `basic-auth base64(${user}:…)`, Buffer.from(`${user}:${value}`).toString('base64').replace(/=+$/, ''));
    }
  }
  return [...needles.values()];
}

function contextAround(buffer: Buffer, at: number, needle: Needle): string {
  const before = buffer.subarray(Math.max(0, at - 40), at).toString('utf8');
  const after = buffer.subarray(at + needle.bytes.length, at + needle.bytes.length + 40).toString('utf8');
  return `${before}[${needle.kind}]${after}`.replace(/\s+/g, ' ');
}

export function scanBuffer(where: string, buffer: Buffer, needles: readonly Needle[]): LeakHit[] {
  const hits: LeakHit[] = [];
  for (const needle of needles) {
    const at = buffer.indexOf(needle.bytes);
    if (at >= 0) hits.push({ kind: needle.kind, encoding: needle.encoding, where, context: contextAround(buffer, at, needle) });
  }
  return hits;
}

export interface TreeScan {
  files: number;
  bytes: number;
  hits: LeakHit[];
}

async function listFiles(dir: string, skip: (path: string) => boolean): Promise<string[]> {
  const names = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const files: string[] = [];
  for (const name of names) {
    const path = join(dir, String(name));
    if (skip(path)) continue;
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) files.push(path);
  }
  return files.sort();
}

/** Every file under `dir` (binary files too: the needles are searched as bytes), except those `skip` names. */
export async function scanTree(dir: string, needles: readonly Needle[], skip: (path: string) => boolean = () => false): Promise<TreeScan> {
  const result: TreeScan = { files: 0, bytes: 0, hits: [] };
  for (const file of await listFiles(dir, skip)) {
    const buffer = await readFile(file).catch(() => undefined);
    if (!buffer) continue;
    result.files++;
    result.bytes += buffer.length;
    result.hits.push(...scanBuffer(relative(dir, file), buffer, needles));
  }
  return result;
}

/** One thing the renderer saw: an IPC response, a push event, a console message, a page error, a DOM or storage snapshot. */
export interface RendererRecord {
  source: string;
  payload: unknown;
}

export interface RecordingScan {
  records: number;
  bySource: Record<string, number>;
  hits: LeakHit[];
}

/** Scans a JSON-lines recording of renderer-bound data, naming the record of each hit. */
export async function scanRecording(path: string, needles: readonly Needle[]): Promise<RecordingScan> {
  const result: RecordingScan = { records: 0, bySource: {}, hits: [] };
  const lines = (await readFile(path, 'utf8')).split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const record = JSON.parse(line) as RendererRecord;
    result.records++;
    result.bySource[record.source] = (result.bySource[record.source] ?? 0) + 1;
    // The record as the renderer had it: strings verbatim (not JSON-escaped twice), so every encoding is seen once.
    const text = typeof record.payload === 'string' ? record.payload : JSON.stringify(record.payload);
    result.hits.push(...scanBuffer(`${path}:${index + 1} ${record.source}`, Buffer.from(text ?? '', 'utf8'), needles));
  });
  return result;
}

export function describeHits(hits: readonly LeakHit[]): string {
  return hits.map((h) => `  ${h.kind} (${h.encoding}) in ${h.where}: …${h.context}…`).join('\n');
}
