#!/usr/bin/env node
// npm run lint:security: Doyensec's Electronegativity over the app's sources, judged here. Exit 1 when a finding of
// medium or higher severity remains, when a file could not be parsed (no check saw it), or when an inline exception
// (`// eng-disable CHECK_ID: reason`) gives no reason.
//
// Usage: node test/security/lint-security.mjs [--root DIR] [--out DIR] [PATH...]
//   PATHs are relative to --root (default: this repository) and default to the app: main, preload, renderer and
//   package.json (which carries the Electron version); with another --root, the whole of it.
//
// Why the sources and not out/: the TypeScript is parsed with Babel first (current syntax), and each check then
// sees the BrowserWindow options, guards and CSP where main/window.ts and main/window-policy.ts write them; in the
// bundle they are spread and renamed. Electronegativity's own CLI cannot be used as is: it needs an older
// `commander` than the one installed and fetches translations and Electron's release list from the network, so the
// run below uses its programmatic entry with the bundled English texts and without the one network-only check.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
const APP_INPUTS = ['main', 'preload', 'renderer', 'package.json'];
/** Compares the Electron version with the latest releases fetched from GitHub: no network here, and npm audit's job. */
const NETWORK_ONLY_CHECKS = ['availablesecurityfixesglobalcheck'];
const SEVERITY_ORDER = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];
const FAIL_AT = 'MEDIUM';
const SCANNED = /\.(?:[cm]?js|jsx|ts|tsx|html?)$/;
const EXCEPTION = /(?:\/\/|\/\*|<!--)[ \t]*eng-disable[ \t]+([\w \t,]+)(.*)$/;

function parseArgs(argv) {
  const options = { root: repo, out: join(repo, 'test-results/security'), inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--root') options.root = resolve(argv[++i]);
    else if (arg === '--out') options.out = resolve(argv[++i]);
    else options.inputs.push(arg);
  }
  if (options.inputs.length === 0) options.inputs = options.root === repo ? APP_INPUTS : ['.'];
  return options;
}

/** Copies the inputs (no node_modules) into a fresh folder, keeping their paths relative to the root. */
function stage(root, inputs) {
  const dir = mkdtempSync(join(tmpdir(), 'engagement-desk-electronegativity-'));
  for (const input of inputs) {
    const from = resolve(root, input);
    cpSync(from, join(dir, relative(root, from)), {
      recursive: true,
      filter: (source) => !source.split(/[\\/]/).includes('node_modules'),
    });
  }
  return dir;
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((file) => statSync(file).isFile());
}

/** Every eng-disable comment in the staged files; one without a `: reason` after its check ids is refused. */
function findExceptions(dir) {
  const exceptions = [];
  for (const file of listFiles(dir).filter((f) => SCANNED.test(f))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        const match = EXCEPTION.exec(line);
        if (!match) return;
        const reason = /^\s*[:-]\s*(.*?)\s*(?:\*\/|-->)?\s*$/.exec(match[2] ?? '')?.[1] ?? '';
        exceptions.push({
          where: `${relative(dir, file)}:${index + 1}`,
          checks: match[1].trim().split(/[\s,]+/),
          reason,
        });
      });
  }
  return exceptions;
}

function electronVersion(dir) {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return { ...pkg.devDependencies, ...pkg.dependencies }.electron ?? 'not found in package.json';
  } catch {
    return 'no package.json';
  }
}

async function loadElectronegativity() {
  const require = createRequire(join(repo, 'package.json'));
  const base = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  // The upstream i18n loader downloads translations on every run; use the English texts it ships instead.
  const i18nModule = join(base, 'dist/locales/i18n.js');
  const i18n = createRequire(i18nModule)('i18n');
  const exports = async () => {
    i18n.configure({
      locales: ['en-US'],
      defaultLocale: 'en-US',
      directory: dirname(i18nModule),
      updateFiles: false,
      objectNotation: true,
      retryInDefaultLocale: true,
      register: globalThis,
    });
    i18n.setLocale('en-US');
  };
  require.cache[i18nModule] = { id: i18nModule, filename: i18nModule, loaded: true, exports };
  return { run: require(base), version: require(join(base, 'package.json')).version };
}

