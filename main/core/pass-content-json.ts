// passContent as JSON text (a file, the editor's text view): parse it with line and column for a syntax error,
// check it, and write it back in the two-space form drafts are saved in.
import type { CheckReportOf, PassContentDetails } from '../../preload/contract';
import { checkPassContent } from './pass-content-check';
import type { PassContent } from './pass-content-schema';

/** A passContent text that is not usable JSON at all: one blocking issue, with where it went wrong when known. */
function syntaxProblem(message: string, details?: PassContentDetails): CheckReportOf<'passContent'> {
  return {
    kind: 'passContent',
    ok: false,
    issues: [{ severity: 'error', code: 'pass-content-syntax', message }],
    ...(details ? { details } : {}),
  };
}

/** Parse JSON text and check it; syntax errors carry line and column. */
export function parsePassContentJson(text: string): { value?: unknown; report: CheckReportOf<'passContent'> } {
  if (text.trim() === '') return { report: syntaxProblem('The passContent JSON is empty.') };
  // Editors on Windows like to start files with a BOM; JSON.parse refuses it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // A NUL or an undecodable byte means binary data; control characters are exactly what is looked for.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000\ufffd]/.test(text.slice(0, 64 * 1024))) {
    return { report: syntaxProblem('This is not a JSON text file (it holds binary data). Choose the passContent .json file.') };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const found = findJsonSyntaxError(text);
    const { line, column } = lineAndColumn(text, found.offset);
    const details: PassContentDetails = {
      recipientCount: 0,
      issueChannels: [],
      updateChannels: [],
      syntax: { line, column, offset: found.offset },
    };
    return {
      report: syntaxProblem(
        `JSON syntax error at line ${line}, column ${column}: ${found.message}. Correct the JSON there and try again.`,
        details,
      ),
    };
  }
  return { value, report: checkPassContent(value) };
}

/** Two-space JSON, the form in which drafts are saved and the text part is sent. */
export function serializePassContent(value: PassContent | unknown): string {
  return JSON.stringify(value, null, 2);
}

// ---------------------------------------------------------------------------------------------------------------
// JSON.parse's messages differ between V8 versions (Node vs Electron) and do not always carry a position, so a
// small scanner finds the first error itself. It only runs after JSON.parse has failed.

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export function findJsonSyntaxError(text: string): { offset: number; message: string } {
  let i = 0;
  const describe = (at: number) => (at >= text.length ? 'end of text (the JSON is cut off)' : `"${text[at]}"`);
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(at, message);
  };
  const space = () => {
    while (i < text.length && /[ \t\r\n]/.test(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe(i)}; expected a value`);
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape in a string');
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail('invalid escape in a string');
      } else if (ch.charCodeAt(0) < 0x20) {
        fail('line break or control character inside a string (close the quote or escape it)');
      } else i++;
    }
    fail('unterminated string (a closing quote is missing)');
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) fail(`unexpected ${describe(i)}; expected a value`);
    i += match![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 500) fail('nested too deeply');
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before "}"' : `unexpected ${describe(i)}; expected a property name in double quotes`);
        string();
        space();
        if (text[i] !== ':') fail(`unexpected ${describe(i)}; expected ":" after the property name`);
        i++;
        value(depth + 1);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`unexpected ${describe(i)}; expected "," or "}"`);
      }
    }
    if (ch === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] === ']') fail('trailing comma before "]"');
        value(depth + 1);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`unexpected ${describe(i)}; expected "," or "]"`);
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === "'") fail('strings must use double quotes');
    return number();
  };
  try {
    value(0);
    space();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
    return { offset: text.length, message: 'invalid JSON' };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { offset: error.offset, message: error.message };
    return { offset: 0, message: 'invalid JSON' };
  }
}
