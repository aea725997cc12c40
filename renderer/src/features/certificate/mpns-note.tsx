// MPNS retirement told plainly where an MPNS certificate is uploaded or downloaded (issue #17), with the way to
// the live replacement: WNS credentials, set per application on the Applications page.
import { MPNS_RETIRED } from '../apps/reading-age';

export function MpnsRetiredNote({ onOpenApps, backupHint }: { onOpenApps: () => void; backupHint?: boolean }) {
  return (
    <div className="note warn-note mpns-note" data-testid="mpns-retired">
      <p>{MPNS_RETIRED}</p>
      {backupHint ? (
        <p data-testid="mpns-backup-hint">
          Removing a stored MPNS certificate cannot be undone: <strong>Download a backup first</strong> here, then remove
          it from the Applications page.
        </p>
      ) : null}
      <button type="button" className="button" onClick={onOpenApps} data-testid="mpns-open-wns">
        Set WNS credentials on the Applications page
      </button>
    </div>
  );
}
