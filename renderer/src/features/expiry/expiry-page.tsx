// Certificate expiry (issue #17): every app and pass certificate with its days left, most urgent first, dates in
// the user's locale. useExpiringSoon feeds the navigation badge, so certificates within 30 days show on start.
import { useEffect, useState } from 'react';
import type { CertificateExpiry } from '../../../../preload/contract';
import { api } from '../../bridge';
import { UntrustedText } from '../../components/untrusted-text';
import { useSelectedProfile } from '../profiles/profiles-context';
import { ReadingAge, useServerReading } from '../apps/reading-age';

export const EXPIRY_SOON_DAYS = 30;

function localDate(cert: CertificateExpiry): string {
  return cert.expiresAt ? new Date(cert.expiresAt).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' }) : cert.expiryDate;
}

/** How many certificates of the selected profile expire within 30 days (read once per profile, quietly). */
export function useExpiringSoon(): number {
  const profile = useSelectedProfile();
  const [count, setCount] = useState(0);
  useEffect(() => {
    let current = true;
    setCount(0);
    if (!profile) return undefined;
    void api.certsExpiry({ profileId: profile.id }).then((result) => {
      // A failure here is not the user's action: the Expiry page reports it when opened.
      if (current && result.ok) setCount(result.value.value.filter((c) => c.daysLeft <= EXPIRY_SOON_DAYS).length);
    });
    return () => {
      current = false;
    };
  }, [profile?.id]);
  return count;
}

export function ExpiryPage({ active }: { active: boolean }) {
  const { profile, reading, loading, load } = useServerReading<CertificateExpiry[]>(active, (profileId) => api.certsExpiry({ profileId }));

  const certificates = reading?.value ?? [];
  const soon = certificates.filter((c) => c.daysLeft <= EXPIRY_SOON_DAYS).length;
  return (
    <div className="page">
      <header className="page-header">
        <h1>Certificate expiry</h1>
        <p className="page-intro">
          App and pass certificates on <strong>{profile?.name ?? 'the selected server'}</strong>, most urgent first.
        </p>
      </header>
      <div className="toolbar">
        <button type="button" className="button" disabled={loading || !profile} onClick={() => void load()} data-testid="expiry-refresh" data-menu-action="refresh">
          {loading ? 'Reading…' : 'Refresh'}
        </button>
      </div>
      {reading ? <ReadingAge reading={reading} /> : null}
      {soon > 0 ? (
        <p className="status warn" role="status" data-testid="expiry-soon">
          {soon} certificate{soon === 1 ? '' : 's'} expire{soon === 1 ? 's' : ''} within {EXPIRY_SOON_DAYS} days.
        </p>
      ) : null}
      <div className="card flush">
        <div className="table-wrap">
          <table className="data-table" data-testid="expiry-table">
            <thead>
              <tr>
                <th>App or pass type</th>
                <th>Certificate</th>
                <th>Expires</th>
                <th>Days left</th>
              </tr>
            </thead>
            <tbody>
              {certificates.map((c, i) => (
                <tr key={`${c.kind}-${c.appId ?? c.passTypeIdentifier ?? ''}-${i}`} className={c.daysLeft <= EXPIRY_SOON_DAYS ? 'warn' : undefined}>
                  <td className="mono">
                    <UntrustedText text={c.kind === 'app' ? (c.appId ?? '') : (c.passTypeIdentifier ?? 'Pass certificate')} />
                  </td>
                  <td>{c.kind === 'app' ? <UntrustedText text={[c.platform, c.certificateType].filter(Boolean).join(' ')} /> : 'Pass signing'}</td>
                  <td>
                    <UntrustedText text={localDate(c)} />
                  </td>
                  <td data-testid="expiry-days">{c.daysLeft < 0 ? `expired ${-c.daysLeft} days ago` : c.daysLeft}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {reading && certificates.length === 0 ? <p className="empty-state">No certificates listed.</p> : null}
      </div>
    </div>
  );
}
