// X.509 facts shared by the .p12 check and the .pkpass signer check. Reads the certificate's ASN.1 directly
// instead of forge's certificateFromAsn1, which refuses every key type except RSA (an EC pass-signing or MPNS
// certificate would otherwise be "unreadable").
import forge from 'node-forge';
import type { CertificateInfo } from '../../preload/contract';

export type { CertificateInfo } from '../../preload/contract';

const DAY_MS = 86_400_000;
/** Certificates expiring within this many days get a warning. */
export const EXPIRY_WARNING_DAYS = 30;

// Short names forge does not know; UID carries the pass type identifier in Apple pass certificates.
const EXTRA_SHORT_NAMES: Record<string, string> = {
  '0.9.2342.19200300.100.1.1': 'UID',
  '2.5.4.5': 'serialNumber',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** Uint8Array -> forge binary string (one char per byte). */
export function toBinaryString(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x2000) {
    out += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 0x2000)));
  }
  return out;
}

export interface DerOptions {
  strict?: boolean;
  parseAllBytes?: boolean;
  decodeBitStrings?: boolean;
}

/** forge.asn1.fromDer accepts an options object at runtime; @types/node-forge only declares the boolean form. */
export function fromDer(binary: string, options: DerOptions): forge.asn1.Asn1 {
  return (forge.asn1.fromDer as unknown as (bytes: string, options: DerOptions) => forge.asn1.Asn1)(binary, options);
}

interface NameAttribute {
  type: string;
  shortName?: string;
  name?: string;
  value: unknown;
}

function readName(node: forge.asn1.Asn1): { text: string; fields: Record<string, string> } {
  const attributes = (
    forge.pki as unknown as { RDNAttributesAsArray(rdn: forge.asn1.Asn1): NameAttribute[] }
  ).RDNAttributesAsArray(node);
  const fields: Record<string, string> = {};
  const parts = attributes.map((attribute) => {
    const key = attribute.shortName ?? EXTRA_SHORT_NAMES[attribute.type] ?? attribute.name ?? attribute.type;
    const value = typeof attribute.value === 'string' ? decodeUtf8Safe(attribute.value) : String(attribute.value);
    if (!(key in fields)) fields[key] = value;
    return `${key}=${value}`;
  });
  return { text: parts.join(', '), fields };
}

/** forge returns UTF8String values as raw bytes; decode them, keeping Latin-1 text that is not valid UTF-8. */
function decodeUtf8Safe(value: string): string {
  try {
    return forge.util.decodeUtf8(value);
  } catch {
    return value;
  }
}

function readTime(node: forge.asn1.Asn1 | undefined): Date {
  if (!node || typeof node.value !== 'string') throw new Error('Certificate validity is missing.');
  if (node.type === forge.asn1.Type.UTCTIME) return forge.asn1.utcTimeToDate(node.value);
  if (node.type === forge.asn1.Type.GENERALIZEDTIME) return forge.asn1.generalizedTimeToDate(node.value);
  throw new Error('Certificate validity has an unknown time type.');
}

function children(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  return node && Array.isArray(node.value) ? (node.value as forge.asn1.Asn1[]) : [];
}

function colonHex(binary: string): string {
  const hex = forge.util.bytesToHex(binary).toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

/** Facts about a certificate given as parsed ASN.1 (Certificate SEQUENCE). Throws when the structure is wrong. */
export function describeCertificate(certificate: forge.asn1.Asn1, now: Date): CertificateInfo {
  const tbs = children(certificate)[0];
  const fields = children(tbs);
  // TBSCertificate: [0] version is optional, so find the serial after it.
  let index = 0;
  if (fields[0] && fields[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC) index = 1;
  const serial = fields[index];
  const issuer = fields[index + 2];
  const validity = children(fields[index + 3]);
  const subject = fields[index + 4];
  if (!serial || typeof serial.value !== 'string' || !issuer || !subject || validity.length < 2) {
    throw new Error('Not an X.509 certificate.');
  }
  const notBefore = readTime(validity[0]);
  const notAfter = readTime(validity[1]);
  const subjectName = readName(subject);
  let serialHex = forge.util.bytesToHex(serial.value).toUpperCase();
  while (serialHex.length > 2 && serialHex.startsWith('00')) serialHex = serialHex.slice(2);
  const der = forge.asn1.toDer(certificate).getBytes();
  const info: CertificateInfo = {
    subject: subjectName.text,
    issuer: readName(issuer).text,
    subjectFields: subjectName.fields,
    serialNumber: serialHex,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
    sha256Fingerprint: colonHex(forge.md.sha256.create().update(der).digest().getBytes()),
  };
  if (subjectName.fields.CN !== undefined) info.commonName = subjectName.fields.CN;
  return info;
}

export type ValidityState = 'valid' | 'expired' | 'not-yet-valid' | 'expiring-soon';

export function validityState(info: CertificateInfo, now: Date): ValidityState {
  if (now.getTime() > Date.parse(info.notAfter)) return 'expired';
  if (now.getTime() < Date.parse(info.notBefore)) return 'not-yet-valid';
  if (Date.parse(info.notAfter) - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) return 'expiring-soon';
  return 'valid';
}

/** "2026-03-01" for messages. */
export function shortDate(iso: string): string {
  return iso.slice(0, 10);
}
