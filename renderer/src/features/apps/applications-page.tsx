// Applications (issue #17): every app of the server (all pages), searchable, with its Windows push state. A chosen
// app shows its WNS credentials form and, when an MPNS certificate is stored, its removal: a backup saved with Save
// As first, then a confirmation that names the app. The list read last is kept for offline viewing, with its age.
import { useState } from 'react';
import type { AppList, AppSummary, CertRemoveResult } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { ProgressBar } from '../../components/progress-bar';
import { UntrustedText } from '../../components/untrusted-text';
import { useOperation } from '../../lib/use-operation';
import { useDraftSession } from '../drafts/draft-session';
import { WnsDraftForm } from '../wns/wns-draft-form';
import { WnsForm } from '../wns/wns-form';
import { MPNS_RETIRED, ReadingAge, useServerReading } from './reading-age';
import { RemovalConfirm, RemovalDraftCard } from './removal-draft';

export function ApplicationsPage({ active, onOpenOutbox }: { active: boolean; onOpenOutbox: () => void }) {
  const session = useDraftSession();
  const wnsDraft = session.open['wns-credentials'];
  const removalDraft = session.open['cert-remove'];
  const { profile, reading, loading, load } = useServerReading<AppList>(active, (profileId) => api.appsList({ profileId }));
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<string | undefined>(undefined);

  const needle = search.trim().toLowerCase();
  const apps = (reading?.value.apps ?? []).filter((a) => needle === '' || a.id.toLowerCase().includes(needle) || a.name.toLowerCase().includes(needle));
  const app = reading?.value.apps.find((a) => a.id === chosen);

  return (
    <div className="page">
      <header className="page-header">
        <h1>Applications</h1>
        <p className="page-intro">
          Every application on <strong>{profile?.name ?? 'the selected server'}</strong>, with its Windows push state.
        </p>
      </header>
      {/* A draft opened from the Drafts page or the Outbox: its form, for its app, above the list. */}
      {session.ready && wnsDraft.id ? <WnsDraftForm key={wnsDraft.instance} open={wnsDraft} active={active} onOpenOutbox={onOpenOutbox} /> : null}
      {session.ready && removalDraft.id ? <RemovalDraftCard key={removalDraft.instance} open={removalDraft} active={active} onOpenOutbox={onOpenOutbox} /> : null}
      <div className="toolbar">
        <input className="search" type="search" placeholder="Search by ID or name" aria-label="Search applications" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="apps-search" />
        <button type="button" className="button" disabled={loading || !profile} onClick={() => void load()} data-testid="apps-refresh" data-menu-action="refresh">
          {loading ? 'Reading…' : 'Refresh'}
        </button>
      </div>
      {reading ? <ReadingAge reading={reading} /> : null}
      <div className="card flush">
        <div className="table-wrap">
          <table className="data-table" data-testid="apps-table">
            <thead>
              <tr>
                <th>ID</th>
                <th>Name</th>
                <th>MPNS certificate</th>
                <th>WNS</th>
              </tr>
            </thead>
            <tbody>
              {apps.map((a) => (
                <tr key={a.id} className={a.id === chosen ? 'selected' : undefined}>
                  <td>
                    <button type="button" className="link-button mono" onClick={() => setChosen(a.id)} data-testid={`app-row-${a.id}`}>
                      <UntrustedText text={a.id} />
                    </button>
                  </td>
                  <td>
                    <UntrustedText text={a.name} />
                  </td>
                  <td>{a.mpns.stored ? <>Stored{a.mpns.expiry ? <>, expires <UntrustedText text={a.mpns.expiry} /></> : null}</> : 'None'}</td>
                  <td>{a.wns.set ? 'Set' : 'Not set'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {reading && apps.length === 0 ? <p className="empty-state">No applications{needle ? ' match the search' : ''}.</p> : null}
      </div>
      {reading ? (
        <p className="hint" data-testid="apps-count">
          {apps.length} of {reading.value.apps.length} shown (the server counts {reading.value.total}).
        </p>
      ) : null}
      {app && profile ? <AppPanel key={`${profile.id}/${app.id}`} profileId={profile.id} app={app} onChanged={() => void load()} /> : null}
    </div>
  );
}

function AppPanel({ profileId, app, onChanged }: { profileId: string; app: AppSummary; onChanged: () => void }) {
  // Kept once shown: after a removal the list is read again (no certificate any more) and the result stays in view.
  const [removalShown, setRemovalShown] = useState(app.mpns.stored);
  if (app.mpns.stored && !removalShown) setRemovalShown(true);
  return (
    <section className="stack" aria-label={`Application ${app.id}`} data-testid="app-panel">
      <h2>
        <UntrustedText text={app.name} /> <span className="mono">(<UntrustedText text={app.id} />)</span>
      </h2>
      <WnsForm profileId={profileId} appId={app.id} {...(app.wns.packageSid ? { packageSid: app.wns.packageSid } : {})} onChanged={onChanged} />
      {removalShown ? <CertificateRemoval profileId={profileId} appId={app.id} stored={app.mpns.stored} onChanged={onChanged} /> : null}
    </section>
  );
}

function CertificateRemoval({ profileId, appId, stored, onChanged }: { profileId: string; appId: string; stored: boolean; onChanged: () => void }) {
  const reportError = useReportError();
  const [backup, setBackup] = useState(true);
  const [confirming, setConfirming] = useState<{ backupPath?: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<CertRemoveResult | undefined>(undefined);
  const operation = useOperation();

  const start = async () => {
    setDone(undefined);
    if (!backup) {
      setConfirming({});
      return;
    }
    const chosen = await api.dialogSaveFile({ kind: 'p12', defaultName: `${appId}-mpns-backup.p12` });
    if (!chosen.ok) {
      reportError(chosen.error, () => void start());
      return;
    }
    if (chosen.value.path) setConfirming({ backupPath: chosen.value.path });
  };

  const remove = async () => {
    const backupPath = confirming?.backupPath;
    setBusy(true);
    const result = await operation.run((operationId) => api.certRemove({ profileId, appId, ...(backupPath ? { backupPath } : {}), operationId }));
    setBusy(false);
    setConfirming(undefined);
    if (!result.ok) {
      reportError(result.error, () => void remove(), { profileId });
      return;
    }
    setDone(result.value);
    onChanged();
  };

  return (
    <div className="card" data-testid="cert-removal">
      <h3>Stored MPNS certificate</h3>
      <p className="note warn-note">{MPNS_RETIRED}</p>
      <label className="check">
        <input type="checkbox" checked={backup} onChange={(e) => setBackup(e.target.checked)} data-testid="removal-backup" /> Save a backup copy first (recommended)
      </label>
      {confirming ? (
        <RemovalConfirm
          appId={appId}
          note={confirming.backupPath ? 'A backup is downloaded first; nothing is removed if that fails.' : 'No backup will be kept.'}
          busy={busy}
          onRemove={() => void remove()}
          onKeep={() => setConfirming(undefined)}
        />
      ) : operation.running || (done && !stored) ? null : (
        <div className="actions">
          <button type="button" className="button" onClick={() => void start()} data-testid="removal-start" data-menu-action="remove-certificate">
            Remove certificate…
          </button>
        </div>
      )}
      {operation.running ? (
        <ProgressBar label="Backing up and removing" progress={operation.progress} onCancel={() => void operation.cancel()} cancelling={operation.cancelling} />
      ) : null}
      {done ? (
        <p className={`status ${done.queued ? 'warn' : 'ok'}`} role="status" data-testid="removal-result">
          <UntrustedText text={done.message} />
          {done.backup ? (
            <>
              {' '}Backup: <span className="mono">{done.backup.path}</span> (SHA-256 <span className="mono">{done.backup.sha256}</span>)
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}

