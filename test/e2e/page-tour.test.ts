// Every page and state the browser suite shows a user (empty, filled, error, results), in light and dark, at
// 1280x800 and 900x700 (issue #21): axe-core finds no serious or critical violation, no page scrolls sideways at
// the narrow size, and a screenshot of each lands in test-results/screenshots/pages/<theme>/<size>/ for review.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AxeTally, axeViolations } from '../support/axe';
import { makeP12, makePkpass } from '../support/fixtures';
import { SCREENSHOT_DIR, startE2eApp, useEmulatorProfile, type E2eApp } from '../support/e2e-harness';

export const WINDOW_SIZES = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '900x700', width: 900, height: 700 },
] as const;

const P12_PASSPHRASE = 'tour-Passphrase-1';

/** Elements whose content is wider than their box, scrolled or clipped (or the page itself), as "tag.class" descriptions. */
async function sidewaysScrollers(app: E2eApp): Promise<string[]> {
  // Runs in the page (a string: the Node tsconfig has no DOM types).
  return app.page.evaluate(`(() => {
    const found = [];
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) found.push('the page (' + root.scrollWidth + ' > ' + root.clientWidth + ' px)');
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('[hidden]') || el.offsetParent === null) continue;
      const style = getComputedStyle(el);
      // Scrolled or clipped: either way part of the row is out of sight. Ellipsis and form fields are meant to.
      if (style.overflowX === 'visible' || style.textOverflow === 'ellipsis' || ['PRE', 'TEXTAREA', 'INPUT', 'SELECT'].includes(el.tagName)) continue;
      // Visually hidden text (for screen readers only) is clipped on purpose.
      if (el.clientWidth <= 1 || style.clipPath !== 'none' || (style.clip !== 'auto' && style.clip !== '')) continue;
      if (el.scrollWidth > el.clientWidth + 1) found.push(el.tagName.toLowerCase() + '.' + el.className + ' (' + el.scrollWidth + ' > ' + el.clientWidth + ' px)');
    }
    return found;
  })()`);
}

// ENGAGEMENT_DESK_TOUR_THEMES=light runs one theme, for quick local runs; npm test runs both.
const THEMES = (['light', 'dark'] as const).filter((theme) => (process.env.ENGAGEMENT_DESK_TOUR_THEMES ?? 'light,dark').split(',').includes(theme));

