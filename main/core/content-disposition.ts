// The download's file name: from Content-Disposition when the server sends one, made safe to use as a single
// file name on every OS, else <appId>-mpns.p12 (engagement-api.md Decision 3). The server does not choose what the
// saved file looks like (issue #18 point 3): the name is plain and visible, ends in .p12 and fits every file system.

import { decodeExtended, parse } from 'content-disposition';

/** Windows device names, whatever follows the first dot (`CON.p12`, `CON .p12` and `CON..p12` are the console too). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

/**
 * Most bytes a sanitised name takes in UTF-8. File systems allow 255; the rest is kept for what is added to it: the
 * temp file's `.name.<pid>-<hex>.tmp` and freeName's ` (n)`.
 */
export const MAX_FILE_NAME_BYTES = 200;

export const CERTIFICATE_EXTENSION = '.p12';

/**
 * Characters no one can see or that reorder what is seen: format characters (bidi embeddings, overrides and isolates
 * U+202A–202E and U+2066–2069, the marks U+200E/F and U+061C, zero-width spaces and joiners, the BOM, soft hyphen),
 * every other default-ignorable code point (variation selectors, Hangul fillers) and lone surrogates.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/gu;
/** Control characters and line/paragraph separators, and the characters Windows forbids in names: shown as `_`. */
const FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}<>:"|?*]/gu;
/** Spaces other than U+0020 (no-break, ideographic, en/em...): they look like a space, so they become one. */
const ODD_SPACE = /\p{Zs}/gu;

/**
 * The filename from a Content-Disposition header, unsanitised. Parsed by jshttp's content-disposition (pure
 * JavaScript, no Node built-ins, and it never throws on a malformed header). `filename*` (RFC 6266 / RFC 8187, in
 * UTF-8 or ISO-8859-1) wins over `filename`; one in another charset, or badly percent-encoded, is skipped.
 */
export function filenameFromContentDisposition(header: string | undefined): string | undefined {
  if (!header) return undefined;
  // Decoded here rather than by the parser, so that a quoted `filename*="UTF-8''…"` (which some servers send) counts too.
  const { parameters } = parse(header, { extended: false });
  const extended = parameters['filename*'];
  return (extended !== undefined ? decodeExtended(extended) : undefined) ?? parameters['filename'];
}

/** Dots and spaces at either end go: Windows drops trailing ones, and a leading dot hides the file on Unix. */
function trimEnds(name: string): string {
  return name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
}

/** The longest prefix of `text` that fits `maxBytes` in UTF-8, cut between code points. */
function fitBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > maxBytes) break;
    out += char;
    used += size;
  }
  return out;
}

/**
 * A single safe, visible file name component (at most MAX_FILE_NAME_BYTES in UTF-8), or undefined when nothing
 * usable is left. The extension is kept as given; certificateFileName adds `.p12`.
 */
export function sanitiseFileName(name: string | undefined, maxBytes = MAX_FILE_NAME_BYTES): string | undefined {
  if (!name) return undefined;
  // Keep only the last path segment, whatever the separator: a server may not choose the folder.
  let base = (name.split(/[\\/]/).pop() ?? '').normalize('NFC');
  base = trimEnds(base.replace(INVISIBLE, '').replace(FORBIDDEN, '_').replace(ODD_SPACE, ' '));
  if (base === '') return undefined;
  if (WINDOWS_DEVICE.test(trimEnds(base.split('.')[0] ?? ''))) base = `_${base}`;
  if (Buffer.byteLength(base, 'utf8') > maxBytes) {
    const dot = base.lastIndexOf('.');
    const ext = dot > 0 && base.length - dot <= 10 ? base.slice(dot) : '';
    base = trimEnds(fitBytes(base.slice(0, base.length - ext.length), maxBytes - Buffer.byteLength(ext, 'utf8'))) + ext;
  }
  return trimEnds(base) || undefined;
}

/**
 * Why Windows cannot hold a file called `name` as written, or undefined: a device name (`NUL.p12` writes to the null
 * device and the bytes are gone), or a trailing dot or space (Windows drops it, so the file lands under another name).
 * Names the app makes itself pass through sanitiseFileName; this is for names the user typed.
 */
export function windowsNameProblem(name: string): string | undefined {
  const device = trimEnds(name.split('.')[0] ?? '');
  if (WINDOWS_DEVICE.test(device)) {
    return `"${name}" is a name Windows keeps for a device (${device.toUpperCase()}): a file cannot have it. Choose another name.`;
  }
  if (/[. ]$/.test(name)) {
    return `"${name}" ends in a dot or a space, which Windows drops from file names. Choose a name without it.`;
  }
  return undefined;
}

/**
 * A saved certificate's name: sanitised, and always ending in `.p12`. A name with another extension keeps it and
 * gains `.p12` (`cert.exe` -> `cert.exe.p12`), so what the server called the file stays visible but it opens as
 * a certificate, never as a program.
 */
export function certificateFileName(name: string | undefined): string | undefined {
  const plain = sanitiseFileName(name);
  if (!plain) return undefined;
  if (plain.toLowerCase().endsWith(CERTIFICATE_EXTENSION)) return plain;
  const stem = sanitiseFileName(plain, MAX_FILE_NAME_BYTES - CERTIFICATE_EXTENSION.length);
  return stem ? `${stem}${CERTIFICATE_EXTENSION}` : undefined;
}

export function defaultCertificateFileName(appId: string): string {
  return certificateFileName(`${appId}-mpns.p12`) ?? 'mpns.p12';
}

export function downloadFileName(header: string | undefined, appId: string): string {
  return certificateFileName(filenameFromContentDisposition(header)) ?? defaultCertificateFileName(appId);
}
