// Shared plumbing of the benchmark: child processes timed from outside, medians, the emulator in its own
// process, and the result rows that run.ts prints and writes.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import CLI_NODE_FLAGS from '../main/cli/node-flags.json';

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../..');
// Not under out/: `npm run build` empties out/, and another build must not pull the helpers away mid-run. Inside
// node_modules the bundles still resolve their (external) packages. One folder per checkout: worktrees that share
// one node_modules (a link) would otherwise delete each other's helpers in the middle of a run.
export const BENCH_OUT = join(REPO_ROOT, 'node_modules/.cache', `engagement-desk-bench-${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12)}`);

export interface BenchConfig {
  quick: boolean;
  /** Runs per side for the transfer rows (3 for the request-rate row in a full run). */
  runs: number;
  workDir: string;
  log(line: string): void;
}

export interface BenchRow {
  id: string;
  scenario: string;
  unit: 'ms' | 'req/s' | 'KB';
  ours: number;
  reference?: number;
  /** What the reference is (curl command, or the same operation at another size). */
  referenceLabel?: string;
  /** ours / reference for times and sizes; reference / ours for rates, so above 1 always means "we are slower". */
  ratio?: number;
  oursPeakRssMB?: number;
  target: string;
  /** null: reported for information, no target applies. */
  pass: boolean | null;
  runs: number;
  /** Every sample, for whoever wants to look beyond the median. */
  samples: { ours: number[]; reference?: number[] };
  notes?: string;
}

export { median } from './lib-stats';

export interface ProcessRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, as the user waiting at a prompt sees it. */
  wallMs: number;
}

/** Runs a command to completion, timing it from the outside (spawn to exit); `input` is written to its stdin. */
export async function runTimed(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<ProcessRun> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Closed at once when there is no input (an end of file, as an ignored stdin gives); a command that exits
  // without reading its input is not an error here.
  child.stdin.on('error', () => {});
  if (options.input === undefined) child.stdin.end();
  else child.stdin.end(options.input);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code: code ?? 1, stdout, stderr, wallMs: performance.now() - started };
}

/**
 * The built engagement-desk bin, run as its shebang line runs it: this Node with the bin's Node flags. To measure
 * another build side by side (before/after a change), BENCH_CLI names its bin and BENCH_CLI_NODE the Node to run it.
 */
export const CLI_PATH = process.env.BENCH_CLI ?? join(REPO_ROOT, 'out/cli/engagement-desk.js');
export const CLI_NODE = process.env.BENCH_CLI_NODE ?? process.execPath;

export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<ProcessRun> {
  return runTimed(CLI_NODE, [...CLI_NODE_FLAGS, CLI_PATH, ...args], options);
}

/** What bench/ours-process.ts prints: its own op time and peak memory. */
export interface OursReport {
  opMs: number;
  maxRssBytes: number;
  [key: string]: unknown;
}

/** Runs one of our measured operations in its own Node process (bundled, no TypeScript loader in the way). */
export async function runOurs(mode: string, config: Record<string, unknown>): Promise<{ run: ProcessRun; report: OursReport }> {
  // The same Node flags as the engagement-desk bin's shebang, so the CLI rows measure what a user runs.
  const run = await runTimed(process.execPath, [...CLI_NODE_FLAGS, join(BENCH_OUT, 'ours-process.js'), mode, JSON.stringify(config)]);
  if (run.code !== 0) throw new Error(`ours (${mode}) exited with ${run.code}: ${run.stderr.trim() || run.stdout.trim()}`);
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  return { run, report: JSON.parse(line) as OursReport };
}

export interface EmulatorProcess {
  url: string;
  /** Clears the emulator's request log (it would otherwise grow over thousands of requests). */
  clearRequests(): Promise<void>;
  requests(): Promise<Array<{ path: string; status: number }>>;
  stop(): Promise<void>;
}

/** The emulator in a separate process, so its CPU and memory are not counted as ours. */
export async function startEmulatorProcess(dataDir: string): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [join(BENCH_OUT, 'emulator-process.js'), JSON.stringify({ dataDir })], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      const line = buffered.split('\n').find((l) => l.startsWith('{'));
      if (line) resolveUrl((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the emulator process exited early (${code})`)));
  });
  const control = async (method: 'GET' | 'DELETE', name: string) => {
    const response = await request(`${url}/__emulator/${name}`, { method });
    return method === 'GET' ? response.body.json() : response.body.dump();
  };
  return {
    url,
    clearRequests: async () => void (await control('DELETE', 'requests')),
    requests: async () => (await control('GET', 'requests')) as Array<{ path: string; status: number }>,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const CURL_USER = 'sandbox:sandbox';

export function toMB(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Alternates ours and the reference run by run (and which goes first), so drift hits both alike. */
export async function alternate(runs: number, ours: () => Promise<number>, reference: () => Promise<number>): Promise<{ ours: number[]; reference: number[] }> {
  const result = { ours: [] as number[], reference: [] as number[] };
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      result.ours.push(await ours());
      result.reference.push(await reference());
    } else {
      result.reference.push(await reference());
      result.ours.push(await ours());
    }
  }
  return result;
}
