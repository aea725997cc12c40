import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CheckReport } from '../../../../preload/contract';
import {
  checkPassContent,
  defaultPassContent,
  parsePassContentJson,
  passContentSchema,
  serializePassContent,
  SMS_LINK_PLACEHOLDER,
} from '../../../../main/core/pass-content';
import { samplePassContent } from '../../../support/fixtures';

/** The documented sample (engagement-api.md B2). Loosely typed: the tests break it in every way. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately malformed test data
function sample(): Record<string, any> {
  return samplePassContent();
}

const NOW = new Date(Date.UTC(2026, 0, 1));
const errors = (report: CheckReport) => report.issues.filter((i) => i.severity === 'error');
const warnings = (report: CheckReport) => report.issues.filter((i) => i.severity === 'warning');
const at = (report: CheckReport, path: string) => report.issues.filter((i) => i.path === path);

describe('checkPassContent', () => {
  test('the documented sample is valid with no warning', () => {
    const report = checkPassContent(sample(), NOW);
    assert.deepEqual(report.issues, []);
    assert.equal(report.ok, true);
    assert.deepEqual(report.details, { recipientCount: 1, issueChannels: ['SMS', 'EMAIL'], updateChannels: ['SMS', 'EMAIL'] });
  });

  test('the default content asks for a recipient id and nothing else blocks', () => {
    const report = checkPassContent(defaultPassContent(), NOW);
    assert.deepEqual(errors(report).map((i) => [i.path, i.code]), [['recipients.recipient.0.id', 'pass-content-required']]);
  });

  test('no recipients at all, or an empty list', () => {
    const missing = sample();
    delete missing.recipients;
    assert.equal(errors(checkPassContent(missing, NOW))[0]?.path, 'recipients');
    const empty = sample();
    empty.recipients.recipient = [];
    const report = checkPassContent(empty, NOW);
    assert.deepEqual(errors(report).map((i) => [i.path, i.code]), [['recipients.recipient', 'pass-content-no-recipient']]);
    assert.match(errors(report)[0]!.message, /at least one recipient/);
  });

  test('a numeric id is refused with a message to quote it, never silently converted', () => {
    const { report } = parsePassContentJson('{"recipients": {"recipient": [{"id": "1"}, {"id": 2338546026820740145}]}}');
    const [issue] = errors(report);
    assert.equal(issue?.path, 'recipients.recipient.1.id');
    assert.equal(issue?.code, 'pass-content-id-number');
    assert.match(issue!.message, /quotes/);
  });

  test('64-bit ids stay exact strings through parse and serialise', () => {
    const value = sample();
    value.recipients.recipient = [{ id: '2338546026820740145' }];
    const parsed = passContentSchema.parse(value);
    assert.equal(parsed.recipients.recipient[0]!.id, '2338546026820740145');
    assert.match(serializePassContent(parsed), /"id": "2338546026820740145"/);
  });

  test('channel must be SMS or EMAIL', () => {
    const value = sample();
    value.passIntegrationConfig.passIssueNotificationDetails[0].channel = 'PUSH';
    const [issue] = errors(checkPassContent(value, NOW));
    assert.equal(issue?.path, 'passIntegrationConfig.passIssueNotificationDetails.0.channel');
    assert.equal(issue?.code, 'pass-content-channel');
  });

  test('an enabled EMAIL entry needs subject, sender name and a valid sender email', () => {
    const value = sample();
    const email = value.passIntegrationConfig.passIssueNotificationDetails[1];
    email.subject = ' ';
    delete email.senderName;
    email.senderEmail = 'not-an-email';
    const report = checkPassContent(value, NOW);
    const base = 'passIntegrationConfig.passIssueNotificationDetails.1';
    assert.deepEqual(errors(report).map((i) => [i.path, i.code]), [
      [`${base}.subject`, 'pass-content-email-subject'],
      [`${base}.senderName`, 'pass-content-email-sender'],
      [`${base}.senderEmail`, 'pass-content-email-invalid'],
    ]);
  });

  test('a disabled EMAIL entry may be incomplete, but not carry a malformed address', () => {
    const value = sample();
    const email = value.passIntegrationConfig.passIssueNotificationDetails[1];
    Object.assign(email, { enabled: false, subject: '', senderName: '', senderEmail: '' });
    assert.deepEqual(errors(checkPassContent(value, NOW)), []);
    email.senderEmail = 'a@b';
    assert.equal(errors(checkPassContent(value, NOW))[0]?.code, 'pass-content-email-invalid');
  });

  test('an enabled channel with an empty message is an error; disabled is fine', () => {
    const value = sample();
    value.passIntegrationConfig.passUpdateNotificationDetails[0].messageContent = '';
    const report = checkPassContent(value, NOW);
    assert.deepEqual(errors(report).map((i) => [i.path, i.code]), [
      ['passIntegrationConfig.passUpdateNotificationDetails.0.messageContent', 'pass-content-empty-message'],
    ]);
    value.passIntegrationConfig.passUpdateNotificationDetails[0].enabled = false;
    assert.deepEqual(errors(checkPassContent(value, NOW)), []);
  });

  test('a missing link placeholder in an issue notification is a warning, not an error', () => {
    const value = sample();
    value.passIntegrationConfig.passIssueNotificationDetails[0].messageContent = 'Your pass is ready';
    value.passIntegrationConfig.passIssueNotificationDetails[1].messageContent = 'Click ##email pass link##';
    const report = checkPassContent(value, NOW);
    assert.equal(report.ok, true);
    const [sms, email] = warnings(report);
    assert.equal(sms?.code, 'pass-content-missing-placeholder');
    assert.equal(sms?.path, 'passIntegrationConfig.passIssueNotificationDetails.0.messageContent');
    assert.match(sms!.message, /##SMS Pass Link##/);
    assert.match(email!.message, /spells the link placeholder differently/);
  });

  test('update notifications do not need the placeholder; the SMS placeholder does not satisfy EMAIL', () => {
    const value = sample();
    value.passIntegrationConfig.passIssueNotificationDetails[1].messageContent = `Link: ${SMS_LINK_PLACEHOLDER}`;
    const report = checkPassContent(value, NOW);
    assert.deepEqual(warnings(report).map((i) => i.path), ['passIntegrationConfig.passIssueNotificationDetails.1.messageContent']);
  });

  test('end before start is an error unless end is 0', () => {
    const value = sample();
    value.startTimeStamp = Date.UTC(2026, 5, 2);
    value.endTimeStamp = Date.UTC(2026, 5, 1);
    const report = checkPassContent(value, NOW);
    assert.deepEqual(errors(report).map((i) => [i.path, i.code]), [['endTimeStamp', 'pass-content-end-before-start']]);
    value.endTimeStamp = 0;
    assert.deepEqual(errors(checkPassContent(value, NOW)), []);
  });

  test('with start 0 (now), an end in the past is an error', () => {
    const value = sample();
    value.endTimeStamp = NOW.getTime() - 1000;
    assert.equal(errors(checkPassContent(value, NOW))[0]?.code, 'pass-content-end-before-start');
    value.endTimeStamp = NOW.getTime() + 1000;
    assert.deepEqual(errors(checkPassContent(value, NOW)), []);
  });

  test('timestamps must be numbers of milliseconds; seconds get a warning', () => {
    const value = sample();
    value.startTimeStamp = '0';
    value.endTimeStamp = -5;
    const report = checkPassContent(value, NOW);
    assert.deepEqual(at(report, 'startTimeStamp').map((i) => i.code), ['pass-content-type']);
    assert.match(at(report, 'startTimeStamp')[0]!.message, /without quotes/);
    assert.match(at(report, 'endTimeStamp')[0]!.message, /negative/);
    const seconds = sample();
    seconds.startTimeStamp = 1_900_000_000;
    assert.equal(warnings(checkPassContent(seconds, NOW))[0]?.code, 'pass-content-timestamp-seconds');
  });

  test('booleans must be real booleans', () => {
    const value = sample();
    value.priority = 'true';
    value.passIntegrationConfig.passIssueNotificationDetails[0].enabled = 'true';
    const report = checkPassContent(value, NOW);
    assert.deepEqual(errors(report).map((i) => i.path), ['passIntegrationConfig.passIssueNotificationDetails.0.enabled', 'priority']);
  });

  test('duplicate recipients and channels are warnings; unknown keys are notes', () => {
    const value = sample();
    value.recipients.recipient = [{ id: '7' }, { id: '7' }];
    value.passIntegrationConfig.passUpdateNotificationDetails.push({ channel: 'SMS', enabled: false });
    value.customThing = 1;
    const report = checkPassContent(value, NOW);
    assert.equal(report.ok, true);
    assert.deepEqual(report.issues.map((i) => i.code).sort(), [
      'pass-content-duplicate-channel',
      'pass-content-duplicate-recipient',
      'pass-content-unknown-key',
    ]);
    assert.equal(passContentSchema.parse(value).customThing, 1, 'unknown keys are kept, not stripped');
  });

  test('anything but an object is refused', () => {
    for (const value of [null, [], 'x', 5]) {
      const report = checkPassContent(value, NOW);
      assert.equal(report.ok, false);
      assert.equal(report.issues[0]?.path, undefined);
    }
  });
});
