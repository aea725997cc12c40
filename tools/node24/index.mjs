#!/usr/bin/env node
// `node tools/node24 SCRIPT ARGS…` runs SCRIPT on Node 24 whatever Node runs npm: the npm scripts start here.
// Node 24's folder goes first on the child's PATH, so that what it starts in turn (the engagement-desk bin through
// its `#!/usr/bin/env node` line, tsc, the test runner's workers) runs on Node 24 too. The child gets the
// terminal, and its exit code or signal becomes ours.
import { spawn } from 'node:child_process';
import { delimiter, dirname } from 'node:path';
import { node24Path } from './path.mjs';

let node;
try {
  node = node24Path();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const pathKey = Object.keys(process.env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH';
const env = { ...process.env, [pathKey]: [dirname(node), process.env[pathKey]].filter(Boolean).join(delimiter) };
const child = spawn(node, process.argv.slice(2), { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
