// The pass preview model, built from pass.json and the archive's small images (never from the network), with
// the pass's own strings (.lproj/pass.strings) and colours made CSS-ready.
import type { PassField, PassPreviewModel, PassStyle } from '../../preload/contract';
import { isRecord } from './check-issues';
import type { PkpassArchive } from './pkpass-archive';

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

export function buildPreview(pass: Record<string, unknown>, style: PassStyle, archive: PkpassArchive): PassPreviewModel {
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
