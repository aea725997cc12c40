// Tracking a queued pass request (issue #17): the passes a request made and each channel's status, read again
// with backoff (2 s, doubling to a minute) until every channel is final or the user stops.
import { useEffect, useRef, useState } from 'react';
import type { PassRequestStatus, ServerReading } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { Field } from '../../components/field';
import { UntrustedText } from '../../components/untrusted-text';
import { requestIdProblem } from '../../../../main/core/admin-answers';
import { useSelectedProfile } from '../profiles/profiles-context';
import { ReadingAge } from './reading-age';

export function PassStatusPage() {
  const reportError = useReportError();
  const profile = useSelectedProfile();
  const [requestId, setRequestId] = useState('');
  const [touched, setTouched] = useState(false);
  const [reading, setReading] = useState<ServerReading<PassRequestStatus> | undefined>(undefined);
  const [watching, setWatching] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const stop = () => {
    clearTimeout(timer.current);
    setWatching(false);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const problem = requestIdProblem(requestId);

  const look = async (delay: number) => {
    if (!profile) return;
    const result = await api.passStatus({ profileId: profile.id, requestId: requestId.trim() });
    if (!result.ok) {
      stop();
      reportError(result.error, () => void look(2_000), { profileId: profile.id });
      return;
    }
    setReading(result.value);
    if (result.value.value.settled || result.value.offline) {
      stop();
      return;
    }
    timer.current = setTimeout(() => void look(Math.min(60_000, delay * 2)), delay);
  };

  const start = () => {
    setTouched(true);
    if (problem || !profile) return;
    clearTimeout(timer.current);
    setWatching(true);
    void look(2_000);
  };

  const status = reading?.value;
  return (
    <div className="page">
      <header className="page-header">
        <h1>Pass status</h1>
        <p className="page-intro">The passes a pass update or issue made, and where each channel stands.</p>
      </header>
      <form
        className="card"
        aria-label="Pass request"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          start();
        }}
      >
        <Field label="Request ID" error={touched ? problem : undefined}>
          {(props) => <input {...props} value={requestId} onChange={(e) => setRequestId(e.target.value)} spellCheck={false} autoComplete="off" inputMode="numeric" data-testid="pass-status-id" />}
        </Field>
        <div className="actions">
          <button type="submit" className="button primary" disabled={!profile} data-testid="pass-status-check" data-menu-action="check-status">
            Check status
          </button>
          {watching ? (
            <button type="button" className="button" onClick={stop} data-testid="pass-status-stop">
              Stop watching
            </button>
          ) : null}
        </div>
      </form>
      {reading ? <ReadingAge reading={reading} /> : null}
      {status ? (
        <div className="card flush">
          <p className={`status ${status.settled ? 'ok' : 'info'}`} role="status" data-testid="pass-status-summary">
            {status.total} pass{status.total === 1 ? '' : 'es'}; {status.settled ? 'every channel is final.' : watching ? 'watching for changes…' : 'not every channel is final yet.'}
          </p>
          <PassStatusTable status={status} />
        </div>
      ) : null}
    </div>
  );
}

/** The passes of a request and each channel's status, the server's words shown inert (also in History's details). */
export function PassStatusTable({ status }: { status: PassRequestStatus }) {
  return (
    <table className="data-table" data-testid="pass-status-table">
      <thead>
        <tr>
          <th>Pass</th>
          <th>Channel</th>
          <th>Pass status</th>
          <th>Channel status</th>
        </tr>
      </thead>
      <tbody>
        {status.passes.flatMap((p) =>
          p.channels.map((c, i) => (
            <tr key={`${p.id}-${i}`}>
              <td className="mono">{p.id}</td>
              <td>
                <UntrustedText text={c.channel} />
              </td>
              <td>
                <UntrustedText text={c.passStatus} />
              </td>
              <td>
                <UntrustedText text={c.status} />
                {c.unknown ? (
                  <span className="hint">
                    {' '}
                    (<UntrustedText text={c.unknown} />)
                  </span>
                ) : null}
              </td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}
