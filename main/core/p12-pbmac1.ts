// PBMAC1 (RFC 9579): the PKCS#12 MAC keyed by PBKDF2 instead of the PKCS#12 KDF, as FIPS setups and OpenSSL 3.4+
// write. Read and verified before anything in the file is trusted (p12.ts).
import forge from 'node-forge';
import { integerValue, Pkcs12ReadError } from './p12-kdf-budget';


const PBMAC1_OID = '1.2.840.113549.1.5.14';
const PBKDF2_OID = '1.2.840.113549.1.5.12';
const HMAC_DIGESTS: Record<string, forge.md.Algorithm> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

interface Pbmac1 {
  salt: string;
  iterations: number;
  keyLength: number;
  prf: forge.md.Algorithm;
  hmac: forge.md.Algorithm;
  mac: string;
  content: string;
}

const children = (node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] => (Array.isArray(node?.value) ? node.value : []);
const oidOf = (node: forge.asn1.Asn1 | undefined): string | undefined =>
  node?.type === forge.asn1.Type.OID && typeof node.value === 'string' ? forge.asn1.derToOid(node.value) : undefined;
const octetsOf = (node: forge.asn1.Asn1 | undefined): string | undefined =>
  node?.type === forge.asn1.Type.OCTETSTRING && typeof node.value === 'string' ? node.value : undefined;

function unsupportedMac(what: string): Pkcs12ReadError {
  return new Pkcs12ReadError('p12-unsupported', `This PKCS#12 file uses a PBMAC1 integrity check with ${what}, which cannot be read. Export it again with the usual settings.`);
}

/** The PBMAC1 parameters of the file's MAC, or undefined when its MAC is the classic one (or absent). */
export function pbmac1Of(pfx: forge.asn1.Asn1): Pbmac1 | undefined {
  const [, authSafe, macData] = children(pfx);
  const [digestInfo] = children(macData);
  const [algorithm, digest] = children(digestInfo);
  const [macOid, params] = children(algorithm);
  if (oidOf(macOid) !== PBMAC1_OID) return undefined;
  const [kdf, scheme] = children(params);
  const [kdfOid, kdfParams] = children(kdf);
  if (oidOf(kdfOid) !== PBKDF2_OID) throw unsupportedMac(`the key derivation ${oidOf(kdfOid) ?? 'unknown'}`);
  const [salt, count, length, prf] = children(kdfParams);
  const prfOid = prf ? oidOf(children(prf)[0]) : '1.2.840.113549.2.7';
  const hmacOid = oidOf(children(scheme)[0]);
  const prfDigest = prfOid ? HMAC_DIGESTS[prfOid] : undefined;
  const hmacDigest = hmacOid ? HMAC_DIGESTS[hmacOid] : undefined;
  if (!prfDigest) throw unsupportedMac(`the PBKDF2 function ${prfOid ?? 'unknown'}`);
  if (!hmacDigest) throw unsupportedMac(`the MAC ${hmacOid ?? 'unknown'}`);
  const iterations = integerValue(count);
  const keyLength = integerValue(length);
  const saltBytes = octetsOf(salt);
  const mac = octetsOf(digest);
  const content = octetsOf(children(children(authSafe)[1])[0]);
  if (saltBytes === undefined || iterations === undefined || mac === undefined || content === undefined) throw unsupportedMac('damaged parameters');
  // RFC 9579 requires keyLength; 64 bytes is more than any HMAC here needs, so a larger one is no key at all.
  if (keyLength === undefined || keyLength < 1 || keyLength > 64) throw unsupportedMac(`a key length of ${keyLength ?? 'none'}`);
  return { salt: saltBytes, iterations, keyLength, prf: prfDigest, hmac: hmacDigest, mac, content };
}

/** The PFX without its MacData, for forge to open once the PBMAC1 MAC is verified. */
export function withoutMac(pfx: forge.asn1.Asn1): forge.asn1.Asn1 {
  return { ...pfx, value: children(pfx).slice(0, 2) };
}

export function pbmac1Verifies(params: Pbmac1, passphrase: string): boolean {
  // RFC 9579: the passphrase goes to PBKDF2 as UTF-8 (not the BMPString of the PKCS#12 KDF).
  const key = forge.pkcs5.pbkdf2(forge.util.encodeUtf8(passphrase), params.salt, params.iterations, params.keyLength, forge.md[params.prf].create());
  const hmac = forge.hmac.create();
  hmac.start(params.hmac, key);
  hmac.update(params.content);
  const mac = hmac.digest().getBytes();
  // Compared in full whatever differs first: a timing difference would say nothing useful here, but costs nothing.
  let diff = mac.length ^ params.mac.length;
  for (let i = 0; i < Math.min(mac.length, params.mac.length); i++) diff |= mac.charCodeAt(i) ^ params.mac.charCodeAt(i);
  return diff === 0;
}
