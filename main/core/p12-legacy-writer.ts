// Writes a PKCS#12 file in the form older Java servers read (RFC 7292): the private key shrouded and the
// certificates encrypted with pbeWithSHAAnd3-KeyTripleDES-CBC, and an HMAC-SHA-1 MAC, all keyed by the PKCS#12 KDF
// over the passphrase as a BMPString. OpenSSL 3 and current Windows exports use PBES2/AES-256 and an HMAC-SHA-256
// MAC instead, which Java 8 before 8u301 refuses as "keystore password was incorrect".
// Pure: the DER is written here, the primitives (SHA-1, HMAC-SHA-1, 3DES-CBC, random bytes) are handed in, so the
// caller can use node:crypto (main/checks/p12-legacy-copy.ts) and tests can fix the random bytes.

/** The primitives the writer needs, as node:crypto provides them. */
export interface Pkcs12Primitives {
  sha1(data: Uint8Array): Uint8Array;
  hmacSha1(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** 3DES (EDE, three keys) in CBC mode with PKCS#7 padding. */
  tripleDesCbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  randomBytes(count: number): Uint8Array;
}

export interface LegacyPkcs12Input {
  /** The private key as PKCS#8 PrivateKeyInfo DER. */
  privateKeyInfo: Uint8Array;
  /** X.509 certificates as DER; the first is the key's own (it gets the key's localKeyId). */
  certificates: Uint8Array[];
  passphrase: string;
  /** Key-derivation rounds: 2,048 is what OpenSSL and Java write, within the reader's budget. */
  iterations?: number;
}

export const LEGACY_P12_ITERATIONS = 2048;

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
  keyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  sha1: '1.3.14.3.2.26',
} as const;

// ---- DER ------------------------------------------------------------------------------------------------------

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function tlv(tag: number, content: Uint8Array): Uint8Array {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  return concat([Uint8Array.from(header), content]);
}

const sequence = (...items: Uint8Array[]) => tlv(0x30, concat(items));
const set = (...items: Uint8Array[]) => tlv(0x31, concat(items));
const octets = (content: Uint8Array) => tlv(0x04, content);
/** [0] EXPLICIT (constructed, context-specific). */
const explicit0 = (inner: Uint8Array) => tlv(0xa0, inner);
const NULL = Uint8Array.from([0x05, 0x00]);

