// Server kinds through the built CLI (issue #16): the README's cloud example logs in at the cloud's identity
// service, `profile list --json` and `profile show` print the login URL of every token profile, plain http needs
// --allow-http, `profile test` names the context root that answers, and each kind works end to end against the
// emulator over loopback with the real keychain. Nothing secret lands in the data folder.
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { runCliProcess } from '../../support/cli';
import { makePkpass } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const USER = 'cli-kinds';
const PASSWORD = 'Cli-Kinds-Secret-93b';

let tmp: TempDir;
let home: string;
let kpns: Emulator;
let cloud: Emulator;

const cli = (args: string[], stdin?: string) => runCliProcess(args, { home, ...(stdin !== undefined ? { stdin } : {}) });

async function dataFilesText(dir: string): Promise<string> {
  let text = '';
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) text += await readFile(path, 'latin1');
  }
  return text;
}

before(async () => {
  tmp = await makeTempDir('cli-kinds');
  home = join(tmp.dir, 'home');
  const users = [{ username: USER, password: PASSWORD }];
  kpns = await startEmulator({ dataDir: join(tmp.dir, 'kpns'), users, contextRoot: '/kpns' });
  cloud = await startEmulator({ dataDir: join(tmp.dir, 'cloud'), users, cloud: true });
});

after(async () => {
  for (const name of ['volt', 'kony', 'onprem', 'wrongroot', 'cloudemu', 'plain']) await cli(['profile', 'remove', name]);
  await kpns.close();
  await cloud.close();
  await tmp.remove();
});

