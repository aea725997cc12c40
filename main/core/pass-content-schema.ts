// The ONE schema for the passContent text part of /message/pass/import and /import/update (engagement-api.md B2),
// its link placeholders and the form's starting value. The form and the main process both validate with it.
import { z } from 'zod';
import { NOTIFICATION_CHANNELS } from '../../preload/contract/constants';

export const SMS_LINK_PLACEHOLDER = '##SMS Pass Link##';
export const EMAIL_LINK_PLACEHOLDER = '##Email Pass Link##';

/** Largest epoch-ms value a JS Date accepts. */
const MAX_TIMESTAMP = 8.64e15;
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
