// A secret the user handed us for one run (ENGAGEMENT_DESK_SECRET) is cut out of whatever we print or record, in
// case a server or a library echoes it back: the value itself is replaced, wherever it sits in a text or a record.

export const REDACTED_SECRET = '[redacted]';

/** The forms a secret takes in our output: as is, and escaped inside a JSON string. */
function secretForms(secret: string): string[] {
  const escaped = JSON.stringify(secret).slice(1, -1);
  return escaped === secret ? [secret] : [secret, escaped];
}

/** The text with every occurrence of the secret (raw or JSON-escaped) replaced by [redacted]. */
export function redactText(text: string, secret: string | undefined): string {
  if (!secret) return text;
  let out = text;
  for (const form of secretForms(secret)) out = out.split(form).join(REDACTED_SECRET);
  return out;
}

/** A copy of a record (strings, arrays, plain objects) with the secret cut out of every string, keys included. */
export function redactValue<T>(value: T, secret: string | undefined): T {
  if (!secret) return value;
  if (typeof value === 'string') return redactText(value, secret) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, secret)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) out[redactText(key, secret)] = redactValue(inner, secret);
    return out as T;
  }
  return value;
}
