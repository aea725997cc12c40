import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultPassContent } from '../../../../../../main/core/pass-content';
import { insertAt, readPassForm, writePassForm } from '../../../../../../renderer/src/features/pass/pass-form';

describe('passContent as a form', () => {
  test('reads the documented sample leniently (string booleans, numeric strings, number ids)', () => {
    const form = readPassForm({
      recipients: { recipient: [{ id: 48494 }, { id: 'x-2' }] },
      passIntegrationConfig: {
        passIssueNotificationDetails: [
          { channel: 'sms', enabled: 'true', messageContent: 'Get it: ##SMS Pass Link##' },
          { channel: 'EMAIL', enabled: false, subject: 'S', senderName: 'N', senderEmail: 'a@b.c', messageContent: 'M' },
        ],
      },
      priority: 'true',
      startTimeStamp: '1700000000000',
      endTimeStamp: 0,
    });
    assert.deepEqual(form.recipients, ['48494', 'x-2']);
    assert.equal(form.passIssueNotificationDetails.SMS.enabled, true);
    assert.equal(form.passIssueNotificationDetails.EMAIL.senderEmail, 'a@b.c');
    assert.equal(form.passUpdateNotificationDetails.SMS.enabled, false);
    assert.equal(form.priority, true);
    assert.equal(form.startTimeStamp, 1_700_000_000_000);
  });

  test('writing the form back keeps keys the form does not know', () => {
    const original = { ...defaultPassContent(), custom: { keep: 1 }, recipients: { recipient: [{ id: 'a' }], note: 'x' } };
    const form = readPassForm(original);
    const written = writePassForm(original, { ...form, recipients: ['a', 'b'], priority: true });
    assert.deepEqual(written.custom, { keep: 1 });
    assert.deepEqual(written.recipients, { recipient: [{ id: 'a' }, { id: 'b' }], note: 'x' });
    assert.equal(written.priority, true);
    assert.deepEqual(readPassForm(written), { ...form, recipients: ['a', 'b'], priority: true });
  });

  test('SMS entries carry no email fields; other channels are kept', () => {
    const value = {
      recipients: { recipient: [] },
      passIntegrationConfig: { passIssueNotificationDetails: [{ channel: 'PUSH', enabled: true }] },
    };
    const written = writePassForm(value, readPassForm(value)) as {
      passIntegrationConfig: { passIssueNotificationDetails: Record<string, unknown>[] };
    };
    const list = written.passIntegrationConfig.passIssueNotificationDetails;
    assert.deepEqual(list.map((e) => e.channel), ['SMS', 'EMAIL', 'PUSH']);
    assert.equal('subject' in list[0]!, false);
    assert.equal(list[1]!.subject, '');
  });

  test('inserts a placeholder at the cursor, replacing a selection', () => {
    assert.deepEqual(insertAt('Get: now', 5, 5, '##SMS Pass Link##'), { value: 'Get: ##SMS Pass Link##now', cursor: 22 });
    assert.deepEqual(insertAt('Get: XX', 5, 7, '#L#'), { value: 'Get: #L#', cursor: 8 });
    assert.deepEqual(insertAt('ab', 99, 99, 'c'), { value: 'abc', cursor: 3 });
  });
});
