// Loaded with `node --import` into a child process: writes its peak resident memory (bytes) to MAX_RSS_FILE at exit,
// so a test can hold a CLI run to a memory budget without any tool outside Node.
import { writeFileSync } from 'node:fs';

const target = process.env.MAX_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}
