// Entry point of the engagement-desk binary (bundled to out/cli/engagement-desk.js). It loads nothing but this file
// before it knows what to do: `--version` is answered here, and everything else is imported after Node's compile
// cache is on, so the second and later runs skip compiling the bundle (the cache lives in the OS temp folder;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off).
import * as nodeModule from 'node:module';
import { nodeVersionProblem } from './node-version';
import { CLI_VERSION } from './version';

const argv = process.argv.slice(2);
const tooOld = nodeVersionProblem(process.version);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${CLI_VERSION}\n`);
} else if (tooOld !== undefined) {
  // Said before anything else loads: the bundle itself cannot load on such a Node.
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'node-version', message: tooOld } })}\n`);
  else process.stderr.write(`${tooOld}\n`);
  process.exitCode = 1;
} else {
  // Node 22.1 and later; on an older Node the CLI still runs, only without the cache.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  await import('./start');
}
