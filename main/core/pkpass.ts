// Validation of a .pkpass archive that an adapter has already read safely (main/checks/pkpass-reader.ts):
// manifest hashes, pass.json keys and style, images, the detached PKCS#7 signature, and a preview model built
// from pass.json. Pure: the archive arrives as data, so this also runs in the renderer and in benchmarks.
import forge from 'node-forge';
import type {
  CheckIssue,
  CheckReportOf,
  PassField,
  PassJsonSummary,
  PassPreviewModel,
  PassStyle,
  PkpassDetails,
  PkpassSignerDetails,
} from '../../preload/contract';
import { assertNever } from './assert-never';
import { describeCertificate, fromDer, shortDate, toBinaryString, validityState } from './certificate-info';
import { checkImage, parseImageName, PASS_STYLES, readPngInfo } from './png';

export type { PassField, PassJsonSummary, PassPreviewModel, PkpassDetails, PkpassSignerDetails } from '../../preload/contract';

export interface PkpassEntry {
  /** Entry name as stored in the zip (already checked for unsafe paths by the reader). */
  name: string;
  uncompressedSize: number;
  compressedSize: number;
  /** Lower-case hex SHA-1 of the inflated bytes; '' when the entry could not be read. */
  sha1: string;
  /** The first 64 inflated bytes (PNG header checks). */
  head: Uint8Array;
}

export interface PkpassImage {
  width: number;
  height: number;
  /** data:image/png;base64,... for small preview images (logo, strip, icon, thumbnail under 256 KB). */
  dataUrl?: string;
}

/** What the reader extracted from the zip; everything checkPkpass needs. */
export interface PkpassArchive {
  path: string;
  name: string;
  size: number;
  entries: PkpassEntry[];
  /** Small text files by entry name: pass.json, manifest.json, *.lproj/pass.strings. */
  texts: Record<string, string>;
  signature?: Uint8Array;
  /** PNG dimensions by entry name. */
  images: Record<string, PkpassImage>;
  /** Problems met while reading (unsafe paths, zip bombs, unreadable entries); copied into the report. */
  readErrors: CheckIssue[];
}

const REQUIRED_FILES = ['pass.json', 'manifest.json', 'signature'] as const;
const REQUIRED_KEYS = [
  'passTypeIdentifier',
  'serialNumber',
  'teamIdentifier',
  'organizationName',
  'description',
] as const;
const FIELD_AREAS = ['headerFields', 'primaryFields', 'secondaryFields', 'auxiliaryFields', 'backFields'] as const;
const FATAL_READ_CODES = new Set(['pkpass-not-zip', 'pkpass-too-many-entries']);

const DIGESTS: Record<string, 'sha1' | 'sha256' | 'sha384' | 'sha512'> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function error(code: string, message: string, path?: string): CheckIssue {
  return path === undefined ? { severity: 'error', code, message } : { severity: 'error', code, message, path };
}
function warning(code: string, message: string, path?: string): CheckIssue {
  return path === undefined ? { severity: 'warning', code, message } : { severity: 'warning', code, message, path };
}

/** Apple writes colours as "rgb(60, 65, 76)"; CSS wants them well-formed, so normalise to #rrggbb. */
export function passColorToCss(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const rgb = /^\s*rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+\s*)?\)\s*$/i.exec(value);
  const hex = (n: number) => Math.min(255, n).toString(16).padStart(2, '0');
  if (rgb) return `#${hex(Number(rgb[1]))}${hex(Number(rgb[2]))}${hex(Number(rgb[3]))}`;
  const short = /^\s*#([0-9a-f])([0-9a-f])([0-9a-f])\s*$/i.exec(value);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase();
  const long = /^\s*#([0-9a-f]{6})\s*$/i.exec(value);
  if (long) return `#${long[1]!.toLowerCase()}`;
  return undefined;
}

/** Parse an Apple .strings file ("key" = "value"; with C-style escapes and comments). */
export function parseStringsFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const pattern = /"((?:[^"\\]|\\.)*)"\s*=\s*"((?:[^"\\]|\\.)*)"\s*;/g;
  const unescape = (s: string) =>
    s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, c: string) =>
      c.length === 5 ? String.fromCharCode(parseInt(c.slice(1), 16)) : c === 'n' ? '\n' : c === 't' ? '\t' : c,
    );
  for (const match of withoutComments.matchAll(pattern)) result[unescape(match[1]!)] = unescape(match[2]!);
  return result;
}

