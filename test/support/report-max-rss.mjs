// Loaded with `node --import` into a child process: writes its peak resident memory (bytes) to MAX_RSS_FILE at exit,
// so a test can hold a CLI run to a memory budget without any tool outside Node.
// On Linux the peak comes from VmHWM: getrusage's ru_maxrss survives execve, so a child spawned by a large parent
// would start with the parent's peak.
import { readFileSync, writeFileSync } from 'node:fs';

function peakRss() {
  try {
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS * 1024;
}

const target = process.env.MAX_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, String(peakRss()));
  });
}
