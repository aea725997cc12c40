// Pure helpers for drafts in the UI: automatic names, content comparison for conflict handling, file names for
// export, and how states and times read. Unit-tested without a browser.
import type { Draft, HistoryKind, HistoryStatus, OutboxState } from '../../../../preload/contract';
import { defaultDraftName } from '../../../../main/core/drafts';

/** What a draft, an outbox entry or a history line sends (the history has the administrator's sends too). */
export const KIND_LABELS: Record<HistoryKind, string> = {
  'cert-upload': 'Certificate upload',
  'pass-update': 'Pass update',
  'wns-credentials': 'WNS credentials',
  'cert-remove': 'Certificate removal',
};

/** The pass import that issues a new pass (ADMIN_ENDPOINT_LABELS['pass-issue']), as a history line names it. */
const PASS_ISSUE_ENDPOINT = /\/message\/pass\/import$/;

/** A kind as the user reads it, a pass draft or line that issues a new pass told apart from an update. */
export function sendKindLabel(kind: HistoryKind, issue: boolean | undefined): string {
  return kind === 'pass-update' && issue ? 'New pass (issue)' : KIND_LABELS[kind];
}

/** A history line's kind as the user reads it: a pass import to issue a new pass is named so. */
export function historyKindLabel(record: { kind: HistoryKind; endpoint: string }): string {
  return sendKindLabel(record.kind, PASS_ISSUE_ENDPOINT.test(record.endpoint));
}

/** The name a draft gets from its content while the user has not named it. */
export function automaticName(draft: Draft): string {
  if (draft.kind !== 'pass-update') return defaultDraftName(draft.kind, draft.payload.appId.trim() || undefined);
  return draft.payload.pkPass ? `Pass update: ${draft.payload.pkPass.name}` : defaultDraftName('pass-update');
}

/** `next` with its name following its content, unless the user gave `previous` a name of their own. */
export function withAutomaticName<D extends Draft>(previous: D, next: D): D {
  const untouched = previous.name === automaticName(previous) || previous.name === defaultDraftName(previous.kind);
  if (!untouched || next.name !== previous.name) return next;
  const name = automaticName(next);
  return name === next.name ? next : { ...next, name };
}

/** JSON with object keys sorted, so two equal drafts compare equal whatever order their keys were written in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** Same target and payload (name, revision and times aside): a rename elsewhere is not a conflicting edit. */
export function sameContent(a: Draft, b: Draft): boolean {
  const content = (d: Draft) => stableJson({ kind: d.kind, profileId: d.profileId ?? '', payload: d.payload });
  return content(a) === content(b);
}

/** A file name for a draft export: the draft's name with characters no file system accepts replaced. */
export function exportFileName(name: string): string {
  const cleaned = name
    .replace(/[\\/:*?"<>|]+/g, '-')
    .replace(/\p{Cc}+/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 120);
  return `${cleaned || 'draft'}.engdraft`;
}

export const OUTBOX_STATE_LABELS: Record<OutboxState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  'outcome-unknown': 'Outcome unknown',
  paused: 'Paused',
};

export const HISTORY_STATUS_LABELS: Record<HistoryStatus, string> = {
  sent: 'Sent',
  failed: 'Failed',
  'not-sent': 'Not sent (offline)',
  'outcome-unknown': 'Outcome unknown',
  cancelled: 'Cancelled',
};

/** "14:05" today, "3 Mar 14:05" this year, else "3 Mar 2024 14:05" (in the user's locale and time zone). */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === now.toDateString()) return `Today ${time}`;
  const sameYear = date.getFullYear() === now.getFullYear();
  const day = date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
  return `${day} ${time}`;
}

/** 850 -> "850 ms", 12_340 -> "12.3 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
