// The download's file name: from Content-Disposition when the server sends one, made safe to use as a single
// file name on every OS, else <appId>-mpns.p12 (engagement-api.md Decision 3).

import { decodeExtended, parse } from 'content-disposition';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

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

/** A single safe file name component, or undefined when nothing usable is left. */
export function sanitiseFileName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  // Keep only the last path segment, whatever the separator: a server may not choose the folder.
  let base = name.split(/[\\/]/).pop() ?? '';
  base = base
    // Control characters are exactly what must go: they are not valid in file names on any OS.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  if (base === '' || base === '.' || base === '..') return undefined;
  if (WINDOWS_RESERVED.test(base)) base = `_${base}`;
  if (base.length > 200) {
    const dot = base.lastIndexOf('.');
    const ext = dot > 0 && base.length - dot <= 10 ? base.slice(dot) : '';
    base = base.slice(0, 200 - ext.length) + ext;
  }
  return base;
}

export function defaultCertificateFileName(appId: string): string {
  return sanitiseFileName(`${appId}-mpns.p12`) ?? 'mpns.p12';
}

export function downloadFileName(header: string | undefined, appId: string): string {
  return sanitiseFileName(filenameFromContentDisposition(header)) ?? defaultCertificateFileName(appId);
}
