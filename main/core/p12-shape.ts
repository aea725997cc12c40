// Whether a file has the shape of a PKCS#12 file, from its first DER headers only (no passphrase, no parsing of
// the rest): a downloaded certificate is checked with it before "Saved" is said.

/** The DER of OID 1.2.840.113549.1.7.1 (pkcs7-data), the content type of a PFX's authSafe. */
const PKCS7_DATA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
/** Bytes of a file looksLikePkcs12 needs to see: its first few DER headers. */
export const PKCS12_HEAD_BYTES = 64;

/** One DER header at `at`: its tag, the content's length (undefined: BER's indefinite length) and where content starts. */
function derHeader(bytes: Uint8Array, at: number): { tag: number; length: number | undefined; content: number } | undefined {
  const tag = bytes[at];
  const first = bytes[at + 1];
  if (tag === undefined || first === undefined) return undefined;
  if (first < 0x80) return { tag, length: first, content: at + 2 };
  if (first === 0x80) return { tag, length: undefined, content: at + 2 };
  const count = first & 0x7f;
  if (count > 4 || bytes.length < at + 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[at + 2 + i]!;
  return { tag, length, content: at + 2 + count };
}

/**
 * Whether a file starting with `head` (its first PKCS12_HEAD_BYTES or more) and `size` bytes long has the shape of a
 * PKCS#12 file: one SEQUENCE spanning the whole file, version 3, then a ContentInfo of type pkcs7-data. Reads
 * headers only, no passphrase: a downloaded certificate is checked with it before "Saved" is said (issue #18).
 */
export function looksLikePkcs12(head: Uint8Array, size: number): boolean {
  const outer = derHeader(head, 0);
  if (!outer || outer.tag !== 0x30) return false;
  if (outer.length !== undefined && outer.content + outer.length !== size) return false;
  const version = derHeader(head, outer.content);
  if (!version || version.tag !== 0x02 || version.length !== 1 || head[version.content] !== 3) return false;
  const authSafe = derHeader(head, version.content + 1);
  if (!authSafe || authSafe.tag !== 0x30) return false;
  return PKCS7_DATA_OID.every((byte, i) => head[authSafe.content + i] === byte);
}
