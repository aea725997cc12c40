// Every send, newest first (issue #5): filter by profile, status, text and dates, and export what is shown as
// CSV or JSON through the native Save dialog. Main writes the file; the renderer only names the filter.
import { useCallback, useEffect, useState } from 'react';
import { HISTORY_KINDS, HISTORY_STATUSES, type HistoryFilter, type HistoryQueryResult, type HistoryRecord } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { CopyButton } from '../../components/copy-button';
import { inert } from '../../../../main/core/inert';
import { formatBytes } from '../../lib/format';
import { formatDuration, formatWhen, HISTORY_STATUS_LABELS, historyKindLabel, KIND_LABELS } from '../drafts/draft-text';
import { useOutbox } from '../outbox/outbox-context';
import { useProfiles } from '../profiles/profiles-context';
import { HistoryDetails, passStatusText } from './history-details';
import './history.css';

const PAGE_SIZE = 500;

interface Filters {
  profile: string;
  kind: string;
  status: string;
  text: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { profile: '', kind: '', status: '', text: '', from: '', to: '' };

/** The form's filters as the contract's filter; dates are whole local days. */
export function toHistoryFilter(filters: Filters): HistoryFilter {
  const dayStart = (day: string) => new Date(`${day}T00:00:00`).toISOString();
  const dayEnd = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();
  return {
    ...(filters.profile ? { profile: filters.profile } : {}),
    ...(filters.kind ? { kind: filters.kind as HistoryFilter['kind'] } : {}),
    ...(filters.status ? { status: filters.status as HistoryFilter['status'] } : {}),
    ...(filters.text.trim() ? { text: filters.text.trim() } : {}),
    ...(filters.from ? { from: dayStart(filters.from) } : {}),
    ...(filters.to ? { to: dayEnd(filters.to) } : {}),
  };
}

export function HistoryPage({ active }: { active: boolean }) {
  const reportError = useReportError();
  const { profiles } = useProfiles();
  const { view: outbox } = useOutbox();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [result, setResult] = useState<HistoryQueryResult | undefined>(undefined);
  const [exporting, setExporting] = useState<'csv' | 'json' | undefined>(undefined);
  const [exported, setExported] = useState<{ path: string; count: number } | undefined>(undefined);
  /** The row whose details are open; kept as read so a reload that filters it out does not close them. */
  const [opened, setOpened] = useState<HistoryRecord | undefined>(undefined);
  const filterKey = JSON.stringify(filters);

  const load = useCallback(async () => {
    const answer = await api.historyQuery({ ...toHistoryFilter(filters), limit: PAGE_SIZE });
    if (!answer.ok) {
      reportError(answer.error, () => void load());
      return;
    }
    setResult(answer.value);
    // filterKey stands for filters.
  }, [filterKey, reportError]);

  // Reload when shown, when the filters settle, and when the outbox sent something.
  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(() => void load(), 200);
    return () => clearTimeout(timer);
  }, [active, load, outbox]);

  const set = (key: keyof Filters) => (event: { target: { value: string } }) => {
    const value = event.target.value;
    setFilters((current) => ({ ...current, [key]: value }));
  };

  const exportAs = async (format: 'csv' | 'json') => {
    setExported(undefined);
    const day = new Date().toISOString().slice(0, 10);
    const chosen = await api.dialogSaveFile({ kind: format, defaultName: `engagement-history-${day}.${format}` });
    if (!chosen.ok) {
      reportError(chosen.error);
      return;
    }
    if (!chosen.value.path) return; // cancelled
    setExporting(format);
    const written = await api.historyExport({ format, path: chosen.value.path, filter: toHistoryFilter(filters) });
    setExporting(undefined);
    if (!written.ok) {
      reportError(written.error, () => void exportAs(format));
      return;
    }
    setExported(written.value);
  };

  const filtered = filterKey !== JSON.stringify(NO_FILTERS);
  return (
    <div className="page" data-testid="history-page">
      <header className="page-header">
        <h1>History</h1>
        <p className="page-intro">Every send from this computer, with the files' SHA-256 and what the server answered.</p>
      </header>
      <div className="card filters" role="search" aria-label="Filter the history">
        <label className="filter">
          <span>Profile</span>
          <select value={filters.profile} onChange={set('profile')} data-testid="history-profile">
            <option value="">All profiles</option>
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>Kind</span>
          <select value={filters.kind} onChange={set('kind')} data-testid="history-kind">
            <option value="">Any kind</option>
            {HISTORY_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>Status</span>
          <select value={filters.status} onChange={set('status')} data-testid="history-status">
            <option value="">Any status</option>
            {HISTORY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {HISTORY_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="filter grow">
          <span>Search</span>
          <input
            type="search"
            value={filters.text}
            onChange={set('text')}
            placeholder="App ID, draft, file, SHA-256, request ID, message"
            data-testid="history-text"
          />
        </label>
        <label className="filter">
          <span>From</span>
          <input type="date" value={filters.from} onChange={set('from')} data-testid="history-from" />
        </label>
        <label className="filter">
          <span>To</span>
          <input type="date" value={filters.to} onChange={set('to')} data-testid="history-to" />
        </label>
        {filtered ? (
          <button type="button" className="button ghost small filter-reset" onClick={() => setFilters(NO_FILTERS)}>
            Clear filters
          </button>
        ) : null}
      </div>
      <div className="toolbar">
        <span className="muted" data-testid="history-count">
          {result
            ? result.total === 0
              ? '0 sends'
              : `${result.total} ${result.total === 1 ? 'send' : 'sends'}${result.total > result.records.length ? `, newest ${result.records.length} shown` : ''}`
            : 'Loading…'}
          {result && result.skippedLines > 0 ? ` · ${result.skippedLines} unreadable line(s) not shown` : ''}
        </span>
        <span className="push-right" />
        <button type="button" className="button" disabled={!result?.total || exporting !== undefined} onClick={() => void exportAs('csv')} data-testid="history-export-csv" data-menu-action="export-history">
          {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
        </button>
        <button type="button" className="button" disabled={!result?.total || exporting !== undefined} onClick={() => void exportAs('json')} data-testid="history-export-json">
          {exporting === 'json' ? 'Exporting…' : 'Export JSON'}
        </button>
      </div>
      {result && result.skippedLines > 0 ? <HistoryProblems result={result} /> : null}
      {exported ? (
        <p className="status ok" role="status" data-testid="history-exported">
          <strong>Exported.</strong> {exported.count} {exported.count === 1 ? 'send' : 'sends'} written to{' '}
          <bdi className="mono">{inert(exported.path)}</bdi>
        </p>
      ) : null}
      {result && result.records.length > 0 ? (
        <div className="table-wrap card flush">
          <table className="data-table history-table" data-testid="history-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Status</th>
                <th scope="col">Profile · endpoint</th>
                <th scope="col">App / draft</th>
                <th scope="col">Files</th>
                <th scope="col">Server message</th>
                <th scope="col">Request ID</th>
                <th scope="col" className="num">
                  Duration
                </th>
              </tr>
            </thead>
            <tbody>
              {result.records.map((record) => (
                <HistoryRow key={record.id} record={record} onOpen={() => setOpened(record)} />
              ))}
            </tbody>
          </table>
        </div>
      ) : result ? (
        <div className="empty-state card" data-testid="history-empty">
          <strong>{filtered ? 'No sends match these filters.' : 'Nothing sent yet.'}</strong>
          <span className="muted">Every send (uploads, pass updates and issues, WNS credentials, removals) is recorded here, whether it succeeded or not.</span>
        </div>
      ) : null}
      {opened ? (
        <HistoryDetails
          record={result?.records.find((r) => r.id === opened.id) ?? opened}
          onStatusRead={() => void load()}
          onClose={() => {
            const id = opened.id;
            setOpened(undefined);
            // Focus goes back to the row's details button, where the user was.
            requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-history-open="${CSS.escape(id)}"]`)?.focus());
          }}
        />
      ) : null}
    </div>
  );
}

function HistoryRow({ record, onOpen }: { record: HistoryRecord; onOpen: () => void }) {
  return (
    <tr
      data-testid="history-row"
      data-status={record.status}
      className="history-row"
      onClick={(event) => {
        // The row's own buttons (Copy) keep their meaning; anywhere else opens the details.
        if ((event.target as HTMLElement).closest('button, a, input, select')) return;
        onOpen();
      }}
    >
      <td className="nowrap" title={record.at}>
        <button
          type="button"
          className="link-button"
          onClick={onOpen}
          data-history-open={record.id}
          data-testid="history-open"
          aria-haspopup="dialog"
          aria-label={`${formatWhen(record.at)}: details`}
        >
          {formatWhen(record.at)}
        </button>
      </td>
      <td>
        <span className={`state-badge ${record.status}`}>{HISTORY_STATUS_LABELS[record.status]}</span>
        {record.httpStatus !== undefined ? <span className="muted small"> HTTP {record.httpStatus}</span> : null}
      </td>
      <td>
        <Shown text={record.profileName || record.profileId} />
        <Shown className="muted small mono" text={record.endpoint} />
      </td>
      <td>
        {record.appId !== undefined ? <Shown text={record.appId} /> : null}
        <div className="muted small" data-testid="history-row-kind">
          {historyKindLabel(record)}
        </div>
        {record.draftName ? <Shown className="muted small" text={record.draftName} /> : null}
        <div className="muted small">via {record.source === 'outbox' ? 'the Outbox' : record.source === 'cli' ? 'the command line' : 'the app'}</div>
      </td>
      <td>
        <ul className="file-facts">
          {record.files.map((file) => (
            <li key={`${file.role}:${file.sha256}`}>
              <bdi className="file-fact-name">{inert(file.name)}</bdi>
              <span className="muted small mono" title={`SHA-256 ${file.sha256}`}>
                {file.sha256.slice(0, 12)}… · {formatBytes(file.size)}
              </span>
            </li>
          ))}
        </ul>
      </td>
      <td className="message-cell">
        <bdi>{inert(record.serverMessage ?? '')}</bdi>
        {record.lastStatus ? (
          <div className="small history-last-status" data-testid="history-row-last-status">
            {passStatusText(record.lastStatus)}
          </div>
        ) : null}
      </td>
      <td>
        {record.requestId ? (
          <span className="request-cell">
            <bdi className="mono">{inert(record.requestId)}</bdi>
            <CopyButton text={record.requestId} />
          </span>
        ) : null}
      </td>
      <td className="num nowrap">{formatDuration(record.durationMs)}</td>
    </tr>
  );
}

/**
 * Text from a server or a file (names, messages, ids): control and bidi characters shown escaped, and the text
 * isolated (<bdi>) so right-to-left letters in it cannot reorder what stands beside it (issue #18).
 */
function Shown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className}>
      <bdi>{inert(text)}</bdi>
    </div>
  );
}

/** Lines of the history file that are not records: listed so the user knows sends are missing, and where. */
export function HistoryProblems({ result }: { result: Pick<HistoryQueryResult, 'skippedLines' | 'problems'> }) {
  const unlisted = result.skippedLines - result.problems.length;
  return (
    <div className="status warn history-problems" role="status" data-testid="history-problems">
      <strong>
        {result.skippedLines === 1 ? 'One line of the history could not be read.' : `${result.skippedLines} lines of the history could not be read.`}
      </strong>
      <ul>
        {result.problems.map((problem) => (
          <li key={problem.line}>
            <bdi>{inert(problem.message)}</bdi>
          </li>
        ))}
        {unlisted > 0 ? <li>{`${unlisted} more unreadable line(s) are not listed.`}</li> : null}
      </ul>
    </div>
  );
}
