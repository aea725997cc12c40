// Reading the administration answers: exact 64-bit ids, bounded texts and lists, the server's date format, unknown
// channel values flagged, failures inside a 200, and the local checks of a WNS send and a request id.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MAX_FIELD_CHARS,
  clientSecretProblem,
  packageSidProblem,
  parseExpiryDate,
  readAdminMessage,
  readAppPage,
  readCertificateExpiry,
  readPassMetaPage,
  readPassStatus,
  requestIdProblem,
} from '../../../../main/core/admin-answers';
import { EngagementError } from '../../../../main/core/errors';

function failure(run: () => unknown): EngagementError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof EngagementError);
    return error;
  }
  assert.fail('expected an error');
}

describe('admin answers', () => {
  test('pass ids beyond 2^53 keep every digit', () => {
    const page = readPassMetaPage('{"total":2,"passRequests":[{"id":2338546026820740145,"serialNumber":"A"},{"id":"9007199254740993"}]}');
    assert.deepEqual(page.passes.map((p) => p.id), ['2338546026820740145', '9007199254740993']);
    const status = readPassStatus('{"passStatusData":{"id":2338546026820740145,"seriealNumber":"S1","channelStatusList":[]}}', 'x');
    assert.equal(status.id, '2338546026820740145');
    assert.equal(status.serialNumber, 'S1');
  });

  test('channel statuses: known ones final or not, unknown ones flagged and not waited on', () => {
    const status = readPassStatus(
      JSON.stringify({
        passStatusData: {
          id: '1',
          channelStatusList: [
            { channelType: 'EMAIL', passStatus: 'Submitted', channelStatus: 'queued' },
            { channelType: 'SMS', passStatus: 'Rejected', channelStatus: '' },
            { channelType: 'PIGEON', passStatus: 'Submitted', channelStatus: 'delivered' },
            { channelType: 'EMAIL', passStatus: 'Submitted', channelStatus: 'teleported' },
          ],
        },
      }),
      '1',
    );
    assert.deepEqual(status.channels.map((c) => [c.channel, c.status, c.final]), [
      ['EMAIL', 'queued', false],
      ['SMS', 'rejected', true],
      ['PIGEON', 'delivered', true],
      ['EMAIL', 'teleported', true],
    ]);
    assert.match(status.channels[2]?.unknown ?? '', /channel "PIGEON" is not one the docs list/);
    assert.match(status.channels[3]?.unknown ?? '', /status "teleported" is not one the docs list/);
    assert.equal(status.channels[0]?.unknown, undefined);
  });

  test('texts from the server are cut to a bound; apps without an id are dropped', () => {
    const long = 'N'.repeat(5000);
    const page = readAppPage(JSON.stringify({ total: 3, applications: [{ appId: 'A1', name: long, windows8ClientId: 'ms-app://x' }, { name: 'no id' }, 7] }));
    assert.equal(page.apps.length, 1);
    assert.equal(page.received, 3);
    assert.equal(page.apps[0]?.name.length, MAX_FIELD_CHARS + 1);
    assert.deepEqual(page.apps[0]?.wns, { set: true, packageSid: 'ms-app://x' });
    assert.deepEqual(page.apps[0]?.mpns, { stored: false });
  });

  test('an answer that is not the documented shape names what was expected', () => {
    assert.match(failure(() => readAppPage('<html>hi</html>')).message, /application list/);
    assert.match(failure(() => readAppPage('{"total":"many","applications":[]}')).message, /"total":N/);
    assert.match(failure(() => readPassStatus('{"passStatusData":{}}', '1')).message, /channelStatusList/);
  });

  test('an answer without the documented shape is never read as an empty result, and one without an id confirms nothing', () => {
    // An id of -1 is told by the client before any reader (errorInsideOk, one wording; tested against the emulator):
    // a reader given one anyway refuses it rather than reading "no certificates".
    const error = failure(() => readCertificateExpiry('{"id":"-1","message":"Invalid VoltMX AppId or Application is not published with given AppId"}'));
    assert.equal(error.appError.code, 'unexpected-response');
    assert.match(error.message, /Invalid VoltMX AppId/);
    assert.match(failure(() => readAdminMessage('{"message":"Deleted"}', 'certificate removal')).message, /did not confirm the certificate removal: Deleted/);
  });

  test('expiry entries sorted by days left, with the instant read from the server date text', () => {
    const list = readCertificateExpiry(
      JSON.stringify({
        appCertificates: [{ appId: 'A', certificates: [{ expiryDate: '07 Jan, 2018 11.41:02 AM IST', daysLeft: 40, platform: 'iPhone', certificateType: 'Production' }] }],
        passCertificates: [{ expiryDate: 'soon', daysLeft: -3, passTypeIdentifier: 'pass.x' }, { expiryDate: 'x', daysLeft: 'lots' }],
      }),
    );
    assert.deepEqual(list.map((c) => [c.kind, c.daysLeft]), [['pass', -3], ['app', 40]]);
    assert.equal(list[1]?.expiresAt, '2018-01-07T06:11:02.000Z');
    assert.equal(list[0]?.expiresAt, undefined);
  });

  test('the server date format, its odd dot and 12-hour clock', () => {
    assert.equal(parseExpiryDate('07 Jan, 2018 12.00:00 AM UTC'), '2018-01-07T00:00:00.000Z');
    assert.equal(parseExpiryDate('07 Jan, 2018 12:00:00 PM UTC'), '2018-01-07T12:00:00.000Z');
    assert.equal(parseExpiryDate('2018-01-07'), undefined);
    assert.equal(parseExpiryDate('07 Foo, 2018 11.41:02 AM IST'), undefined);
  });

  test('local checks: Package SID shape, empty secret, request id', () => {
    assert.equal(packageSidProblem('ms-app://s-1-15-2-2972962901-2322836549-3722629029-1345238579-3987825745-2155616079-650196962'), undefined);
    assert.match(packageSidProblem('s-1-15-2-1-2-3-4-5-6-7') ?? '', /needs the ms-app:\/\/ prefix/);
    assert.match(packageSidProblem('ms-app://s-1-15-2-1') ?? '', /seven groups of digits/);
    assert.match(packageSidProblem('ms-app://\u001b[2J') ?? '', /\\u001b/);
    assert.match(clientSecretProblem('  ') ?? '', /client secret is empty/);
    assert.equal(clientSecretProblem('s'), undefined);
    assert.match(requestIdProblem('abc') ?? '', /is not a number/);
    assert.match(requestIdProblem('12345678901234567890') ?? '', /is not a number/);
    assert.equal(requestIdProblem(' 2318508739642895844 '), undefined);
  });
});
