// The bad-input catalogue: one row per bad input a user (or a server) can hand Engagement Desk. Each row sets the
// input up, runs it through the code path the app uses (the IPC handlers; the renderer's own parser where the
// renderer reads the text; the CLI process where the same problem must read the same there), and names the exact
// message the user sees. catalogue.test.ts runs every row and checks that nothing the user had was lost.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { CheckReport } from '../../../preload/contract';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { toAppError } from '../../../main/core/errors';
import { parsePassContentJson } from '../../../main/core/pass-content';
import { CLI_PATH, runCliProcess } from '../../support/cli';
import { makePkpass, makePng } from '../../support/fixtures';
import { deflatedZeros, writeZip } from '../../support/zip-writer';
import { CLIENT_TIMEOUT_MS, EMULATOR_PASSWORD, KEPT_APP, PASSPHRASE, tryMount, unmount, type Outcome, type World } from './world';

export type Category = 'file' | 'form' | 'profile' | 'server';

/** What the user saw: an error (code + message), a check verdict on a dropped file, or a saved download. */
export type Seen =
  | { kind: 'error'; code: string; message: string }
  | { kind: 'check'; code: string; message: string }
  | { kind: 'saved'; path: string };

export interface BadInput {
  name: string;
  category: Category;
  /** ipc: the app's handlers; service: the send service drafts, batches and the CLI share, called in-process;
   * renderer: core code the renderer runs on text it read; cli: the built CLI process. */
  via: 'ipc' | 'service' | 'renderer' | 'cli';
  act(world: World): Promise<Seen>;
  expected(world: World): Seen;
  /** Extra proof for this row (nothing sent, nothing written elsewhere...). */
  verify?(world: World): Promise<void> | void;
  /** Environment for the row (a mount, a locked keychain) and its removal, which always runs. */
  setup?(world: World): Promise<void> | void;
  teardown?(world: World): Promise<void> | void;
  /** More folders that must hold no temp file afterwards. */
  extraDirs?(world: World): string[];
}

// -------------------------------------------------------------------------------------------------------------
// Helpers: each one is a thing the user does in the app.

let counter = 0;
export async function input(world: World, name: string, data: Uint8Array | string): Promise<string> {
  const file = `${++counter}-${name}`;
  await writeFile(join(world.inputs, file), data);
  world.created.set(file, createHash('sha256').update(data).digest('hex'));
  return join(world.inputs, file);
}

/** A .pkpass built in scratch space, then placed among the user's files like any other input. */
export async function pkpassInput(world: World, name: string, options: Parameters<typeof makePkpass>[1]): Promise<string> {
  const built = await makePkpass(world.scratch, { ...options, name });
  return input(world, name, await readFile(built.path));
}

export function seen(outcome: Outcome): Seen {
  if (outcome.ok) {
    const value = outcome.value as { path?: string };
    if (typeof value.path === 'string') return { kind: 'saved', path: value.path };
    throw new Error(`Expected a refusal, but it succeeded: ${JSON.stringify(outcome.value)}`);
  }
  return { kind: 'error', code: outcome.error.code, message: outcome.error.message };
}

export const err = (code: string, message: string): Seen => ({ kind: 'error', code, message });
export const verdict = (code: string, message: string): Seen => ({ kind: 'check', code, message });

/** The app sends a certificate or a pass as a draft or a batch, and the CLI calls the same service in-process; there
 * is no single-send channel (issue #15), so these rows call the service directly, as the CLI does. */
export async function viaService(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: toAppError(error) };
  }
}

export function uploadCert(world: World, certPath: string, options: { passphrase?: string; appId?: string; profile?: string } = {}) {
  return viaService(() =>
    world.services.actions.uploadCertificate({
      profile: world.profileIds[options.profile ?? 'Emulator']!,
      appId: options.appId ?? 'App1',
      certPath,
      passphrase: options.passphrase ?? PASSPHRASE,
    }),
  ).then(seen);
}

export function updatePass(world: World, options: { pkpass?: string; images?: { fieldName: string; path: string }[]; content?: unknown; profile?: string } = {}) {
  return viaService(() =>
    world.services.actions.updatePass({
      profile: world.profileIds[options.profile ?? 'Emulator']!,
      pkPassPath: options.pkpass ?? world.files.pkpass,
      images: options.images ?? [],
      passContent: options.content ?? { recipients: { recipient: [{ id: '48494' }] } },
    }),
  ).then(seen);
}

export function downloadCert(world: World, options: { profile?: string; appId?: string; destination?: string } = {}) {
  const destination = options.destination ?? world.downloads;
  return world
    .invoke(
      'certDownload',
      { profileId: world.profileIds[options.profile ?? 'Emulator'], appId: options.appId ?? KEPT_APP, destination },
      { folders: [destination] },
    )
    .then(seen);
}

/** The verdict the app shows when a file is dropped: the first blocking problem, else the first warning. */
export async function checkDropped(world: World, path: string, kind: 'p12' | 'pkpass' | 'image', extra: Record<string, unknown> = {}): Promise<Seen> {
  const outcome = await world.invoke('checkFile', { path, kind, ...extra }, { read: [path] });
  if (!outcome.ok) return seen(outcome);
  const report = outcome.value as CheckReport;
  const shown = report.issues.find((i) => i.severity === 'error') ?? report.issues.find((i) => i.severity === 'warning');
  return shown ? verdict(shown.code, shown.message) : verdict('none', 'no problem found');
}

/** The pass editor reads a passContent file as text and shows the parser's first problem. */
export function parseContent(text: string): Seen {
  const { report } = parsePassContentJson(text);
  const first = report.issues.find((i) => i.severity === 'error');
  return first ? verdict(first.code, `${first.path ? `${first.path}: ` : ''}${first.message}`) : verdict('none', 'no problem found');
}

export async function importRecipients(world: World, path: string): Promise<Seen> {
  return seen(await world.invoke('recipientsImport', { path }, { read: [path] }));
}

