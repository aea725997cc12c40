// A draft form shown beside other things on a page (the Applications page: a WNS credentials or removal draft
// opened from the Drafts page or the Outbox): its draft bar, with Close rather than New draft, above the form. The
// draft follows the profile chosen in the header while its page is on screen, as every draft form does.
import { useEffect, type ReactNode } from 'react';
import type { DraftKind, ProfileView } from '../../../../preload/contract';
import { DraftBar } from './draft-bar';
import { useDraftSession } from './draft-session';
import type { DraftEditor } from './use-draft-editor';

export function OpenDraftSection<K extends DraftKind>({
  label,
  testId,
  editor,
  active,
  profile,
  children,
}: {
  label: string;
  testId: string;
  editor: DraftEditor<K>;
  /** Its page is on screen. */
  active: boolean;
  profile: ProfileView | undefined;
  children: ReactNode;
}) {
  const session = useDraftSession();
  const { draft, change, loading } = editor;
  useEffect(() => {
    if (!active || loading || !profile || draft.profileId === profile.id) return;
    change((d) => ({ ...d, profileId: profile.id }), { quiet: true });
  }, [active, loading, profile, draft.profileId, change]);

  return (
    <section className="stack" aria-label={label} data-testid={testId}>
      <DraftBar
        name={draft.name}
        save={editor.save}
        onLoadStored={editor.loadStored}
        onKeepMine={editor.keepMine}
        onNew={() => session.forget(draft.id)}
        closeLabel="Close draft"
      />
      {children}
    </section>
  );
}
