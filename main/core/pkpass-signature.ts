// The detached PKCS#7 signature over manifest.json. Parsed directly from ASN.1 (forge.pkcs7 only reads RSA
// certificates and does not expose signerInfos), verified with forge's RSA when the signer key is RSA; the signing
// certificate's validity and its pass type and team are checked against pass.json.
import forge from 'node-forge';
import type { CheckIssue, PassJsonSummary, PkpassSignerDetails } from '../../preload/contract';
import { assertNever } from './assert-never';
import { describeCertificate, fromDer, shortDate, toBinaryString, validityState } from './certificate-info';
import { errorIssue as error, warningIssue as warning } from './check-issues';
import type { PkpassArchive, PkpassEntry } from './pkpass-archive';

const DIGESTS: Record<string, 'sha1' | 'sha256' | 'sha384' | 'sha512'> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';

function kids(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  return node && Array.isArray(node.value) ? (node.value as forge.asn1.Asn1[]) : [];
}
function oidOf(node: forge.asn1.Asn1 | undefined): string | undefined {
  return node && node.type === forge.asn1.Type.OID && typeof node.value === 'string' ? forge.asn1.derToOid(node.value) : undefined;
}

interface ParsedSignature {
  certificates: forge.asn1.Asn1[];
  signer?: {
    serialHex: string;
    digestOid?: string;
    signedAttributes?: forge.asn1.Asn1;
    signature: string;
  };
}

function parseSignature(bytes: Uint8Array): ParsedSignature {
  const root = fromDer(toBinaryString(bytes), { strict: false, decodeBitStrings: false });
  const [typeNode, wrapped] = kids(root);
  if (oidOf(typeNode) !== OID_SIGNED_DATA) throw new Error('not PKCS#7 SignedData');
  const signedData = kids(wrapped)[0];
  const parts = kids(signedData);
  const certificates: forge.asn1.Asn1[] = [];
  let signerInfos: forge.asn1.Asn1 | undefined;
  for (const part of parts.slice(3)) {
    if (part.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && part.type === 0) certificates.push(...kids(part));
    else if (part.tagClass === forge.asn1.Class.UNIVERSAL && part.type === forge.asn1.Type.SET) signerInfos = part;
  }
  const result: ParsedSignature = { certificates };
  const info = kids(signerInfos)[0];
  if (info) {
    const fields = kids(info);
    const serialNode = kids(fields[1])[1];
    const digestOid = oidOf(kids(fields[2])[0]);
    let index = 3;
    let signedAttributes: forge.asn1.Asn1 | undefined;
    if (fields[3]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && fields[3].type === 0) {
      signedAttributes = fields[3];
      index = 4;
    }
    const signatureNode = fields[index + 1];
    result.signer = {
      serialHex: typeof serialNode?.value === 'string' ? forge.util.bytesToHex(serialNode.value) : '',
      signature: typeof signatureNode?.value === 'string' ? signatureNode.value : '',
    };
    if (digestOid) result.signer.digestOid = digestOid;
    if (signedAttributes) result.signer.signedAttributes = signedAttributes;
  }
  return result;
}

function digest(algorithm: 'sha1' | 'sha256' | 'sha384' | 'sha512', bytes: string): forge.md.MessageDigest {
  const md = forge.md[algorithm].create();
  md.update(bytes);
  return md;
}

function verifySignature(
  parsed: ParsedSignature,
  certificate: forge.asn1.Asn1,
  manifestBinary: string,
): { verified: boolean | 'unchecked'; digestAlgorithm?: string } {
  const signer = parsed.signer;
  const algorithm = signer?.digestOid ? DIGESTS[signer.digestOid] : undefined;
  if (!signer || !algorithm) return { verified: 'unchecked' };
  let publicKey: forge.pki.rsa.PublicKey;
  try {
    // forge's certificate reader needs BIT STRINGs decoded, which the signature parse turned off.
    const decoded = forge.asn1.fromDer(forge.asn1.toDer(certificate).getBytes());
    publicKey = forge.pki.certificateFromAsn1(decoded).publicKey as forge.pki.rsa.PublicKey;
  } catch {
    return { verified: 'unchecked', digestAlgorithm: algorithm };
  }
  const contentDigest = digest(algorithm, manifestBinary).digest().getBytes();
  let signed: forge.md.MessageDigest;
  if (signer.signedAttributes) {
    // With signed attributes, the messageDigest attribute must equal the content digest, and the signature covers
    // the attributes re-tagged as a SET (RFC 5652 section 5.4).
    const messageDigest = kids(signer.signedAttributes)
      .map((attribute) => kids(attribute))
      .find(([oid]) => oidOf(oid) === OID_MESSAGE_DIGEST)?.[1];
    const value = kids(messageDigest)[0]?.value;
    if (value !== contentDigest) return { verified: false, digestAlgorithm: algorithm };
    const asSet = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, kids(signer.signedAttributes));
    signed = digest(algorithm, forge.asn1.toDer(asSet).getBytes());
  } else {
    signed = digest(algorithm, manifestBinary);
  }
  try {
    return { verified: publicKey.verify(signed.digest().getBytes(), signer.signature), digestAlgorithm: algorithm };
  } catch {
    return { verified: false, digestAlgorithm: algorithm };
  }
}

