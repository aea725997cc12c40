// checkPassContent: the schema's field-level errors (they block sending) in the user's words, plus the warnings
// zod cannot express (a missing link placeholder does not stop a send, it just sends a message without a link).
import type { z } from 'zod';
import type { CheckIssue, CheckReportOf, NotificationChannel, PassContentDetails } from '../../preload/contract';
import { isRecord } from './check-issues';
import { EMAIL_LINK_PLACEHOLDER, passContentSchema, SMS_LINK_PLACEHOLDER, type PassNotification } from './pass-content-schema';

/** Epoch values below this (year 1973 in ms) are almost certainly seconds. */
const SECONDS_SUSPECT_BELOW = 1e11;

const KNOWN_KEYS = new Set(['recipients', 'passIntegrationConfig', 'priority', 'startTimeStamp', 'endTimeStamp']);

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function issueCode(issue: z.core.$ZodIssue, root: unknown): string {
  if (issue.code === 'custom') {
    const code = (issue.params as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : 'pass-content-invalid';
  }
  const last = issue.path[issue.path.length - 1];
  if (issue.code === 'invalid_type') {
    const input = valueAt(root, issue.path);
    if (input === undefined) return 'pass-content-required';
    if (last === 'id' && typeof input === 'number') return 'pass-content-id-number';
    return 'pass-content-type';
  }
  if (issue.code === 'invalid_value') return last === 'channel' ? 'pass-content-channel' : 'pass-content-value';
  if (issue.code === 'too_small') return last === 'recipient' ? 'pass-content-no-recipient' : 'pass-content-required';
  return 'pass-content-invalid';
}

function softIssues(raw: Record<string, unknown>, now: Date, issues: CheckIssue[]): void {
  const config = isRecord(raw.passIntegrationConfig) ? raw.passIntegrationConfig : undefined;
  const lists = [
    ['passIssueNotificationDetails', true],
    ['passUpdateNotificationDetails', false],
  ] as const;
  let anyIssueEnabled = false;
  for (const [listName, isIssue] of lists) {
    const list = config?.[listName];
    if (!Array.isArray(list)) continue;
    const seen = new Set<string>();
    list.forEach((entry: unknown, index) => {
      if (!isRecord(entry)) return;
      const path = `passIntegrationConfig.${listName}.${index}`;
      const channel = entry.channel;
      if (typeof channel === 'string') {
        if (seen.has(channel)) {
          issues.push({
            severity: 'warning',
            code: 'pass-content-duplicate-channel',
            message: `There is more than one ${channel} entry in this list; recipients may get the message twice.`,
            path: `${path}.channel`,
          });
        }
        seen.add(channel);
      }
      if (entry.enabled !== true) return;
      if (isIssue) anyIssueEnabled = true;
      const message = typeof entry.messageContent === 'string' ? entry.messageContent : '';
      if (!isIssue || message.trim() === '') return;
      const placeholder =
        channel === 'SMS' ? SMS_LINK_PLACEHOLDER : channel === 'EMAIL' ? EMAIL_LINK_PLACEHOLDER : undefined;
      if (placeholder && !message.includes(placeholder)) {
        const nearMiss = message.toLowerCase().includes(placeholder.slice(2, -2).toLowerCase());
        issues.push({
          severity: 'warning',
          code: 'pass-content-missing-placeholder',
          message: nearMiss
            ? `The message spells the link placeholder differently; write exactly ${placeholder} or recipients get no link.`
            : `The message has no ${placeholder} placeholder, so recipients get no link to the pass.`,
          path: `${path}.messageContent`,
        });
      }
    });
  }
  if (!anyIssueEnabled && Array.isArray(valueAt(raw, ['recipients', 'recipient']))) {
    issues.push({
      severity: 'info',
      code: 'pass-content-no-notification',
      message: 'No issue notification is enabled: recipients are not told that a pass is waiting.',
      path: 'passIntegrationConfig.passIssueNotificationDetails',
    });
  }

  const recipients = valueAt(raw, ['recipients', 'recipient']);
  if (Array.isArray(recipients)) {
    const seen = new Set<string>();
    recipients.forEach((recipient: unknown, index) => {
      const id = isRecord(recipient) && typeof recipient.id === 'string' ? recipient.id.trim() : '';
      if (id === '') return;
      if (seen.has(id)) {
        issues.push({
          severity: 'warning',
          code: 'pass-content-duplicate-recipient',
          message: `Recipient ${id} is listed more than once.`,
          path: `recipients.recipient.${index}.id`,
        });
      }
      seen.add(id);
    });
  }

  for (const key of ['startTimeStamp', 'endTimeStamp'] as const) {
    const value = raw[key];
    if (typeof value === 'number' && value > 0 && value < SECONDS_SUSPECT_BELOW) {
      issues.push({
        severity: 'warning',
        code: 'pass-content-timestamp-seconds',
        message: `${value} looks like seconds; timestamps are epoch milliseconds (multiply by 1000).`,
        path: key,
      });
    }
  }
  const start = raw.startTimeStamp;
  const end = raw.endTimeStamp;
  if (typeof end === 'number' && end > 0 && (start === 0 || start === undefined) && end < now.getTime()) {
    issues.push({
      severity: 'error',
      code: 'pass-content-end-before-start',
      message: 'The end time is in the past, before the pass would be sent.',
      path: 'endTimeStamp',
    });
  }

  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) {
      issues.push({
        severity: 'info',
        code: 'pass-content-unknown-key',
        message: `"${key}" is not a documented passContent field; it is sent as it is.`,
        path: key,
      });
    }
  }
}

function channelsOf(list: PassNotification[] | undefined): NotificationChannel[] {
  return (list ?? []).filter((entry) => entry.enabled).map((entry) => entry.channel);
}

/** Validate a passContent value: field-level errors (block sending) and warnings (do not). */
export function checkPassContent(value: unknown, now: Date = new Date()): CheckReportOf<'passContent'> {
  const issues: CheckIssue[] = [];
  const parsed = passContentSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const entry: CheckIssue = { severity: 'error', code: issueCode(issue, value), message: issue.message };
      if (issue.path.length > 0) entry.path = issue.path.map(String).join('.');
      issues.push(entry);
    }
  }
  if (isRecord(value)) softIssues(value, now, issues);
  const report: CheckReportOf<'passContent'> = { kind: 'passContent', ok: !issues.some((i) => i.severity === 'error'), issues };
  if (parsed.success) {
    const details: PassContentDetails = {
      recipientCount: parsed.data.recipients.recipient.length,
      issueChannels: channelsOf(parsed.data.passIntegrationConfig?.passIssueNotificationDetails),
      updateChannels: channelsOf(parsed.data.passIntegrationConfig?.passUpdateNotificationDetails),
    };
    report.details = details;
  }
  return report;
}
