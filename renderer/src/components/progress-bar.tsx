import type { TransferProgress } from '../../../preload/contract';
import { formatBytes } from '../lib/format';

/** Determinate when the size is known, otherwise a moving bar with the byte count. */
export function ProgressBar({
  label,
  progress,
  onCancel,
  cancelling,
}: {
  label: string;
  progress: TransferProgress | undefined;
  onCancel: () => void;
  cancelling: boolean;
}) {
  const total = progress?.total;
  const transferred = progress?.transferred ?? 0;
  const percent = total && total > 0 ? Math.min(100, Math.round((transferred / total) * 100)) : undefined;
  // Once every byte is sent the server still has to answer; say so instead of sitting at 100%.
  const waiting = progress?.direction === 'upload' && percent === 100;
  const text = waiting
    ? 'Sent · waiting for the server…'
    : percent !== undefined
      ? `${percent}% · ${formatBytes(transferred)} of ${formatBytes(total ?? 0)}`
      : progress
        ? `${formatBytes(transferred)}`
        : 'Starting…';
  return (
    <div className="progress" data-testid="progress">
      <div className="progress-head">
        <span className="progress-label">{cancelling ? 'Cancelling…' : label}</span>
        <span className="progress-text" aria-live="polite">
          {text}
        </span>
      </div>
      <div className="progress-row">
        <progress
          className="progress-bar"
          aria-label={label}
          max={percent !== undefined ? 100 : undefined}
          value={percent}
        />
        <button type="button" className="button" onClick={onCancel} disabled={cancelling}>
          Cancel
        </button>
      </div>
    </div>
  );
}
