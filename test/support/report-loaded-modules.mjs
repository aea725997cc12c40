// Loaded with `node --import` into a child process: writes the URL of every module the process loaded (its own
// and its packages', not Node's built-ins) to LOADED_MODULES_FILE at exit, one per line, so a test can tell what a
// CLI command pulled in before it did its work.
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const target = process.env.LOADED_MODULES_FILE;
if (target) {
  const loaded = new Set();
  registerHooks({
    load(url, context, nextLoad) {
      if (url.startsWith('file:')) loaded.add(url);
      return nextLoad(url, context);
    },
  });
  process.on('exit', () => {
    writeFileSync(target, [...loaded].join('\n'));
  });
}
