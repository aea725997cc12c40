// When a list was read from the server, and whether it is the copy kept from an earlier visit (offline).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Result, ServerReading } from '../../../../preload/contract';
import { useReportError } from '../../components/app-error';
import { UntrustedText } from '../../components/untrusted-text';
import { useSelectedProfile } from '../profiles/profiles-context';

function age(readAt: string, now: number): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(readAt)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

export function ReadingAge({ reading }: { reading: ServerReading<unknown> }) {
  const when = new Date(reading.readAt).toLocaleString();
  return reading.offline ? (
    <p className="status warn" role="status" data-testid="reading-offline">
      Offline: showing the copy read {age(reading.readAt, Date.now())} ({when}). <UntrustedText text={reading.offline.message} />
    </p>
  ) : (
    <p className="hint" data-testid="reading-age">
      Read from the server {age(reading.readAt, Date.now())} ({when}).
    </p>
  );
}

/** Said wherever MPNS is touched. */
export const MPNS_RETIRED =
  'Microsoft has retired MPNS: Windows Phone push is switched off. An MPNS certificate stored on the server no longer reaches any device; Windows apps are reached through WNS (Package SID and client secret).';

/**
 * A list read from the server for the selected profile: read when the page is opened or the profile changes, and on
 * `load()`; a failure goes to the one error surface with Retry.
 */
export function useServerReading<T>(active: boolean, read: (profileId: string) => Promise<Result<ServerReading<T>>>) {
  const reportError = useReportError();
  const profile = useSelectedProfile();
  const [reading, setReading] = useState<ServerReading<T> | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const readRef = useRef(read);
  readRef.current = read;

  const load = useCallback(async () => {
    if (!profile) return;
    setLoading(true);
    const result = await readRef.current(profile.id);
    setLoading(false);
    if (result.ok) setReading(result.value);
    else reportError(result.error, () => void load(), { profileId: profile.id });
  }, [profile, reportError]);

  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  return { profile, reading, loading, load };
}
