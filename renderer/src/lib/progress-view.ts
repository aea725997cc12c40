// What a progress bar says about a transfer, and whether Cancel still means anything.
import type { TransferProgress } from '../../../preload/contract';
import { formatBytes } from './format';

export interface ProgressView {
  /** Percent done, when the size is known. */
  percent?: number;
  text: string;
  cancellable: boolean;
}

export function progressView(progress: TransferProgress | undefined): ProgressView {
  const total = progress?.total;
  const transferred = progress?.transferred ?? 0;
  const percent = total && total > 0 ? Math.min(100, Math.round((transferred / total) * 100)) : undefined;
  const known = percent !== undefined ? { percent } : {};
  // A download is saved before its SHA-256 is read back: nothing is left to cancel.
  if (progress?.saved) return { ...known, text: 'Saved · computing its SHA-256…', cancellable: false };
  // Once every byte is sent the server still has to answer; say so instead of sitting at 100%.
  if (progress?.direction === 'upload' && percent === 100) return { ...known, text: 'Sent · waiting for the server…', cancellable: true };
  if (percent !== undefined) return { percent, text: `${percent}% · ${formatBytes(transferred)} of ${formatBytes(total ?? 0)}`, cancellable: true };
  return { text: progress ? formatBytes(transferred) : 'Starting…', cancellable: true };
}