export function saveProfile(world: World, profile: Record<string, unknown>, secret = 'irrelevant') {
  return world.invoke('profileSave', { profile: { authMode: 'basic', username: 'admin', ...profile }, secret }).then(seen);
}

export function assertNothingReached(requests: { length: number }, what: string, before: number): void {
  if (requests.length !== before) throw new Error(`${what}: the request reached the server (${requests.length - before} recorded)`);
}

// -------------------------------------------------------------------------------------------------------------
// The table.

export const CERT_NOT_UPLOADED = 'The certificate was not uploaded: ';
export const PASS_NOT_SENT = 'The pass was not sent: ';
export const NOTHING_SENT = ' Nothing was sent.';
/** What the user is told after the server's "Invalid VoltMX AppId or Application is not published" inside a 200. */
export const UNKNOWN_APP_HINT = " Check the app ID against the server's application list, and that the application is published in the Engagement console.";
export const APP_ID_RULE =
  'Application IDs have only letters, digits, "-", "_" and "." (for example 20096-6548262167): copy the ID from the app\'s page in the Engagement console.';
export const TRUST_ADVICE =
  "Ask the server's administrator for a certificate from a trusted certificate authority. If your company uses its own authority, add its certificate to the system's trusted certificates (the desktop app trusts them); for the command line, set NODE_EXTRA_CA_CERTS to that certificate (a PEM file).";

export const host = (url: string) => new URL(url).host;
export const base = (path: string) => path.split('/').pop() ?? path;

/** Paths of the row's inputs, remembered between act() and expected(). */
export const at: Record<string, string> = {};

