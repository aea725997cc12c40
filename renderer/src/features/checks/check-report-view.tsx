// Shows a local CheckReport where the file was dropped: a one-line verdict (errors block sending, warnings do
// not), the key facts for the kind, every issue, and for a pass the preview. Errors are announced (role=alert);
// anything else is a polite status update, since the check reruns on every edit.
import type { CheckIssue, CheckReport, CheckSeverity } from '../../../../preload/contract';
import { assertNever } from '../../../../main/core/assert-never';
import { PassPreview } from './pass-preview';

const SEVERITY_LABEL: Record<CheckSeverity, string> = { error: 'Error', warning: 'Warning', info: 'Note' };
const SEVERITY_ICON: Record<CheckSeverity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };

type Fact = [label: string, value: string, mono?: boolean];

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function day(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

function daysLeftText(daysLeft: number | undefined): string {
  if (daysLeft === undefined) return '';
  if (daysLeft < 0) return ` (expired ${plural(-daysLeft, 'day')} ago)`;
  return ` (${plural(daysLeft, 'day')} left)`;
}

function factsFor(report: CheckReport): Fact[] {
  if (!report.details) return [];
  switch (report.kind) {
    case 'p12': {
      const p12 = report.details;
      const facts: Fact[] = [];
      if (p12.subject) facts.push(['Subject', p12.subject]);
      if (p12.issuer) facts.push(['Issuer', p12.issuer]);
      if (p12.serialNumber) facts.push(['Serial', p12.serialNumber, true]);
      if (p12.notAfter) facts.push(['Valid', `${day(p12.notBefore)} to ${day(p12.notAfter)}${daysLeftText(p12.daysLeft)}`]);
      if (p12.sha256Fingerprint) facts.push(['SHA-256', p12.sha256Fingerprint, true]);
      if (p12.hasPrivateKey !== undefined) facts.push(['Private key', p12.hasPrivateKey ? 'Present' : 'Missing']);
      if (p12.algorithms?.length) facts.push(['Encryption', `${p12.algorithms.join(', ')}${p12.legacyEncryption ? ' (legacy)' : ''}`]);
      return facts;
    }
    case 'pkpass': {
      const pass = report.details;
      const facts: Fact[] = [];
      const summary = pass.passJson;
      if (summary?.passTypeIdentifier) facts.push(['Pass type', summary.passTypeIdentifier, true]);
      if (summary?.serialNumber) facts.push(['Serial', summary.serialNumber, true]);
      if (summary?.teamIdentifier) facts.push(['Team', summary.teamIdentifier, true]);
      if (pass.signer) {
        facts.push(['Signed by', pass.signer.commonName ?? pass.signer.subject]);
        facts.push(['Signer valid until', `${day(pass.signer.notAfter)}${daysLeftText(pass.signer.daysLeft)}`]);
        if (pass.signer.verified !== 'unchecked') {
          facts.push(['Signature', pass.signer.verified ? 'Matches manifest.json' : 'Does not match manifest.json']);
        }
      }
      if (pass.entryCount !== undefined) facts.push(['Files', String(pass.entryCount)]);
      return facts;
    }
    case 'image': {
      const image = report.details;
      const facts: Fact[] = [];
      if (image.width !== undefined) facts.push(['Dimensions', `${image.width} x ${image.height} pixels`]);
      if (image.role) facts.push(['Role', image.role]);
      if (report.file) facts.push(['Size', `${Math.max(1, Math.round(report.file.size / 1024))} KB`]);
      return facts;
    }
    case 'passContent': {
      const content = report.details;
      const facts: Fact[] = [];
      if (content.recipientCount !== undefined) facts.push(['Recipients', String(content.recipientCount)]);
      if (content.issueChannels) facts.push(['Issue notification', content.issueChannels.join(', ') || 'None']);
      if (content.updateChannels) facts.push(['Update notification', content.updateChannels.join(', ') || 'None']);
      return facts;
    }
    default:
      return assertNever(report, 'check report kind');
  }
}

function IssueItem({ issue }: { issue: CheckIssue }) {
  return (
    <li className={`chk-issue chk-issue--${issue.severity}`} data-code={issue.code}>
      <span className="chk-issue-icon" aria-hidden="true">
        {SEVERITY_ICON[issue.severity]}
      </span>
      <span className="chk-visually-hidden">{SEVERITY_LABEL[issue.severity]}: </span>
      <span className="chk-issue-message">{issue.message}</span>
      {issue.path ? <code className="chk-issue-path">{issue.path}</code> : null}
    </li>
  );
}

/**
 * `notReady`: what else stops the send (outside this file: an empty field, a JSON syntax error), so the headline
 * never says "Ready to send" while the send is blocked (issue #21).
 */
export function CheckReportView({ report, notReady = [] }: { report: CheckReport; notReady?: string[] }) {
  const errors = report.issues.filter((i) => i.severity === 'error');
  const warnings = report.issues.filter((i) => i.severity === 'warning');
  const withWarnings = warnings.length ? `, ${plural(warnings.length, 'warning')}` : '';
  const state = errors.length > 0 ? 'error' : notReady.length > 0 || warnings.length > 0 ? 'warning' : 'ok';
  const blockers = [...notReady, ...(errors.length > 0 ? [plural(errors.length, 'problem')] : [])];
  const verdict =
    blockers.length > 0
      ? `${errors.length > 0 ? 'Cannot be sent' : 'Not ready to send'}: ${blockers.join(', ')}${withWarnings}`
      : warnings.length > 0
          ? `Ready to send, with ${plural(warnings.length, 'warning')}`
          : 'Ready to send';
  const facts = factsFor(report);
  const preview = report.kind === 'pkpass' ? report.details?.preview : undefined;
  // Errors first, then warnings, then notes: what blocks the send is read first.
  const ordered = [...errors, ...warnings, ...report.issues.filter((i) => i.severity === 'info')];

  return (
    <section className={`chk-report chk-report--${state}`} aria-label={report.file ? `Check of ${report.file.name}` : 'Check result'}>
      <p className="chk-verdict" role={state === 'error' ? 'alert' : 'status'}>
        <span className="chk-verdict-icon" aria-hidden="true">
          {state === 'error' ? '✖' : state === 'warning' ? '⚠' : '✔'}
        </span>
        {report.file ? <span className="chk-file-name">{report.file.name}</span> : null}
        <span>{verdict}</span>
      </p>
      {ordered.length > 0 ? (
        <ul className="chk-issues" aria-label="Problems found">
          {ordered.map((issue, index) => (
            <IssueItem key={`${issue.code}-${issue.path ?? ''}-${index}`} issue={issue} />
          ))}
        </ul>
      ) : null}
      {facts.length > 0 ? (
        <dl className="chk-facts">
          {facts.map(([label, value, mono]) => (
            <div className="chk-fact" key={label}>
              <dt>{label}</dt>
              <dd className={mono ? 'chk-mono' : undefined}>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {preview ? <PassPreview model={preview} /> : null}
    </section>
  );
}
