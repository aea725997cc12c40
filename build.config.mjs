// Builds main, preload, the CLI and the renderer into out/ with esbuild.
// main and the CLI are ESM for Node/Electron with their JavaScript packages bundled in, so the packaged app and the
// installed CLI need only the native keychain binding from node_modules (package.json "dependencies"); the preload
// is one CommonJS file (sandboxed preloads cannot load modules); the renderer is one browser bundle plus its CSS.
import { build } from 'esbuild';
import { chmod, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
/** The CLI's Node flags (see the banner below); the benchmark runs our process with the same ones. */
const cliNodeFlags = JSON.parse(await readFile(join(root, 'main/cli/node-flags.json'), 'utf8'));
const out = join(root, 'out');
const production = process.env.NODE_ENV === 'production' || process.argv.includes('--production');
// --pack (npm's prepack): the CLI alone, for the package. npm packs package.json "main" (the Electron bundle)
// whatever "files" says, so the app's build is removed first; `npm start` and `npm run build` make it again.
const pack = process.argv.includes('--pack');
if (pack) {
  await rm(join(root, 'out'), { recursive: true, force: true });
  console.error('npm pack: out/ now holds the CLI only (npm run build makes the app again).');
}
const only = pack ? ['cli'] : process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (name) => !only || only.includes(name);

/** Left to node_modules: the native keychain binding (a prebuilt .node file per platform) and Electron itself. */
const runtimeExternal = ['@napi-rs/keyring', 'electron'];
// Bundled CommonJS packages (busboy, node-forge) call require() for Node built-ins, which ESM output lacks.
const requireShim = "import { createRequire as __engCreateRequire } from 'node:module'; const require = __engCreateRequire(import.meta.url);";

/** Built-ins whose default import is a stand-in that requires the module at its first use: commander imports
 * child_process (and with it dgram and the socket list) on every start, for external subcommands this CLI has none of. */
const LOADED_ON_FIRST_USE = new Set(['node:child_process']);

/** The build's own require, to read what a built-in exports (its names, HTTP/2's constants) on this Node. */
const nodeRequire = createRequire(import.meta.url);

/**
 * Node built-ins read through `require` instead of an ESM import. Node answers an ESM import of a built-in with a
 * namespace that reads every export, and with it every export Node otherwise loads on first use: `node:http` brings
 * 73 more of Node's internal modules that way, `node:process` 42, `node:util` 36, `node:fs` 31 (Node 24: the
 * promises API, parseArgs, the diff and colour helpers, the worker and performance modules). esbuild's CommonJS
 * interop would do the same (it asks for every property's descriptor, which loads them too). So each imported
 * built-in becomes a small ESM module of its own: `require` of the built-in, and one export per name, each read
 * by a call marked pure, so that esbuild keeps only the names some part of the CLI imports.
 */
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z][a-z0-9_/]*$/ }, (args) => {
      if (args.kind !== 'import-statement' || !isBuiltin(args.path)) return undefined;
      return { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, namespace: 'builtin-require' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => {
      const names = Object.getOwnPropertyNames(nodeRequire(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
      const lines = LOADED_ON_FIRST_USE.has(args.path)
        ? [
            'let m;',
            `const load = () => (m ??= require(${JSON.stringify(args.path)}));`,
            'const read = (name) => load()[name];',
            'export default new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });',
          ]
        : [`const m = require(${JSON.stringify(args.path)});`, 'const read = (name) => m[name];', 'export default m;'];
      names.forEach((name, i) => lines.push(`const e${i} = /* @__PURE__ */ read(${JSON.stringify(name)});`, `export { e${i} as ${name} };`));
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

/**
 * undici's HTTP/2 client reads only `constants` from `node:http2` when it loads, and loading `node:http2` (with
 * `node:tls`, which it requires) costs every CLI start about 15 ms on a 2-core machine, for a protocol a request
 * uses only when an https server chooses it. So its `require('node:http2')` gets a stand-in: the constants as this
 * Node has them (HTTP/2's header names and error codes, fixed by RFC 9113), and the real module, loaded at first use,
 * for anything else (a connection). test/integration/cli/start-cost.test.ts downloads from an HTTP/2-only server
 * through it, and checks that a download over http:// loads neither node:http2 nor node:tls.
 */
const http2OnFirstUse = {
  name: 'http2-on-first-use',
  setup(build) {
    build.onResolve({ filter: /^node:http2$/ }, (args) => {
      if (args.kind !== 'require-call' || !/[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/.test(args.importer)) return undefined;
      return { path: 'node:http2', namespace: 'http2-on-first-use' };
    });
    build.onLoad({ filter: /.*/, namespace: 'http2-on-first-use' }, () => {
      const constants = JSON.stringify(nodeRequire('node:http2').constants);
      return {
        loader: 'js',
        contents: [
          `const constants = Object.freeze(${constants});`,
          'let real;',
          "const load = () => (real ??= require('node:http2'));",
          "module.exports = new Proxy({}, { get: (_, key) => (key === 'constants' && real === undefined ? constants : load()[key]), has: (_, key) => key in load() });",
        ].join('\n'),
      };
    });
  },
};

const node = {
  bundle: true,
  platform: 'node',
  // The Node of Electron 45 and of tools/node24, which the tests and the CLI run on.
  target: 'node24',
  format: 'esm',
  external: runtimeExternal,
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  banner: { js: requireShim },
};

const jobs = [];
if (!only) await rm(out, { recursive: true, force: true });
// Chunk names are content hashes: old ones would pile up (and be packed: npm pack takes out/cli/**/*.js).
else if (wanted('cli')) await rm(join(out, 'cli'), { recursive: true, force: true });

if (wanted('main')) {
  // The app's main process starts faster the same way (builtinsThroughRequire); Electron's Node is the 24 line.
  jobs.push(build({ ...node, entryPoints: [join(root, 'main/index.ts')], outfile: join(out, 'main/index.js'), plugins: [builtinsThroughRequire] }));
}
if (wanted('preload')) {
  jobs.push(
    build({
      ...node,
      banner: undefined,
      format: 'cjs',
      target: 'chrome140',
      minify: true,
      entryPoints: [join(root, 'preload/index.ts')],
      outfile: join(out, 'preload/index.cjs'),
      external: ['electron'],
    }),
  );
}
if (wanted('cli')) {
  jobs.push(
    build({
      ...node,
      // Split so that lazily imported parts (the emulator, the file checkers) and their packages load on demand.
      entryPoints: { 'engagement-desk': join(root, 'main/cli/index.ts') },
      outdir: join(out, 'cli'),
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      // Start-up is parse time: minified code is a third of the bytes to read, parse and cache (Node's compile
      // cache, main/cli/index.ts). Names are not kept: keepNames wraps every function and class of the bundle in a
      // call that sets its name as it loads (thousands, for undici and zod), and nothing here reads a minified name:
      // the errors that are told apart by name (EngagementError, undici's, ZodError, AbortError) set theirs in code.
      minify: true,
      keepNames: false,
      // The CLI's one Node flag, --max-semi-space-size=1 (main/cli/node-flags.json): on Node 24 a 200 MB transfer's
      // spent socket buffers pile up before a collection (peaks of 146 MB for an upload and 165 MB for a download
      // with default flags, over the 150 MB the CLI promises). With each young semi-space capped at 1 MB (issue #19)
      // they are freed often enough that malloc hands the same memory back instead of new pages, which cost a fresh
      // process dearly: a 200 MB CLI download 0.89-0.93 s instead of 1.15-1.19 s (14,000 page faults, not 25,000),
      // and the first 1,000-send batch unchanged against curl.
      // --liftoff-only was dropped (issue #19): any V8 flag that changes code generation makes V8 refuse the code
      // cache Node carries for its own modules, so every built-in a command loads was compiled from source, about
      // 15 to 20 ms more per start on a 2-core machine (the heap-size flag does not). It had kept V8 from also
      // compiling undici's llhttp WebAssembly with its optimising tier: without it a 200 MB CLI download peaks at
      // 106 to 110 MB instead of 91 to 92 MB, an upload is unchanged near 80 MB, and a small download starts about
      // 20 ms sooner, a 100 MB pass update about 40 ms.
      // npm's bin shims honour the shebang's arguments on every OS; `env -S` splits them on Linux and macOS.
      banner: { js: `#!/usr/bin/env -S node ${cliNodeFlags.join(' ')}\n${requireShim}` },
      plugins: [builtinsThroughRequire, http2OnFirstUse],
    }),
  );
}
if (wanted('renderer')) {
  jobs.push(
    (async () => {
      await mkdir(join(out, 'renderer/assets'), { recursive: true });
      await build({
        entryPoints: { app: join(root, 'renderer/src/main.tsx') },
        outdir: join(out, 'renderer/assets'),
        bundle: true,
        platform: 'browser',
        format: 'esm',
        target: ['chrome120'],
        jsx: 'automatic',
        minify: true,
        sourcemap: production ? false : 'linked',
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        loader: { '.png': 'dataurl', '.svg': 'dataurl' },
        logLevel: 'warning',
        legalComments: 'none',
      });
      await copyFile(join(root, 'renderer/index.html'), join(out, 'renderer/index.html'));
    })(),
  );
}
await Promise.all(jobs);
if (wanted('cli')) {
  await chmod(join(out, 'cli/engagement-desk.js'), 0o755);
  // The bundle is ESM in .js files and the repository's package.json names no type, so Node would first try each
  // chunk it imports as CommonJS (a failed parse of every file, then the ESM one): this says ESM at once.
  await writeFile(join(out, 'cli/package.json'), `${JSON.stringify({ type: 'module' })}\n`);
}
