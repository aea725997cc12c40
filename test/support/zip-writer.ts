// A tiny zip writer for tests. Unlike the `zip` tool it writes hostile archives on purpose: names with "..",
// absolute paths and backslashes, duplicate names, and headers that lie about the uncompressed size.
import { createDeflateRaw, deflateRawSync } from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  /** Content; deflated unless method is 'store'. Ignored when `deflated` is given. */
  data?: Uint8Array | string;
  method?: 'deflate' | 'store';
  /** Pre-compressed content (e.g. from deflatedZeros) for entries too large to hold in memory uncompressed. */
  deflated?: DeflatedContent;
  /** Write this uncompressed size into the headers instead of the real one (zip bombs lie). */
  declaredUncompressedSize?: number;
}

export interface DeflatedContent {
  compressed: Uint8Array;
  uncompressedSize: number;
  crc32: number;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as zip uses it; pass the previous value to continue over several chunks. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let crc = previous ^ 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Raw-deflate `size` zero bytes without holding them all in memory (1 MB at a time). */
export async function deflatedZeros(size: number): Promise<DeflatedContent> {
  const chunk = new Uint8Array(Math.min(size, 1024 * 1024));
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  let crc = 0;
  let remaining = size;
  while (remaining > 0) {
    const piece = remaining >= chunk.length ? chunk : chunk.subarray(0, remaining);
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
    remaining -= piece.length;
  }
  deflate.end();
  await done;
  return { compressed: new Uint8Array(Buffer.concat(parts)), uncompressedSize: size, crc32: crc };
}

/** Build a zip archive (no zip64, no encryption) from the entries, in order. */
export function writeZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    let compressed: Uint8Array;
    let size: number;
    let crc: number;
    let method: number;
    if (entry.deflated) {
      compressed = entry.deflated.compressed;
      size = entry.deflated.uncompressedSize;
      crc = entry.deflated.crc32;
      method = 8;
    } else {
      const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : (entry.data ?? new Uint8Array());
      size = data.length;
      crc = crc32(data);
      method = entry.method === 'store' ? 0 : 8;
      compressed = method === 8 ? deflateRawSync(data) : data;
    }
    const declared = entry.declaredUncompressedSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, Buffer.from(compressed));

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(entry.name.endsWith('/') ? 0x41ed0010 : 0x81a40000, 38); // unix mode
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralBuffer = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBuffer.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBuffer, end]);
}