/** The rows of this file; catalogue.test.ts runs them with the hostile-input rows (hostile/) as BAD_INPUTS. */
export const BASE_BAD_INPUTS: BadInput[] = [
  // --- .p12 certificate ------------------------------------------------------------------------------------------
  {
    name: 'empty .p12',
    category: 'file',
    via: 'service',
    act: async (w) => uploadCert(w, (at.emptyP12 = await input(w, 'empty.p12', ''))),
    expected: () => err('validation', `${CERT_NOT_UPLOADED}${base(at.emptyP12!)} is empty (0 bytes). Choose the right file, or export it again.${NOTHING_SENT}`),
  },
  {
    name: 'truncated .p12 (cut in half) is not blamed on the passphrase',
    category: 'file',
    via: 'service',
    act: async (w) => uploadCert(w, await input(w, 'cut.p12', w.files.p12Bytes.subarray(0, 1000))),
    expected: (w) =>
      err(
        'validation',
        `${CERT_NOT_UPLOADED}The certificate file is incomplete (1000 of ${w.files.p12Bytes.length} bytes): it was cut off while being copied or downloaded. Copy or export it again.${NOTHING_SENT}`,
      ),
  },
  {
    name: 'huge .p12 (2 MB)',
    category: 'file',
    via: 'service',
    act: async (w) => uploadCert(w, (at.hugeP12 = await input(w, 'huge.p12', Buffer.alloc(2 * 1024 * 1024, 0x30)))),
    expected: () =>
      err('validation', `${CERT_NOT_UPLOADED}${base(at.hugeP12!)} is 2048 KB; a .p12 certificate file is only a few KB. Choose the certificate exported as .p12 or .pfx.${NOTHING_SENT}`),
  },
  {
    name: 'wrong-type .p12 (a PNG renamed)',
    category: 'file',
    via: 'service',
    act: async (w) => uploadCert(w, await input(w, 'picture.p12', makePng(40, 40))),
    expected: () => err('validation', `${CERT_NOT_UPLOADED}This is not a PKCS#12 (.p12 / .pfx) file. Choose the certificate exported as .p12 or .pfx.${NOTHING_SENT}`),
  },
  {
    name: 'wrong passphrase',
    category: 'form',
    via: 'service',
    act: (w) => uploadCert(w, w.files.p12, { passphrase: 'not-the-passphrase' }),
    expected: () =>
      err('validation', `${CERT_NOT_UPLOADED}The passphrase is wrong for this certificate file. Enter the passphrase that was set when the certificate was exported.${NOTHING_SENT}`),
  },
  {
    name: 'wrong passphrase, as the drop check shows it',
    category: 'form',
    via: 'ipc',
    act: (w) => checkDropped(w, w.files.p12, 'p12', { passphrase: 'not-the-passphrase' }),
    expected: () => verdict('p12-wrong-passphrase', 'The passphrase is wrong for this certificate file. Enter the passphrase that was set when the certificate was exported.'),
  },
  {
    name: '.p12 that is a folder',
    category: 'file',
    via: 'ipc',
    act: (w) => checkDropped(w, w.inputs, 'p12'),
    expected: (w) => verdict('file-not-regular', `${w.inputs} is not a regular file.`),
  },

  // --- .pkpass ---------------------------------------------------------------------------------------------------
  {
    name: 'empty .pkpass',
    category: 'file',
    via: 'service',
    act: async (w) => updatePass(w, { pkpass: (at.emptyPkpass = await input(w, 'empty.pkpass', '')) }),
    expected: () => err('validation', `${PASS_NOT_SENT}${base(at.emptyPkpass!)} is empty (0 bytes). Choose the right file, or export it again.${NOTHING_SENT}`),
  },
  {
    name: 'truncated .pkpass (central directory cut off)',
    category: 'file',
    via: 'service',
    act: async (w) => {
      const bytes = await readFile(w.files.pkpass);
      return updatePass(w, { pkpass: await input(w, 'cut.pkpass', bytes.subarray(0, bytes.length - 40)) });
    },
    expected: () =>
      err('validation', `${PASS_NOT_SENT}This is not a .pkpass file: it is not a valid zip archive (or it was cut off). Choose the .pkpass exported from your pass designer, or export it again.${NOTHING_SENT}`),
  },
  {
    name: 'wrong-type .pkpass (a PNG renamed)',
    category: 'file',
    via: 'service',
    act: async (w) => updatePass(w, { pkpass: await input(w, 'picture.pkpass', makePng(40, 40)) }),
    expected: () =>
      err('validation', `${PASS_NOT_SENT}This is not a .pkpass file: it is not a valid zip archive (or it was cut off). Choose the .pkpass exported from your pass designer, or export it again.${NOTHING_SENT}`),
  },
  {
    name: 'huge .pkpass (2,500 entries)',
    category: 'file',
    via: 'service',
    act: async (w) => {
      const entries = Array.from({ length: 2500 }, (_, i) => ({ name: `filler/${i}.txt`, data: 'x', method: 'store' as const }));
      return updatePass(w, { pkpass: await input(w, 'many.pkpass', writeZip([{ name: 'pass.json', data: '{}' }, ...entries])) });
    },
    expected: () => err('validation', `${PASS_NOT_SENT}The archive has 2501 entries; a pass has at most 2000. Choose the .pkpass exported from your pass designer.${NOTHING_SENT}`),
  },
  {
    name: 'zip bomb .pkpass (200 MB of zeros, honest header)',
    category: 'file',
    via: 'service',
    act: async (w) => {
      const zeros = await deflatedZeros(200 * 1024 * 1024);
      return updatePass(w, { pkpass: await input(w, 'bomb.pkpass', writeZip([{ name: 'pass.json', data: '{}' }, { name: 'strip.png', deflated: zeros }])) });
    },
    expected: () => err('validation', `${PASS_NOT_SENT}strip.png: strip.png expands more than 100:1 (203842 -> 209715200 bytes); this looks like a zip bomb, so the pass is refused. Use a pass from a source you trust (and 10 more problems).${NOTHING_SENT}`),
  },
  {
    name: 'zip bomb .pkpass (header lies about the size)',
    category: 'file',
    via: 'service',
    act: async (w) => {
      const pass = await pkpassInput(w, 'lying-bomb.pkpass', {
        rawEntries: [{ name: 'thumbnail.png', data: Buffer.alloc(5 * 1024 * 1024), declaredUncompressedSize: 100 }],
      });
      return updatePass(w, { pkpass: pass });
    },
    expected: () =>
      err('validation', `${PASS_NOT_SENT}thumbnail.png: thumbnail.png inflates to more bytes than its header declares; this looks like a zip bomb, so the pass is refused. Use a pass from a source you trust.${NOTHING_SENT}`),
  },
  {
    name: 'path traversal in a pass (../evil)',
    category: 'file',
    via: 'service',
    act: async (w) => updatePass(w, { pkpass: await pkpassInput(w, 'traversal.pkpass', { rawEntries: [{ name: '../evil', data: 'x' }] }) }),
    expected: () => err('validation', `${PASS_NOT_SENT}../evil: The entry "../evil" has a ".." segment; the pass is refused.${NOTHING_SENT}`),
  },
  {
    name: 'path traversal in a pass (absolute /etc/evil)',
    category: 'file',
    via: 'service',
    act: async (w) => updatePass(w, { pkpass: await pkpassInput(w, 'absolute.pkpass', { rawEntries: [{ name: '/etc/evil', data: 'x' }] }) }),
    expected: () => err('validation', `${PASS_NOT_SENT}/etc/evil: The entry "/etc/evil" has an absolute path; the pass is refused.${NOTHING_SENT}`),
  },

  // --- PNG images ------------------------------------------------------------------------------------------------
  {
    name: 'empty PNG',
    category: 'file',
    via: 'service',
    act: async (w) => updatePass(w, { images: [{ fieldName: 'logo', path: (at.emptyPng = await input(w, 'logo.png', '')) }] }),
    expected: () => err('validation', `The image "logo" was not sent: ${base(at.emptyPng!)} is empty (0 bytes). Choose the right file, or export it again.${NOTHING_SENT}`),
  },
  {
    name: 'truncated PNG (cut inside its header)',
    category: 'file',
    via: 'service',
    act: async (w) => updatePass(w, { images: [{ fieldName: 'logo', path: (at.cutPng = await input(w, 'cut.png', makePng(160, 50).subarray(0, 20))) }] }),
    expected: () => err('validation', `The image "logo" was not sent: ${base(at.cutPng!)}: ${base(at.cutPng!)} is cut off: it ends inside its PNG header. Export the image again.${NOTHING_SENT}`),
  },
  {
    name: 'wrong-type PNG (a JPEG renamed)',
    category: 'file',
    via: 'service',
    act: async (w) =>
      updatePass(w, {
        images: [{ fieldName: 'logo', path: (at.jpegPng = await input(w, 'photo.png', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0]))) }],
      }),
    expected: () =>
      err('validation', `The image "logo" was not sent: ${base(at.jpegPng!)}: ${base(at.jpegPng!)} is not a PNG image. Wallet only shows PNG files; convert it to PNG.${NOTHING_SENT}`),
  },
  {
    name: 'huge PNG (20 MB) is flagged when dropped',
    category: 'file',
    via: 'ipc',
    act: async (w) => checkDropped(w, (at.hugePng = await input(w, 'logo.png', Buffer.concat([makePng(160, 50), Buffer.alloc(20 * 1024 * 1024)]))), 'image', { role: 'logo' }),
    expected: () => verdict('image-file-large', `${base(at.hugePng!)} is 20.0 MB; keep pass images small so the pass downloads quickly.`),
  },

  // --- passContent JSON ------------------------------------------------------------------------------------------
  {
    name: 'empty passContent JSON',
    category: 'file',
    via: 'renderer',
    act: async () => parseContent(''),
    expected: () => verdict('pass-content-syntax', 'The passContent JSON is empty.'),
  },
  {
    name: 'truncated passContent JSON (invalid JSON)',
    category: 'file',
    via: 'renderer',
    act: async () => parseContent('{"recipients": {"recipient": [{"id": "1"}'),
    expected: () =>
      verdict('pass-content-syntax', 'JSON syntax error at line 1, column 42: unexpected end of text (the JSON is cut off); expected "," or "]". Correct the JSON there and try again.'),
  },
  {
    name: 'invalid JSON (trailing comma)',
    category: 'file',
    via: 'renderer',
    act: async () => parseContent('{"recipients": {"recipient": [{"id": "1"},]}}'),
    expected: () => verdict('pass-content-syntax', 'JSON syntax error at line 1, column 43: trailing comma before "]". Correct the JSON there and try again.'),
  },
  {
    name: 'wrong-type passContent (a PNG)',
    category: 'file',
    via: 'renderer',
    act: async () => parseContent(makePng(10, 10).toString('utf8')),
    expected: () => verdict('pass-content-syntax', 'This is not a JSON text file (it holds binary data). Choose the passContent .json file.'),
  },
  {
    name: 'passContent that is a JSON array',
    category: 'form',
    via: 'service',
    act: (w) => updatePass(w, { content: [{ id: '1' }] }),
    expected: () => err('validation', `The pass content has problems: passContent must be a JSON object.${NOTHING_SENT}`),
  },
  {
    name: 'passContent without recipients',
    category: 'form',
    via: 'service',
    act: (w) => updatePass(w, { content: {} }),
    expected: () => err('validation', `The pass content has problems: recipients: Add the recipients: "recipients": {"recipient": [{"id": "..."}]}.${NOTHING_SENT}`),
  },

  // --- recipients CSV --------------------------------------------------------------------------------------------
  {
    name: 'empty recipients CSV',
    category: 'file',
    via: 'ipc',
    act: async (w) => importRecipients(w, (at.emptyCsv = await input(w, 'empty.csv', ''))),
    expected: () => err('validation', `Recipients file ${base(at.emptyCsv!)}, line 1: the file is empty; it needs a header row with an "id" column.`),
  },
  {
    name: 'truncated recipients CSV (quote never closed)',
    category: 'file',
    via: 'ipc',
    act: async (w) => importRecipients(w, (at.cutCsv = await input(w, 'cut.csv', 'id,name\n1,"Ada'))),
    expected: () => err('validation', `Recipients file ${base(at.cutCsv!)}, line 2: a quoted field is never closed (missing ").`),
  },
  {
    name: 'wrong-type recipients CSV (a PNG)',
    category: 'file',
    via: 'ipc',
    act: async (w) => importRecipients(w, (at.pictureCsv = await input(w, 'picture.csv', makePng(10, 10)))),
    expected: () =>
      err('validation', `Recipients file ${base(at.pictureCsv!)}, line 1: this is not a text file; save the list as CSV (comma-separated values) with a header row that has an "id" column.`),
  },
  {
    name: 'huge recipients CSV (33 MB)',
    category: 'file',
    via: 'ipc',
    act: async (w) => importRecipients(w, (at.hugeCsv = await input(w, 'huge.csv', Buffer.alloc(33 * 1024 * 1024, 0x31)))),
    expected: () => err('validation', `${at.hugeCsv} is too large for a recipients file (over 32 MB). Split it into files of at most 100,000 recipients.`),
  },

  // --- form fields -----------------------------------------------------------------------------------------------
  {
    name: 'app ID with a space',
    category: 'form',
    via: 'service',
    act: (w) => uploadCert(w, w.files.p12, { appId: 'My App' }),
    expected: () => err('validation', `The application ID "My App" contains a space. ${APP_ID_RULE}${NOTHING_SENT}`),
  },
  {
    name: 'app ID with a slash',
    category: 'form',
    via: 'service',
    act: (w) => uploadCert(w, w.files.p12, { appId: '20096/6548262167' }),
    expected: () => err('validation', `The application ID "20096/6548262167" contains a slash (/). ${APP_ID_RULE}${NOTHING_SENT}`),
  },
  {
    name: 'app ID with non-ASCII letters (download)',
    category: 'form',
    via: 'ipc',
    act: (w) => downloadCert(w, { appId: 'Äpp-ü' }),
    expected: () => err('validation', `The application ID "Äpp-ü" contains "Ä", which is not a plain ASCII letter. ${APP_ID_RULE}${NOTHING_SENT}`),
  },
  {
    name: 'app ID left blank (download)',
    category: 'form',
    via: 'ipc',
    act: (w) => downloadCert(w, { appId: '   ' }),
    expected: () => err('validation', 'Enter the application ID. (appId)'),
  },
  {
    name: 'image field name with a space (batch)',
    category: 'form',
    via: 'ipc',
    act: (w) => {
      const images = [{ fieldName: 'my logo', path: w.files.logo }];
      const payload = { profileId: w.profileIds.Emulator, pkPassPath: w.files.pkpass, images, passContent: {}, recipientIds: ['48494'] };
      return w.invoke('passBatch', payload, { read: [w.files.pkpass, w.files.logo] }).then(seen);
    },
    expected: () => err('validation', 'Use letters, digits, _ . @ or - in image field names. (images.0.fieldName)'),
  },
  {
    name: 'server URL without a scheme',
    category: 'profile',
    via: 'ipc',
    act: (w) => saveProfile(w, { name: 'No scheme', baseUrl: 'engage.example.com/vpns' }),
    expected: () => err('validation', '"engage.example.com/vpns" has no http:// or https:// at the start. Enter the full server URL, for example https://engage.example.com/vpns.'),
  },
  {
    name: 'server URL without a scheme, with a port',
    category: 'profile',
    via: 'ipc',
    act: (w) => saveProfile(w, { name: 'No scheme', baseUrl: 'engage.example.com:8443/vpns' }),
    expected: () => err('validation', '"engage.example.com:8443/vpns" has no http:// or https:// at the start. Enter the full server URL, for example https://engage.example.com:8443/vpns.'),
  },
  {
    name: 'server URL with credentials in it',
    category: 'profile',
    via: 'ipc',
    act: (w) => saveProfile(w, { name: 'Creds in URL', baseUrl: 'https://admin:secret@engage.example.com/vpns' }),
    expected: () => err('validation', 'Do not put credentials in the server URL; enter them in the profile, where they go to the keychain.'),
  },
  {
    name: 'a profile that does not exist',
    category: 'profile',
    via: 'ipc',
    act: (w) => w.invoke('certDownload', { profileId: 'Nope', appId: KEPT_APP, destination: w.downloads }, { folders: [w.downloads] }).then(seen),
    expected: () => err('not-found', 'There is no profile "Nope". Known profiles: Emulator, Untrusted TLS, Scripted, Silent.'),
  },

  // --- server answers --------------------------------------------------------------------------------------------
  {
    name: '401 with an HTML body',
    category: 'server',
    via: 'service',
    act: (w) => {
      w.emulator.injectFault({
        path: /\/windows$/,
        status: 401,
        contentType: 'text/html;charset=utf-8',
        body: '<!doctype html><html><head><title>HTTP Status 401 – Unauthorized</title></head><body><h1>Unauthorized</h1><pre>org.apache.catalina.realm...</pre></body></html>',
      });
      return uploadCert(w, w.files.p12);
    },
    expected: () => err('auth-rejected', 'The server refused the credentials (HTTP 401). Check the user name, password or API key in the profile.'),
  },
  {
    name: '500 with a JSON body',
    category: 'server',
    via: 'service',
    act: (w) => {
      w.emulator.injectFault({ path: '/api/v1/message/pass/import/update', status: 500, body: '{"id":"-1","message":"Server failure to process request"}' });
      return updatePass(w);
    },
    expected: () => err('server-error', 'The server failed to process the request (HTTP 500): Server failure to process request. Try again later.'),
  },
  {
    name: '200 with a JSON error body instead of the certificate',
    category: 'server',
    via: 'ipc',
    act: (w) => {
      w.emulator.injectFault({ path: /downloadwindowscert/, status: 200, body: '{"id":"-1","message":"No certificate stored"}' });
      return downloadCert(w);
    },
    expected: () => err('unexpected-response', 'The server sent a JSON message instead of the certificate: No certificate stored'),
  },
  {
    name: 'redirect of an upload to another host',
    category: 'server',
    via: 'service',
    act: (w) => {
      w.script.handler = (_req, res) => res.writeHead(307, { location: `${w.elsewhere.url}/api/v1/applications/App1/windows` }).end();
      return uploadCert(w, w.files.p12, { profile: 'Scripted' });
    },
    expected: (w) =>
      err(
        'unexpected-response',
        `The server redirected to ${w.elsewhere.url}/api/v1/applications/App1/windows. Engagement Desk does not follow redirects with your credentials; update the profile's URL to the final address.`,
      ),
    verify: (w) => assertNothingReached(w.elsewhere.seen, 'redirected upload', 0),
  },
  {
    name: 'redirect of a download to another host',
    category: 'server',
    via: 'ipc',
    act: (w) => {
      w.script.handler = (req, res) => res.writeHead(302, { location: `${w.elsewhere.url}${req.url ?? '/'}` }).end();
      return downloadCert(w, { profile: 'Scripted' });
    },
    expected: (w) => err('unexpected-response', `The server redirected to ${host(w.elsewhere.url)}, which asked for credentials. Engagement Desk does not send your credentials to another host; update the profile's URL to the final address.`),
    verify: (w) => {
      const leaked = w.elsewhere.seen.filter((req) => req.headers.authorization !== undefined);
      if (leaked.length > 0) throw new Error('credentials followed a redirect to another host');
    },
  },
  {
    name: 'self-signed TLS certificate',
    category: 'server',
    via: 'service',
    act: (w) => uploadCert(w, w.files.p12, { profile: 'Untrusted TLS' }),
    expected: (w) =>
      err('tls', `The certificate of ${host(w.tlsEmulator.url)} is not trusted: it is self-signed, so Engagement Desk did not connect and sent nothing. ${TRUST_ADVICE}`),
    verify: (w) => assertNothingReached(w.tlsEmulator.requests, 'self-signed TLS', 0),
  },
  {
    name: 'a server that never answers (upload)',
    category: 'server',
    via: 'service',
    act: (w) => timed(() => uploadCert(w, w.files.p12, { profile: 'Silent' })),
    expected: (w) => err('timeout', `Timed out waiting for an answer from ${host(w.silentUrl)}. Check the network and try again.`),
  },
  {
    name: 'a server that never answers (download)',
    category: 'server',
    via: 'ipc',
    act: (w) => timed(() => downloadCert(w, { profile: 'Silent' })),
    expected: (w) => err('timeout', `Timed out waiting for an answer from ${host(w.silentUrl)}. Check the network and try again.`),
  },
  {
    name: 'connection reset in the middle of an upload',
    category: 'server',
    via: 'service',
    act: (w) => {
      w.emulator.injectFault({ path: /\/windows$/, resetAfterBytes: 600 });
      return uploadCert(w, w.files.p12, { appId: KEPT_APP });
    },
    expected: (w) => err('network', `The connection to ${host(w.emulator.url)} was dropped before the server answered. Check the network and try again.`),
  },
  {
    name: 'connection reset in the middle of a download',
    category: 'server',
    via: 'ipc',
    act: (w) => {
      w.emulator.injectFault({ path: /downloadwindowscert/, resetAfterBytes: 700 });
      return downloadCert(w);
    },
    expected: (w) => err('network', `The download was cut off before the whole file arrived (${w.files.p12Bytes.length} bytes expected). Nothing was saved; try again.`),
  },
  {
    name: 'Content-Disposition file name with ../',
    category: 'server',
    via: 'ipc',
    act: (w) => {
      w.script.handler = certificateWithName(w, 'attachment; filename="../../../evil.p12"');
      return downloadCert(w, { profile: 'Scripted' });
    },
    expected: (w) => ({ kind: 'saved', path: join(w.downloads, 'evil.p12') }),
  },
  {
    name: 'Content-Disposition file name* with encoded ..%2F and a Windows path',
    category: 'server',
    via: 'ipc',
    act: (w) => {
      w.script.handler = certificateWithName(w, "attachment; filename=\"x.p12\"; filename*=UTF-8''..%2F..%5C..%5Cwindows%5Cevil2.p12");
      return downloadCert(w, { profile: 'Scripted' });
    },
    expected: (w) => ({ kind: 'saved', path: join(w.downloads, 'evil2.p12') }),
  },
];

