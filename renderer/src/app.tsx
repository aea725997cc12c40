// The window: header with the profile selector, a left navigation, the one error region, and the pages. Every
// page stays mounted (only hidden) so switching away never loses what was typed or dropped. The upload and pass
// forms are drafts (issue #5); the session provider reopens what was open last time.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { MenuAction, MenuCommand } from '../../preload/contract';
import { AppErrorRegion, ErrorProvider } from './components/app-error';
import { api, bridgeAvailable } from './bridge';
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
import { ShortcutsPage } from './features/shortcuts/shortcuts-page';

export type PageId =
  | 'cert-upload'
  | 'cert-download'
  | 'pass-update'
  | 'drafts'
  | 'outbox'
  | 'history'
  | 'profiles'
  | 'apps'
  | 'expiry'
  | 'pass-status'
  | 'shortcuts';

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
const SETUP_PAGES: PageEntry[] = [
  { id: 'profiles', label: 'Profiles', icon: '⚙' },
  { id: 'shortcuts', label: 'Keyboard shortcuts', icon: '⌨' },
];
const SERVER_PAGES: PageEntry[] = [
  { id: 'apps', label: 'Applications', icon: '▦' },
  { id: 'expiry', label: 'Certificate expiry', icon: '⚠' },
  { id: 'pass-status', label: 'Pass status', icon: '✓' },
];

/** Menu actions that belong to one page, which opens first; the others act on the page on screen. */
const ACTION_PAGE: Partial<Record<MenuAction, PageId>> = {
  'save-as': 'cert-download',
  'export-history': 'history',
  'new-profile': 'profiles',
  'test-connection': 'profiles',
  'import-draft': 'drafts',
  'remove-certificate': 'apps',
  'check-status': 'pass-status',
};
const ACTION_NAME: Record<MenuAction, string> = {
  'new-draft': 'New draft',
  open: 'Open file',
  send: 'Send',
  'save-as': 'Save certificate as',
  'export-history': 'Export history',
  refresh: 'Refresh',
  'new-profile': 'New profile',
  'test-connection': 'Test connection',
  'import-draft': 'Import draft',
  'remove-certificate': 'Remove MPNS certificate',
  'check-status': 'Check pass status',
};

/**
 * Menu commands (main's menus and accelerators, pushed on eng:event:menu): pages open at once; an action clicks
 * the element of the page that offers it ([data-menu-action~=action]) once that page is shown, or says why not.
 */
function useMenuCommands(page: PageId, setPage: (page: PageId) => void) {
  const [pending, setPending] = useState<{ action: MenuAction; page: PageId; opened: boolean } | undefined>(undefined);
  const [note, setNote] = useState<string | undefined>(undefined);

  // The page the last command asked for, ahead of the render that shows it: two commands in quick succession
  // (Ctrl+3 then Ctrl+N) must act on the page the first one opened, not on the one still rendered.
  const latest = useRef(page);
  const rendered = useRef(page);
  useEffect(() => {
    latest.current = page;
    rendered.current = page;
  }, [page]);
  useEffect(() => {
    const go = (target: PageId) => {
      latest.current = target;
      setPage(target);
    };
    return api.onMenu((command: MenuCommand) => {
      setNote(undefined);
      if (command.command === 'show-page') go(command.page);
      else if (command.command === 'settings') go('profiles');
      else if (command.command === 'shortcuts') go('shortcuts');
      else {
        const here = latest.current;
        const target = ACTION_PAGE[command.command] ?? here;
        go(target);
        // A page not rendered yet (just opened, by this command or the one before) may still be loading what the
        // action needs, so it is waited for.
        setPending({ action: command.command, page: target, opened: target !== rendered.current });
      }
    });
  }, [setPage]);

  useEffect(() => {
    if (!pending || pending.page !== page) return;
    const shown = document.querySelector(`[data-page="${page}"]`);
    if (!shown) return;
    const find = () => shown.querySelector<HTMLElement>(`[data-menu-action~="${pending.action}"]`);
    const ready = (target: HTMLElement | null) => target !== null && !target.matches(':disabled, [aria-disabled="true"]');
    // Each ends the command (clearing `pending` runs this effect's cleanup, and nothing after it).
    const act = () => {
      setPending(undefined);
      find()!.click();
    };
    const refuse = () => {
      setPending(undefined);
      setNote(`${ACTION_NAME[pending.action]} is not available on this page${find() ? ' yet: see what the page asks for' : ''}.`);
    };
    if (ready(find())) {
      act();
      return;
    }
    if (!pending.opened) {
      refuse();
      return;
    }
    // A page just opened for the action (History's export) may still be loading what enables it.
    const observer = new MutationObserver(() => {
      if (!ready(find())) return;
      stop();
      act();
    });
    const timer = setTimeout(() => {
      stop();
      refuse();
    }, 3000);
    const stop = () => {
      observer.disconnect();
      clearTimeout(timer);
    };
    observer.observe(shown, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled', 'aria-disabled'] });
    return stop;
  }, [pending, page]);

  useEffect(() => setNote(undefined), [page]);
  return note;
}

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
  const openApps = useCallback(() => setPage('apps'), []);
  const menuNote = useMenuCommands(page, setPage);

  const openProfile = useCallback(
    (profileId: string | undefined) => {
      setPage('profiles');
      setFocusRequest((previous) => ({ profileId: profileId ?? selected?.id, nonce: (previous?.nonce ?? 0) + 1 }));
    },
    [selected?.id],
  );

  const pages: Record<PageId, ReactNode> = {
    'cert-upload': <CertificateUpload active={page === 'cert-upload'} onOpenOutbox={openOutbox} onOpenApps={openApps} />,
    'cert-download': <CertificateDownload onOpenApps={openApps} />,
    'pass-update': <PassUpdate active={page === 'pass-update'} onOpenOutbox={openOutbox} />,
    drafts: <DraftsPage active={page === 'drafts'} />,
    outbox: <OutboxPage />,
    history: <HistoryPage active={page === 'history'} />,
    profiles: <ProfilesPage focusRequest={focusRequest} />,
    apps: <ApplicationsPage active={page === 'apps'} onOpenOutbox={openOutbox} />,
    expiry: <ExpiryPage active={page === 'expiry'} />,
    'pass-status': <PassStatusPage />,
    shortcuts: <ShortcutsPage />,
  };

  return (
    <DraftSessionProvider page={page} showPage={setPage}>
      <div className="shell">
        {/* The first Tab stop: straight past the header and the navigation to the page. */}
        <a
          className="skip-link"
          href="#content"
          onClick={(event) => {
            event.preventDefault();
            document.getElementById('content')?.focus();
          }}
        >
          Skip to the page
        </a>
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
        <main className="content" id="content" tabIndex={-1}>
          <p className="menu-note" role="status" data-testid="menu-note">
            {menuNote}
          </p>
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
              title={entry.label}
              aria-current={entry.id === page ? 'page' : undefined}
              onClick={() => onSelect(entry.id)}
            >
              <span className="nav-icon" aria-hidden="true">
                {entry.icon}
              </span>
              <span className="nav-label">{entry.label}</span>
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
