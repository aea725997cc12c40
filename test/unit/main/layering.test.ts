// Folder = environment (style.md 1): reads the sources and checks who imports what, so a stray import fails here
// before it fails in a packaged app. ESLint's no-restricted-imports says the same in the editor.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, sep } from 'node:path';
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

/** The file a relative import names (with its extension), as a repository path. */
function resolveSpecifier(file: string, specifier: string): string {
  const base = posix.normalize(posix.join(posix.dirname(file), specifier));
  for (const ext of ['', '.ts', '.tsx', '/index.ts', '/index.tsx']) {
    try {
      if (statSync(join(root, base + ext)).isFile()) return base + ext;
    } catch {
      // try the next extension
    }
  }
  return base;
}

/** main/<folder>/… is that folder's layer; a file directly in main/ is its own; preload/contract is 'contract'. */
function layerOf(file: string): string {
  if (file.startsWith('preload/contract')) return 'contract';
  const parts = file.split('/');
  if (parts[0] !== 'main') return parts[0] as string;
  return parts.length > 2 ? (parts[1] as string) : (parts[1] as string).replace(/\.ts$/, '');
}

/**
 * Who may import whom in main/, lowest first. A domain folder (profiles, checks, sending, history, outbox, drafts…)
 * holds that domain's services and its IPC registration; it may use the layers below it and the IPC registry's
 * types (ALLOWED_FILES), never the CLI, the Electron shell or the composition root.
 */
const LAYERS: Record<string, readonly string[]> = {
  core: ['contract'],
  platform: ['contract', 'core'],
  server: ['contract', 'core', 'platform'],
  emulator: ['core'],
  profiles: ['contract', 'core', 'platform', 'server', 'emulator'],
  checks: ['contract', 'core', 'platform'],
  history: ['contract', 'core', 'platform'],
  sending: ['contract', 'core', 'platform', 'server', 'profiles', 'checks', 'history'],
  outbox: ['contract', 'core', 'platform', 'server', 'sending'],
  drafts: ['contract', 'core', 'platform', 'server', 'profiles', 'checks', 'sending', 'outbox', 'history'],
  // The profiles and send actions alone (a one-shot CLI send); services builds the drafts and outbox on top of it.
  'send-services': ['contract', 'core', 'platform', 'server', 'profiles', 'checks', 'sending', 'history', 'emulator'],
  services: ['contract', 'core', 'platform', 'server', 'profiles', 'checks', 'sending', 'outbox', 'history', 'drafts', 'emulator', 'send-services'],
  ipc: ['contract', 'core', 'platform', 'window-policy', 'services', 'profiles', 'checks', 'sending', 'outbox', 'history', 'drafts'],
  'window-policy': ['contract', 'core'],
  'runtime-tuning': [],
  electron: ['contract', 'core', 'platform', 'window-policy'],
  window: ['contract', 'core', 'platform', 'window-policy'],
  cli: ['contract', 'core', 'platform', 'server', 'emulator', 'profiles', 'checks', 'sending', 'outbox', 'history', 'drafts', 'services', 'send-services', 'runtime-tuning'],
  index: ['contract', 'core', 'platform', 'electron', 'ipc', 'services', 'window', 'window-policy', 'runtime-tuning', 'server'],
};

/** Single files a layer may use beyond its table: the registry types every domain registers its handlers on. */
const ALLOWED_FILES: Record<string, readonly string[]> = Object.fromEntries(
  ['profiles', 'checks', 'sending', 'outbox', 'history', 'drafts'].map((layer) => [layer, ['main/ipc/registry.ts']]),
);

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

  test('main/core is pure: no Node built-ins, no undici, no electron, no other main folder', () => {
    const offenders = sourceFiles('main/core').flatMap((file) =>
      importsOf(file)
        .filter(
          (ref) =>
            !ref.typeOnly &&
            (isNodeBuiltin(ref.specifier) ||
              /^(undici|electron|electron-store|conf|@napi-rs\/keyring)(\/|$)/.test(ref.specifier) ||
              (ref.specifier.startsWith('.') && !/^main\/core\//.test(resolveSpecifier(file, ref.specifier)) &&
                !resolveSpecifier(file, ref.specifier).startsWith('preload/contract'))),
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

  test('each main folder imports only the layers below it (the table in LAYERS)', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles('main').map(toPosix)) {
      const from = layerOf(file);
      const allowed = LAYERS[from];
      if (!allowed) {
        offenders.push(`${file}: its folder "${from}" is not in the LAYERS table of this test; add it with the layers it may use`);
        continue;
      }
      for (const ref of importsOf(file)) {
        if (!ref.specifier.startsWith('.')) continue;
        const target = resolveSpecifier(file, ref.specifier);
        const to = layerOf(target);
        if (to === from || allowed.includes(to) || (ALLOWED_FILES[from] ?? []).includes(target)) continue;
        offenders.push(`${file} imports ${target} (${from} may not use ${to})`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  test('no import circles in main, preload and renderer', () => {
    const files = [...sourceFiles('main'), ...sourceFiles('preload'), ...sourceFiles('renderer')].map(toPosix);
    const known = new Set(files);
    const edges = new Map<string, string[]>();
    for (const file of files) {
      edges.set(
        file,
        importsOf(file)
          .filter((ref) => ref.specifier.startsWith('.'))
          .map((ref) => resolveSpecifier(file, ref.specifier))
          .filter((target) => known.has(target)),
      );
    }
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of edges.get(file) ?? []) {
        if (state.get(next) === 'open') circles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    assert.deepEqual(circles, []);
  });

  test('the layer check resolves imports (guards against a silently passing table)', () => {
    assert.equal(resolveSpecifier('main/services.ts', './profiles/profile-service'), 'main/profiles/profile-service.ts');
    assert.equal(layerOf('main/drafts/drafts-store.ts'), 'drafts');
    assert.ok(importsOf('main/drafts/draft-services.ts').some((ref) => layerOf(resolveSpecifier('main/drafts/draft-services.ts', ref.specifier)) === 'outbox'));
  });
});
