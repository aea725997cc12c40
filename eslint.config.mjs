// Lint rules, including the environment layering of style.md point 1: who may import electron, ipcMain and
// ipcRenderer, and what main/core may not touch. test/unit/main/layering.test.ts checks the same from the sources.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Run-time 'electron' imports are allowed only here; main/electron/** may import its types. */
const ELECTRON_FILES = ['main/index.ts', 'main/window.ts', 'main/ipc/typed-ipc.ts', 'preload/index.ts'];
const SOURCE_FILES = ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'];

const electronBanned = {
  name: 'electron',
  message: 'Only main/index.ts, main/window.ts, main/ipc/typed-ipc.ts and preload/index.ts may import electron (style.md 1).',
};
const electronTypesOnly = { ...electronBanned, allowTypeImports: true };
const ipcWrappersOnly = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Use the typed wrappers: main/ipc/typed-ipc.ts (ipcMain) and preload/index.ts (ipcRenderer).',
};
const nodeBuiltins = builtinModules
  .filter((name) => !name.startsWith('_'))
  .map((name) => ({ name, message: 'This code must run anywhere: no Node built-ins.' }));
const nodePrefixed = { regex: '^node:', message: 'This code must run anywhere: no Node built-ins.' };

/** Node globals for the plain-JS build and test scripts (the TS files get theirs from the type checker). */
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'URL', 'Buffer', 'globalThis'].map(
    (name) => [name, 'readonly'],
  ),
);

export default defineConfig(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', '**/*.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The TypeScript variant understands `import type`, which main/electron/** relies on.
      'no-restricted-imports': 'off',
    },
  },

  // Everything but the Electron-facing files: no electron at all (tests may name its types).
  {
    files: SOURCE_FILES,
    ignores: [...ELECTRON_FILES, 'main/electron/**', 'test/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [electronBanned] }] },
  },
  {
    files: ['main/electron/**', 'test/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [electronTypesOnly] }] },
  },
  {
    files: ['main/index.ts', 'main/window.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [ipcWrappersOnly] }] },
  },
  {
    files: ['main/ipc/typed-ipc.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ ...ipcWrappersOnly, importNames: ['ipcRenderer'] }] },
      ],
    },
  },
  {
    files: ['preload/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ ...ipcWrappersOnly, importNames: ['ipcMain'] }] }],
    },
  },

  // main/core is pure: data in, data out (it is also bundled into the renderer).
  {
    files: ['main/core/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            electronBanned,
            ...nodeBuiltins,
            { name: 'undici', message: 'main/core does no I/O: HTTP lives in main/server.' },
            { name: 'electron-store', message: 'main/core does no I/O.' },
            { name: 'conf', message: 'main/core does no I/O.' },
            { name: '@napi-rs/keyring', message: 'main/core does no I/O: the keychain lives in main/platform.' },
          ],
          patterns: [
            nodePrefixed,
            { regex: '^\\.\\./[A-Za-z]', message: 'main/core may not depend on another main folder (only on preload/contract).' },
            { regex: '^undici/', message: 'main/core does no I/O.' },
          ],
        },
      ],
    },
  },
  // The lower layers never reach up into the domains, the CLI or the shell (test/unit/main/layering.test.ts holds
  // the whole table).
  {
    files: ['main/platform/**', 'main/server/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronBanned],
          patterns: [
            {
              regex: '^\\.\\./(profiles|checks|sending|history|outbox|drafts|ipc|cli|emulator|electron|services)(/|$)',
              message: 'main/platform and main/server are below the domains: see the layer table in test/unit/main/layering.test.ts.',
            },
          ],
        },
      ],
    },
  },
  // The renderer is browser code.
  {
    files: ['renderer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [electronBanned, ...nodeBuiltins], patterns: [nodePrefixed] }],
    },
  },
);
