// The drafts as a table: select for a batch send, open, rename in place, duplicate, export and delete.
import { useEffect, useRef, useState } from 'react';
import type { DraftSummary } from '../../../../preload/contract';
import { formatWhen, sendKindLabel } from './draft-text';

export function DraftsTable({
  drafts,
  profileName,
  isOpen,
  selected,
  readyIds,
  busy,
  renaming,
  onSelect,
  onSelectAll,
  onOpen,
  onStartRename,
  onRename,
  onCancelRename,
  onDuplicate,
  onExport,
  onDelete,
}: {
  drafts: DraftSummary[];
  profileName: (id: string | undefined) => string | undefined;
  /** The draft is the one open in its form. */
  isOpen: (summary: DraftSummary) => boolean;
  selected: ReadonlySet<string>;
  /** The drafts that can be sent, which "select all" selects. */
  readyIds: string[];
  /** A batch send is running: the selection is frozen. */
  busy: boolean;
  /** The id of the draft being renamed. */
  renaming: string | undefined;
  onSelect: (id: string, on: boolean) => void;
  onSelectAll: (on: boolean) => void;
  onOpen: (summary: DraftSummary) => void;
  onStartRename: (id: string) => void;
  onRename: (summary: DraftSummary, name: string) => void;
  onCancelRename: () => void;
  onDuplicate: (summary: DraftSummary) => void;
  onExport: (summary: DraftSummary) => void;
  onDelete: (summary: DraftSummary) => void;
}) {
  return (
    <div className="table-wrap card flush">
      <table className="data-table drafts-table" data-testid="drafts-table">
        <thead>
          <tr>
            <th scope="col" className="select-col">
              <input
                type="checkbox"
                aria-label="Select all ready drafts"
                title="Select all ready drafts"
                checked={readyIds.length > 0 && readyIds.every((id) => selected.has(id))}
                disabled={readyIds.length === 0 || busy}
                onChange={(e) => onSelectAll(e.target.checked)}
                data-testid="drafts-select-ready"
              />
            </th>
            <th scope="col">Draft</th>
            <th scope="col">Target</th>
            <th scope="col">Last change</th>
            <th scope="col">Readiness</th>
            <th scope="col" className="actions-col">
              <span className="offscreen">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {drafts.map((summary) => (
            <DraftRow
              key={summary.id}
              summary={summary}
              profileName={profileName(summary.profileId)}
              open={isOpen(summary)}
              selected={selected.has(summary.id)}
              onSelect={(on) => onSelect(summary.id, on)}
              selectDisabled={busy}
              renaming={renaming === summary.id}
              onOpen={() => onOpen(summary)}
              onStartRename={() => onStartRename(summary.id)}
              onRename={(name) => onRename(summary, name)}
              onCancelRename={onCancelRename}
              onDuplicate={() => onDuplicate(summary)}
              onExport={() => onExport(summary)}
              onDelete={() => onDelete(summary)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DraftRow({
  summary,
  profileName,
  open,
  selected,
  onSelect,
  selectDisabled,
  renaming,
  onOpen,
  onStartRename,
  onRename,
  onCancelRename,
  onDuplicate,
  onExport,
  onDelete,
}: {
  summary: DraftSummary;
  profileName: string | undefined;
  open: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  selectDisabled: boolean;
  renaming: boolean;
  /** Opens the draft in its form (WNS credentials and removals on the Applications page). */
  onOpen: () => void;
  onStartRename: () => void;
  onRename: (name: string) => void;
  onCancelRename: () => void;
  onDuplicate: () => void;
  onExport: () => void;
  onDelete: () => void;
}) {
  const [name, setName] = useState(summary.name);
  // Enter commits and unmounts the input, which may also blur it: commit once per rename.
  const committed = useRef(false);
  useEffect(() => {
    setName(summary.name);
    committed.current = false;
  }, [summary.name, renaming]);
  const commit = (value: string | undefined) => {
    if (committed.current) return;
    committed.current = true;
    if (value === undefined) onCancelRename();
    else onRename(value);
  };
  return (
    <tr data-testid="draft-row" data-draft-id={summary.id} aria-label={summary.name}>
      <td className="select-col">
        <input
          type="checkbox"
          aria-label={`Select ${summary.name}`}
          checked={selected}
          disabled={selectDisabled}
          onChange={(e) => onSelect(e.target.checked)}
          data-testid="draft-select"
        />
      </td>
      <td className="name-cell">
        {renaming ? (
          <input
            className="rename-input"
            value={name}
            autoFocus
            aria-label="Draft name"
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit(name);
              if (e.key === 'Escape') commit(undefined);
            }}
            onBlur={() => commit(name)}
            data-testid="draft-rename-input"
          />
        ) : (
          <button type="button" className="link-button draft-name" onClick={onOpen} title="Open in its form">
            {summary.name}
          </button>
        )}
        {open ? <span className="badge accent">open</span> : null}
        <div className="muted small file-names">
          {sendKindLabel(summary.kind, summary.issue)}
          {summary.fileNames.length > 0 ? ` · ${summary.fileNames.join(', ')}` : ''}
        </div>
      </td>
      <td>
        <div>{profileName ?? <span className="muted">No profile</span>}</div>
        {summary.appId ? <div className="muted small mono">{summary.appId}</div> : null}
      </td>
      <td className="nowrap" title={summary.updatedAt}>
        {formatWhen(summary.updatedAt)}
      </td>
      <td>
        {summary.ready ? (
          <span className="state-badge sent" data-testid="draft-readiness">
            Ready
          </span>
        ) : (
          <details className="problems" data-testid="draft-readiness">
            <summary title={summary.problems.join('\n')}>
              <span className="state-badge failed">
                {summary.problems.length} {summary.problems.length === 1 ? 'problem' : 'problems'}
              </span>
            </summary>
            <ul>
              {summary.problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </details>
        )}
      </td>
      <td className="row-actions">
        <button type="button" className="button small" onClick={onOpen}>
          Open
        </button>
        <button type="button" className="button small ghost" onClick={onStartRename}>
          Rename
        </button>
        <button type="button" className="button small ghost" onClick={onDuplicate}>
          Duplicate
        </button>
        <button type="button" className="button small ghost" onClick={onExport}>
          Export
        </button>
        <button type="button" className="button small ghost danger-text" onClick={onDelete}>
          Delete
        </button>
      </td>
    </tr>
  );
}
