// The two kinds of secret the other suites do not use, entered and used through the real UI: a claims-token
// profile (the password logs in, the token it gets authorises the calls) and an App API key profile. With the
// Basic password and the p12 passphrase of the other suites, the final leak scan (test/security/leak-scan.phase.ts)
// then looks for all four, and for every token the emulator issued, in what the app wrote and the page saw.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LOGIN_PATH } from '../../main/emulator/routes';
import { E2E_ADMIN, E2E_API_KEY, startE2eApp, type E2eApp } from '../support/e2e-harness';

describe('claims-token and App API key profiles', () => {
  let app: E2eApp;
  before(async () => {
    app = await startE2eApp();
  });
  after(async () => {
    await app?.close();
  });

  async function saveAndTest(name: string, authMode: 'token' | 'apikey', secretLabel: string, secret: string): Promise<void> {
    const { page, emulator } = app;
    await app.navigate('Profiles');
    await page.getByRole('button', { name: 'New profile' }).click();
    const editor = page.locator('.profile-editor');
    await editor.getByLabel('Name', { exact: true }).fill(name);
    await editor.getByLabel('Server URL').fill(emulator.url);
    await editor.getByLabel('Sign-in method').selectOption(authMode);
    if (authMode === 'token') await editor.getByLabel('User name').fill(E2E_ADMIN.username);
    await editor.getByLabel(secretLabel, { exact: true }).fill(secret);
    await editor.getByRole('button', { name: 'Save profile' }).click();
    await page.getByTestId('profile-status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal(await editor.getByLabel(secretLabel, { exact: true }).inputValue(), '', 'the secret field is write-only');
    await editor.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('profile-status').filter({ hasText: /^Connected in \d+ ms/ }).waitFor();
    await app.failIfAppErrorVisible();
  }

  test('a claims-token profile logs in with its password and calls with the token', async () => {
    await saveAndTest('Token login', 'token', 'Password', E2E_ADMIN.password);
    const requests = app.emulator.requests;
    assert.ok(requests.some((r) => r.path.endsWith(LOGIN_PATH) && r.status === 200), 'logged in');
    assert.ok(requests.some((r) => r.auth.scheme === 'token' && r.status === 200), 'called with the claims token');
  });

  test('an App API key profile calls with its key', async () => {
    await saveAndTest('Key only', 'apikey', 'App API key', E2E_API_KEY);
    assert.ok(app.emulator.requests.some((r) => r.auth.scheme === 'apikey' && r.status === 200), 'called with the App API key');
  });
});
