// A form backed by a draft: every change is saved about half a second after the last one (well within the
// second the issue allows), one save at a time, each naming the revision it was based on. A new form creates its
// draft on the first change, so merely opening the app never litters the drafts list with empty drafts.
//
// Conflicts: a save refused as stale fetches the stored draft. If only its name changed (renamed from the Drafts
// page or the CLI), the edit is re-applied on top silently; if its content changed too, the user chooses.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError, Draft, DraftKind, DraftView } from '../../../../preload/contract';
import { newDraft } from '../../../../main/core/drafts';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { hasForm, useDraftSession } from './draft-session';
import { sameContent, withAutomaticName } from './draft-text';

export const AUTOSAVE_DELAY_MS = 500;

export type SaveState =
  | { state: 'new' }
  | { state: 'saving' }
  | { state: 'saved'; at: string }
  | { state: 'error'; message: string; conflict?: 'changed' | 'deleted' };

type DraftOf<K extends DraftKind> = Extract<Draft, { kind: K }>;

export interface DraftEditor<K extends DraftKind> {
  /** The draft as edited (id '' until its first save). */
  draft: DraftOf<K>;
  /** What main said about the last saved version: file statuses, readiness, passphrase storage. */
  view: DraftView | undefined;
  loading: boolean;
  save: SaveState;
  /** Change the draft; `quiet` changes do not create a draft on their own (the profile following the header). */
  change(update: (draft: DraftOf<K>) => DraftOf<K>, options?: { quiet?: boolean }): void;
  /** Save now (before sending) and answer the saved draft, or undefined when it could not be saved. */
  flush(): Promise<DraftOf<K> | undefined>;
  /** The draft's id, creating it when the form has none yet (to add a file or remember a passphrase). */
  ensureId(): Promise<string | undefined>;
  /** After a conflict: take the stored version, or keep this one on top of it. */
  loadStored(): void;
  keepMine(): void;
}

