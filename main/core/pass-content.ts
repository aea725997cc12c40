// The ONE schema for the passContent text part of /message/pass/import and /import/update (engagement-api.md B2).
// The form and the main process both validate with it; checkPassContent adds the warnings zod cannot express
// (a missing link placeholder does not stop a send, it just sends a message without a link).
import { z } from 'zod';
import {
  NOTIFICATION_CHANNELS,
  type CheckIssue,
  type CheckReportOf,
  type NotificationChannel,
  type PassContentDetails,
} from '../../preload/contract';

export { NOTIFICATION_CHANNELS } from '../../preload/contract';
export type { NotificationChannel, PassContentDetails } from '../../preload/contract';

export const SMS_LINK_PLACEHOLDER = '##SMS Pass Link##';
export const EMAIL_LINK_PLACEHOLDER = '##Email Pass Link##';

/** Largest epoch-ms value a JS Date accepts. */
const MAX_TIMESTAMP = 8.64e15;
/** Epoch values below this (year 1973 in ms) are almost certainly seconds. */
const SECONDS_SUSPECT_BELOW = 1e11;
// Same shape as the HTML input type=email rule: something@host.tld, no spaces.
const EMAIL_PATTERN = /^[^\s@<>()",;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

const text = (what: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined ? `Enter ${what}.` : `${capitalize(what)} must be text in quotes.`,
  });

const flag = (what: string) =>
  z.boolean({
    error: (issue) =>
      issue.input === undefined
        ? `Say whether ${what} (true or false).`
        : `Use true or false without quotes for ${what}.`,
  });

const timestamp = (what: string) =>
  z
    .number({
      error: (issue) =>
        typeof issue.input === 'string'
          ? `Write ${what} as a number without quotes (epoch milliseconds, 0 = ${what === 'the start time' ? 'now' : 'no end'}).`
          : `${capitalize(what)} must be a number of milliseconds since 1970.`,
    })
    .int(`${capitalize(what)} must be a whole number of milliseconds.`)
    .min(0, `${capitalize(what)} cannot be negative.`)
    .max(MAX_TIMESTAMP, `${capitalize(what)} is too far in the future.`);

const recipientSchema = z.looseObject({
  id: z
    .string({
      error: (issue) =>
        typeof issue.input === 'number'
          ? 'Write the recipient id in quotes, e.g. "48494": ids are 64-bit and lose digits as JSON numbers.'
          : issue.input === undefined
            ? 'Enter the recipient id.'
            : 'The recipient id must be text in quotes.',
    })
    .trim()
    .min(1, 'Enter the recipient id.')
    .max(200, 'The recipient id is too long.'),
});

export const notificationSchema = z
  .looseObject({
    channel: z.enum(NOTIFICATION_CHANNELS, { error: 'Choose SMS or EMAIL as the channel.' }),
    enabled: flag('this notification is sent'),
    messageContent: text('the message').max(100_000, 'The message is too long.').optional(),
    subject: text('the subject').max(998, 'The subject is too long.').optional(),
    senderName: text('the sender name').max(200, 'The sender name is too long.').optional(),
    senderEmail: text('the sender email').trim().max(320, 'The sender email is too long.').optional(),
  })
  .superRefine((entry, ctx) => {
    const custom = (path: string, code: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message, params: { code } });
    if (entry.enabled && (entry.messageContent ?? '').trim() === '') {
      custom('messageContent', 'pass-content-empty-message', 'This notification is enabled but its message is empty.');
    }
    if (entry.channel !== 'EMAIL') return;
    if (entry.enabled && (entry.subject ?? '').trim() === '') {
      custom('subject', 'pass-content-email-subject', 'Enter a subject for the email.');
    }
    if (entry.enabled && (entry.senderName ?? '').trim() === '') {
      custom('senderName', 'pass-content-email-sender', 'Enter the sender name for the email.');
    }
    const email = entry.senderEmail ?? '';
    if (entry.enabled && email === '') {
      custom('senderEmail', 'pass-content-email-sender', 'Enter the sender email address.');
    } else if (email !== '' && !EMAIL_PATTERN.test(email)) {
      custom('senderEmail', 'pass-content-email-invalid', `"${email}" is not a valid email address.`);
    }
  });
export type PassNotification = z.infer<typeof notificationSchema>;

export const passContentSchema = z
  .looseObject({
    recipients: z.looseObject(
      {
        recipient: z
          .array(recipientSchema, { error: 'Recipients must be a list: "recipient": [{"id": "..."}].' })
          .min(1, 'Add at least one recipient.')
          .max(100_000, 'Too many recipients for one request.'),
      },
      { error: 'Add the recipients: "recipients": {"recipient": [{"id": "..."}]}.' },
    ),
    passIntegrationConfig: z
      .looseObject(
        {
          passIssueNotificationDetails: z
            .array(notificationSchema, { error: 'Issue notifications must be a list.' })
            .max(10)
            .optional(),
          passUpdateNotificationDetails: z
            .array(notificationSchema, { error: 'Update notifications must be a list.' })
            .max(10)
            .optional(),
        },
        { error: 'passIntegrationConfig must be an object.' },
      )
      .optional(),
    priority: flag('the request has priority').optional(),
    startTimeStamp: timestamp('the start time').default(0),
    endTimeStamp: timestamp('the end time').default(0),
  }, { error: 'passContent must be a JSON object.' })
  .superRefine((content, ctx) => {
    if (content.endTimeStamp !== 0 && content.startTimeStamp !== 0 && content.endTimeStamp < content.startTimeStamp) {
      ctx.addIssue({
        code: 'custom',
        path: ['endTimeStamp'],
        message: 'The end time is before the start time.',
        params: { code: 'pass-content-end-before-start' },
      });
    }
  });
