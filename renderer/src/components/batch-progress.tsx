import { describeTally, type BatchTally } from '../../../main/core/batch-results';
import './progress.css';

/** "N of M sent, K failed" over a bar of finished items, with Stop (no new sends; those in flight finish). */
export function BatchProgress({
  label,
  tally,
  onStop,
  stopping,
}: {
  label: string;
  tally: BatchTally;
  onStop: () => void;
  stopping: boolean;
}) {
  return (
    <div className="progress batch-progress" data-testid="batch-progress">
      <div className="progress-head">
        <span className="progress-label">{stopping ? 'Stopping: waiting for the sends in flight…' : label}</span>
        <span className="progress-text" aria-live="polite" data-testid="batch-progress-text">
          {describeTally(tally)}
        </span>
      </div>
      <div className="progress-row">
        <progress className="progress-bar" aria-label={label} max={Math.max(tally.total, 1)} value={tally.completed} />
        <button type="button" className="button" onClick={onStop} disabled={stopping} data-testid="batch-stop">
          Stop
        </button>
      </div>
      <span className="muted small">
        {tally.completed.toLocaleString('en')} of {tally.total.toLocaleString('en')} finished
        {tally.failed > 0 ? <span className="danger-text"> · {tally.failed.toLocaleString('en')} failed</span> : null}
      </span>
    </div>
  );
}
