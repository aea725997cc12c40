// The renderer's CSS lives beside what it styles (issue #15) and reaches the one bundled app.css only through an
// import from TSX: a file nobody imports would silently drop its rules from the app.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../../../renderer/src/', import.meta.url));
const MAX_LINES = 450;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const files = filesUnder(src);
const cssFiles = files.filter((file) => file.endsWith('.css'));
/** Every `import './x.css'` in the renderer's modules, as [importing file, imported file]. */
const cssImports = files
  .filter((file) => /\.tsx?$/.test(file))
  .flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^import '(\.[^']+\.css)';$/gm)].map(
      (match) => [file, resolve(dirname(file), match[1] as string)] as const,
    ),
  );
const name = (file: string) => relative(src, file);

describe('renderer CSS', () => {
  test('every CSS file is imported by a module, and every imported CSS file exists', () => {
    const imported = new Set(cssImports.map(([, css]) => css));
    assert.deepEqual(cssFiles.filter((css) => !imported.has(css)).map(name), []);
    assert.deepEqual([...imported].filter((css) => !cssFiles.includes(css)).map(name), []);
  });

  test(`no CSS file is over ${MAX_LINES} lines`, () => {
    const long = cssFiles.filter((css) => readFileSync(css, 'utf8').split('\n').length - 1 > MAX_LINES).map(name);
    assert.deepEqual(long, []);
  });

  test('the entry imports the theme and the shared blocks before the app, so features cascade after them', () => {
    const entry = readFileSync(join(src, 'main.tsx'), 'utf8');
    const at = (needle: string) => {
      const index = entry.indexOf(needle);
      assert.ok(index >= 0, `main.tsx imports ${needle}`);
      return index;
    };
    assert.ok(at("import './styles.css';") < at("import './components/components.css';"));
    assert.ok(at("import './components/components.css';") < at("from './app';"));
  });
});
