// PNG header reading and Apple Wallet image rules. Pure: callers pass the first bytes of a file (the IHDR chunk
// sits in the first 33 bytes), so a multi-megabyte image never has to be read to be checked.
import type { CheckIssue, PngInfo } from '../../preload/contract';
import { PASS_STYLES, type PassStyle } from '../../preload/contract/constants';

export { PASS_STYLES } from '../../preload/contract/constants';
export type { ImageDetails, PassStyle, PngInfo } from '../../preload/contract';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bytes needed by readPngInfo: signature (8) + IHDR length/type (8) + IHDR data up to colour type (10). */
export const PNG_HEAD_BYTES = 26;

/** Width, height, bit depth and colour type from the IHDR chunk; undefined when the bytes are not a PNG. */
export function readPngInfo(head: Uint8Array): PngInfo | undefined {
  if (head.length < PNG_HEAD_BYTES) return undefined;
  for (let i = 0; i < PNG_SIGNATURE.length; i++) if (head[i] !== PNG_SIGNATURE[i]) return undefined;
  // The first chunk must be IHDR with a 13-byte body (PNG spec, 5.6).
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (view.getUint32(8) !== 13) return undefined;
  if (String.fromCharCode(head[12]!, head[13]!, head[14]!, head[15]!) !== 'IHDR') return undefined;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  // Zero and values above 2^31-1 are invalid per the PNG spec.
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return undefined;
  return { width, height, bitDepth: head[24]!, colorType: head[25]! };
}

// ---------------------------------------------------------------------------------------------------------------
// Apple's image roles. Sizes are the allotted space in points from Apple's "Pass Design and Creation" guide
// (PassKit Programming Guide): @2x / @3x files may be twice / three times as large in pixels.

export const IMAGE_ROLES = ['icon', 'logo', 'strip', 'thumbnail', 'background', 'footer'] as const;
export type ImageRole = (typeof IMAGE_ROLES)[number];
export type ImageScale = 1 | 2 | 3;

export interface ImageRoleSpec {
  role: ImageRole;
  /** Maximum allotted size in points (pixels at @1x). */
  maxWidth: number;
  maxHeight: number;
  /** Pass styles that show this image; other styles ignore it. */
  styles: readonly PassStyle[];
  description: string;
}

export const IMAGE_ROLE_SPECS: Record<ImageRole, ImageRoleSpec> = {
  icon: {
    role: 'icon',
    maxWidth: 29,
    maxHeight: 29,
    styles: PASS_STYLES,
    description: 'shown in notifications and on the lock screen; every pass needs one',
  },
  logo: {
    role: 'logo',
    maxWidth: 160,
    maxHeight: 50,
    styles: PASS_STYLES,
    description: 'top-left corner of the pass',
  },
  strip: {
    role: 'strip',
    // 375 x 144 for coupons and store cards (square barcode), 375 x 123 otherwise, 375 x 98 for event tickets.
    maxWidth: 375,
    maxHeight: 144,
    styles: ['coupon', 'eventTicket', 'storeCard'],
    description: 'behind the primary fields',
  },
  thumbnail: {
    role: 'thumbnail',
    maxWidth: 90,
    maxHeight: 90,
    styles: ['eventTicket', 'generic'],
    description: 'beside the primary fields (aspect ratio between 2:3 and 3:2)',
  },
  background: {
    role: 'background',
    maxWidth: 180,
    maxHeight: 220,
    styles: ['eventTicket'],
    description: 'blurred behind the whole front of the pass',
  },
  footer: {
    role: 'footer',
    maxWidth: 286,
    maxHeight: 15,
    styles: ['boardingPass'],
    description: 'just above the barcode',
  },
};

/** Strip height depends on the style (Apple: event tickets 98 pt, coupons/store cards 144 pt, others 123 pt). */
function stripMaxHeight(style: PassStyle | undefined): number {
  if (style === 'eventTicket') return 98;
  if (style === 'coupon' || style === 'storeCard' || style === undefined) return 144;
  return 123;
}

export interface ParsedImageName {
  role: ImageRole;
  scale: ImageScale;
  /** Localisation folder such as "fr.lproj", when the image is localised. */
  locale?: string;
}

