// Local check of a PKCS#12 (.p12 / .pfx) file: passphrase, certificate facts, private key, validity.
// Pure JS (node-forge) on purpose: Electron's BoringSSL refuses the legacy RC2-40 / 3DES files that Windows and
// older tools still produce, and Node's TLS would behave differently from Electron's. forge reads both families.
import forge from 'node-forge';
import type { CheckIssue, CheckReportOf, Pkcs12Details } from '../../preload/contract';
import {
  describeCertificate,
  fromDer,
  EXPIRY_WARNING_DAYS,
  shortDate,
  toBinaryString,
  validityState,
  type CertificateInfo,
} from './certificate-info';
import { assertNever } from './assert-never';
import { integerValue, Pkcs12ReadError, refuseCostlyIterations, withKdfBudget } from './p12-kdf-budget';
import { pbmac1Of, pbmac1Verifies, withoutMac } from './p12-pbmac1';

export type { Pkcs12Details } from '../../preload/contract';
export { MAX_P12_KDF_ITERATIONS, MAX_P12_KDF_TOTAL_ITERATIONS, withKdfBudget } from './p12-kdf-budget';
export { looksLikePkcs12, PKCS12_HEAD_BYTES } from './p12-shape';

const ALGORITHM_NAMES: Record<string, string> = {
  '1.2.840.113549.1.12.1.1': 'pbeWithSHAAnd128BitRC4',
  '1.2.840.113549.1.12.1.2': 'pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.12.1.3': 'pbeWithSHAAnd3-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.4': 'pbeWithSHAAnd2-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.5': 'pbeWithSHAAnd128BitRC2-CBC',
  '1.2.840.113549.1.12.1.6': 'pbeWithSHAAnd40BitRC2-CBC',
  '1.2.840.113549.1.5.13': 'PBES2',
  '2.16.840.1.101.3.4.1.2': 'aes128-CBC',
  '2.16.840.1.101.3.4.1.22': 'aes192-CBC',
  '2.16.840.1.101.3.4.1.42': 'aes256-CBC',
  '1.2.840.113549.3.7': 'des-EDE3-CBC',
  '1.2.840.113549.2.7': 'hmacWithSHA1',
  '1.2.840.113549.2.8': 'hmacWithSHA224',
  '1.2.840.113549.2.9': 'hmacWithSHA256',
  '1.2.840.113549.2.10': 'hmacWithSHA384',
  '1.2.840.113549.2.11': 'hmacWithSHA512',
};
const MAC_NAMES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.2.840.113549.2.5': 'md5',
  '1.2.840.113549.1.5.14': 'PBMAC1',
};
const LEGACY = /RC2|RC4|TripleDES|^MAC (sha1|md5)$/;

type ForgeP12 = forge.pkcs12.Pkcs12Pfx;

/**
 * forge derives PBES2 (PBKDF2) keys from the passphrase string one char per byte, while OpenSSL 3 and Windows
 * feed PBKDF2 the UTF-8 bytes; the PKCS#12 KDF (MAC, RC2, 3DES) correctly uses BMPString. Both come from the same
 * argument inside pkcs12FromAsn1, so for the duration of one synchronous call the PBES2 entry point gets the
 * UTF-8 form. Identical for ASCII passphrases; fixes "secrét" on OpenSSL 3 default files. node_modules untouched.
 */
function withUtf8Pbes2<T>(run: () => T): T {
  type Pbes2 = (oid: string, params: unknown, password: string) => unknown;
  const pbe = (forge.pki as unknown as { pbe: unknown }).pbe as { getCipherForPBES2: Pbes2 };
  const original = pbe.getCipherForPBES2;
  pbe.getCipherForPBES2 = (oid, params, password) => original.call(pbe, oid, params, forge.util.encodeUtf8(password));
  try {
    return run();
  } finally {
    pbe.getCipherForPBES2 = original;
  }
}

const NOT_PKCS12 = 'This is not a PKCS#12 (.p12 / .pfx) file. Choose the certificate exported as .p12 or .pfx.';

/** Bytes the outer DER SEQUENCE says the file holds (header included), or undefined when the header is unusual. */
function declaredDerLength(bytes: Uint8Array): number | undefined {
  const first = bytes[1];
  if (first === undefined) return undefined;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || bytes.length < 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[2 + i] ?? 0);
  return 2 + count + length;
}