describe('profile kinds in the CLI', () => {
  test("the README's cloud examples log in at the cloud identity services, shown by add, list and show", async () => {
    const volt = await cli(['profile', 'add', 'volt', '--url', 'https://acme.messaging.voltmxcloud.com', '--auth', 'token', '--user', 'me@acme.com', '--password-stdin', '--json'], PASSWORD);
    assert.equal(volt.code, 0, volt.stderr);
    const added = volt.json().profile as Record<string, unknown>;
    assert.deepEqual([added.serverKind, added.loginUrl, added.loginUrlConfigured], ['voltmx-cloud', 'https://accounts.auth.voltmxcloud.com/login', false]);
    const kony = await cli(['profile', 'add', 'kony', '--url', 'https://acme.messaging.konycloud.com', '--auth', 'token', '--user', 'me@acme.com', '--password-stdin'], PASSWORD);
    assert.equal(kony.code, 0, kony.stderr);
    assert.match(kony.stdout, /Kony Cloud {2}login https:\/\/accounts\.auth\.konycloud\.com\/login/);
    const onprem = await cli(['profile', 'add', 'onprem', '--url', 'https://engage.example.com:8443/kpns', '--auth', 'basic', '--user', 'ops', '--password-stdin'], PASSWORD);
    assert.equal(onprem.code, 0, onprem.stderr);

    const list = (await cli(['profile', 'list', '--json'])).json().profiles as Record<string, unknown>[];
    const byName = Object.fromEntries(list.map((p) => [p.name, p]));
    assert.equal(byName.volt?.loginUrl, 'https://accounts.auth.voltmxcloud.com/login');
    assert.equal(byName.kony?.loginUrl, 'https://accounts.auth.konycloud.com/login');
    assert.equal(byName.onprem?.loginUrl, undefined, 'a Basic profile never logs in');
    assert.equal(byName.onprem?.serverKindLabel, 'On-premises (/kpns)');

    const show = await cli(['profile', 'show', 'kony']);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^Kind: +Kony Cloud$/m);
    assert.match(show.stdout, /^Login URL: +https:\/\/accounts\.auth\.konycloud\.com\/login \(default for this kind of server\)$/m);
    assert.equal(((await cli(['profile', 'show', 'volt', '--json'])).json().profile as Record<string, unknown>).loginUrl, 'https://accounts.auth.voltmxcloud.com/login');
    assert.equal((await cli(['profile', 'show', 'nobody'])).code, 2);
  });

  test('plain http needs --allow-http, and a refused URL leaves nothing behind', async () => {
    const refused = await cli(['profile', 'add', 'plain', '--url', 'http://engage.example.com:8080/vpns', '--auth', 'basic', '--user', 'u', '--password-stdin', '--json'], PASSWORD);
    assert.equal(refused.code, 2);
    assert.match((refused.json().error as { message: string }).message, /^The server URL http:\/\/engage\.example\.com:8080\/vpns uses plain http: .*--allow-http\)\. Nothing was saved\.$/);
    assert.equal((await cli(['profile', 'show', 'plain'])).code, 2, 'not saved');
    const query = await cli(['profile', 'add', 'plain', '--url', 'https://engage.example.com/vpns', '--auth', 'token', '--user', 'u', '--login-url', 'https://idp.example.com/login?apikey=Cli-Query-Key', '--password-stdin', '--json'], PASSWORD);
    assert.equal(query.code, 2);
    const allowed = await cli(['profile', 'add', 'plain', '--url', 'http://engage.example.com:8080/vpns', '--auth', 'basic', '--user', 'u', '--allow-http', '--password-stdin'], PASSWORD);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /plain http/);
  });

  test('profile test names the context root that answers (exit 4), and each kind works end to end', async () => {
    const wrong = await cli(['profile', 'add', 'wrongroot', '--url', `${kpns.origin}/vpns`, '--auth', 'token', '--user', USER, '--password-stdin'], PASSWORD);
    assert.equal(wrong.code, 0, wrong.stderr);
    const tested = await cli(['profile', 'test', 'wrongroot', '--json']);
    assert.equal(tested.code, 4);
    const out = tested.json();
    assert.equal(out.suggestedBaseUrl, kpns.url);
    assert.equal((out.error as { message: string }).message, `Nothing answers under ${kpns.origin}/vpns, but this server answers under /kpns — use ${kpns.url}`);
    const fixed = await cli(['profile', 'add', 'wrongroot', '--replace', '--url', kpns.url, '--auth', 'token', '--user', USER]);
    assert.equal(fixed.code, 0, fixed.stderr);
    const ok = await cli(['profile', 'test', 'wrongroot']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /PASSED/);

    // A cloud tenant: its identity service on another origin, given as the login URL.
    const added = await cli(['profile', 'add', 'cloudemu', '--url', cloud.url, '--auth', 'token', '--user', USER, '--login-url', cloud.loginUrl, '--password-stdin'], PASSWORD);
    assert.equal(added.code, 0, added.stderr);
    const pkpass = (await makePkpass(tmp.dir)).path;
    const content = join(tmp.dir, 'content.json');
    await writeFile(content, JSON.stringify({ recipients: { recipient: [{ id: '48494' }] }, priority: true, startTimeStamp: 0, endTimeStamp: 0 }));
    cloud.clearRequests();
    const sent = await cli(['pass', 'update', '--profile', 'cloudemu', '--pkpass', pkpass, '--content', content, '--json']);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(String(sent.json().requestId), /^\d{19}$/);
    assert.deepEqual(cloud.requests.map((r) => r.path), ['/login', '/api/v1/message/pass/import/update']);

    // A failure inside a 200 answer fails the command with the server's words.
    cloud.injectFault({ path: '/api/v1/message/pass/import/update', errorInOk: 'Invalid Subscribers' });
    const failed = await cli(['pass', 'update', '--profile', 'cloudemu', '--pkpass', pkpass, '--content', content, '--json']);
    assert.equal(failed.code, 4);
    assert.equal((failed.json().error as { message: string }).message, 'The server did not accept the request: Invalid Subscribers.');

    const text = await dataFilesText(home);
    assert.ok(!text.includes(PASSWORD), 'no password in the data folder');
    assert.ok(!text.includes('Cli-Query-Key'), 'no refused login URL in the data folder');
  });

  test('pass update --help says what an update reaches', async () => {
    const help = await cli(['pass', 'update', '--help']);
    assert.match(help.stdout, /only to a pass that is still scheduled; a pass already sent is not changed and needs a new pass/);
  });
});