export type PassContent = z.infer<typeof passContentSchema>;

const KNOWN_KEYS = new Set(['recipients', 'passIntegrationConfig', 'priority', 'startTimeStamp', 'endTimeStamp']);

/** A sensible starting point for the form: one (empty) recipient, SMS and EMAIL issue notifications switched off. */
export function defaultPassContent(): PassContent {
  return {
    recipients: { recipient: [{ id: '' }] },
    passIntegrationConfig: {
      passIssueNotificationDetails: [
        { channel: 'SMS', enabled: false, messageContent: `Your pass is ready: ${SMS_LINK_PLACEHOLDER}` },
        {
          channel: 'EMAIL',
          enabled: false,
          subject: 'Your pass',
          senderName: '',
          senderEmail: '',
          messageContent: `<a href='${EMAIL_LINK_PLACEHOLDER}'>Add the pass to Wallet</a>`,
        },
      ],
      passUpdateNotificationDetails: [],
    },
    // Every documented import sample sends priority true; its meaning for passes is undocumented.
    priority: true,
    startTimeStamp: 0,
    endTimeStamp: 0,
  };
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Warnings and notes computed from the raw value, so they show even while errors remain elsewhere. */
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

/** A passContent text that is not usable JSON at all: one blocking issue, with where it went wrong when known. */
function syntaxProblem(message: string, details?: PassContentDetails): CheckReportOf<'passContent'> {
  return {
    kind: 'passContent',
    ok: false,
    issues: [{ severity: 'error', code: 'pass-content-syntax', message }],
    ...(details ? { details } : {}),
  };
}

/** Parse JSON text and check it; syntax errors carry line and column. */
export function parsePassContentJson(text: string): { value?: unknown; report: CheckReportOf<'passContent'> } {
  if (text.trim() === '') return { report: syntaxProblem('The passContent JSON is empty.') };
  // Editors on Windows like to start files with a BOM; JSON.parse refuses it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // A NUL or an undecodable byte means binary data; control characters are exactly what is looked for.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000\ufffd]/.test(text.slice(0, 64 * 1024))) {
    return { report: syntaxProblem('This is not a JSON text file (it holds binary data). Choose the passContent .json file.') };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const found = findJsonSyntaxError(text);
    const { line, column } = lineAndColumn(text, found.offset);
    const details: PassContentDetails = {
      recipientCount: 0,
      issueChannels: [],
      updateChannels: [],
      syntax: { line, column, offset: found.offset },
    };
    return {
      report: syntaxProblem(
        `JSON syntax error at line ${line}, column ${column}: ${found.message}. Correct the JSON there and try again.`,
        details,
      ),
    };
  }
  return { value, report: checkPassContent(value) };
}

/** Two-space JSON, the form in which drafts are saved and the text part is sent. */
export function serializePassContent(value: PassContent | unknown): string {
  return JSON.stringify(value, null, 2);
}

// ---------------------------------------------------------------------------------------------------------------
// JSON.parse's messages differ between V8 versions (Node vs Electron) and do not always carry a position, so a
// small scanner finds the first error itself. It only runs after JSON.parse has failed.

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export function findJsonSyntaxError(text: string): { offset: number; message: string } {
  let i = 0;
  const describe = (at: number) => (at >= text.length ? 'end of text (the JSON is cut off)' : `"${text[at]}"`);
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(at, message);
  };
  const space = () => {
    while (i < text.length && /[ \t\r\n]/.test(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe(i)}; expected a value`);
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape in a string');
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail('invalid escape in a string');
      } else if (ch.charCodeAt(0) < 0x20) {
        fail('line break or control character inside a string (close the quote or escape it)');
      } else i++;
    }
    fail('unterminated string (a closing quote is missing)');
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) fail(`unexpected ${describe(i)}; expected a value`);
    i += match![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 500) fail('nested too deeply');
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before "}"' : `unexpected ${describe(i)}; expected a property name in double quotes`);
        string();
        space();
        if (text[i] !== ':') fail(`unexpected ${describe(i)}; expected ":" after the property name`);
        i++;
        value(depth + 1);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`unexpected ${describe(i)}; expected "," or "}"`);
      }
    }
    if (ch === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] === ']') fail('trailing comma before "]"');
        value(depth + 1);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`unexpected ${describe(i)}; expected "," or "]"`);
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === "'") fail('strings must use double quotes');
    return number();
  };
  try {
    value(0);
    space();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`);
    return { offset: text.length, message: 'invalid JSON' };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { offset: error.offset, message: error.message };
    return { offset: 0, message: 'invalid JSON' };
  }
}
