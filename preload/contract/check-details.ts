// The `details` of each kind of CheckReport (checks.ts): what a local check found out about the file, JSON-safe so
// it crosses IPC as data. main/core builds them (and re-exports these types); the renderer and the CLI read them
// after narrowing the report on its kind.

/** X.509 facts shared by the .p12 check and the .pkpass signer check (main/core/certificate-info.ts). */
export interface CertificateInfo {
  /** "CN=..., O=..." in the certificate's own order. */
  subject: string;
  issuer: string;
  /** Common name of the subject, when it has one. */
  commonName?: string;
  /** Subject attributes by short name (CN, O, OU, UID...), first value wins. */
  subjectFields: Record<string, string>;
  /** Upper-case hex without DER sign padding, as `openssl x509 -serial` prints it. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  /** SHA-256 of the DER certificate, upper-case colon hex as `openssl x509 -fingerprint -sha256` prints it. */
  sha256Fingerprint: string;
}

/** `details` of a p12 CheckReport. Certificate fields describe the certificate that belongs to the private key. */
export interface Pkcs12Details extends Partial<CertificateInfo> {
  hasPrivateKey: boolean;
  certificateCount: number;
  /** Encryption and MAC algorithms found in the file, e.g. ["PBES2", "aes256-CBC", "hmacWithSHA256", "MAC sha256"]. */
  algorithms: string[];
  /** True when the file uses RC2, 3DES or a SHA-1 MAC (readable here, refused by some newer tools). */
  legacyEncryption: boolean;
  /** Set when the file uses PBES2/AES or an HMAC-SHA-2 MAC, which older Java servers refuse: the note to show. */
  modernEncryption?: string;
}

import type { NotificationChannel, PassStyle } from './constants';

export { PASS_STYLES, type PassStyle } from './constants';

export interface PassField {
  key: string;
  label?: string;
  value: string;
}

/** Everything the pass preview component needs, built from pass.json (never from the network). */
export interface PassPreviewModel {
  style: PassStyle;
  organizationName: string;
  description: string;
  logoText?: string;
  /** CSS colours (#rrggbb), converted from pass.json's "rgb(r, g, b)". */
  foregroundColor?: string;
  backgroundColor?: string;
  labelColor?: string;
  headerFields: PassField[];
  primaryFields: PassField[];
  secondaryFields: PassField[];
  auxiliaryFields: PassField[];
  images: { logo?: string; strip?: string; icon?: string; thumbnail?: string };
  barcode?: { format: string; message: string };
}

export interface PassJsonSummary {
  formatVersion?: unknown;
  passTypeIdentifier?: string;
  serialNumber?: string;
  teamIdentifier?: string;
  organizationName?: string;
  description?: string;
  style?: PassStyle;
}

export interface PkpassSignerDetails extends CertificateInfo {
  /** Digest algorithm of the signature, e.g. "sha256". */
  digestAlgorithm?: string;
  /** true: the signature covers this manifest.json; false: it does not; 'unchecked': key type not supported here. */
  verified: boolean | 'unchecked';
}

/** `details` of a pkpass CheckReport. */
export interface PkpassDetails {
  entryCount: number;
  totalUncompressedSize: number;
  passJson?: PassJsonSummary;
  preview?: PassPreviewModel;
  signer?: PkpassSignerDetails;
}

/** What a PNG's IHDR chunk says (main/core/png.ts reads it). */
export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
}

/** `details` of an image CheckReport. */
export interface ImageDetails extends Partial<PngInfo> {
  /** The role the image was checked against, e.g. "logo" or "strip@2x". */
  role?: string;
}

export { NOTIFICATION_CHANNELS, type NotificationChannel } from './constants';

/** `details` of a passContent CheckReport. */
export interface PassContentDetails {
  recipientCount: number;
  /** Channels whose notification is enabled, per list. */
  issueChannels: NotificationChannel[];
  updateChannels: NotificationChannel[];
  /** Where a JSON syntax error is (parsePassContentJson only). */
  syntax?: { line: number; column: number; offset: number };
}
