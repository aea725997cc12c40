// Field names of the image parts sent with a pass update (engagement-api.md decision 5): the user chooses them,
// defaulting to the image's role read from its file name. Pure, so it is unit-tested without a browser.

export const IMAGE_ROLES = ['icon', 'logo', 'strip', 'thumbnail', 'background', 'footer'] as const;
export type ImageRole = (typeof IMAGE_ROLES)[number];

const FIELD_NAME = /^[A-Za-z0-9_.@-]+$/;

/** "logo@2x.png" -> "logo@2x", "Company Strip.PNG" -> "strip", "banner.png" -> "banner". */
export function fieldNameFromFileName(fileName: string): string {
  const base = fileName.replace(/\.[^.]*$/, '');
  const lower = base.toLowerCase();
  const scale = /@([23])x$/.exec(lower)?.[0] ?? '';
  const role = IMAGE_ROLES.find((r) => new RegExp(`(^|[^a-z])${r}([^a-z]|$)`).test(lower));
  if (role) return `${role}${scale}`;
  const cleaned = base.replace(/[^A-Za-z0-9_.@-]+/g, '_').replace(/^_+|_+$/g, '');
  return cleaned === '' ? 'image' : cleaned;
}

/** The role a field name stands for (for size recommendations), if it is one of the known ones. */
export function roleOfFieldName(fieldName: string): ImageRole | undefined {
  const base = fieldName.toLowerCase().replace(/@[23]x$/, '');
  return IMAGE_ROLES.find((r) => r === base);
}

/** Why this field name cannot be sent, or undefined when it can. */
export function fieldNameProblem(fieldName: string): string | undefined {
  const name = fieldName.trim();
  if (name === '') return 'Give the image a field name.';
  if (name.length > 100) return 'Keep field names under 100 characters.';
  if (!FIELD_NAME.test(name)) return 'Use letters, digits, _ . @ or - only.';
  if (name === 'pkPass' || name === 'passContent') return `“${name}” is taken by the request itself.`;
  return undefined;
}

/** Field names used more than once (compared as typed, trimmed): each is refused until renamed. */
export function duplicateFieldNames(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    if (seen.has(name)) dupes.add(name);
    seen.add(name);
  }
  return dupes;
}
