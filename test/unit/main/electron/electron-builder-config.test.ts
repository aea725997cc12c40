// Pins the packaging settings that are security decisions: the Electron fuses in electron-builder.yml.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../../../support/cli';

// electron-builder reads its YAML with js-yaml (a dependency of app-builder-lib), so the test reads it the same way.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

async function builderConfig(): Promise<Record<string, unknown>> {
  return yaml.load(await readFile(join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
}

/** The fuses electron-builder knows (its FuseOptionsV1), read from the installed version's type declarations. */
async function knownFuses(): Promise<string[]> {
  const types = await readFile(join(REPO_ROOT, 'node_modules/app-builder-lib/out/configuration.d.ts'), 'utf8');
  const body = /export interface FuseOptionsV1 \{([\s\S]*?)\n\}/.exec(types)?.[1] ?? '';
  return [...body.matchAll(/^\s+(\w+)\?: boolean;$/gm)].map((m) => m[1] ?? '').sort();
}

describe('electron-builder.yml', () => {
  test('every Electron fuse is set, to these values', async () => {
    const fuses = (await builderConfig()).electronFuses;
    assert.deepEqual(fuses, {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    // A fuse electron-builder adds later must be decided here too. resetAdHocDarwinSignature is a signing step
    // for macOS, not a fuse of the binary (electron-builder signs after flipping the fuses).
    const decided = [...Object.keys(fuses as object), 'resetAdHocDarwinSignature'].sort();
    assert.deepEqual(await knownFuses(), decided);
  });
});
