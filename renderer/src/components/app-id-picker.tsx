// An application ID field that offers the server's applications (issue #17): a combobox over eng:apps:list (or
// the copy kept from the last reading when the server is down), searchable by ID or name, each option with its
// Windows push state. The list is read the first time the field is focused; the field stays a plain text input,
// so typing an ID keeps working when no list can be read. Server text is shown inert.
import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { AppSummary } from '../../../preload/contract';
import { api } from '../bridge';
import type { FieldControlProps } from './field';
import { UntrustedText } from './untrusted-text';
import './app-id-picker.css';

/** At most this many options are shown; the search narrows the rest. */
const MAX_OPTIONS = 50;

interface AppsState {
  profileId: string;
  apps?: AppSummary[];
  /** Why no list (or only the kept copy) is shown. */
  note?: string;
  loading?: boolean;
}

function windowsPushState(app: AppSummary): string {
  const wns = app.wns.set ? 'WNS set' : 'WNS not set';
  return app.mpns.stored ? `${wns}, MPNS certificate stored (retired)` : wns;
}

export function AppIdPicker({
  value,
  onChange,
  profileId,
  fieldProps,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  profileId: string | undefined;
  fieldProps: FieldControlProps;
  testId: string;
}) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [browsing, setBrowsing] = useState(false);
  // Once the field was used, its note stays when focus leaves: removing it on blur moved the form up under the
  // pointer between the press and the release of a click on the button below (Save as… lost its click).
  const [used, setUsed] = useState(false);
  const [state, setState] = useState<AppsState | undefined>(undefined);

  const read = async (id: string) => {
    setState({ profileId: id, loading: true });
    const result = await api.appsList({ profileId: id });
    if (!result.ok) {
      setState({ profileId: id, note: 'The application list could not be read: type the application ID.' });
      return;
    }
    const reading = result.value;
    const note = reading.offline ? `Offline: the list read ${new Date(reading.readAt).toLocaleString()}.` : undefined;
    setState({ profileId: id, apps: reading.value.apps, ...(note ? { note } : {}) });
  };

  // A list read for another profile is not offered.
  useEffect(() => {
    if (state && state.profileId !== profileId) setState(undefined);
  }, [profileId, state]);

  const needle = value.trim().toLowerCase();
  const matches = useMemo(() => {
    const apps = state?.apps ?? [];
    return apps.filter((a) => needle === '' || a.id.toLowerCase().includes(needle) || a.name.toLowerCase().includes(needle));
  }, [state?.apps, needle]);
  const shown = matches.slice(0, MAX_OPTIONS);
  // An ID typed or picked in full closes the list (it would cover the form under it) until the user browses again.
  const exact = state?.apps?.some((a) => a.id === value.trim()) === true;
  const listed = open && shown.length > 0 && (!exact || browsing);
  const noteText = state?.loading
    ? 'Reading the applications…'
    : [
        state?.note,
        state?.apps && matches.length === 0 ? 'No application matches: the ID typed is used as it is.' : undefined,
        listed && matches.length > shown.length ? `Showing ${shown.length} of ${matches.length}: type to narrow.` : undefined,
      ]
        .filter(Boolean)
        .join(' ');

  const show = () => {
    setOpen(true);
    setUsed(true);
    setActive(0);
    if (profileId && (!state || state.profileId !== profileId)) void read(profileId);
  };
  const pick = (app: AppSummary) => {
    onChange(app.id);
    setOpen(false);
    setBrowsing(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setBrowsing(true);
      if (!listed) return show();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (shown.length === 0 ? 0 : (current + step + shown.length) % shown.length));
    } else if (event.key === 'Enter' && listed && shown[active]) {
      event.preventDefault();
      pick(shown[active]);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    }
  };
  const optionId = (index: number) => `${listId}-option-${index}`;

  return (
    <div className="app-id-picker">
      <input
        {...fieldProps}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={listed}
        {...(listed ? { 'aria-controls': listId, 'aria-activedescendant': optionId(active) } : {})}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
          setActive(0);
          setBrowsing(false);
          if (!open) show();
        }}
        onFocus={show}
        onClick={show}
        onBlur={() => {
          setOpen(false);
          setBrowsing(false);
        }}
        onKeyDown={onKeyDown}
        spellCheck={false}
        autoComplete="off"
        data-testid={testId}
      />
      {listed ? (
        <div className="app-id-popup" data-testid={`${testId}-popup`}>
          <ul id={listId} role="listbox" aria-label="Applications on the server">
            {shown.map((app, index) => (
              <li
                key={app.id}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                className={index === active ? 'active' : undefined}
                // mousedown, not click: the input keeps focus and its blur does not close the list first.
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(app);
                }}
                data-testid="app-option"
                data-app-id={app.id}
              >
                <span className="mono"><UntrustedText text={app.id} /></span>
                <span className="app-option-name"><UntrustedText text={app.name} /></span>
                <span className="app-option-push">{windowsPushState(app)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {/* In the flow, not over the form: why there is no list (or only the kept copy) stays readable while typing.
          Its line is kept once the field was used, empty or not: "Reading the applications…" leaving when the list
          arrives moved the button below between the press and the release of a click (Save as… lost it). */}
      {used ? (
        <p className="field-hint app-id-note" data-testid={`${testId}-note`}>
          {noteText}
        </p>
      ) : null}
    </div>
  );
}
