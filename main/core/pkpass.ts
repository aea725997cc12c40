// Validation of a .pkpass archive that an adapter has already read safely (main/checks/pkpass-reader.ts):
// manifest hashes, pass.json keys and style, images, the detached PKCS#7 signature (pkpass-signature.ts), and a
// preview model built from pass.json (pkpass-preview.ts). Pure: the archive arrives as data, so this also runs in
// the renderer and in benchmarks.
import type { CheckIssue, CheckReportOf, PassJsonSummary, PassStyle, PkpassDetails } from '../../preload/contract';
import { errorIssue as error, isRecord, warningIssue as warning } from './check-issues';
import type { PkpassArchive, PkpassEntry } from './pkpass-archive';
import { buildPreview, passColorToCss } from './pkpass-preview';
import { checkSignature } from './pkpass-signature';
import { checkImage, parseImageName, PASS_STYLES, readPngInfo } from './png';

export type { PassField, PassJsonSummary, PassPreviewModel, PkpassDetails, PkpassSignerDetails } from '../../preload/contract';
export type { PkpassArchive, PkpassEntry, PkpassImage } from './pkpass-archive';
export { passColorToCss, parseStringsFile } from './pkpass-preview';

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
