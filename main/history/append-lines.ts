// Appending to the history's JSON Lines files (history.jsonl, pass-status.jsonl).
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Append whole lines and fsync before resolving. A torn last line (a crash mid-append) must not swallow these
 * lines, so they start on a new line when the file does not end with one.
 */
export async function appendLinesSynced(path: string, lines: string[]): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const handle = await open(path, 'a+', 0o600);
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await handle.write(`${prefix}${lines.join('\n')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
