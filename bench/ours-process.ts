// One measured operation of ours in its own process (bundled to out/bench/ours-process.js, run with plain node),
// so the peak RSS it reports is the process's own. Prints one JSON line: the operation's time and peak memory.
import { readFileSync } from 'node:fs';
import { tuneV8ForShortBursts } from '../main/runtime-tuning';

// As the engagement-desk binary does at its start (main/cli/index.ts).
tuneV8ForShortBursts();

const [mode = '', rawConfig = '{}'] = process.argv.slice(2);
const config = JSON.parse(rawConfig) as Record<string, unknown>;

async function main(): Promise<Record<string, unknown>> {
  switch (mode) {
    case 'download':
    case 'upload':
    case 'batch': {
      const { runTransfer } = await import('./ours/transfer');
      return runTransfer(mode, config);
    }
    case 'batch-app': {
      const { runAppBatch } = await import('./ours/transfer');
      return runAppBatch(config);
    }
    case 'checks': {
      const { runChecks } = await import('./ours/checks');
      return runChecks(config);
    }
    case 'drafts': {
      const { runDrafts } = await import('./ours/drafts');
      return runDrafts(config);
    }
    default:
      throw new Error(`unknown mode "${mode}"`);
  }
}

/**
 * Peak resident memory of this process. On Linux getrusage's maxRSS survives fork+exec, so a child spawned by a
 * large parent would report the parent's size; VmHWM belongs to this process image alone.
 */
function peakRssBytes(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

main().then(
  (report) => {
    process.stdout.write(`${JSON.stringify({ ...report, maxRssBytes: peakRssBytes() })}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
