// Runs the built CLI (out/cli/engagement-desk.js) as a user's shell would: a child process with its own stdin,
// environment and exit code.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
export const CLI_PATH = join(REPO_ROOT, 'out/cli/engagement-desk.js');
const CLI_NODE_FLAGS = JSON.parse(readFileSync(join(REPO_ROOT, 'main/cli/node-flags.json'), 'utf8')) as string[];

/**
 * The command that starts the built CLI with `args`: the script itself, through its shebang, as the installed
 * `engagement-desk` bin is, so its Node flags apply. Windows has no shebangs: there npm's bin shim runs
 * `node <script>`, and so does this, with the same flags.
 */
export function cliCommand(args: string[]): [string, string[]] {
  return process.platform === 'win32' ? [process.execPath, [...CLI_NODE_FLAGS, CLI_PATH, ...args]] : [CLI_PATH, args];
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident memory in bytes, when measureMemory was asked for. */
  maxRss?: number;
  /** The single JSON object printed with --json (throws if stdout is not exactly one object). */
  json(): Record<string, unknown>;
}

export async function runCliProcess(
  args: string[],
  options: { home: string; stdin?: string; env?: NodeJS.ProcessEnv; measureMemory?: string } ,
): Promise<CliRun> {
  const [command, argv] = cliCommand(args);
  const child = spawn(command, argv, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ENGAGEMENT_DESK_HOME: options.home,
      ...(options.measureMemory
        ? { MAX_RSS_FILE: options.measureMemory, NODE_OPTIONS: `--import=${join(REPO_ROOT, 'test/support/report-max-rss.mjs')}` }
        : {}),
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(options.stdin ?? '');
  const code = await new Promise<number>((resolveExit) => child.on('close', (c) => resolveExit(c ?? 1)));
  const maxRss = options.measureMemory ? Number(await readFile(options.measureMemory, 'utf8')) : undefined;
  return {
    code,
    stdout,
    stderr,
    ...(maxRss !== undefined ? { maxRss } : {}),
    json() {
      const lines = stdout.trim().split('\n');
      if (lines.length !== 1) throw new Error(`expected exactly one JSON line on stdout, got:\n${stdout}\nstderr:\n${stderr}`);
      return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    },
  };
}