export function checkSignature(
  archive: PkpassArchive,
  manifestEntry: PkpassEntry | undefined,
  summary: PassJsonSummary | undefined,
  now: Date,
  issues: CheckIssue[],
): PkpassSignerDetails | undefined {
  if (!archive.signature) return undefined;
  let parsed: ParsedSignature;
  try {
    parsed = parseSignature(archive.signature);
  } catch {
    issues.push(error('pkpass-signature-invalid', 'The signature file is not a PKCS#7 signature.', 'signature'));
    return undefined;
  }
  const described = parsed.certificates
    .map((certificate) => {
      try {
        return { certificate, info: describeCertificate(certificate, now) };
      } catch {
        return undefined;
      }
    })
    .filter((c) => c !== undefined);
  const serial = parsed.signer?.serialHex.toUpperCase().replace(/^(00)+(?=..)/, '');
  const signerCert = described.find((c) => c.info.serialNumber === serial) ?? described[0];
  if (!signerCert) {
    issues.push(error('pkpass-signature-invalid', 'The signature contains no signer certificate.', 'signature'));
    return undefined;
  }
  const info = signerCert.info;
  const details: PkpassSignerDetails = { ...info, verified: 'unchecked' };

  const manifestText = archive.texts['manifest.json'];
  if (manifestText !== undefined && manifestEntry) {
    const manifestBytes = new TextEncoder().encode(manifestText);
    const binary = toBinaryString(manifestBytes);
    // Only verify when the decoded text round-trips to the exact bytes that were hashed in the archive.
    const roundTrips = forge.md.sha1.create().update(binary).digest().toHex() === manifestEntry.sha1;
    if (roundTrips) {
      const outcome = verifySignature(parsed, signerCert.certificate, binary);
      details.verified = outcome.verified;
      if (outcome.digestAlgorithm) details.digestAlgorithm = outcome.digestAlgorithm;
      if (outcome.verified === false) {
        issues.push(
          error('pkpass-signature-mismatch', 'The signature does not match manifest.json: the pass was changed after signing, or signed with another key.', 'signature'),
        );
      }
    }
  }

  const validity = validityState(info, now);
  switch (validity) {
    case 'expired':
      issues.push(error('pkpass-signer-expired', `The signing certificate (${info.commonName ?? info.subject}) expired on ${shortDate(info.notAfter)}.`, 'signature'));
      break;
    case 'not-yet-valid':
      issues.push(error('pkpass-signer-not-yet-valid', `The signing certificate is not valid before ${shortDate(info.notBefore)}.`, 'signature'));
      break;
    case 'expiring-soon':
      issues.push(warning('pkpass-signer-expiring-soon', `The signing certificate expires on ${shortDate(info.notAfter)}, in ${info.daysLeft} days.`, 'signature'));
      break;
    case 'valid':
      break;
    default:
      assertNever(validity, 'validity state');
  }
  // Apple pass certificates carry the pass type id as UID and the team as OU; Wallet rejects a mismatch.
  const uid = info.subjectFields.UID;
  if (uid && summary?.passTypeIdentifier && uid !== summary.passTypeIdentifier) {
    issues.push(
      error('pkpass-signer-pass-type', `The pass is signed for ${uid} but pass.json says ${summary.passTypeIdentifier}.`, 'signature'),
    );
  }
  const team = info.subjectFields.OU;
  if (uid && team && summary?.teamIdentifier && team !== summary.teamIdentifier) {
    issues.push(
      warning('pkpass-signer-team', `The signing certificate belongs to team ${team} but pass.json says ${summary.teamIdentifier}.`, 'signature'),
    );
  }
  return details;
}