function pickStrings(texts: Record<string, string>): Record<string, string> {
  const names = Object.keys(texts).filter((name) => /^[^/]+\.lproj\/pass\.strings$/.test(name));
  const chosen = names.find((name) => name.startsWith('en.lproj/')) ?? names.sort()[0];
  return chosen ? parseStringsFile(texts[chosen]!) : {};
}

function fieldsOf(area: unknown, strings: Record<string, string>): PassField[] {
  if (!Array.isArray(area)) return [];
  const fields: PassField[] = [];
  for (const raw of area) {
    if (!isRecord(raw) || typeof raw.key !== 'string') continue;
    const localise = (v: string) => strings[v] ?? v;
    const value = raw.value === undefined || raw.value === null ? '' : localise(String(raw.value));
    const field: PassField = { key: raw.key, value };
    if (typeof raw.label === 'string') field.label = localise(raw.label);
    fields.push(field);
  }
  return fields;
}

function previewImage(archive: PkpassArchive, role: string): string | undefined {
  for (const name of [`${role}@2x.png`, `${role}.png`, `${role}@3x.png`]) {
    const url = archive.images[name]?.dataUrl;
    if (url) return url;
  }
  return undefined;
}

function buildPreview(pass: Record<string, unknown>, style: PassStyle, archive: PkpassArchive): PassPreviewModel {
  const strings = pickStrings(archive.texts);
  const body = isRecord(pass[style]) ? pass[style] : {};
  const text = (v: unknown) => (typeof v === 'string' ? (strings[v] ?? v) : '');
  const model: PassPreviewModel = {
    style,
    organizationName: text(pass.organizationName),
    description: text(pass.description),
    headerFields: fieldsOf(body.headerFields, strings),
    primaryFields: fieldsOf(body.primaryFields, strings),
    secondaryFields: fieldsOf(body.secondaryFields, strings),
    auxiliaryFields: fieldsOf(body.auxiliaryFields, strings),
    images: {},
  };
  if (typeof pass.logoText === 'string') model.logoText = text(pass.logoText);
  const fg = passColorToCss(pass.foregroundColor);
  const bg = passColorToCss(pass.backgroundColor);
  const label = passColorToCss(pass.labelColor);
  if (fg) model.foregroundColor = fg;
  if (bg) model.backgroundColor = bg;
  if (label) model.labelColor = label;
  for (const role of ['logo', 'strip', 'icon', 'thumbnail'] as const) {
    const url = previewImage(archive, role);
    if (url) model.images[role] = url;
  }
  const barcodes = Array.isArray(pass.barcodes) ? pass.barcodes : isRecord(pass.barcode) ? [pass.barcode] : [];
  const first = barcodes.find(isRecord);
  if (first && typeof first.format === 'string' && typeof first.message === 'string') {
    model.barcode = { format: first.format, message: first.message };
  }
  return model;
}

function checkManifest(archive: PkpassArchive, files: Map<string, PkpassEntry>, issues: CheckIssue[]): void {
  const text = archive.texts['manifest.json'];
  if (text === undefined) return;
  let manifest: unknown;
  try {
    manifest = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    issues.push(error('pkpass-manifest-invalid', 'manifest.json is not valid JSON.', 'manifest.json'));
    return;
  }
  if (!isRecord(manifest)) {
    issues.push(error('pkpass-manifest-invalid', 'manifest.json must be an object of file name to SHA-1.', 'manifest.json'));
    return;
  }
  for (const [name, hash] of Object.entries(manifest)) {
    const entry = files.get(name);
    if (!entry) {
      issues.push(error('pkpass-manifest-missing', `${name} is listed in manifest.json but is not in the pass.`, name));
      continue;
    }
    if (typeof hash !== 'string' || !/^[0-9a-fA-F]{40}$/.test(hash)) {
      issues.push(error('pkpass-manifest-invalid', `The manifest hash of ${name} is not a SHA-1 hex string.`, name));
      continue;
    }
    if (entry.sha1 !== '' && entry.sha1 !== hash.toLowerCase()) {
      issues.push(
        error(
          'pkpass-manifest-mismatch',
          `${name} does not match its SHA-1 in manifest.json (the file changed after the pass was signed).`,
          name,
        ),
      );
    }
  }
  for (const name of files.keys()) {
    if (name === 'manifest.json' || name === 'signature') continue;
    if (!Object.hasOwn(manifest, name)) {
      issues.push(error('pkpass-manifest-extra', `${name} is in the pass but not in manifest.json; Wallet rejects the pass.`, name));
    }
  }
}