/** "logo@2x.png" or "fr.lproj/icon.png" -> role and scale; undefined for names Wallet does not know. */
export function parseImageName(entryName: string): ParsedImageName | undefined {
  const match = /^(?:([A-Za-z0-9_-]+\.lproj)\/)?(icon|logo|strip|thumbnail|background|footer)(?:@([23])x)?\.png$/.exec(
    entryName,
  );
  if (!match) return undefined;
  const parsed: ParsedImageName = { role: match[2] as ImageRole, scale: (match[3] ? Number(match[3]) : 1) as ImageScale };
  if (match[1]) parsed.locale = match[1];
  return parsed;
}

/** "logo", "logo@1x", "logo@2x" -> role and scale (scale undefined when the role name carries none). */
export function parseImageRole(role: string): { role: ImageRole; scale?: ImageScale } | undefined {
  const match = /^(icon|logo|strip|thumbnail|background|footer)(?:@([123])x)?$/i.exec(role.trim());
  if (!match) return undefined;
  const parsed: { role: ImageRole; scale?: ImageScale } = { role: match[1]!.toLowerCase() as ImageRole };
  if (match[2]) parsed.scale = Number(match[2]) as ImageScale;
  return parsed;
}

/** Above this an image makes the pass slow to download over a mobile network. */
export const IMAGE_WARN_BYTES = 1024 * 1024;

export interface CheckImageOptions {
  /** The pass style, for the style-specific strip height and the "not shown by this style" warning. */
  style?: PassStyle;
  /** Entry name or file path reported in issue paths. */
  path?: string;
}

/**
 * Check one image against its role. `role` is "logo@1x", "logo@2x" or "logo@3x" (pkpass entries); a role without
 * a scale (an image uploaded beside the pass, where the server has no retina variants) gets the @3x limit.
 */
export function checkImage(role: string, info: PngInfo | undefined, size: number, options: CheckImageOptions = {}): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const at = options.path !== undefined ? { path: options.path } : {};
  const label = options.path ?? role;
  if (size === 0) {
    issues.push({ severity: 'error', code: 'image-empty', message: `${label} is an empty file.`, ...at });
    return issues;
  }
  if (!info) {
    issues.push({
      severity: 'error',
      code: 'image-not-png',
      message: `${label} is not a PNG image. Wallet only shows PNG files; convert it to PNG.`,
      ...at,
    });
    return issues;
  }
  const parsed = parseImageRole(role);
  if (!parsed) {
    issues.push({
      severity: 'warning',
      code: 'image-unknown-role',
      message: `"${role}" is not a Wallet image role (icon, logo, strip, thumbnail, background, footer).`,
      ...at,
    });
  } else {
    const spec = IMAGE_ROLE_SPECS[parsed.role];
    const scale = parsed.scale ?? 3;
    const maxWidth = spec.maxWidth * scale;
    const maxHeight = (parsed.role === 'strip' ? stripMaxHeight(options.style) : spec.maxHeight) * scale;
    if (info.width > maxWidth || info.height > maxHeight) {
      const suffix = parsed.scale ? ` at @${scale}x` : ' (the @3x size)';
      issues.push({
        severity: 'warning',
        code: 'image-dimensions',
        message: `${label} is ${info.width} x ${info.height} pixels; the ${parsed.role} allows at most ${maxWidth} x ${maxHeight}${suffix}. Wallet scales or crops it.`,
        ...at,
      });
    }
    if (parsed.role === 'thumbnail') {
      const ratio = info.width / info.height;
      if (ratio < 2 / 3 - 0.01 || ratio > 3 / 2 + 0.01) {
        issues.push({
          severity: 'warning',
          code: 'image-aspect-ratio',
          message: `${label} has an aspect ratio outside 2:3 to 3:2; Wallet crops it.`,
          ...at,
        });
      }
    }
    if (options.style && !spec.styles.includes(options.style)) {
      issues.push({
        severity: 'warning',
        code: 'image-unused-by-style',
        message: `${label}: a ${options.style} pass does not show a ${parsed.role} image.`,
        ...at,
      });
    }
  }
  if (size > IMAGE_WARN_BYTES) {
    issues.push({
      severity: 'warning',
      code: 'image-file-large',
      message: `${label} is ${(size / 1024 / 1024).toFixed(1)} MB; keep pass images small so the pass downloads quickly.`,
      ...at,
    });
  }
  return issues;
}