function integer(value: number): Uint8Array {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  if (bytes.length === 0 || (bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

function oid(dotted: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [40 * first + second];
  for (const arc of rest) {
    const groups: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) groups.unshift(0x80 | (value & 0x7f));
    bytes.push(...groups);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

// ---- The PKCS#12 key derivation (RFC 7292 appendix B.2), SHA-1 --------------------------------------------------

const KDF_KEY = 1;
const KDF_IV = 2;
const KDF_MAC = 3;
/** SHA-1's block size in bytes (v in RFC 7292). */
const V = 64;

/** The passphrase as the KDF takes it: BMPString (UTF-16 big-endian) with two zero bytes at the end. */
export function bmpPassword(passphrase: string): Uint8Array {
  const out = new Uint8Array(2 * passphrase.length + 2);
  for (let i = 0; i < passphrase.length; i++) {
    const unit = passphrase.charCodeAt(i);
    out[2 * i] = unit >> 8;
    out[2 * i + 1] = unit & 0xff;
  }
  return out;
}

function fill(source: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = source[i % source.length]!;
  return out;
}

/** n bytes of key material of kind `id` (1 key, 2 IV, 3 MAC key) from the password, salt and rounds. */
export function pkcs12Kdf(primitives: Pick<Pkcs12Primitives, 'sha1'>, password: Uint8Array, salt: Uint8Array, id: number, iterations: number, n: number): Uint8Array {
  const d = new Uint8Array(V).fill(id);
  const s = salt.length === 0 ? new Uint8Array(0) : fill(salt, V * Math.ceil(salt.length / V));
  const p = password.length === 0 ? new Uint8Array(0) : fill(password, V * Math.ceil(password.length / V));
  const i = concat([s, p]);
  const out: Uint8Array[] = [];
  let produced = 0;
  while (produced < n) {
    let a = primitives.sha1(concat([d, i]));
    for (let round = 1; round < iterations; round++) a = primitives.sha1(a);
    out.push(a);
    produced += a.length;
    if (produced >= n) break;
    const b = fill(a, V);
    // Each v-byte block of I becomes (block + B + 1) mod 2^(8v).
    for (let block = 0; block < i.length; block += V) {
      let carry = 1;
      for (let k = V - 1; k >= 0; k--) {
        const sum = i[block + k]! + b[k]! + carry;
        i[block + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return concat(out).subarray(0, n);
}

// ---- The file -------------------------------------------------------------------------------------------------

function pbeParams(salt: Uint8Array, iterations: number): Uint8Array {
  return sequence(oid(OID.pbeSha1TripleDes), sequence(octets(salt), integer(iterations)));
}

function encrypt3des(primitives: Pkcs12Primitives, password: Uint8Array, salt: Uint8Array, iterations: number, data: Uint8Array): Uint8Array {
  const key = pkcs12Kdf(primitives, password, salt, KDF_KEY, iterations, 24);
  const iv = pkcs12Kdf(primitives, password, salt, KDF_IV, iterations, 8);
  return primitives.tripleDesCbc(key, iv, data);
}

/**
 * The PKCS#12 file, as DER: certificates in one 3DES-encrypted SafeContents, the key in a 3DES-shrouded key bag,
 * both tied by a localKeyId (the SHA-1 of the key's certificate), and an HMAC-SHA-1 MAC over all of it.
 */
export function writeLegacyPkcs12(input: LegacyPkcs12Input, primitives: Pkcs12Primitives): Uint8Array {
  const iterations = input.iterations ?? LEGACY_P12_ITERATIONS;
  const password = bmpPassword(input.passphrase);
  const first = input.certificates[0];
  const localKeyId = first ? set(sequence(oid(OID.localKeyId), set(octets(primitives.sha1(first))))) : undefined;

  const certBags = input.certificates.map((der, index) =>
    sequence(
      oid(OID.certBag),
      explicit0(sequence(oid(OID.x509Certificate), explicit0(octets(der)))),
      ...(index === 0 && localKeyId ? [localKeyId] : []),
    ),
  );
  const certSalt = primitives.randomBytes(8);
  const certContents = sequence(...certBags);
  const encryptedCerts = encrypt3des(primitives, password, certSalt, iterations, certContents);
  const certsInfo = sequence(
    oid(OID.encryptedData),
    explicit0(
      sequence(
        integer(0),
        // encryptedContent is [0] IMPLICIT OCTET STRING: primitive, context-specific tag 0.
        sequence(oid(OID.data), pbeParams(certSalt, iterations), tlv(0x80, encryptedCerts)),
      ),
    ),
  );

  const keySalt = primitives.randomBytes(8);
  const shroudedKey = sequence(pbeParams(keySalt, iterations), octets(encrypt3des(primitives, password, keySalt, iterations, input.privateKeyInfo)));
  const keyContents = sequence(sequence(oid(OID.keyBag), explicit0(shroudedKey), ...(localKeyId ? [localKeyId] : [])));
  const keyInfo = sequence(oid(OID.data), explicit0(octets(keyContents)));

  const authenticatedSafe = sequence(certsInfo, keyInfo);
  const macSalt = primitives.randomBytes(8);
  const macKey = pkcs12Kdf(primitives, password, macSalt, KDF_MAC, iterations, 20);
  const mac = primitives.hmacSha1(macKey, authenticatedSafe);
  const macData = sequence(sequence(sequence(oid(OID.sha1), NULL), octets(mac)), octets(macSalt), integer(iterations));

  return sequence(integer(3), sequence(oid(OID.data), explicit0(octets(authenticatedSafe))), macData);
}