function checkPassJson(
  archive: PkpassArchive,
  issues: CheckIssue[],
): { pass?: Record<string, unknown>; style?: PassStyle; summary?: PassJsonSummary } {
  const text = archive.texts['pass.json'];
  if (text === undefined) return {};
  let pass: unknown;
  try {
    pass = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : '';
    issues.push(error('pkpass-pass-json-invalid', `pass.json is not valid JSON. ${reason}`.trim(), 'pass.json'));
    return {};
  }
  if (!isRecord(pass)) {
    issues.push(error('pkpass-pass-json-invalid', 'pass.json must be a JSON object.', 'pass.json'));
    return {};
  }
  const summary: PassJsonSummary = { formatVersion: pass.formatVersion };
  if (pass.formatVersion !== 1) {
    issues.push(
      error(
        'pkpass-pass-json-key',
        pass.formatVersion === undefined ? 'pass.json has no formatVersion (it must be 1).' : 'formatVersion must be the number 1.',
        'pass.json#formatVersion',
      ),
    );
  }
  for (const key of REQUIRED_KEYS) {
    const value = pass[key];
    if (typeof value === 'string' && value.trim() !== '') {
      summary[key] = value;
      continue;
    }
    issues.push(
      error(
        'pkpass-pass-json-key',
        value === undefined ? `pass.json has no ${key}.` : `${key} in pass.json must be a non-empty string.`,
        `pass.json#${key}`,
      ),
    );
  }
  if (summary.passTypeIdentifier && !summary.passTypeIdentifier.startsWith('pass.')) {
    issues.push(
      warning('pkpass-pass-type-id', 'passTypeIdentifier normally starts with "pass." (e.g. pass.com.example.card).', 'pass.json#passTypeIdentifier'),
    );
  }

  const styles = PASS_STYLES.filter((style) => pass[style] !== undefined);
  let style: PassStyle | undefined;
  if (styles.length === 0) {
    issues.push(error('pkpass-no-style', `pass.json has no pass style; add exactly one of ${PASS_STYLES.join(', ')}.`, 'pass.json'));
  } else if (styles.length > 1) {
    issues.push(error('pkpass-multiple-styles', `pass.json has more than one pass style (${styles.join(', ')}); keep exactly one.`, 'pass.json'));
  } else {
    style = styles[0]!;
    summary.style = style;
    const body = pass[style];
    if (!isRecord(body)) {
      issues.push(error('pkpass-pass-json-key', `${style} in pass.json must be an object.`, `pass.json#${style}`));
    } else {
      if (style === 'boardingPass' && typeof body.transitType !== 'string') {
        issues.push(error('pkpass-pass-json-key', 'A boarding pass needs a transitType (e.g. PKTransitTypeAir).', 'pass.json#boardingPass.transitType'));
      }
      checkFields(body, style, issues);
    }
  }
  for (const key of ['foregroundColor', 'backgroundColor', 'labelColor'] as const) {
    if (pass[key] !== undefined && passColorToCss(pass[key]) === undefined) {
      issues.push(warning('pkpass-color-invalid', `${key} "${String(pass[key])}" is not an rgb(r, g, b) colour; Wallet ignores it.`, `pass.json#${key}`));
    }
  }
  const result: { pass: Record<string, unknown>; style?: PassStyle; summary: PassJsonSummary } = { pass, summary };
  if (style) result.style = style;
  return result;
}

