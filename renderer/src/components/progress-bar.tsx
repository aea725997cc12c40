import type { TransferProgress } from '../../../preload/contract';
import { progressView } from '../lib/progress-view';
import './progress.css';

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
  const { percent, text, cancellable } = progressView(progress);
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
        <button type="button" className="button" onClick={onCancel} disabled={cancelling || !cancellable}>
          Cancel
        </button>
      </div>
    </div>
  );
}
