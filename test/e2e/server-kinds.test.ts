// Server kinds in the real renderer (issue #16): the form names the kind of server and the login URL a token profile
// will use, plain http to another machine needs "Allow plain http", and Test connection offers the context root
// that answers, which one click puts into the form.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startE2eApp, type E2eApp, E2E_ADMIN } from '../support/e2e-harness';

describe('server kinds in the profile form', () => {
  let app: E2eApp;
  before(async () => {
    app = await startE2eApp();
  });
  after(async () => {
    await app?.close();
  });

  test('a cloud URL shows its kind and the cloud login; plain http needs the box ticked', async () => {
    const { page } = app;
    await app.navigate('Profiles');
    await page.getByRole('button', { name: 'New profile' }).click();
    const editor = page.locator('.profile-editor');
    await editor.getByLabel('Name', { exact: true }).fill('Cloud');
    await editor.getByLabel('Sign-in method').selectOption('token');
    await editor.getByLabel('Server URL').fill('https://acme.messaging.voltmxcloud.com');
    await page.getByTestId('server-kind').filter({ hasText: 'Server: Volt MX Cloud' }).waitFor();
    assert.equal(await page.getByTestId('login-url-in-use').innerText(), 'https://accounts.auth.voltmxcloud.com/login');
    await editor.getByLabel('Server URL').fill('https://kony.example.com:8443/kpns');
    await page.getByTestId('server-kind').filter({ hasText: 'Server: On-premises (/kpns)' }).waitFor();
    assert.equal(await page.getByTestId('login-url-in-use').innerText(), 'https://kony.example.com:8443/authService/accounts/login');

    await editor.getByLabel('Server URL').fill('http://kony.example.com:8080/kpns');
    await editor.getByLabel('User name').fill('admin');
    await editor.getByLabel('Password', { exact: true }).fill('Plain-Http-Pw');
    await page.getByTestId('insecure-warning').waitFor();
    await editor.getByRole('button', { name: 'Save profile' }).click();
    await editor.getByText(/uses plain http: credentials would cross the network unencrypted/).waitFor();
    assert.equal((await app.profiles.list()).some((p) => p.name === 'Cloud'), false, 'not saved unconfirmed');
    await page.getByTestId('allow-http').check();
    await editor.getByRole('button', { name: 'Save profile' }).click();
    await page.getByTestId('profile-status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = (await app.profiles.list()).find((p) => p.name === 'Cloud');
    assert.deepEqual([saved?.allowHttp, saved?.insecureTransport], [true, true]);
    await app.screenshot('profiles-kind-http');
    await app.profiles.remove('Cloud');
    await app.failIfAppErrorVisible();
  });

  test('Test connection offers the context root that answers, and one click puts it in the form', async () => {
    const { page, emulator } = app;
    await app.navigate('Profiles');
    await page.getByRole('button', { name: 'New profile' }).click();
    const editor = page.locator('.profile-editor');
    await editor.getByLabel('Name', { exact: true }).fill('Wrong root');
    await editor.getByLabel('Server URL').fill(`${emulator.origin}/vpns`);
    await editor.getByLabel('Sign-in method').selectOption('basic');
    await editor.getByLabel('User name').fill(E2E_ADMIN.username);
    await editor.getByLabel('Password', { exact: true }).fill(E2E_ADMIN.password);
    await editor.getByRole('button', { name: 'Save profile' }).click();
    await page.getByTestId('profile-status').filter({ hasText: 'Saved.' }).waitFor();
    await editor.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('profile-status').filter({ hasText: `this server answers under no context root — use ${emulator.origin}` }).waitFor();
    await app.screenshot('profiles-wrong-root');
    await page.getByTestId('use-suggested-url').click();
    assert.equal(await editor.getByLabel('Server URL').inputValue(), emulator.origin);
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('profile-status').filter({ hasText: 'Saved.' }).waitFor();
    await editor.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('profile-status').filter({ hasText: /^Connected in \d+ ms/ }).waitFor();
    await app.profiles.remove('Wrong root');
    await app.failIfAppErrorVisible();
  });
});
