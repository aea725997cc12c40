// A one-line progress bar on a terminal's stderr (never on stdout, which --json keeps for its single object).
import type { TransferProgressUpdate } from '../server/engagement-client';
import { formatBytes } from './output';

export function createProgressBar(write: (text: string) => void, label: string, now: () => number = Date.now) {
  const started = now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(progress: TransferProgressUpdate) {
      const t = now();
      const done = progress.total !== undefined && progress.transferred >= progress.total;
      if (!done && t - lastDraw < 100) return;
      lastDraw = t;
      drawn = true;
      const seconds = Math.max((t - started) / 1000, 0.001);
      const rate = `${formatBytes(progress.transferred / seconds)}/s`;
      if (progress.total !== undefined && progress.total > 0) {
        const ratio = Math.min(1, progress.transferred / progress.total);
        const width = 24;
        const filled = Math.round(ratio * width);
        write(
          `\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ` +
            `${formatBytes(progress.transferred)} / ${formatBytes(progress.total)} ${rate}   `,
        );
      } else {
        write(`\r${label} ${formatBytes(progress.transferred)} ${rate}   `);
      }
    },
    finish() {
      if (drawn) write('\n');
    },
  };
}
