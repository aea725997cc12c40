// The window: header with the profile selector, a left navigation, the one error region, and the pages. Every
// page stays mounted (only hidden) so switching away never loses what was typed or dropped. The upload and pass
// forms are drafts (issue #5); the session provider reopens what was open last time.
import { useCallback, useState, type ReactNode } from 'react';
import { AppErrorRegion, ErrorProvider } from './components/app-error';
import { bridgeAvailable } from './bridge';
import { CertificateDownload } from './features/certificate/certificate-download';
import { CertificateUpload } from './features/certificate/certificate-upload';
import { DraftSessionProvider } from './features/drafts/draft-session';
import { DraftsPage } from './features/drafts/drafts-page';
import { HistoryPage } from './features/history/history-page';
import { OutboxProvider, useOutbox } from './features/outbox/outbox-context';
import { OutboxPage } from './features/outbox/outbox-page';
import { PassUpdate } from './features/pass/pass-update';
import { ProfileSelector, ProfilesProvider, useProfiles } from './features/profiles/profiles-context';
import { ProfilesPage, type ProfileFocusRequest } from './features/profiles/profiles-page';
import { ApplicationsPage } from './features/apps/applications-page';
import { PassStatusPage } from './features/apps/pass-status-page';
import { ExpiryPage, useExpiringSoon } from './features/expiry/expiry-page';

export type PageId = 'cert-upload' | 'cert-download' | 'pass-update' | 'drafts' | 'outbox' | 'history' | 'profiles' | 'apps' | 'expiry' | 'pass-status';

interface PageEntry {
  id: PageId;
  label: string;
  icon: string;
}

const WORK_PAGES: PageEntry[] = [
  { id: 'cert-upload', label: 'Certificate upload', icon: '⇧' },
  { id: 'cert-download', label: 'Certificate download', icon: '⇩' },
  { id: 'pass-update', label: 'Pass update', icon: '▤' },
];
const DRAFT_PAGES: PageEntry[] = [
  { id: 'drafts', label: 'Drafts', icon: '✎' },
  { id: 'outbox', label: 'Outbox', icon: '⇪' },
  { id: 'history', label: 'History', icon: '☰' },
];
const SETUP_PAGES: PageEntry[] = [{ id: 'profiles', label: 'Profiles', icon: '⚙' }];
const SERVER_PAGES: PageEntry[] = [
  { id: 'apps', label: 'Applications', icon: '▦' },
  { id: 'expiry', label: 'Certificate expiry', icon: '⚠' },
  { id: 'pass-status', label: 'Pass status', icon: '✓' },
];

export function App() {
  return (
    <ErrorProvider>
      <ProfilesProvider>
        <OutboxProvider>
          <Shell />
        </OutboxProvider>
      </ProfilesProvider>
    </ErrorProvider>
  );
}

function Shell() {
  const [page, setPage] = useState<PageId>('cert-upload');
  const [focusRequest, setFocusRequest] = useState<ProfileFocusRequest | undefined>(undefined);
  const { selected } = useProfiles();
  const { pending } = useOutbox();
  const expiringSoon = useExpiringSoon();
  const openOutbox = useCallback(() => setPage('outbox'), []);

  const openProfile = useCallback(
    (profileId: string | undefined) => {
      setPage('profiles');
      setFocusRequest((previous) => ({ profileId: profileId ?? selected?.id, nonce: (previous?.nonce ?? 0) + 1 }));
    },
    [selected?.id],
  );

  const pages: Record<PageId, ReactNode> = {
    'cert-upload': <CertificateUpload active={page === 'cert-upload'} onOpenOutbox={openOutbox} />,
    'cert-download': <CertificateDownload />,
    'pass-update': <PassUpdate active={page === 'pass-update'} onOpenOutbox={openOutbox} />,
    drafts: <DraftsPage active={page === 'drafts'} />,
    outbox: <OutboxPage />,
    history: <HistoryPage active={page === 'history'} />,
    profiles: <ProfilesPage focusRequest={focusRequest} />,
    apps: <ApplicationsPage active={page === 'apps'} />,
    expiry: <ExpiryPage active={page === 'expiry'} />,
    'pass-status': <PassStatusPage />,
  };

  return (
    <DraftSessionProvider page={page} showPage={setPage}>
      <div className="shell">
        <header className="app-header">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              ED
            </span>
            <span className="brand-name">Engagement Desk</span>
          </div>
          <ProfileSelector />
        </header>
        <nav className="sidebar" aria-label="Sections">
          <NavGroup title="Send" entries={WORK_PAGES} page={page} onSelect={setPage} />
          <NavGroup title="Work" entries={DRAFT_PAGES} page={page} onSelect={setPage} badges={{ outbox: pending }} />
          <NavGroup title="Server" entries={SERVER_PAGES} page={page} onSelect={setPage} badges={{ expiry: expiringSoon }} />
          <NavGroup title="Setup" entries={SETUP_PAGES} page={page} onSelect={setPage} />
        </nav>
        <main className="content">
          {!bridgeAvailable ? (
            <p className="note warn-note">Running without the desktop bridge: nothing can be sent from this window.</p>
          ) : null}
          <AppErrorRegion onOpenProfile={openProfile} />
          {(Object.keys(pages) as PageId[]).map((id) => (
            <div key={id} hidden={id !== page} data-page={id}>
              {pages[id]}
            </div>
          ))}
        </main>
      </div>
    </DraftSessionProvider>
  );
}

function NavGroup({
  title,
  entries,
  page,
  onSelect,
  badges = {},
}: {
  title: string;
  entries: PageEntry[];
  page: PageId;
  onSelect: (id: PageId) => void;
  /** A count shown after the label (0 hides it). */
  badges?: Partial<Record<PageId, number>>;
}) {
  return (
    <div className="nav-group">
      <h2 className="nav-title">{title}</h2>
      <ul>
        {entries.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              className={`nav-item${entry.id === page ? ' current' : ''}`}
              aria-current={entry.id === page ? 'page' : undefined}
              onClick={() => onSelect(entry.id)}
            >
              <span className="nav-icon" aria-hidden="true">
                {entry.icon}
              </span>
              {entry.label}
              {badges[entry.id] ? (
                <span className="nav-badge" data-testid={`nav-badge-${entry.id}`} aria-label={entry.id === 'expiry' ? `${badges[entry.id]} certificates expire within 30 days` : `${badges[entry.id]} waiting`}>
                  {badges[entry.id]}
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
