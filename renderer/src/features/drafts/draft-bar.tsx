// The strip above a draft-backed form: which draft this is, whether it is saved, and the way out of a conflict.
// Also the note under a file that says the draft sends its own copy when the original moved or changed.
import type { DraftFile, DraftFileStatus } from '../../../../preload/contract';
import type { SaveState } from './use-draft-editor';
import { formatWhen } from './draft-text';

export function DraftBar({
  name,
  save,
  onLoadStored,
  onKeepMine,
  onNew,
  closeLabel,
}: {
  name: string;
  save: SaveState;
  onLoadStored: () => void;
  onKeepMine: () => void;
  onNew: () => void;
  /** A form shown beside others (the Applications page) closes its draft rather than starting a new one. */
  closeLabel?: string;
}) {
  return (
    <div className="draft-bar" data-testid="draft-bar">
      <div className="draft-bar-name">
        <span className="draft-bar-label">Draft</span>
        <strong data-testid="draft-name">{name}</strong>
      </div>
      <SaveIndicator save={save} />
      {save.state === 'error' && save.conflict ? (
        <div className="draft-bar-actions">
          {save.conflict === 'changed' ? (
            <button type="button" className="button small" onClick={onLoadStored}>
              Load the stored version
            </button>
          ) : null}
          <button type="button" className="button small primary" onClick={onKeepMine}>
            {save.conflict === 'changed' ? 'Keep mine' : 'Save as a new draft'}
          </button>
        </div>
      ) : null}
      {closeLabel ? (
        <button type="button" className="button ghost small push-right" onClick={onNew} data-testid="draft-close">
          {closeLabel}
        </button>
      ) : (
        <button type="button" className="button ghost small push-right" onClick={onNew} data-testid="draft-new" data-menu-action="new-draft">
          New draft
        </button>
      )}
    </div>
  );
}

function SaveIndicator({ save }: { save: SaveState }) {
  const text =
    save.state === 'new'
      ? 'Not saved yet: saved as you type'
      : save.state === 'saving'
        ? 'Saving…'
        : save.state === 'saved'
          ? 'Saved'
          : `Not saved: ${save.message}`;
  return (
    <span
      className={`save-state ${save.state}`}
      role="status"
      aria-live="polite"
      data-testid="draft-save-state"
      data-state={save.state}
      title={save.state === 'saved' && save.at ? `Saved ${formatWhen(save.at)}` : undefined}
    >
      <span className="save-dot" aria-hidden="true" />
      {text}
    </span>
  );
}

/** Under a file row: the original on disk moved or changed since it was added (the draft sends its own copy). */
export function OriginalFileNote({
  file,
  status,
  onUseNew,
}: {
  file: DraftFile;
  status: DraftFileStatus | undefined;
  onUseNew?: () => void;
}) {
  if (status === undefined || status === 'unchanged') return null;
  const added = formatWhen(file.addedAt);
  return (
    <p className="inline-warning original-note" data-testid="original-status" data-status={status}>
      {status === 'missing'
        ? `The original file is no longer at ${file.originalPath}. The draft keeps its own copy (added ${added}) and sends that.`
        : `The original file has changed since it was added (${added}). The draft sends the copy it took then.`}
      {status === 'changed' && onUseNew ? (
        <button type="button" className="button small" onClick={onUseNew}>
          Use the new version
        </button>
      ) : null}
    </p>
  );
}
