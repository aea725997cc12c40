// Folder = environment (style.md 1): reads the sources and checks who imports what, so a stray import fails here
// before it fails in a packaged app. ESLint's no-restricted-imports says the same in the editor.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, sep } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The only files that may import 'electron' at run time. main/electron/** may import its types only. */
const ELECTRON_FILES = new Set(['main/index.ts', 'main/window.ts', 'main/ipc/typed-ipc.ts', 'preload/index.ts']);

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  let names: string[];
  try {
    names = readdirSync(join(root, dir));
  } catch {
    return found;
  }
  for (const name of names) {
    const path = `${dir}/${name}`;
    if (name === 'node_modules' || name === 'out' || name === 'dist') continue;
    if (statSync(join(root, path)).isDirectory()) found.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

interface ImportRef {
  specifier: string;
  typeOnly: boolean;
}

/** The source without comments (good enough for import statements and identifiers; not a full lexer). */
function code(file: string): string {
  return readFileSync(join(root, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

function importsOf(file: string): ImportRef[] {
  const text = code(file);
  const refs: ImportRef[] = [];
  const patterns = [
    /\b(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const match of text.matchAll(patterns[0] as RegExp)) {
    refs.push({ specifier: match[3] as string, typeOnly: Boolean(match[2]) });
  }
  for (const pattern of patterns.slice(1)) {
    for (const match of text.matchAll(pattern)) refs.push({ specifier: match[1] as string, typeOnly: false });
  }
  return refs;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0] as string);
const toPosix = (path: string) => path.split(sep).join('/');

describe('layering', () => {
  test('the scan sees the sources (guards against a silently empty check)', () => {
    const files = sourceFiles('main');
    assert.ok(files.includes('main/window-policy.ts'));
    assert.ok(files.includes('main/ipc/registry.ts'));
    assert.ok(files.some((file) => file.startsWith('main/core/')));
    assert.ok(importsOf('main/window.ts').some((ref) => ref.specifier === 'electron' && !ref.typeOnly));
  });

  test("only the Electron-facing files import 'electron'", () => {
    const offenders = [...sourceFiles('main'), ...sourceFiles('renderer'), ...sourceFiles('preload')]
      .map(toPosix)
      .filter((file) => !ELECTRON_FILES.has(file))
      .flatMap((file) =>
        importsOf(file)
          .filter((ref) => ref.specifier === 'electron' || ref.specifier.startsWith('electron/'))
          // main/electron/** receives Electron modules as arguments and may name their types, nothing more.
          .filter((ref) => !(file.startsWith('main/electron/') && ref.typeOnly))
          .map((ref) => `${file} imports ${ref.specifier}${ref.typeOnly ? ' (type)' : ''}`),
      );
    assert.deepEqual(offenders, []);
  });

  test('main/core is pure: no Node built-ins, no undici, no electron, no adapters', () => {
    const offenders = sourceFiles('main/core').flatMap((file) =>
      importsOf(file)
        .filter(
          (ref) =>
            !ref.typeOnly &&
            (isNodeBuiltin(ref.specifier) ||
              /^(undici|electron|electron-store|conf|@napi-rs\/keyring)(\/|$)/.test(ref.specifier) ||
              /(^|\/)adapters(\/|$)/.test(ref.specifier) ||
              /(^|\/)(ipc|emulator|cli)(\/|$)/.test(ref.specifier)),
        )
        .map((ref) => `${file} imports ${ref.specifier}`),
    );
    assert.deepEqual(offenders, []);
  });

  test('the renderer is browser code: no Node built-ins', () => {
    const offenders = sourceFiles('renderer').flatMap((file) =>
      importsOf(file)
        .filter((ref) => !ref.typeOnly && isNodeBuiltin(ref.specifier))
        .map((ref) => `${file} imports ${ref.specifier}`),
    );
    assert.deepEqual(offenders, []);
  });

  test('ipcMain and ipcRenderer appear only in their typed wrappers', () => {
    const allowed = new Set(['preload/index.ts', 'main/ipc/typed-ipc.ts']);
    const offenders = [...sourceFiles('main'), ...sourceFiles('renderer'), ...sourceFiles('preload')]
      .filter((file) => !allowed.has(file))
      .filter((file) => /\b(ipcMain|ipcRenderer)\b/.test(code(file)));
    assert.deepEqual(offenders, []);
  });
});
