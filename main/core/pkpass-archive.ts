// What main/checks/pkpass-reader.ts extracts from a .pkpass zip: the data every pure pass check works on.
import type { CheckIssue } from '../../preload/contract';

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