function parseAsn1(bytes: Uint8Array): forge.asn1.Asn1 {
  if (bytes.length < 16 || bytes[0] !== 0x30) {
    throw new Pkcs12ReadError('p12-not-pkcs12', NOT_PKCS12);
  }
  // A cut-off copy fails later as a bad MAC, which would wrongly blame the passphrase.
  const declared = declaredDerLength(bytes);
  if (declared !== undefined && declared > bytes.length) {
    throw new Pkcs12ReadError(
      'p12-not-pkcs12',
      `The certificate file is incomplete (${bytes.length} of ${declared} bytes): it was cut off while being copied or downloaded. Copy or export it again.`,
    );
  }
  try {
    return fromDer(toBinaryString(bytes), { strict: false, parseAllBytes: false, decodeBitStrings: false });
  } catch {
    throw new Pkcs12ReadError('p12-not-pkcs12', NOT_PKCS12);
  }
}

function openPkcs12(asn1: forge.asn1.Asn1, passphrase: string): ForgeP12 {
  refuseCostlyIterations(asn1);
  const pbmac1 = pbmac1Of(asn1);
  // forge knows only the classic MAC: a PBMAC1 one (RFC 9579) is verified here, then forge opens the file without it.
  const opened = pbmac1 ? withoutMac(asn1) : asn1;
  const attempt = (password: string | null): ForgeP12 =>
    withUtf8Pbes2(() => forge.pkcs12.pkcs12FromAsn1(opened, false, password as string));
  try {
    return withKdfBudget(() => {
      if (pbmac1 && !pbmac1Verifies(pbmac1, passphrase)) {
        // The MAC and the contents are keyed by the same passphrase: contents that open with it mean a MAC that
        // was changed, not a wrong passphrase.
        let opensAnyway = false;
        try {
          opensAnyway = readBags(attempt(passphrase)).keys.length > 0;
        } catch {
          opensAnyway = false;
        }
        if (opensAnyway) {
          throw new Pkcs12ReadError(
            'p12-integrity',
            "The certificate file's integrity check (PBMAC1) fails, although the passphrase opens it: the file was changed after it was exported. Export the certificate again.",
          );
        }
        throw new Error('Invalid password?');
      }
      try {
        return attempt(passphrase);
      } catch (error) {
        // OpenSSL computes the MAC of an empty passphrase either over "" or over no password at all; try both.
        if (passphrase === '' && isPassphraseError(error)) return attempt(null);
        throw error;
      }
    });
  } catch (error) {
    if (error instanceof Pkcs12ReadError) throw error;
    if (isPassphraseError(error)) {
      throw new Pkcs12ReadError(
        'p12-wrong-passphrase',
        'The passphrase is wrong for this certificate file. Enter the passphrase that was set when the certificate was exported.',
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/unsupported|not supported/i.test(message)) {
      throw new Pkcs12ReadError('p12-unsupported', `This PKCS#12 file uses a feature that cannot be read: ${message}`);
    }
    throw new Pkcs12ReadError('p12-not-pkcs12', `This is not a readable PKCS#12 (.p12 / .pfx) file: ${message}`);
  }
}

function isPassphraseError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  // MAC mismatch, or (files without MAC) a decryption that yields bad padding / garbage.
  return /MAC could not be verified|Invalid password|wrong password|Failed to decrypt|Too few bytes|Unparsed DER/i.test(
    message,
  );
}

