// Loaded with `node --import` into a child process: writes the URL of every module the process loaded (its own
// and its packages') to LOADED_MODULES_FILE at exit, one per line, followed by `builtin:<id>` for each of Node's
// own modules that loaded after this hook (process.moduleLoadList), so a test can tell what a CLI command pulled
// in before it did its work.
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const target = process.env.LOADED_MODULES_FILE;
if (target) {
  const loaded = new Set();
  const builtinsBefore = new Set(process.moduleLoadList);
  registerHooks({
    load(url, context, nextLoad) {
      if (url.startsWith('file:')) loaded.add(url);
      return nextLoad(url, context);
    },
  });
  process.on('exit', () => {
    const builtins = process.moduleLoadList
      .filter((entry) => !builtinsBefore.has(entry) && entry.startsWith('NativeModule '))
      .map((entry) => `builtin:${entry.slice('NativeModule '.length)}`);
    writeFileSync(target, [...loaded, ...builtins].join('\n'));
  });
}
