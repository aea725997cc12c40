// Profiles in the real renderer: the built-in Sandbox on first start, creating a profile whose password goes to
// the real OS keychain (and nowhere on disk), the live http warning, Test connection, editing and removing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { API_GLOBAL } from '../../preload/api';
import { secretAccount } from '../../main/profiles/profile-service';
import { startE2eApp, type E2eApp, E2E_ADMIN } from '../support/e2e-harness';

const run = promisify(execFile);
const PASSWORD = E2E_ADMIN.password;

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(full)));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}

describe('profiles', () => {
  let app: E2eApp;
  before(async () => {
    app = await startE2eApp();
  });
  after(async () => {
    await app?.close();
  });

  test('the built-in Sandbox profile is there from the first start', async () => {
    const { page } = app;
    await assert.doesNotReject(page.getByTestId('profile-selector').locator('option', { hasText: 'Sandbox' }).waitFor({ state: 'attached' }));
    await app.navigate('Profiles');
    const list = page.getByRole('navigation', { name: 'Saved profiles' });
    await list.getByRole('button', { name: /Sandbox/ }).waitFor();
    await page.getByRole('heading', { name: 'Sandbox', level: 2 }).waitFor();
    assert.match(await page.locator('.profile-editor').innerText(), /cannot be edited or removed/);
    await app.screenshot('profiles-sandbox');
    await app.failIfAppErrorVisible();
  });

  test('a new profile keeps its password in the keychain only, warns about http, and connects', async () => {
    const { page, emulator } = app;
    await app.navigate('Profiles');
    await page.getByRole('button', { name: 'New profile' }).click();
    const editor = page.locator('.profile-editor');
    await editor.getByLabel('Name', { exact: true }).fill('Staging');
    // Typing a plain-http URL to a remote host shows the warning at once, before anything is saved.
    await editor.getByLabel('Server URL').fill('http://engagement.example.com/vpns');
    await page.getByTestId('insecure-warning').waitFor();
    await app.screenshot('profiles-new-http-warning');
    await editor.getByLabel('Server URL').fill(emulator.url);
    await page.getByTestId('insecure-warning').waitFor({ state: 'detached' });
    await editor.getByLabel('Sign-in method').selectOption('basic');
    await editor.getByLabel('User name').fill('admin');
    await editor.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await editor.getByRole('button', { name: 'Save profile' }).click();

    await page.getByTestId('profile-status').filter({ hasText: 'Saved.' }).waitFor();
    await editor.getByText('Stored in the keychain').waitFor();
    assert.equal(await editor.getByLabel('Password', { exact: true }).inputValue(), '', 'the secret field is write-only');
    await app.failIfAppErrorVisible();

    const saved = (await app.profiles.list()).find((p) => p.name === 'Staging');
    assert.ok(saved, 'the profile was saved by the real ProfileService');
    assert.equal(saved.hasSecret, true);
    assert.equal(saved.secretStorage, 'keychain');
    assert.equal(await app.keychain.get(secretAccount(saved.id)), PASSWORD);
    const { stdout } = await run('secret-tool', ['search', '--all', 'service', 'Engagement Desk']);
    assert.match(stdout, new RegExp(`profile:${saved.id}`), 'the OS keychain holds an entry for the profile');
    for (const file of await filesUnder(app.dataDir)) {
      const text = await readFile(file, 'latin1');
      assert.ok(!text.includes(PASSWORD), `${file} must not contain the password`);
    }

    await editor.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('profile-status').filter({ hasText: /^Connected in \d+ ms/ }).waitFor();
    await app.screenshot('profiles-saved');
    await app.failIfAppErrorVisible();
  });

  test('moving a profile to another server asks for its password again, and main refuses it without one (issue #18)', async () => {
    const { page, emulator } = app;
    await app.navigate('Profiles');
    await page.getByRole('navigation', { name: 'Saved profiles' }).getByRole('button', { name: /Staging/ }).click();
    const editor = page.locator('.profile-editor');
    const before = (await app.profiles.list()).find((p) => p.name === 'Staging');
    assert.ok(before);
    const elsewhere = 'http://127.0.0.2:9';
    await editor.getByLabel('Server URL').fill(elsewhere);
    const message = `The server changes to ${elsewhere}: enter the password again. A password is sent only to the server it was entered for.`;
    await editor.getByText(message).waitFor();
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid') === 'profile-secret',
    );
    assert.equal((await app.profiles.list()).find((p) => p.id === before.id)?.baseUrl, before.baseUrl, 'nothing was saved');
    await app.screenshot('profiles-move-needs-secret');

    // A compromised page skips the form and calls the bridge directly: main refuses the same edit.
    const refused = await page.evaluate(
      async ({ global, id, url }) => {
        type Bridge = { profileSave(r: unknown): Promise<{ ok: boolean; error?: { message: string } }> };
        const bridge = (globalThis as unknown as Record<string, Bridge>)[global]!;
        return bridge.profileSave({ profile: { id, name: 'Staging', baseUrl: url, authMode: 'basic', username: 'admin' } });
      },
      { global: API_GLOBAL, id: before.id, url: elsewhere },
    );
    assert.equal(refused.ok, false);
    assert.match(refused.error?.message ?? '', /its password was entered for .* only\. Enter the password again/);
    assert.equal(await app.keychain.get(secretAccount(before.id)), PASSWORD, 'the stored password is untouched');

    // Back to the profile's own server: no password needed.
    await editor.getByLabel('Server URL').fill(emulator.url);
    await editor.getByText(message).waitFor({ state: 'detached' });
    await app.failIfAppErrorVisible();
  });

  test('editing keeps the stored secret, and removing deletes the keychain entry', async () => {
    const { page } = app;
    await app.navigate('Profiles');
    await page.getByRole('navigation', { name: 'Saved profiles' }).getByRole('button', { name: /Staging/ }).click();
    const editor = page.locator('.profile-editor');
    await editor.getByLabel('Name', { exact: true }).fill('Staging EU');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('navigation', { name: 'Saved profiles' }).getByRole('button', { name: /Staging EU/ }).waitFor();
    const edited = (await app.profiles.list()).find((p) => p.name === 'Staging EU');
    assert.ok(edited);
    assert.equal(await app.keychain.get(secretAccount(edited.id)), PASSWORD, 'an empty secret field keeps the secret');

    await editor.getByRole('button', { name: 'Remove profile…' }).click();
    await editor.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('navigation', { name: 'Saved profiles' }).getByRole('button', { name: /Staging EU/ }).waitFor({ state: 'detached' });
    assert.equal((await app.profiles.list()).some((p) => p.id === edited.id), false);
    assert.equal(await app.keychain.get(secretAccount(edited.id)), undefined);
    await app.failIfAppErrorVisible();
  });
});