/** Answers a download with the real certificate bytes under a hostile Content-Disposition. */
function certificateWithName(world: World, disposition: string) {
  return (_req: IncomingMessage, res: ServerResponse) =>
    res
      .writeHead(200, { 'content-type': 'application/x-pkcs12', 'content-disposition': disposition, 'content-length': world.files.p12Bytes.length })
      .end(world.files.p12Bytes);
}

/** The action must end within the configured client timeout (plus slack), not hang. */
async function timed(action: () => Promise<Seen>): Promise<Seen> {
  const started = Date.now();
  const result = await action();
  const elapsed = Date.now() - started;
  if (elapsed > CLIENT_TIMEOUT_MS * 3 + 2000) throw new Error(`took ${elapsed} ms with a ${CLIENT_TIMEOUT_MS} ms timeout`);
  return result;
}

// -------------------------------------------------------------------------------------------------------------
// Rows that need the environment changed: a read-only or full destination, the keychain locked or gone, damaged
// storage files, and the CLI (whose message must be the app's text for the same problem).

const mounts = new Map<string, { dir: string; mounted: boolean }>();

/** A folder the download cannot write to: a read-only tmpfs, or (when mount is refused) /sys, which refuses files. */
function readOnlySetup(w: World): void {
  const dir = join(w.temp.dir, 'read-only');
  mkdirSync(dir, { recursive: true });
  const result = process.env.BAD_INPUTS_NO_MOUNT === '1' ? { mounted: false, reason: 'BAD_INPUTS_NO_MOUNT=1' } : tryMount(['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs'], dir);
  if (result.mounted) {
    mounts.set('read-only', { dir, mounted: true });
    console.log('# not-writable destination: a read-only tmpfs mount');
  } else {
    mounts.set('read-only', { dir: '/sys', mounted: false });
    console.log(`# not-writable destination: /sys (mount refused: ${result.reason})`);
  }
}

