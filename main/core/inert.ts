// Untrusted text made inert before a terminal or the app shows it (issue #18, point 4). A server message, a file
// name or a profile name may hold ESC sequences that clear a terminal and draw a fake prompt, or bidi controls that
// make `invoice‮exe.p12` read as `invoicep12.exe`. Such characters are shown escaped (`\x1b`, `\u202e`), so what
// the user reads is what the text holds.

/** C0 controls (with TAB, LF, CR), DEL, C1 controls (0x9B is a one-byte CSI), the bidi controls (LRE, RLE, PDF, LRO,
 * RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM) and the Unicode line and paragraph separators. */
// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/** The same, but a line feed our own code put between lines stays a line feed. */
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/** What JSON.stringify leaves raw and a terminal may still act on (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One untrusted value (a name, a message, an id): every control and bidi character shown escaped, line feeds too. */
export function inert(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** Text our own code composed of lines (a table, a message with a multi-line detail): only line feeds stay. */
export function inertLines(text: string): string {
  return text.replace(UNSAFE_BUT_LF, escape);
}

/** True when the text holds nothing that inert() would escape. */
export function isInert(text: string): boolean {
  return !new RegExp(UNSAFE.source).test(text);
}

/**
 * JSON for a terminal: the same data (JSON.parse gives back every character, bidi controls included, because they
 * are data there), but DEL, C1 and bidi characters are written as \u escapes so the raw bytes never reach the
 * terminal. JSON.stringify already escapes C0 controls.
 */
export function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
