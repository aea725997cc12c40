// Checks the `passContent` text part of /message/pass/import/update the way a strict server would, so client
// bugs (missing recipients, numbers where strings belong) show up against the emulator and not in production.

const BOOLEAN_STRINGS = new Set(['true', 'false']);
const CHANNELS = new Set(['SMS', 'EMAIL']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLenientBoolean(value: unknown): boolean {
  return typeof value === 'boolean' || (typeof value === 'string' && BOOLEAN_STRINGS.has(value));
}

function isTimestamp(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0;
  return typeof value === 'string' && /^\d+$/.test(value);
}

/** The problem with this passContent, or undefined when it is acceptable. */
export function passContentProblem(text: string): string | undefined {
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    return `passContent is not valid JSON: ${(error as Error).message}`;
  }
  if (!isObject(content)) return 'passContent must be a JSON object';

  const recipients = content.recipients;
  const list = isObject(recipients) ? recipients.recipient : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    return 'passContent.recipients.recipient must be a non-empty array of {"id": "<audience member id>"} objects';
  }
  for (const [index, recipient] of list.entries()) {
    if (!isObject(recipient) || typeof recipient.id !== 'string' || recipient.id.trim() === '') {
      return `passContent.recipients.recipient[${index}].id must be a non-empty string`;
    }
  }

  if (content.priority !== undefined && !isLenientBoolean(content.priority)) {
    return 'passContent.priority must be true or false';
  }
  for (const field of ['startTimeStamp', 'endTimeStamp'] as const) {
    if (content[field] !== undefined && !isTimestamp(content[field])) {
      return `passContent.${field} must be epoch milliseconds (0 for none)`;
    }
  }

  const config = content.passIntegrationConfig;
  if (config === undefined) return undefined;
  if (!isObject(config)) return 'passContent.passIntegrationConfig must be an object';
  for (const listName of ['passIssueNotificationDetails', 'passUpdateNotificationDetails'] as const) {
    const details = config[listName];
    if (details === undefined) continue;
    if (!Array.isArray(details)) return `passContent.passIntegrationConfig.${listName} must be an array`;
    for (const [index, detail] of details.entries()) {
      const where = `passContent.passIntegrationConfig.${listName}[${index}]`;
      if (!isObject(detail)) return `${where} must be an object`;
      if (detail.channel !== undefined && !(typeof detail.channel === 'string' && CHANNELS.has(detail.channel))) {
        return `${where}.channel must be "SMS" or "EMAIL"`;
      }
      if (detail.enabled !== undefined && !isLenientBoolean(detail.enabled)) return `${where}.enabled must be true or false`;
    }
  }
  return undefined;
}
