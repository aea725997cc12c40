// Bad-input rows of issue #17 (the administrator's jobs): a malformed Package SID, an empty WNS secret, an unknown
// app (refused with 400, and inside a 200), a request id that is not a number, and a status answer whose channel
// values the docs do not list. Each names the exact message the user sees, through the app's IPC handlers.
import { err, NOTHING_SENT, seen, UNKNOWN_APP_HINT, verdict, type BadInput } from './cases';
import type { World } from './world';

const SID_EXAMPLE = 'ms-app://s-1-15-2-2972962901-2322836549-3722629029-1345238579-3987825745-2155616079-650196962';
const windowsRequests = (w: World) => w.emulator.requests.filter((r) => r.path.endsWith('/windows')).length;
let windowsBefore = 0;
let wnsDraftId: string | undefined;

function nothingSentToWindows(w: World): void {
  if (windowsRequests(w) !== windowsBefore) throw new Error('a WNS request reached the server');
}

export const ADMIN_BAD_INPUTS: BadInput[] = [
  {
    name: 'WNS Package SID without ms-app://',
    category: 'form',
    via: 'ipc',
    setup: (w) => void (windowsBefore = windowsRequests(w)),
    act: async (w) => seen(await w.invoke('wnsSet', { profileId: w.profileIds.Emulator, appId: 'AppForAll1', packageSid: 's-1-15-2-1-2-3-4-5-6-7', clientSecret: 'secret' })),
    expected: () =>
      err(
        'validation',
        `The Package SID "s-1-15-2-1-2-3-4-5-6-7" is not one: a Package SID looks like ${SID_EXAMPLE} (copy it from Microsoft Partner Center, App identity). It needs the ms-app:// prefix.${NOTHING_SENT}`,
      ),
    verify: nothingSentToWindows,
  },
  {
    name: 'WNS client secret empty',
    category: 'form',
    via: 'ipc',
    setup: (w) => void (windowsBefore = windowsRequests(w)),
    act: async (w) => seen(await w.invoke('wnsSet', { profileId: w.profileIds.Emulator, appId: 'AppForAll1', packageSid: SID_EXAMPLE, clientSecret: '   ' })),
    expected: () => err('validation', `The WNS client secret is empty: copy it from Microsoft Partner Center (or Azure, App registrations).${NOTHING_SENT}`),
    verify: nothingSentToWindows,
  },
  {
    name: 'unknown app (WNS test: the server answers 400)',
    category: 'server',
    via: 'ipc',
    act: async (w) => seen(await w.invoke('wnsTest', { profileId: w.profileIds.Emulator, appId: 'NoSuchApp' })),
    expected: () => err('bad-request', 'The server rejected the request (HTTP 400): Invalid AppId: no application "NoSuchApp".'),
  },
  {
    name: 'unknown app (Save as… asks for its details before the dialog: the server answers 400)',
    category: 'server',
    via: 'ipc',
    act: async (w) => seen(await w.invoke('appDetails', { profileId: w.profileIds.Emulator, appId: 'NoSuchApp' })),
    expected: () => err('bad-request', 'The server rejected the request (HTTP 400): Invalid AppId: no application "NoSuchApp".'),
  },
  {
    name: 'unknown app (certificate expiry: an error inside a 200)',
    category: 'server',
    via: 'ipc',
    act: async (w) => seen(await w.invoke('certsExpiry', { profileId: w.profileIds.Emulator, appId: 'NoSuchApp' })),
    expected: () => err('bad-request', `The server did not accept the request: Invalid VoltMX AppId or Application is not published with given AppId.${UNKNOWN_APP_HINT}`),
  },
  {
    name: 'unknown app (WNS credentials: refused inside a 200, nothing stored for it)',
    category: 'server',
    via: 'ipc',
    act: async (w) => seen(await w.invoke('wnsSet', { profileId: w.profileIds.Emulator, appId: 'NoSuchWnsApp', packageSid: SID_EXAMPLE, clientSecret: 'wns-secret' })),
    expected: () => err('bad-request', `The server did not accept the request: Invalid VoltMX AppId or Application is not published with given AppId.${UNKNOWN_APP_HINT}`),
    verify: async (w) => {
      // The refused call made no app: the server still does not know it.
      const test = await w.invoke('wnsTest', { profileId: w.profileIds.Emulator, appId: 'NoSuchWnsApp' });
      if (test.ok || !test.error.message.includes('Invalid AppId: no application')) throw new Error(`the refused WNS call made an app: ${JSON.stringify(test)}`);
    },
  },
  {
    name: 'pass request id that is not a number',
    category: 'form',
    via: 'ipc',
    act: async (w) => seen(await w.invoke('passStatus', { profileId: w.profileIds.Emulator, requestId: '2318508739-642895844' })),
    expected: () =>
      err(
        'validation',
        'The request id "2318508739-642895844" is not a number: a pass request id is up to 19 digits, as a pass update answers it (for example 2318508739642895844).',
      ),
  },
  {
    name: 'pass status answer with a channel and a status the docs do not list',
    category: 'server',
    via: 'ipc',
    setup: (w) => {
      w.emulator.injectFault({ path: /\/pass\/meta\//, status: 200, body: '{"total":1,"passRequests":[{"id":2338546026820740145}]}' });
      w.emulator.injectFault({
        path: /\/pass\/\d+\/status$/,
        status: 200,
        body: '{"passStatusData":{"id":2338546026820740145,"channelStatusList":[{"channelType":"FAX","passStatus":"Submitted","channelStatus":"beamed"}]}}',
      });
    },
    teardown: (w) => w.emulator.clearFaults(),
    act: async (w) => {
      const outcome = await w.invoke('passStatus', { profileId: w.profileIds.Emulator, requestId: '1234567890123456789' });
      if (!outcome.ok) return seen(outcome);
      const status = (outcome.value as { value: { passes: Array<{ id: string; channels: Array<{ unknown?: string; final: boolean }> }> } }).value;
      const channel = status.passes[0]?.channels[0];
      return verdict(`unknown-channel (pass ${status.passes[0]?.id}, final ${String(channel?.final)})`, channel?.unknown ?? '(not flagged)');
    },
    expected: () => verdict('unknown-channel (pass 2338546026820740145, final true)', 'channel "FAX" is not one the docs list (EMAIL, SMS)'),
  },
  {
    name: 'WNS draft with a malformed Package SID (sent from Drafts)',
    category: 'form',
    via: 'ipc',
    setup: (w) => void (windowsBefore = windowsRequests(w)),
    act: async (w) => {
      const made = await w.invoke('draftsCreate', { kind: 'wns-credentials', profileId: w.profileIds.Emulator, appId: 'AppForAll1' });
      if (!made.ok) return seen(made);
      const draft = (made.value as { draft: { id: string; payload: Record<string, unknown> } }).draft;
      wnsDraftId = draft.id;
      const saved = await w.invoke('draftsSave', { draft: { ...draft, payload: { ...draft.payload, packageSid: 's-1-15-2-1' } } });
      if (!saved.ok) return seen(saved);
      return seen(await w.invoke('draftsSend', { id: draft.id, passphrase: 'secret' }));
    },
    expected: () =>
      err(
        'validation',
        `"WNS credentials for AppForAll1" is not ready to send: The Package SID "s-1-15-2-1" is not one: a Package SID looks like ${SID_EXAMPLE} (copy it from Microsoft Partner Center, App identity). It needs the ms-app:// prefix.`,
      ),
    verify: nothingSentToWindows,
    teardown: async (w) => {
      if (wnsDraftId) await w.invoke('draftsDelete', { id: wnsDraftId });
    },
  },
];