for (const theme of THEMES) {
  describe(`page tour, ${theme}`, () => {
    let app: E2eApp;
    const tally = new AxeTally();
    const sideways: string[] = [];
    const bareSecrets: string[] = [];
    let narrowLooks = 0;

    before(async () => {
      app = await startE2eApp({ colorScheme: theme });
      await useEmulatorProfile(app);
    });
    after(async () => {
      await app?.close();
    });

    /** Looks at the page as it is now at both sizes: axe, sideways scrolling at the narrow size, screenshots. */
    async function look(state: string): Promise<void> {
      for (const size of WINDOW_SIZES) {
        await app.page.setViewportSize({ width: size.width, height: size.height });
        tally.record(`${theme} ${size.name} ${state}`, await axeViolations(app.page));
        // Every secret field on screen has its Show toggle (components/secret-input.tsx).
        const bare = await app.page.locator('input[type="password"]:visible').evaluateAll((inputs) =>
          inputs.filter((input) => !(input as { closest(s: string): unknown }).closest('.secret-input:has(button[aria-pressed])')).length,
        );
        if (bare > 0) bareSecrets.push(`${state}: ${bare}`);
        if (size.width <= 900) {
          narrowLooks += 1;
          for (const what of await sidewaysScrollers(app)) sideways.push(`${state}: ${what}`);
        }
        const folder = join(SCREENSHOT_DIR, 'pages', theme, size.name);
        await mkdir(folder, { recursive: true });
        await app.screenshot(join('pages', theme, size.name, state));
      }
      await app.page.setViewportSize({ width: 1280, height: 800 });
    }

    async function show(label: string): Promise<void> {
      // A count badge may follow the label ("Outbox 1 waiting").
      await app.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: new RegExp(`^${label}`) }).click();
    }

    test('every page, empty', async () => {
      for (const [label, state] of [
        ['Certificate upload', 'certificate-upload-empty'],
        ['Certificate download', 'certificate-download-empty'],
        ['Pass update', 'pass-update-empty'],
        ['Drafts', 'drafts-empty'],
        ['Outbox', 'outbox-empty'],
        ['History', 'history-empty'],
        ['Applications', 'applications'],
        ['Certificate expiry', 'certificate-expiry'],
        ['Pass status', 'pass-status-empty'],
        ['Profiles', 'profiles'],
        ['Keyboard shortcuts', 'keyboard-shortcuts'],
      ] as const) {
        await show(label);
        await look(state);
      }
      // History says one thing when nothing was sent (not "No sends match." above "Nothing sent yet.").
      await show('History');
      assert.equal(await app.page.getByTestId('history-count').innerText(), '0 sends');
      await app.page.getByTestId('history-empty').filter({ hasText: 'Nothing sent yet.' }).waitFor();
      // A primary button reads as the action in both themes: light text on a darker fill.
      await show('Drafts');
      const [fill, text] = await app.page.getByTestId('drafts-new-cert').evaluate((el) => {
        const page = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string; color: string } };
        const style = page.getComputedStyle(el);
        return [style.backgroundColor, style.color];
      });
      const lightness = (css: string) => css.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0);
      assert.ok(lightness(text) > lightness(fill), `${theme}: primary text ${text} on ${fill}`);
    });

    test('filled, refused, sent and listed', async () => {
      const p12 = await makeP12(app.workDir, { passphrase: P12_PASSPHRASE });
      const upload = app.page.getByRole('form', { name: 'Upload certificate' });
      await show('Certificate upload');
      const notes = join(app.workDir, 'notes.txt');
      await writeFile(notes, 'not a certificate');
      await app.dropFiles('p12-drop', [notes]);
      await app.page.getByTestId('p12-drop-refusal').filter({ hasText: 'notes.txt' }).waitFor();
      await look('certificate-upload-refused-drop');
      await upload.getByLabel('Application ID').fill('AppForAll1');
      await app.dropFiles('p12-drop', [p12.path]);
      await upload.getByTestId('chosen-file').waitFor();
      // The chosen-file card is no wider than the input above it.
      const cardWidth = (await upload.getByTestId('chosen-file').boundingBox())!.width;
      const inputWidth = (await upload.getByLabel('Application ID').boundingBox())!.width;
      assert.ok(cardWidth <= inputWidth + 1, `card ${cardWidth} px, input ${inputWidth} px`);
      await look('certificate-upload-no-passphrase');
      await upload.getByLabel('Passphrase', { exact: true }).fill(P12_PASSPHRASE);
      await upload.getByTestId('upload-submit').and(app.page.locator(':enabled')).waitFor();
      await look('certificate-upload-ready');
      await upload.getByTestId('upload-submit').click();
      await app.page.getByTestId('upload-result').filter({ hasText: 'Uploaded.' }).waitFor();
      await look('certificate-upload-done');

      await show('Certificate download');
      app.dialogs.answerSave(join(app.workDir, 'downloaded.p12'));
      await app.page.getByTestId('download-app-id').fill('AppForAll1');
      await app.page.getByTestId('download-submit').click();
      await app.page.getByTestId('download-result').filter({ hasText: 'Saved' }).waitFor();
      await look('certificate-download-done');
      await app.page.getByTestId('download-app-id').fill('NoSuchApp42');
      await app.page.getByTestId('download-submit').click();
      await app.page.getByTestId('download-refused').waitFor();
      await look('certificate-download-refused');

      await show('Applications');
      await app.page.getByTestId('app-row-AppForAll1').click();
      await app.page.getByRole('form', { name: 'WNS credentials' }).getByTestId('wns-secret').fill('tour-wns-secret');
      await look('applications-details');

      const pass = app.page.locator('[data-page="pass-update"]');
      await show('Pass update');
      await app.dropFiles('pkpass-drop', [(await makePkpass(app.workDir, { name: 'tour.pkpass' })).path]);
      await pass.getByTestId('chosen-file').filter({ hasText: 'tour.pkpass' }).waitFor();
      await pass.getByTestId('pkpass-check').filter({ hasText: /\S/ }).waitFor();
      await look('pass-update-pass-dropped');
      const json = pass.getByTestId('pass-json');
      await json.fill('{ "recipients": ');
      await pass.getByText(/JSON syntax error/).first().waitFor();
      await look('pass-update-json-error');

      await show('History');
      await app.page.getByTestId('history-page').locator('tbody tr').first().waitFor();
      await look('history-rows');
      await app.page.getByTestId('history-open').first().click();
      await app.page.getByTestId('history-details').waitFor();
      await look('history-details');
      await app.page.keyboard.press('Escape');
      await app.page.getByTestId('history-details').waitFor({ state: 'detached' });
      await show('Drafts');
      await look('drafts-rows');

      await app.stopEmulator();
      await show('Certificate upload');
      await upload.getByTestId('upload-submit').and(app.page.locator(':enabled')).waitFor();
      await upload.getByTestId('upload-submit').click();
      await app.page.getByTestId('upload-result').filter({ hasText: /Outbox/ }).waitFor();
      await look('certificate-upload-queued');
      await show('Outbox');
      await look('outbox-waiting');
      await app.restartEmulator();
    });

    test(`axe-core: no serious or critical violation in any state (${theme})`, () => {
      const summary = Object.entries(tally.byImpact).map(([impact, count]) => `${impact} ${count}`).join(', ');
      console.log(`axe ${theme}: ${summary}; rules: ${[...tally.rules].map(([rule, n]) => `${rule} x${n}`).join(', ') || 'none'}`);
      assert.ok(tally.states >= 2 * 8, `axe looked at ${tally.states} states: the tour above did not finish`);
      assert.deepEqual(tally.blocking, []);
    });

    test(`every secret field the tour met can be shown (${theme})`, () => {
      assert.deepEqual(bareSecrets, []);
    });

    test(`no page scrolls sideways at 900x700 (${theme})`, () => {
      assert.ok(narrowLooks >= 8, `only ${narrowLooks} states looked at: the tour above did not finish`);
      assert.deepEqual(sideways, []);
    });
  });
}