function checkFields(body: Record<string, unknown>, style: PassStyle, issues: CheckIssue[]): void {
  const keys = new Set<string>();
  for (const area of FIELD_AREAS) {
    const list = body[area];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      issues.push(error('pkpass-field-invalid', `${style}.${area} must be a list of fields.`, `pass.json#${style}.${area}`));
      continue;
    }
    list.forEach((field: unknown, index) => {
      const at = `pass.json#${style}.${area}.${index}`;
      if (!isRecord(field) || typeof field.key !== 'string' || field.key === '') {
        issues.push(error('pkpass-field-invalid', `Field ${index + 1} of ${area} has no key.`, at));
        return;
      }
      if (field.value === undefined || field.value === null) {
        issues.push(error('pkpass-field-invalid', `Field "${field.key}" in ${area} has no value.`, at));
      }
      if (keys.has(field.key)) {
        issues.push(error('pkpass-field-duplicate-key', `Field key "${field.key}" is used twice; keys must be unique in a pass.`, at));
      }
      keys.add(field.key);
    });
  }
}

function checkImages(archive: PkpassArchive, style: PassStyle | undefined, issues: CheckIssue[]): void {
  let hasIcon = false;
  for (const entry of archive.entries) {
    if (!entry.name.toLowerCase().endsWith('.png')) continue;
    const parsed = parseImageName(entry.name);
    const base = entry.name.slice(entry.name.lastIndexOf('/') + 1);
    if (!parsed) {
      if (!base.startsWith('personalizationLogo')) {
        issues.push(warning('pkpass-image-unknown', `${entry.name} is not an image name Wallet uses; it is ignored.`, entry.name));
      }
      continue;
    }
    if (parsed.role === 'icon') hasIcon = true;
    const role = `${parsed.role}@${parsed.scale}x`;
    const known = archive.images[entry.name];
    const info = readPngInfo(entry.head) ?? (known ? { width: known.width, height: known.height, bitDepth: 8, colorType: 6 } : undefined);
    const options = style ? { style, path: entry.name } : { path: entry.name };
    issues.push(...checkImage(role, info, entry.uncompressedSize, options));
  }
  if (!hasIcon) {
    issues.push(error('pkpass-missing-icon', 'The pass has no icon.png; Wallet will not open a pass without an icon.', 'icon.png'));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Detached PKCS#7 signature over manifest.json. Parsed directly from ASN.1 (forge.pkcs7 only reads RSA
// certificates and does not expose signerInfos), verified with forge's RSA when the signer key is RSA.

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

function checkSignature(
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

/** Validate an extracted .pkpass: structure, manifest, pass.json, images and signature; build the preview. */
export function checkPkpass(archive: PkpassArchive, now: Date = new Date()): CheckReportOf<'pkpass'> {
  const issues: CheckIssue[] = [...archive.readErrors];
  const details: PkpassDetails = {
    entryCount: archive.entries.length,
    totalUncompressedSize: archive.entries.reduce((sum, e) => sum + e.uncompressedSize, 0),
  };
  const finish = (): CheckReportOf<'pkpass'> => ({
    kind: 'pkpass',
    ok: !issues.some((i) => i.severity === 'error'),
    issues,
    file: { path: archive.path, name: archive.name, size: archive.size },
    details,
  });
  if (archive.readErrors.some((issue) => FATAL_READ_CODES.has(issue.code))) return finish();

  const files = new Map<string, PkpassEntry>();
  for (const entry of archive.entries) if (!entry.name.endsWith('/')) files.set(entry.name, entry);
  for (const name of REQUIRED_FILES) {
    if (!files.has(name)) {
      const why = name === 'signature' ? ' The pass must be signed before it is uploaded.' : '';
      issues.push(error('pkpass-missing-file', `The pass has no ${name}.${why}`, name));
    }
  }
  checkManifest(archive, files, issues);
  const { pass, style, summary } = checkPassJson(archive, issues);
  if (summary) details.passJson = summary;
  checkImages(archive, style, issues);
  const signer = checkSignature(archive, files.get('manifest.json'), summary, now, issues);
  if (signer) details.signer = signer;
  if (pass && style) details.preview = buildPreview(pass, style, archive);
  return finish();
}