function csvCell(value) {
  const text = String(value ?? '');
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const staged = stage(options.root, options.inputs);
  try {
    const { run, version } = await loadElectronegativity();
    const result = await run(
      { input: staged, isRelative: true, customScan: [], excludeFromScan: NETWORK_ONLY_CHECKS },
      false,
    );
    const files = listFiles(staged).filter((f) => SCANNED.test(f) || f.endsWith('package.json'));
    const findings = result.issues
      .map((issue) => ({
        severity: issue.severity.name,
        confidence: issue.confidence.name,
        id: issue.id,
        file: issue.file,
        line: issue.location.line,
        column: issue.location.column,
        description: issue.description,
        manualReview: issue.manualReview === true,
        url: issue.shortenedURL,
      }))
      .sort((a, b) => SEVERITY_ORDER.indexOf(b.severity) - SEVERITY_ORDER.indexOf(a.severity) || a.file.localeCompare(b.file));
    const failing = findings.filter((f) => SEVERITY_ORDER.indexOf(f.severity) >= SEVERITY_ORDER.indexOf(FAIL_AT));
    const parseErrors = result.errors.filter((e) => !e.tolerable).map((e) => ({ file: relative(staged, e.file), message: e.message }));
    const exceptions = findExceptions(staged);
    const unexplained = exceptions.filter((e) => e.reason.split(/\s+/).filter(Boolean).length < 2);

    mkdirSync(options.out, { recursive: true });
    writeFileSync(
      join(options.out, 'electronegativity.json'),
      `${JSON.stringify({ electronegativity: version, inputs: options.inputs, files: files.length, findings, parseErrors, exceptions }, null, 2)}\n`,
    );
    const columns = ['severity', 'confidence', 'id', 'file', 'line', 'column', 'manualReview', 'description', 'url'];
    writeFileSync(
      join(options.out, 'electronegativity.csv'),
      [columns.join(','), ...findings.map((f) => columns.map((c) => csvCell(f[c])).join(','))].join('\n') + '\n',
    );

    const count = (severity) => findings.filter((f) => f.severity === severity).length;
    console.log(
      `Electronegativity ${version} over ${options.inputs.join(', ')}: ${files.length} files, ` +
        `${result.atomicChecks + result.globalChecks} checks (${result.atomicChecks} atomic, ${result.globalChecks} global), ` +
        `Electron ${electronVersion(staged)}`,
    );
    for (const f of findings) {
      const mark = failing.includes(f) ? 'FAIL' : 'note';
      console.log(
        `  ${mark} ${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id} ${f.file}:${f.line}:${f.column}` +
          `${f.manualReview ? ' (review)' : ''}\n       ${f.description} ${f.url}`,
      );
    }
    for (const e of parseErrors) console.log(`  FAIL could not parse ${e.file}, so no check saw it: ${e.message}`);
    for (const e of exceptions) {
      const ok = !unexplained.includes(e);
      console.log(`  ${ok ? 'exception' : 'FAIL exception without a reason'} ${e.where} ${e.checks.join(', ')}${ok ? `: ${e.reason}` : ''}`);
    }
    const problems = failing.length + parseErrors.length + unexplained.length;
    console.log(
      `lint:security: ${count('HIGH')} high, ${count('MEDIUM')} medium, ${count('LOW')} low, ` +
        `${count('INFORMATIONAL')} informational; ${exceptions.length} inline exceptions; ` +
        `${parseErrors.length} unparsed files: ${problems === 0 ? 'passed' : 'FAILED'} ` +
        `(report in ${relative(process.cwd(), options.out) || '.'}/electronegativity.{json,csv})`,
    );
    process.exitCode = problems === 0 ? 0 : 1;
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`lint:security: ${error?.stack ?? error}`);
  process.exitCode = 1;
});
