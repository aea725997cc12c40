// Which draft each form is editing, and what was open last time (draftsSessionGet/Set), so opening the app brings
// back the drafts that were open and the page of the one in front. Opening a draft from the Drafts page, the
// Outbox or an import goes through here: it picks the draft's profile in the header and shows its form.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DraftKind } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { useProfiles } from '../profiles/profiles-context';

/** The draft a form shows. `instance` changes only when another draft is opened (the form remounts then), not
 * when the form's own new draft gets its id on the first save. */
export interface OpenDraft {
  id?: string;
  instance: number;
  /** Opened to type the secret the draft's send needs (a WNS client secret): the form focuses that field. */
  askSecret?: boolean;
}

/** Every draft kind has a form. WNS credentials and removal drafts (issue #17) open on the Applications page, where
 * the app is shown; with no such draft open, that page shows the app's own forms and nothing there is a draft. */
export type FormKind = DraftKind;
const FORM_KINDS = ['cert-upload', 'pass-update', 'wns-credentials', 'cert-remove'] as const satisfies readonly FormKind[];
export function hasForm(kind: DraftKind): kind is FormKind {
  return (FORM_KINDS as readonly DraftKind[]).includes(kind);
}

type OpenDrafts = Record<FormKind, OpenDraft>;

interface DraftSessionValue {
  /** False until the last session has been read: forms wait, so nothing typed races the restore. */
  ready: boolean;
  open: OpenDrafts;
  /** Show `id` in its form (and its profile in the header). */
  openDraft(id: string, kind: FormKind, profileId?: string, options?: { askSecret?: boolean }): void;
  /** A fresh, empty form of that kind. */
  startNew(kind: FormKind): void;
  /** A form's new draft was saved for the first time. */
  created(kind: FormKind, id: string): void;
  /** A draft was deleted elsewhere: a form showing it starts over. */
  forget(id: string): void;
  /** Something outside the form changed the draft (rename): the form reloads it if it has no unsaved edits. */
  notifyChanged(id: string): void;
  subscribeChanged(listener: (id: string) => void): () => void;
}

const DraftSessionContext = createContext<DraftSessionValue | null>(null);

export type FormPage = 'cert-upload' | 'pass-update' | 'apps';
export const FORM_PAGE: Record<FormKind, FormPage> = {
  'cert-upload': 'cert-upload',
  'pass-update': 'pass-update',
  'wns-credentials': 'apps',
  'cert-remove': 'apps',
};
const closedForms = (instance: number): OpenDrafts => ({
  'cert-upload': { instance },
  'pass-update': { instance },
  'wns-credentials': { instance },
  'cert-remove': { instance },
});

export function DraftSessionProvider({
  children,
  page,
  showPage,
}: {
  children: ReactNode;
  /** The page on screen now. */
  page: string;
  showPage: (page: FormPage) => void;
}) {
  const reportError = useReportError();
  const { select, profiles } = useProfiles();
  const [ready, setReady] = useState(false);
  const [open, setOpen] = useState<OpenDrafts>(() => closedForms(0));
  const [lastActive, setLastActive] = useState<FormKind | undefined>(undefined);
  const listeners = useRef(new Set<(id: string) => void>());
  const profileIds = useRef(new Set<string>());
  profileIds.current = new Set(profiles.map((p) => p.id));

  // Restore once: every draft that was open goes back into its form; the one in front is shown.
  useEffect(() => {
    let stale = false;
    void (async () => {
      const session = await api.draftsSessionGet({});
      if (stale) return;
      if (!session.ok) {
        reportError(session.error);
        setReady(true);
        return;
      }
      const restored = closedForms(1);
      let front: { kind: FormKind; profileId?: string } | undefined;
      for (const id of session.value.openDraftIds) {
        const view = await api.draftsGet({ id });
        if (stale) return;
        if (!view.ok) continue; // deleted since: that form simply starts empty
        const { draft } = view.value;
        if (!hasForm(draft.kind)) continue;
        restored[draft.kind] = { id, instance: 1 };
        if (id === session.value.activeDraftId) front = { kind: draft.kind, ...(draft.profileId ? { profileId: draft.profileId } : {}) };
      }
      setOpen(restored);
      if (front) {
        if (front.profileId) select(front.profileId);
        setLastActive(front.kind);
        showPage(FORM_PAGE[front.kind]);
      }
      setReady(true);
    })();
    return () => {
      stale = true;
    };
    // Runs once per window; select/showPage are stable.
  }, []);

  // The form in front is the "active" draft of the session.
  useEffect(() => {
    if (page === 'cert-upload' || page === 'pass-update') setLastActive(page);
  }, [page]);

  // Persist what is open whenever it changes (after the restore, so an early write never wipes the session).
  const openIds = FORM_KINDS.map((kind) => open[kind].id ?? '').join('\n');
  useEffect(() => {
    if (!ready) return;
    const openDraftIds = openIds.split('\n').filter((id) => id !== '');
    const activeDraftId = lastActive ? open[lastActive].id : undefined;
    void api.draftsSessionSet({ openDraftIds, ...(activeDraftId ? { activeDraftId } : {}) }).then((result) => {
      if (!result.ok) reportError(result.error);
    });
    // `open` is read through the ids above.
  }, [ready, openIds, lastActive, reportError]);

  const openDraft = useCallback(
    (id: string, kind: FormKind, profileId?: string, options: { askSecret?: boolean } = {}) => {
      if (profileId && profileIds.current.has(profileId)) select(profileId);
      // Already in its form: just show it (remounting would drop a passphrase typed there), unless it is opened
      // to ask for the secret, which the form shows afresh.
      setOpen((current) =>
        current[kind].id === id && !options.askSecret
          ? current
          : { ...current, [kind]: { id, instance: current[kind].instance + 1, ...(options.askSecret ? { askSecret: true } : {}) } },
      );
      setLastActive(kind);
      showPage(FORM_PAGE[kind]);
    },
    [select, showPage],
  );
  const startNew = useCallback(
    (kind: FormKind) => {
      setOpen((current) => ({ ...current, [kind]: { instance: current[kind].instance + 1 } }));
      setLastActive(kind);
      showPage(FORM_PAGE[kind]);
    },
    [showPage],
  );
  const created = useCallback((kind: FormKind, id: string) => {
    setOpen((current) => (current[kind].id === id ? current : { ...current, [kind]: { id, instance: current[kind].instance } }));
  }, []);
  const forget = useCallback((id: string) => {
    setOpen((current) => {
      let next = current;
      for (const kind of FORM_KINDS) {
        if (current[kind].id === id) next = { ...next, [kind]: { instance: current[kind].instance + 1 } };
      }
      return next;
    });
  }, []);
  const notifyChanged = useCallback((id: string) => {
    for (const listener of listeners.current) listener(id);
  }, []);
  const subscribeChanged = useCallback((listener: (id: string) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const value = useMemo(
    () => ({ ready, open, openDraft, startNew, created, forget, notifyChanged, subscribeChanged }),
    [ready, open, openDraft, startNew, created, forget, notifyChanged, subscribeChanged],
  );
  return <DraftSessionContext.Provider value={value}>{children}</DraftSessionContext.Provider>;
}

export function useDraftSession(): DraftSessionValue {
  const value = useContext(DraftSessionContext);
  if (!value) throw new Error('useDraftSession() needs a <DraftSessionProvider> above it.');
  return value;
}
