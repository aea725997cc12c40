// The list of server profiles and the one selected in the header; all three flows send with the selected one.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ProfileView } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';

interface ProfilesContextValue {
  profiles: ProfileView[];
  loaded: boolean;
  selected: ProfileView | undefined;
  select(id: string): void;
  refresh(): Promise<ProfileView[] | undefined>;
}

const ProfilesContext = createContext<ProfilesContextValue | null>(null);
const SELECTED_KEY = 'engagement-desk.selected-profile';

function rememberedId(): string | undefined {
  try {
    return localStorage.getItem(SELECTED_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function ProfilesProvider({ children }: { children: ReactNode }) {
  const reportError = useReportError();
  const [profiles, setProfiles] = useState<ProfileView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [selectedId, setSelectedId] = useState<string | undefined>(rememberedId);

  const refresh = useCallback(async (): Promise<ProfileView[] | undefined> => {
    const result = await api.profileList({});
    if (!result.ok) {
      reportError(result.error, () => void refresh());
      return undefined;
    }
    setProfiles(result.value);
    setLoaded(true);
    return result.value;
  }, [reportError]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const select = useCallback((id: string) => {
    setSelectedId(id);
    try {
      localStorage.setItem(SELECTED_KEY, id);
    } catch {
      // Storage can be unavailable; the choice then lasts for this session only.
    }
  }, []);

  // A removed or unknown selection falls back to the first profile (the Sandbox on a fresh install).
  const selected = profiles.find((p) => p.id === selectedId) ?? profiles[0];

  const value = useMemo(
    () => ({ profiles, loaded, selected, select, refresh }),
    [profiles, loaded, selected, select, refresh],
  );
  return <ProfilesContext.Provider value={value}>{children}</ProfilesContext.Provider>;
}

export function useProfiles(): ProfilesContextValue {
  const value = useContext(ProfilesContext);
  if (!value) throw new Error('useProfiles() needs a <ProfilesProvider> above it.');
  return value;
}

/** The header's profile picker. */
export function ProfileSelector() {
  const { profiles, selected, select, loaded } = useProfiles();
  return (
    <label className="profile-selector">
      <span className="profile-selector-label">Server profile</span>
      <select
        value={selected?.id ?? ''}
        onChange={(event) => select(event.target.value)}
        disabled={!loaded || profiles.length === 0}
        data-testid="profile-selector"
      >
        {profiles.length === 0 ? <option value="">{loaded ? 'No profiles' : 'Loading…'}</option> : null}
        {profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
            {p.builtIn ? ' (built-in)' : ''}
          </option>
        ))}
      </select>
      {selected?.insecureTransport ? (
        <span className="badge warn" title="Credentials for this profile travel over plain http">
          http
        </span>
      ) : null}
    </label>
  );
}

/** The selected profile for a flow, or a report that there is none. */
export function useSelectedProfile(): ProfileView | undefined {
  return useProfiles().selected;
}