/** A folder with no space left: a 1 MB tmpfs filled to the brim (the fallback, without mount, is a CLI row below). */
function fullSetup(w: World): void {
  const dir = join(w.temp.dir, 'full');
  mkdirSync(dir, { recursive: true });
  const result = process.env.BAD_INPUTS_NO_MOUNT === '1' ? { mounted: false, reason: 'BAD_INPUTS_NO_MOUNT=1' } : tryMount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs'], dir);
  mounts.set('full', { dir, mounted: result.mounted });
  if (!result.mounted) {
    console.log(`# full destination: RLIMIT_FSIZE on a CLI child (mount refused: ${result.reason})`);
    return;
  }
  console.log('# full destination: a 1 MB tmpfs mount, filled');
  const filler = openSync(join(dir, 'filler.bin'), 'w');
  const block = Buffer.alloc(4096, 0x55);
  try {
    for (;;) writeSync(filler, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(filler);
  }
}

function unmountSetup(name: string): void {
  const entry = mounts.get(name);
  if (entry?.mounted) unmount(entry.dir);
}

const KEYRING_HINT = 'your keyring (GNOME Keyring, KWallet)';
/** As the CLI says it: a CLI run keeps no secret for a session (it ends), so it names the way it can take one. */
const cliKeychainMessage = (profile: string, state: 'locked' | 'unavailable') =>
  `The secret of the profile "${profile}" could not be read. The OS keychain ${state === 'locked' ? 'is locked' : 'is not available'}, so secrets cannot be read from it or saved in it. ` +
  `${state === 'locked' ? 'Unlock' : 'Start'} ${KEYRING_HINT} and try again. Until then give the secret to each command in ENGAGEMENT_DESK_SECRET.`;

/** The CLI's own data folder, with the emulators' profiles saved through the CLI itself (once). */
let cliReady: Promise<string> | undefined;
function cliHome(w: World): Promise<string> {
  cliReady ??= (async () => {
    const home = join(w.temp.dir, 'cli-home');
    mkdirSync(home, { recursive: true });
    for (const [name, url] of [['Emulator', w.emulator.url], ['Untrusted TLS', w.tlsEmulator.url]] as const) {
      const added = await runCliProcess(['profile', 'add', name, '--url', url, '--auth', 'basic', '--user', 'admin', '--password-stdin'], { home, stdin: EMULATOR_PASSWORD });
      if (added.code !== 0) throw new Error(`profile add failed: ${added.stderr}`);
    }
    return home;
  })();
  return cliReady;
}

/** Runs the CLI with --json and reads its one error object; the exit code is part of what the user sees. */
async function cli(w: World, args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Seen> {
  const home = await cliHome(w);
  const run = await runCliProcess([...args, '--json'], { home, ...options });
  const out = run.json() as { ok: boolean; error?: { code: string; message: string }; path?: string };
  if (out.ok) throw new Error(`the CLI succeeded: ${run.stdout}`);
  return { kind: 'error', code: `${out.error?.code} (exit ${run.code})`, message: out.error?.message ?? '' };
}

/** A CLI run inside its own D-Bus session and keyring, locked before the command: the test run's keyring is untouched. */
async function cliWithLockedKeyring(w: World, profile: string): Promise<Seen> {
  const home = join(w.temp.dir, 'cli-locked');
  mkdirSync(home, { recursive: true });
  const keyringData = join(w.temp.dir, 'locked-keyring');
  mkdirSync(keyringData, { recursive: true });
  const script = [
    "printf '%s' locked-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null",
    `printf '%s' "$ED_PW" | "$ED_CLI" profile add "${profile}" --url "$ED_URL" --auth basic --user admin --password-stdin >/dev/null`,
    "gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets --method org.freedesktop.Secret.Service.Lock \"['/org/freedesktop/secrets/collection/login']\" >/dev/null",
    `printf '%s' "$ED_PASSPHRASE" | "$ED_CLI" cert upload --profile "${profile}" --app App1 --cert "$ED_CERT" --passphrase-stdin --json`,
  ].join(' && ');
  const child = await runChild('dbus-run-session', ['--', 'sh', '-c', script], {
    env: {
      ...process.env,
      XDG_DATA_HOME: keyringData,
      ENGAGEMENT_DESK_HOME: home,
      ED_CLI: CLI_PATH,
      ED_PW: EMULATOR_PASSWORD,
      ED_PASSPHRASE: PASSPHRASE,
      ED_URL: w.emulator.url,
      ED_CERT: w.files.p12,
    },
  });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  const out = JSON.parse(line || '{}') as { ok?: boolean; error?: { code: string; message: string } };
  if (out.ok !== false) throw new Error(`expected a refusal, got: ${child.stdout}\n${child.stderr}`);
  return { kind: 'error', code: `${out.error?.code} (exit ${child.status})`, message: out.error?.message ?? '' };
}

BASE_BAD_INPUTS.push(
  {
    name: 'destination folder that is not writable',
    category: 'server',
    via: 'ipc',
    setup: readOnlySetup,
    teardown: () => unmountSetup('read-only'),
    act: (w) => downloadCert(w, { destination: mounts.get('read-only')!.dir }),
    expected: () => {
      const { dir, mounted } = mounts.get('read-only')!;
      const target = join(dir, 'push.p12');
      return mounted || readOnlyErrno() === 'EROFS'
        ? err('file', `Cannot write ${target}: the disk or folder is read-only. Choose another folder. Nothing was saved.`)
        : err('file', `Permission denied: ${target}. Choose another location or fix the permissions. Nothing was saved.`);
    },
    verify: async () => {
      const { dir, mounted } = mounts.get('read-only')!;
      if (mounted && readdirSync(dir).length !== 0) throw new Error('something was written to the read-only folder');
      if (!mounted && existsSync(join(dir, 'push.p12'))) throw new Error('a file appeared in /sys');
    },
  },
  {
    name: 'destination folder that is full',
    category: 'server',
    via: 'ipc',
    setup: fullSetup,
    teardown: () => unmountSetup('full'),
    act: async (w) => {
      const { dir, mounted } = mounts.get('full')!;
      if (mounted) return downloadCert(w, { destination: dir });
      // Without mount: the same download from the CLI, in a child whose file size limit (RLIMIT_FSIZE) is 1 KB.
      // Node resets inherited signal dispositions at start, so the child ignores SIGXFSZ itself (a preload), as a
      // shell's `trap '' XFSZ` would: a write past the limit then fails with EFBIG instead of killing the process.
      const home = await cliHome(w);
      const preload = join(w.temp.dir, 'ignore-sigxfsz.mjs');
      writeFileSync(preload, "process.on('SIGXFSZ', () => {});\n");
      const run = await runChild('prlimit', ['--fsize=1024', '--', CLI_PATH, 'cert', 'download', '--profile', 'Emulator', '--app', KEPT_APP, '--out', dir, '--json'], {
        env: { ...process.env, ENGAGEMENT_DESK_HOME: home, NODE_OPTIONS: `--import=${preload}` },
      });
      const out = JSON.parse(run.stdout.trim() || '{}') as { error?: { code: string; message: string } };
      return err(out.error?.code ?? `no error (exit ${run.status}): ${run.stdout} ${run.stderr}`, out.error?.message ?? '');
    },
    expected: () => {
      const { dir, mounted } = mounts.get('full')!;
      const target = join(dir, 'push.p12');
      return mounted
        ? err('file', `There is not enough space on the disk for ${target}. Free some space or choose another folder. Nothing was saved.`)
        : err('file', `${target} is larger than this disk or folder accepts. Choose another folder. Nothing was saved.`);
    },
    extraDirs: () => [mounts.get('full')!.dir],
    verify: () => {
      const { dir, mounted } = mounts.get('full')!;
      const left = readdirSync(dir);
      if (left.join() !== (mounted ? 'filler.bin' : '')) throw new Error(`left in the full folder: ${left.join(', ')}`);
    },
  },
  {
    name: 'missing keychain (no D-Bus session), from the CLI',
    category: 'profile',
    via: 'cli',
    act: (w) =>
      cli(w, ['cert', 'upload', '--profile', 'Emulator', '--app', 'App1', '--cert', w.files.p12, '--passphrase-stdin'], {
        stdin: PASSPHRASE,
        env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/engagement-desk-bus' },
      }),
    expected: () => err('keychain-unavailable (exit 3)', cliKeychainMessage('Emulator', 'unavailable')),
    verify: async (w) => {
      // The secret the CLI could not reach is still in the keychain.
      const list = await runCliProcess(['profile', 'list', '--json'], { home: await cliHome(w) });
      const emulatorProfile = (list.json().profiles as { name: string; hasSecret: boolean }[]).find((p) => p.name === 'Emulator');
      if (!emulatorProfile?.hasSecret) throw new Error(`the CLI profile lost its secret: ${list.stdout}`);
    },
  },
  {
    name: 'locked keychain, from the CLI (its own keyring, locked)',
    category: 'profile',
    via: 'cli',
    act: (w) => cliWithLockedKeyring(w, 'Locked'),
    expected: () => err('keychain-unavailable (exit 3)', cliKeychainMessage('Locked', 'locked')),
    verify: (w) => {
      const config = JSON.parse(readFileSync(join(w.temp.dir, 'cli-locked', 'config.json'), 'utf8')) as { profiles?: { name: string }[] };
      if (!config.profiles?.some((p) => p.name === 'Locked')) throw new Error('the saved profile was lost');
    },
  },
  {
    name: 'wrong passphrase, from the CLI (same text as the app)',
    category: 'form',
    via: 'cli',
    act: (w) => cli(w, ['cert', 'upload', '--profile', 'Emulator', '--app', 'App1', '--cert', w.files.p12, '--passphrase-stdin'], { stdin: 'not-the-passphrase' }),
    expected: () =>
      err('validation (exit 2)', `${CERT_NOT_UPLOADED}The passphrase is wrong for this certificate file. Enter the passphrase that was set when the certificate was exported.${NOTHING_SENT}`),
  },
  {
    name: 'app ID with a space, from the CLI (same text as the app)',
    category: 'form',
    via: 'cli',
    act: (w) => cli(w, ['cert', 'download', '--profile', 'Emulator', '--app', 'My App', '--out', w.downloads]),
    expected: () => err('validation (exit 2)', `The application ID "My App" contains a space. ${APP_ID_RULE}${NOTHING_SENT}`),
  },
  {
    name: 'self-signed TLS certificate, from the CLI (same text as the app)',
    category: 'server',
    via: 'cli',
    act: (w) => cli(w, ['cert', 'download', '--profile', 'Untrusted TLS', '--app', KEPT_APP, '--out', w.downloads]),
    expected: (w) =>
      err('tls (exit 6)', `The certificate of ${host(w.tlsEmulator.url)} is not trusted: it is self-signed, so Engagement Desk did not connect and sent nothing. ${TRUST_ADVICE}`),
  },
  {
    name: 'invalid passContent JSON file, from the CLI (the editor\'s text, with the file name)',
    category: 'file',
    via: 'cli',
    act: async (w) => {
      at.cliJson = await input(w, 'content.json', '{"recipients": {"recipient": [{"id": "1"}');
      return cli(w, ['pass', 'update', '--profile', 'Emulator', '--pkpass', w.files.pkpass, '--content', at.cliJson]);
    },
    expected: () =>
      err('validation (exit 2)', `${at.cliJson}: JSON syntax error at line 1, column 42: unexpected end of text (the JSON is cut off); expected "," or "]". Correct the JSON there and try again.`),
  },
  {
    name: '500 with a JSON body, from the CLI (same text as the app)',
    category: 'server',
    via: 'cli',
    act: (w) => {
      w.emulator.injectFault({ path: /downloadwindowscert/, status: 500, body: '{"id":"-1","message":"Server failure to process request"}' });
      return cli(w, ['cert', 'download', '--profile', 'Emulator', '--app', KEPT_APP, '--out', w.downloads]);
    },
    expected: () => err('server-error (exit 5)', 'The server failed to process the request (HTTP 500): Server failure to process request. Try again later.'),
  },
  {
    name: 'corrupted settings file',
    category: 'profile',
    via: 'ipc',
    act: async (w) => {
      const dataDir = join(w.temp.dir, 'damaged-settings');
      mkdirSync(dataDir, { recursive: true });
      at.settingsFile = join(dataDir, 'config.json');
      writeFileSync(at.settingsFile, '{"profiles": [{"id": "p1", "name": "Prod"');
      const store = openSettingsStore(dataDir, { now: () => new Date('2026-01-02T03:04:05.006Z') });
      const problem = store.problems?.[0];
      at.settingsCopy = problem?.copy ?? '';
      return problem ? err('settings', problem.message) : err('none', 'no problem reported');
    },
    expected: () =>
      err(
        'settings',
        `The settings file ${at.settingsFile} could not be read (it is not valid JSON: Expected ',' or '}' after property value in JSON at position 41 (line 1 column 42)), so Engagement Desk started with default settings. ` +
          `Nothing was deleted: the damaged file is kept at ${at.settingsCopy}. Add your profiles again (their passwords and keys are still in the keychain), ` +
          'or repair the copy and put it back as config.json while Engagement Desk is closed.',
      ),
    verify: () => {
      if (readFileSync(at.settingsCopy!, 'utf8') !== '{"profiles": [{"id": "p1", "name": "Prod"') throw new Error('the damaged settings were not kept as they were');
    },
  },
  {
    name: 'corrupted draft',
    category: 'profile',
    via: 'ipc',
    act: async (w) => {
      const draft = await w.services.drafts.drafts.create({ kind: 'pass-update', name: 'Will be damaged' });
      at.damagedDraft = draft.id;
      const itemPath = join(w.dataDir, 'drafts', 'items', `${draft.id}.json`);
      at.damagedText = '{"id": "' + draft.id + '", "kind": "pass-upd';
      writeFileSync(itemPath, at.damagedText);
      return seen(await w.invoke('draftsGet', { id: draft.id }));
    },
    expected: () => err('file', `The draft ${at.damagedDraft} could not be read and was set aside: Not valid JSON (Unterminated string in JSON at position 64 (line 1 column 65)).`),
    verify: (w) => {
      const quarantine = join(w.dataDir, 'drafts', 'quarantine');
      const kept = readdirSync(quarantine).filter((n) => n.startsWith(`${at.damagedDraft}.`) && n.endsWith('.json') && !n.endsWith('.reason.json'));
      if (kept.length !== 1 || readFileSync(join(quarantine, kept[0]!), 'utf8') !== at.damagedText) throw new Error('the damaged draft was not kept as it was');
    },
  },
);

function readOnlyErrno(): string {
  try {
    closeSync(openSync('/sys/.engagement-desk-probe', 'wx'));
    return 'none';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'unknown';
  }
}

/** A child process run without blocking this one (which serves the emulator the child talks to). */
function runChild(command: string, args: string[], options: { env: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', rejectRun);
    child.on('close', (status) => resolveRun({ status, stdout, stderr }));
  });
}
