// Checks every IPC payload as a whole before its schema runs: the shapes zod does not police. Electron's structured
// clone can deliver Maps, Dates, cycles and any nesting, and a free-form field (passContent) would otherwise take
// prototype keys and control characters straight into main (Electron security checklist: validate the sender's
// input; VS Code's validatedIpcMain).
export const MAX_PAYLOAD_DEPTH = 64;
/** Values in one payload: a batch of 100,000 recipient ids is the largest legitimate request. */
export const MAX_PAYLOAD_VALUES = 250_000;

/** Keys that reach Object.prototype through a careless merge: never legitimate in a request. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** C0 controls (NUL included) and DEL; tab, line feed and carriage return are text. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one: not UTF-16 text. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function where(path: readonly (string | number)[]): string {
  return path.length === 0 ? 'The request' : `The field ${path.join('.').slice(0, 200)}`;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Undefined when the payload is a plain JSON-like object tree, else what is wrong with it. */
export function payloadProblem(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || !isPlainObject(payload)) {
    return 'The request must be an object.';
  }
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: payload, path: [] }];
  let seen = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (++seen > MAX_PAYLOAD_VALUES) return `The request is too large (over ${MAX_PAYLOAD_VALUES.toLocaleString('en')} values).`;
    switch (typeof value) {
      case 'string':
        if (UNPAIRED_SURROGATE.test(value)) return `${where(path)} is not valid text (it has an unpaired surrogate).`;
        if (CONTROL.test(value)) return `${where(path)} contains a control character.`;
        continue;
      case 'number':
      case 'boolean':
      case 'undefined':
        continue;
      case 'object':
        break;
      default:
        return `${where(path)} has a value of type ${typeof value}, which no request takes.`;
    }
    if (value === null) continue;
    if (path.length >= MAX_PAYLOAD_DEPTH) return `The request is nested too deeply (over ${MAX_PAYLOAD_DEPTH} levels).`;
    if (Array.isArray(value)) {
      // Structured clone keeps holes; index the entries that exist.
      value.forEach((item: unknown, index) => stack.push({ value: item, path: [...path, index] }));
      continue;
    }
    if (!isPlainObject(value)) return `${where(path)} is not a plain object.`;
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === 'symbol') return `${where(path)} has a symbol key.`;
      if (PROTOTYPE_KEYS.has(key)) return `${where(path)} has the key "${key}", which no request takes.`;
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return undefined;
}