/** Algorithms named in the outer structure; the encrypted parts are not needed for this. */
function collectAlgorithms(pfx: forge.asn1.Asn1): string[] {
  const found = new Set<string>();
  const visit = (node: forge.asn1.Asn1, depth: number): void => {
    if (depth > 40) return;
    if (node.type === forge.asn1.Type.OID && typeof node.value === 'string' && node.tagClass === forge.asn1.Class.UNIVERSAL) {
      const name = ALGORITHM_NAMES[forge.asn1.derToOid(node.value)];
      if (name) found.add(name);
      return;
    }
    if (Array.isArray(node.value)) {
      for (const child of node.value) visit(child, depth + 1);
      return;
    }
    // authSafe and SafeContents are DER inside OCTET STRINGs; encrypted content is [0] and is skipped.
    if (
      node.type === forge.asn1.Type.OCTETSTRING &&
      node.tagClass === forge.asn1.Class.UNIVERSAL &&
      typeof node.value === 'string' &&
      node.value.charCodeAt(0) === 0x30
    ) {
      try {
        visit(fromDer(node.value, { strict: false, parseAllBytes: false }), depth + 1);
      } catch {
        // Not nested DER: nothing to collect.
      }
    }
  };
  const parts = Array.isArray(pfx.value) ? pfx.value : [];
  if (parts[1]) visit(parts[1], 0);
  const algorithms = [...found];
  // MacData: SEQUENCE { DigestInfo { AlgorithmIdentifier { OID } } ... }
  const macOid = (parts[2]?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value as forge.asn1.Asn1[] | undefined;
  const oidNode = (macOid?.[0]?.value as forge.asn1.Asn1[] | undefined)?.[0];
  if (oidNode && typeof oidNode.value === 'string') {
    const oid = forge.asn1.derToOid(oidNode.value);
    algorithms.push(`MAC ${MAC_NAMES[oid] ?? oid}`);
  } else {
    algorithms.push('no MAC');
  }
  return algorithms;
}

/**
 * The modern protection a file uses that Java 8 (before 8u301) and older servers cannot read, in words ("AES-256
 * (PBES2) and an HMAC-SHA-256 MAC"), or undefined for the classic PKCS#12 algorithms.
 */
export function modernProtection(algorithms: string[]): string | undefined {
  const parts: string[] = [];
  const aes = algorithms.find((name) => /^aes\d+/.test(name));
  if (aes) parts.push(`${aes.replace(/^aes(\d+).*/, 'AES-$1')} (PBES2)`);
  else if (algorithms.includes('PBES2')) parts.push('PBES2 encryption');
  const mac = /^MAC (sha(\d+))$/.exec(algorithms.find((name) => /^MAC sha(224|256|384|512)$/.test(name)) ?? '');
  if (mac) parts.push(`an HMAC-SHA-${mac[2]} MAC`);
  if (algorithms.includes('MAC PBMAC1')) parts.push('a PBMAC1 (RFC 9579) MAC');
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** What the check says about a file with modern protection: who refuses it, how, and what to do. */
export function modernEncryptionNote(protection: string): string {
  return `This file is protected with ${protection}, as OpenSSL 3 and current Windows exports are. Older Java-based servers cannot read that and refuse the upload with "keystore password was incorrect", even with the right passphrase. If the server refuses it so, upload a compatible copy (3DES, SHA-1 MAC, same passphrase): engagement-desk p12 legacy FILE COPY.p12.`;
}

interface Bags {
  certificates: Array<{ asn1: forge.asn1.Asn1; rsaModulus?: string }>;
  keys: Array<{ rsaModulus?: string }>;
}

function readBags(p12: ForgeP12): Bags {
  const bags = p12.getBags({ bagType: forge.pki.oids.certBag! });
  const shrouded = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! });
  const plain = p12.getBags({ bagType: forge.pki.oids.keyBag! });
  const certificates: Bags['certificates'] = [];
  for (const bag of bags[forge.pki.oids.certBag!] ?? []) {
    // forge parses RSA certificates (bag.cert) and leaves others as ASN.1 (bag.asn1).
    const raw = bag as unknown as { cert?: forge.pki.Certificate | null; asn1?: forge.asn1.Asn1 };
    if (raw.cert) {
      const modulus = (raw.cert.publicKey as forge.pki.rsa.PublicKey | undefined)?.n?.toString(16);
      certificates.push({ asn1: forge.pki.certificateToAsn1(raw.cert), ...(modulus ? { rsaModulus: modulus } : {}) });
    } else if (raw.asn1) {
      certificates.push({ asn1: raw.asn1 });
    }
  }
  const keys: Bags['keys'] = [];
  for (const bag of [...(shrouded[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []), ...(plain[forge.pki.oids.keyBag!] ?? [])]) {
    const raw = bag as unknown as { key?: forge.pki.rsa.PrivateKey | null; asn1?: unknown };
    if (raw.key || raw.asn1) keys.push(raw.key?.n ? { rsaModulus: raw.key.n.toString(16) } : {});
  }
  return { certificates, keys };
}

/**
 * Whether this passphrase opens the file, and if not, why (for callers that only need the verdict). 'integrity':
 * a PKCS#12 whose contents open with the passphrase but whose MAC does not match (changed after it was exported).
 */
export function pkcs12OpenResult(bytes: Uint8Array, passphrase: string): 'ok' | 'not-pkcs12' | 'wrong-passphrase' | 'integrity' | 'unsupported' {
  try {
    openPkcs12(parseAsn1(bytes), passphrase);
    return 'ok';
  } catch (error) {
    if (!(error instanceof Pkcs12ReadError)) return 'not-pkcs12';
    switch (error.code) {
      case 'p12-wrong-passphrase':
        return 'wrong-passphrase';
      case 'p12-integrity':
        return 'integrity';
      case 'p12-unsupported':
        return 'unsupported';
      case 'p12-not-pkcs12':
        return 'not-pkcs12';
      default:
        return assertNever(error.code, 'PKCS#12 read error');
    }
  }
}

/** True when the bytes are a PKCS#12 file that this passphrase opens (MAC and decryption succeed). */
export function pkcs12OpensWith(bytes: Uint8Array, passphrase: string): boolean {
  return pkcs12OpenResult(bytes, passphrase) === 'ok';
}

/** PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData OPTIONAL }: told without deriving any key. */
function refuseUnlessPfxShape(pfx: forge.asn1.Asn1): void {
  const parts = Array.isArray(pfx.value) ? pfx.value : [];
  const contentType = Array.isArray(parts[1]?.value) ? parts[1].value[0] : undefined;
  if (integerValue(parts[0]) !== 3 || contentType?.type !== forge.asn1.Type.OID) {
    throw new Pkcs12ReadError('p12-not-pkcs12', NOT_PKCS12);
  }
}

/**
 * Check a .p12 / .pfx file: opens with the passphrase, has a key and a certificate, and the certificate is valid now.
 * Without a passphrase nothing is derived: the file's shape and iteration counts are checked and the passphrase asked.
 */
export function inspectPkcs12(bytes: Uint8Array, passphrase: string | undefined, now: Date = new Date()): CheckReportOf<'p12'> {
  const issues: CheckIssue[] = [];
  const report = (details?: Pkcs12Details): CheckReportOf<'p12'> => {
    const result: CheckReportOf<'p12'> = { kind: 'p12', ok: !issues.some((i) => i.severity === 'error'), issues };
    if (details) result.details = details;
    return result;
  };

  let asn1: forge.asn1.Asn1;
  let p12: ForgeP12;
  try {
    asn1 = parseAsn1(bytes);
    if (passphrase === undefined) {
      refuseUnlessPfxShape(asn1);
      refuseCostlyIterations(asn1);
      issues.push({ severity: 'info', code: 'p12-passphrase-needed', message: 'Enter the passphrase to check the certificate.' });
      return report();
    }
    p12 = openPkcs12(asn1, passphrase);
  } catch (error) {
    if (error instanceof Pkcs12ReadError) {
      issues.push({ severity: 'error', code: error.code, message: error.message });
      return report();
    }
    throw error;
  }

  const algorithms = collectAlgorithms(asn1);
  const { certificates, keys } = readBags(p12);
  const details: Pkcs12Details = {
    hasPrivateKey: keys.length > 0,
    certificateCount: certificates.length,
    algorithms,
    legacyEncryption: algorithms.some((name) => LEGACY.test(name)),
  };
  // A note, not an issue: the file is fine for current servers, and the check cannot know which one it goes to.
  const modern = modernProtection(algorithms);
  if (modern) details.modernEncryption = modernEncryptionNote(modern);

  if (certificates.length === 0) {
    issues.push({
      severity: 'error',
      code: 'p12-no-certificate',
      message: 'The file contains no certificate. Export the certificate together with its private key.',
    });
  }
  if (keys.length === 0) {
    issues.push({
      severity: 'error',
      code: 'p12-no-private-key',
      message: 'The file contains no private key. Export it again with the private key included.',
    });
  }

  // The certificate that matters is the one whose public key matches the private key; else the first one.
  const keyModulus = keys.find((key) => key.rsaModulus)?.rsaModulus;
  const chosen =
    (keyModulus ? certificates.find((cert) => cert.rsaModulus === keyModulus) : undefined) ?? certificates[0];
  if (keyModulus && certificates.length > 0 && !certificates.some((cert) => cert.rsaModulus === keyModulus)) {
    issues.push({
      severity: 'error',
      code: 'p12-key-mismatch',
      message: 'The private key does not belong to any certificate in the file.',
    });
  }

  if (chosen) {
    let info: CertificateInfo;
    try {
      info = describeCertificate(chosen.asn1, now);
    } catch (error) {
      issues.push({
        severity: 'error',
        code: 'p12-no-certificate',
        message: `The certificate in the file cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      });
      return report(details);
    }
    Object.assign(details, info);
    const validity = validityState(info, now);
    switch (validity) {
      case 'expired':
        issues.push({
          severity: 'error',
          code: 'p12-expired',
          message: `The certificate expired on ${shortDate(info.notAfter)} (${-info.daysLeft} days ago).`,
        });
        break;
      case 'not-yet-valid':
        issues.push({
          severity: 'error',
          code: 'p12-not-yet-valid',
          message: `The certificate is not valid before ${shortDate(info.notBefore)}.`,
        });
        break;
      case 'expiring-soon':
        issues.push({
          severity: 'warning',
          code: 'p12-expiring-soon',
          message: `The certificate expires on ${shortDate(info.notAfter)}, in ${info.daysLeft} days (less than ${EXPIRY_WARNING_DAYS}).`,
        });
        break;
      case 'valid':
        break;
      default:
        assertNever(validity, 'validity state');
    }
  }
  return report(details);
}

/** What a compatible copy is made of: the private key (PKCS#8 DER) and the certificates (DER), the key's own first. */
export interface Pkcs12Contents {
  privateKeyInfo: Uint8Array;
  certificates: Uint8Array[];
  /** The algorithms the file names (as the check reports them). */
  algorithms: string[];
}

const toBytes = (binary: string): Uint8Array => Uint8Array.from(binary, (c) => c.charCodeAt(0));

/**
 * The key and certificates of a file this passphrase opens, for writing them again in another form. Throws
 * Pkcs12ReadError (not PKCS#12, wrong passphrase, unsupported) like the check, or when there is not exactly one key.
 */
export function readPkcs12Contents(bytes: Uint8Array, passphrase: string): Pkcs12Contents {
  const asn1 = parseAsn1(bytes);
  refuseUnlessPfxShape(asn1);
  const p12 = openPkcs12(asn1, passphrase);
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ] as unknown as Array<{ key?: forge.pki.rsa.PrivateKey | null; asn1?: forge.asn1.Asn1 }>;
  if (keyBags.length !== 1) {
    throw new Pkcs12ReadError(
      'p12-unsupported',
      keyBags.length === 0
        ? 'The file contains no private key, so no copy for the server can be made. Export it again with the private key included.'
        : `The file contains ${keyBags.length} private keys; a copy is made of a file with one. Export the one certificate the server needs.`,
    );
  }
  const bag = keyBags[0]!;
  // forge reads RSA keys; any other key is left as its PrivateKeyInfo, which is what is written again.
  const keyInfo = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
  if (!keyInfo) throw new Pkcs12ReadError('p12-unsupported', 'The private key in the file cannot be read.');
  const { certificates, keys } = readBags(p12);
  const modulus = keys[0]?.rsaModulus;
  const own = certificates.findIndex((cert) => modulus !== undefined && cert.rsaModulus === modulus);
  const ordered = own > 0 ? [certificates[own]!, ...certificates.filter((_, i) => i !== own)] : certificates;
  return {
    privateKeyInfo: toBytes(forge.asn1.toDer(keyInfo).getBytes()),
    certificates: ordered.map((cert) => toBytes(forge.asn1.toDer(cert.asn1).getBytes())),
    algorithms: collectAlgorithms(asn1),
  };
}
