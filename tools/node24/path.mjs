// Where the Node 24 binary is: the registry's per-platform Node package (bin/node, no install script) that npm
// installed as an optional dependency of this folder, or this process's own Node when it is already 24 or newer.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const NODE_MAJOR = 24;

/** The Node binary the npm scripts run on; throws with what to do when none fits. */
export function node24Path() {
  const require = createRequire(import.meta.url);
  const name = `node-${process.platform}-${process.arch}`;
  try {
    const manifest = require.resolve(`${name}/package.json`);
    const { bin } = require(`${name}/package.json`);
    return join(dirname(manifest), typeof bin === 'string' ? bin : bin.node);
  } catch {
    if (Number(process.versions.node.split('.')[0]) >= NODE_MAJOR) return process.execPath;
    throw new Error(
      `No Node ${NODE_MAJOR} for ${process.platform}-${process.arch}: the registry package ${name} is not installed ` +
        `(run npm ci), or there is none for this platform (run npm with Node ${NODE_MAJOR} on PATH instead).`,
    );
  }
}