export function useDraftEditor<K extends DraftKind>(
  kind: K,
  options: { draftId: string | undefined; profileId: string | undefined },
): DraftEditor<K> {
  const reportError = useReportError();
  const session = useDraftSession();
  const blank = () => newDraft({ id: '', kind, ...(options.profileId ? { profileId: options.profileId } : {}) }, '') as DraftOf<K>;

  const [draft, setDraft] = useState<DraftOf<K>>(blank);
  const [view, setView] = useState<DraftView | undefined>(undefined);
  const [loading, setLoading] = useState(options.draftId !== undefined);
  const [save, setSave] = useState<SaveState>({ state: 'new' });

  const current = useRef<DraftOf<K>>(draft);
  /** The version last read from or written to the store: what a save is based on. */
  const base = useRef<DraftOf<K> | undefined>(undefined);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const chain = useRef<Promise<void> | undefined>(undefined);
  const creating = useRef<Promise<string | undefined> | undefined>(undefined);
  const conflict = useRef<DraftView | undefined>(undefined);
  const mounted = useRef(true);

  const show = useCallback((next: DraftOf<K>) => {
    current.current = next;
    if (mounted.current) setDraft(next);
  }, []);

  const adopt = useCallback(
    (saved: DraftView) => {
      const stored = saved.draft as DraftOf<K>;
      base.current = stored;
      // Keep edits made while the save was in flight; take id, revision and times from the store.
      show({ ...current.current, id: stored.id, revision: stored.revision, createdAt: stored.createdAt, updatedAt: stored.updatedAt });
      if (mounted.current) setView(saved);
    },
    [show],
  );

  const fail = useCallback((error: AppError, extra?: { conflict?: 'changed' | 'deleted' }) => {
    if (mounted.current) setSave({ state: 'error', message: error.message, ...(extra?.conflict ? { conflict: extra.conflict } : {}) });
  }, []);

  const ensureId = useCallback(async (): Promise<string | undefined> => {
    if (current.current.id) return current.current.id;
    creating.current ??= (async () => {
      const made = await api.draftsCreate({
        kind,
        name: current.current.name,
        ...(current.current.profileId ? { profileId: current.current.profileId } : {}),
      });
      if (!made.ok) {
        creating.current = undefined;
        fail(made.error);
        return undefined;
      }
      adopt(made.value);
      if (hasForm(kind)) session.created(kind, made.value.draft.id);
      return made.value.draft.id;
    })();
    return creating.current;
  }, [kind, adopt, fail, session]);

  /** Save until nothing is left unsaved; one run at a time. */
  const run = useCallback(async (): Promise<void> => {
    while (dirty.current) {
      dirty.current = false;
      if (mounted.current) setSave({ state: 'saving' });
      const id = await ensureId();
      const stored = base.current;
      if (!id || !stored) {
        dirty.current = true;
        return;
      }
      const snapshot = current.current;
      const result = await api.draftsSave({
        draft: { ...snapshot, id, revision: stored.revision, createdAt: stored.createdAt, updatedAt: stored.updatedAt },
      });
      if (result.ok) {
        adopt(result.value);
        continue;
      }
      dirty.current = true;
      if (result.error.reason !== 'revision-conflict') {
        fail(result.error);
        return;
      }
      const latest = await api.draftsGet({ id });
      if (!latest.ok) {
        fail({ ...result.error, message: 'This draft was deleted elsewhere. Save it again as a new draft, or discard it.' }, { conflict: 'deleted' });
        return;
      }
      const theirs = latest.value.draft as DraftOf<K>;
      if (sameContent(theirs, stored)) {
        // Renamed elsewhere: take the new name (unless renamed here too) and save the edits on top.
        const name = snapshot.name === stored.name ? theirs.name : current.current.name;
        base.current = theirs;
        show({ ...current.current, name, revision: theirs.revision });
        continue;
      }
      conflict.current = latest.value;
      fail({ ...result.error, message: 'This draft was changed elsewhere (another window or the command line).' }, { conflict: 'changed' });
      return;
    }
    if (mounted.current) setSave({ state: 'saved', at: current.current.updatedAt });
  }, [adopt, ensureId, fail, show]);

  const flushNow = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current);
    timer.current = undefined;
    while (chain.current) await chain.current;
    if (!dirty.current) return;
    chain.current = run().finally(() => {
      chain.current = undefined;
    });
    await chain.current;
  }, [run]);

  const change = useCallback(
    (update: (draft: DraftOf<K>) => DraftOf<K>, changeOptions: { quiet?: boolean } = {}) => {
      const previous = current.current;
      const next = withAutomaticName(previous, update(previous));
      show(next);
      if (changeOptions.quiet && !next.id) return;
      dirty.current = true;
      if (mounted.current) setSave((s) => (s.state === 'error' && s.conflict ? s : { state: 'saving' }));
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flushNow(), AUTOSAVE_DELAY_MS);
    },
    [flushNow, show],
  );

  const flush = useCallback(async (): Promise<DraftOf<K> | undefined> => {
    if (!current.current.id) dirty.current = true; // sending a form never edited still needs a draft
    await flushNow();
    return dirty.current ? undefined : current.current;
  }, [flushNow]);

  // Load the draft this form was opened on.
  useEffect(() => {
    mounted.current = true;
    const id = options.draftId;
    if (id === undefined || id === current.current.id) {
      setLoading(false);
      return;
    }
    let stale = false;
    void (async () => {
      const result = await api.draftsGet({ id });
      if (stale) return;
      setLoading(false);
      if (!result.ok) {
        reportError(result.error);
        return;
      }
      base.current = result.value.draft as DraftOf<K>;
      show(result.value.draft as DraftOf<K>);
      setView(result.value);
      setSave({ state: 'saved', at: result.value.draft.updatedAt });
    })();
    return () => {
      stale = true;
    };
    // Only the id the form was opened on matters; the form remounts for another draft.
  }, [options.draftId]);

  // Renamed from the Drafts page: reload if nothing here is unsaved (otherwise the next save rebases).
  useEffect(
    () =>
      session.subscribeChanged((id) => {
        if (id !== current.current.id || dirty.current || chain.current) return;
        void api.draftsGet({ id }).then((result) => {
          if (!result.ok || dirty.current || chain.current) return;
          base.current = result.value.draft as DraftOf<K>;
          show(result.value.draft as DraftOf<K>);
          if (mounted.current) setView(result.value);
        });
      }),
    [session, show],
  );

  // Leaving the form (another draft opened) must not drop the last half second of typing.
  useEffect(
    () => () => {
      mounted.current = false;
      if (dirty.current) void flushNow();
    },
    [flushNow],
  );

  const loadStored = useCallback(() => {
    const stored = conflict.current;
    if (!stored) return;
    conflict.current = undefined;
    dirty.current = false;
    base.current = stored.draft as DraftOf<K>;
    show(stored.draft as DraftOf<K>);
    setView(stored);
    setSave({ state: 'saved', at: stored.draft.updatedAt });
  }, [show]);

  const keepMine = useCallback(() => {
    const stored = conflict.current;
    if (save.state === 'error' && save.conflict === 'deleted') {
      // Save the form's content as a new draft.
      base.current = undefined;
      creating.current = undefined;
      show({ ...current.current, id: '', revision: 0 });
    } else if (stored) {
      base.current = stored.draft as DraftOf<K>;
      show({ ...current.current, revision: stored.draft.revision });
    }
    conflict.current = undefined;
    dirty.current = true;
    setSave({ state: 'saving' });
    void flushNow();
  }, [flushNow, save, show]);

  return { draft, view, loading, save, change, flush, ensureId, loadStored, keepMine };
}
