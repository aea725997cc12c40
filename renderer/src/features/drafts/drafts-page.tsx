// The Drafts page (issue #5): every certificate upload and pass update being prepared, newest change first, with
// search, open, rename in place, duplicate, export/import as one file, and delete with Undo. Several drafts can
// be selected and sent at once (issue #6), with progress, Stop and a result per draft.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DraftsSendManyResult, DraftStoreProblem, DraftSummary } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { BatchProgress } from '../../components/batch-progress';
import { useBatch } from '../../lib/use-batch';
import { useProfiles } from '../profiles/profiles-context';
import { useDraftSession, type FormKind } from './draft-session';
import { DraftsSendResults } from './drafts-send-results';
import { DraftsTable } from './drafts-table';
import { exportFileName } from './draft-text';
import './drafts.css';

const UNDO_MS = 10_000;

export function DraftsPage({ active }: { active: boolean }) {
  const reportError = useReportError();
  const session = useDraftSession();
  const { profiles } = useProfiles();
  const [query, setQuery] = useState('');
  const [drafts, setDrafts] = useState<DraftSummary[] | undefined>(undefined);
  const [problems, setProblems] = useState<DraftStoreProblem[]>([]);
  const [renaming, setRenaming] = useState<string | undefined>(undefined);
  const [deleted, setDeleted] = useState<{ id: string; name: string } | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const undoTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const batch = useBatch();
  const [sendResult, setSendResult] = useState<{ result: DraftsSendManyResult; names: Map<string, string> } | undefined>(undefined);

  const load = useCallback(async () => {
    const result = await api.draftsList({ ...(query.trim() ? { query: query.trim() } : {}) });
    if (!result.ok) {
      reportError(result.error, () => void load());
      return;
    }
    setDrafts(result.value.drafts);
    setProblems(result.value.problems);
  }, [query, reportError]);

  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(() => void load(), 150);
    return () => clearTimeout(timer);
  }, [active, load]);

  useEffect(() => () => clearTimeout(undoTimer.current), []);

  const profileName = (id: string | undefined) => (id ? (profiles.find((p) => p.id === id)?.name ?? 'Missing profile') : undefined);

  const create = (kind: FormKind) => session.startNew(kind);

  const rename = async (summary: DraftSummary, name: string) => {
    setRenaming(undefined);
    if (name.trim() === '' || name.trim() === summary.name) return;
    const result = await api.draftsRename({ id: summary.id, name: name.trim() });
    if (!result.ok) {
      reportError(result.error);
      return;
    }
    session.notifyChanged(summary.id);
    await load();
  };

  const duplicate = async (summary: DraftSummary) => {
    const result = await api.draftsDuplicate({ id: summary.id });
    if (!result.ok) reportError(result.error);
    else setNotice(`Duplicated as “${result.value.draft.name}”.`);
    await load();
  };

  const remove = async (summary: DraftSummary) => {
    const result = await api.draftsDelete({ id: summary.id });
    if (!result.ok) {
      reportError(result.error);
      return;
    }
    session.forget(summary.id);
    setDeleted({ id: summary.id, name: summary.name });
    clearTimeout(undoTimer.current);
    undoTimer.current = setTimeout(() => setDeleted(undefined), UNDO_MS);
    await load();
  };

  const undo = async () => {
    if (!deleted) return;
    clearTimeout(undoTimer.current);
    const result = await api.draftsRestore({ id: deleted.id });
    setDeleted(undefined);
    if (!result.ok) reportError(result.error);
    else setNotice(`Restored “${result.value.draft.name}”.`);
    await load();
  };

  const exportDraft = async (summary: DraftSummary) => {
    const chosen = await api.dialogSaveFile({ kind: 'draft', defaultName: exportFileName(summary.name) });
    if (!chosen.ok) {
      reportError(chosen.error);
      return;
    }
    if (!chosen.value.path) return;
    const result = await api.draftsExport({ id: summary.id, path: chosen.value.path });
    if (!result.ok) reportError(result.error, () => void exportDraft(summary));
    else setNotice(`Exported “${summary.name}” with its files to ${result.value.path}.`);
  };

  const importDraft = async () => {
    const chosen = await api.dialogOpenFile({ kind: 'draft' });
    if (!chosen.ok) {
      reportError(chosen.error);
      return;
    }
    const path = chosen.value.paths[0];
    if (!path) return;
    const result = await api.draftsImport({ path });
    if (!result.ok) {
      reportError(result.error);
      return;
    }
    const { draft } = result.value;
    setNotice(
      `Imported “${draft.name}”${draft.profileId ? '' : ': choose a server profile for it before sending'}.`,
    );
    await load();
  };

  // Only drafts still listed stay selected (a search or a delete hides the others).
  const selectedIds = (drafts ?? []).filter((d) => selected.has(d.id)).map((d) => d.id);
  const readyIds = (drafts ?? []).filter((d) => d.ready).map((d) => d.id);
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const sendSelected = async () => {
    const ids = selectedIds;
    if (ids.length === 0) return;
    const names = new Map((drafts ?? []).map((d) => [d.id, d.name]));
    setSendResult(undefined);
    const result = await batch.run(ids.length, (operationId) => api.draftsSendMany({ operationId, ids }));
    if (result.ok) {
      setSendResult({ result: result.value, names });
      setSelected(new Set(result.value.results.filter((r) => r.status === 'failed' || r.status === 'skipped').map((r) => r.id)));
    } else {
      reportError(result.error, () => void sendSelected());
    }
    await load();
  };

  // Sent without the secret it needs (not remembered): its form opens with the secret field focused and says so.
  const askSecret = (id: string) => {
    const summary = (drafts ?? []).find((d) => d.id === id);
    if (summary) session.openDraft(id, summary.kind, summary.profileId, { askSecret: true });
  };

  return (
    <div className="page" data-testid="drafts-page">
      <header className="page-header">
        <h1>Drafts</h1>
        <p className="page-intro">
          Certificate uploads and removals, WNS credentials and pass updates are drafts, saved as you type. Files are
          copied in, so a draft still sends after the original is moved.
        </p>
      </header>
      <div className="toolbar">
        <input
          type="search"
          className="search"
          placeholder="Search by name, app ID, profile or file"
          aria-label="Search drafts"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="drafts-search"
        />
        <span className="push-right" />
        <button type="button" className="button" onClick={() => void importDraft()} data-testid="drafts-import" data-menu-action="import-draft">
          Import…
        </button>
        <button type="button" className="button" onClick={() => create('pass-update')} data-testid="drafts-new-pass">
          New pass update
        </button>
        <button type="button" className="button primary" onClick={() => create('cert-upload')} data-testid="drafts-new-cert" data-menu-action="new-draft">
          New certificate upload
        </button>
      </div>
      {notice ? (
        <p className="status ok dismissible" role="status" data-testid="drafts-notice">
          <span>{notice}</span>
          <button type="button" className="button ghost small" onClick={() => setNotice(undefined)} aria-label="Dismiss">
            ×
          </button>
        </p>
      ) : null}
      {problems.length > 0 ? (
        <details className="warn-note wide">
          <summary>
            {problems.length} draft {problems.length === 1 ? 'file' : 'files'} could not be read and {problems.length === 1 ? 'was' : 'were'} set aside
          </summary>
          <ul>
            {problems.map((p) => (
              <li key={p.file}>
                {p.message} <span className="mono small">{p.file}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {selectedIds.length > 0 || batch.running ? (
        <div className="card drafts-batch-bar" data-testid="drafts-batch-bar">
          {batch.running ? (
            <BatchProgress label="Sending drafts" tally={batch.tally} onStop={() => void batch.stop()} stopping={batch.stopping} />
          ) : (
            <div className="actions">
              <button type="button" className="button primary" onClick={() => void sendSelected()} data-testid="drafts-send-selected" data-menu-action="send">
                Send selected ({selectedIds.length})
              </button>
              <button type="button" className="button ghost" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
              <span className="muted small">Each draft is sent as saved; an unreachable server puts it in the Outbox.</span>
            </div>
          )}
        </div>
      ) : null}
      {sendResult && !batch.running ? <DraftsSendResults result={sendResult.result} names={sendResult.names} onDismiss={() => setSendResult(undefined)} onAskSecret={askSecret} /> : null}
      {drafts === undefined ? (
        <p className="muted">Loading drafts…</p>
      ) : drafts.length === 0 ? (
        <div className="empty-state card" data-testid="drafts-empty">
          <strong>{query.trim() ? `No drafts match “${query.trim()}”.` : 'No drafts yet.'}</strong>
          <span className="muted">Start a certificate upload or a pass update: it is kept here as you work on it.</span>
        </div>
      ) : (
        <DraftsTable
          drafts={drafts}
          profileName={profileName}
          isOpen={(summary) => session.open[summary.kind].id === summary.id}
          selected={selected}
          readyIds={readyIds}
          busy={batch.running}
          renaming={renaming}
          onSelect={toggle}
          onSelectAll={(on) => setSelected(on ? new Set(readyIds) : new Set())}
          onOpen={(summary) => session.openDraft(summary.id, summary.kind, summary.profileId)}
          onStartRename={setRenaming}
          onRename={(summary, name) => void rename(summary, name)}
          onCancelRename={() => setRenaming(undefined)}
          onDuplicate={(summary) => void duplicate(summary)}
          onExport={(summary) => void exportDraft(summary)}
          onDelete={(summary) => void remove(summary)}
        />
      )}
      {deleted ? (
        <div className="toast" role="status" data-testid="undo-toast">
          <span>
            Deleted “<strong>{deleted.name}</strong>”.
          </span>
          <button type="button" className="button small" onClick={() => void undo()}>
            Undo
          </button>
          <button type="button" className="button ghost small" aria-label="Close" onClick={() => setDeleted(undefined)}>
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
