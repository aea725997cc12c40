// The pass-update passContent (the short import schema, engagement-api.md B2) seen as a form. The JSON value is
// the source of truth: the form reads it leniently and writes back only what it edits, keeping unknown keys, so
// the form and the raw JSON view stay in sync both ways. Pure, so it is unit-tested without a browser.

export type Channel = 'SMS' | 'EMAIL';
export const CHANNELS: readonly Channel[] = ['SMS', 'EMAIL'];
export type NotificationKind = 'passIssueNotificationDetails' | 'passUpdateNotificationDetails';

export interface NotificationForm {
  enabled: boolean;
  messageContent: string;
  /** EMAIL only */
  subject: string;
  senderName: string;
  senderEmail: string;
}

export interface PassForm {
  recipients: string[];
  passIssueNotificationDetails: Record<Channel, NotificationForm>;
  passUpdateNotificationDetails: Record<Channel, NotificationForm>;
  priority: boolean;
  /** Epoch ms, 0 = now */
  startTimeStamp: number;
  /** Epoch ms, 0 = no end */
  endTimeStamp: number;
}

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
// The docs show booleans both as JSON booleans and as strings ("true").
const bool = (v: unknown): boolean => v === true || v === 'true';
const epoch = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : 0;
  return Number.isFinite(n) ? n : 0;
};

function emptyNotification(): NotificationForm {
  return { enabled: false, messageContent: '', subject: '', senderName: '', senderEmail: '' };
}

function readNotifications(list: unknown): Record<Channel, NotificationForm> {
  const result: Record<Channel, NotificationForm> = { SMS: emptyNotification(), EMAIL: emptyNotification() };
  if (!Array.isArray(list)) return result;
  for (const entry of list) {
    if (!isObject(entry)) continue;
    const channel = text(entry.channel).toUpperCase();
    if (channel !== 'SMS' && channel !== 'EMAIL') continue;
    result[channel] = {
      enabled: bool(entry.enabled),
      messageContent: text(entry.messageContent),
      subject: text(entry.subject),
      senderName: text(entry.senderName),
      senderEmail: text(entry.senderEmail),
    };
  }
  return result;
}

export function readPassForm(value: unknown): PassForm {
  const root = isObject(value) ? value : {};
  const recipientsBlock = isObject(root.recipients) ? root.recipients.recipient : undefined;
  const recipients = Array.isArray(recipientsBlock)
    ? recipientsBlock.map((r) => (isObject(r) ? text(r.id) : text(r)))
    : [];
  const config = isObject(root.passIntegrationConfig) ? root.passIntegrationConfig : {};
  return {
    recipients,
    passIssueNotificationDetails: readNotifications(config.passIssueNotificationDetails),
    passUpdateNotificationDetails: readNotifications(config.passUpdateNotificationDetails),
    priority: bool(root.priority),
    startTimeStamp: epoch(root.startTimeStamp),
    endTimeStamp: epoch(root.endTimeStamp),
  };
}

function writeNotifications(previous: unknown, form: Record<Channel, NotificationForm>): unknown[] {
  const old = Array.isArray(previous) ? previous : [];
  const byChannel = (channel: Channel) =>
    old.find((e): e is JsonObject => isObject(e) && text(e.channel).toUpperCase() === channel);
  // Entries for other channels (unknown to the form) are kept after ours.
  const others = old.filter((e) => !(isObject(e) && ['SMS', 'EMAIL'].includes(text(e.channel).toUpperCase())));
  return [
    ...CHANNELS.map((channel) => {
      const n = form[channel];
      const base: JsonObject = { ...(byChannel(channel) ?? {}), channel, enabled: n.enabled, messageContent: n.messageContent };
      if (channel === 'EMAIL') {
        base.subject = n.subject;
        base.senderName = n.senderName;
        base.senderEmail = n.senderEmail;
      }
      return base;
    }),
    ...others,
  ];
}

/** `value` with the form's fields written into it; every key the form does not know is kept. */
export function writePassForm(value: unknown, form: PassForm): JsonObject {
  const root = isObject(value) ? value : {};
  const recipients = isObject(root.recipients) ? root.recipients : {};
  const config = isObject(root.passIntegrationConfig) ? root.passIntegrationConfig : {};
  return {
    ...root,
    recipients: { ...recipients, recipient: form.recipients.map((id) => ({ id })) },
    passIntegrationConfig: {
      ...config,
      passIssueNotificationDetails: writeNotifications(config.passIssueNotificationDetails, form.passIssueNotificationDetails),
      passUpdateNotificationDetails: writeNotifications(config.passUpdateNotificationDetails, form.passUpdateNotificationDetails),
    },
    priority: form.priority,
    startTimeStamp: form.startTimeStamp,
    endTimeStamp: form.endTimeStamp,
  };
}

/** Inserts `insert` in `value` replacing [start, end); returns the new text and where the cursor goes. */
export function insertAt(value: string, start: number, end: number, insert: string): { value: string; cursor: number } {
  const from = Math.max(0, Math.min(start, value.length));
  const to = Math.max(from, Math.min(end, value.length));
  return { value: value.slice(0, from) + insert + value.slice(to), cursor: from + insert.length };
}
