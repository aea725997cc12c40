// Bad-input rows of issue #18 (hostile servers, files and pages): downloads. Each row names the exact message the user
// sees and catalogue.test.ts proves that nothing the user had was lost.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CertDownloadResult } from '../../../../preload/contract';
import { NOT_PKCS12_WARNING } from '../../../../main/server/certificate-download';
import { runCliProcess } from '../../../support/cli';
import { at, downloadCert, err, host, seen, type BadInput, type Seen } from '../cases';
import { EMULATOR_PASSWORD, KEPT_APP, type World } from '../world';

/** Answers a download with the real certificate bytes under a hostile Content-Disposition. */
function certificateNamed(w: World, disposition: string) {
  return (_req: IncomingMessage, res: ServerResponse) =>
    res
      .writeHead(200, { 'content-type': 'application/x-pkcs12', 'content-disposition': disposition, 'content-length': w.files.p12Bytes.length })
      .end(w.files.p12Bytes);
}

function hostileName(name: string, disposition: string, saved: string): BadInput {
  return {
    name,
    category: 'server',
    via: 'ipc',
    act: (w) => {
      w.script.handler = certificateNamed(w, disposition);
      return downloadCert(w, { profile: 'Scripted' });
    },
    expected: (w) => ({ kind: 'saved', path: join(w.downloads, saved) }),
  };
}

/** Saves through the app's Save As path: the file the dialog returned (and so granted for writing). */
function saveAs(w: World, destination: string): Promise<Seen> {
  w.grants.grantFile(destination, 'write');
  return w.invoke('certDownload', { profileId: w.profileIds.Emulator, appId: KEPT_APP, destination }).then(seen);
}

/** The CLI's own data folder with the emulator's profile, saved through the CLI itself (once). */
let cliHome: Promise<string> | undefined;
function cli(w: World, args: string[]): Promise<Seen> {
  cliHome ??= (async () => {
    const home = join(w.temp.dir, 'cli-home-downloads');
    mkdirSync(home, { recursive: true });
    const added = await runCliProcess(['profile', 'add', 'Emulator', '--url', w.emulator.url, '--auth', 'basic', '--user', 'admin', '--password-stdin'], { home, stdin: EMULATOR_PASSWORD });
    if (added.code !== 0) throw new Error(`profile add failed: ${added.stderr}`);
    return home;
  })();
  return cliHome.then(async (home) => {
    const run = await runCliProcess([...args, '--json'], { home });
    const out = run.json() as { ok: boolean; error?: { code: string; message: string } };
    if (out.ok) throw new Error(`the CLI succeeded: ${run.stdout}`);
    return err(`${out.error?.code} (exit ${run.code})`, out.error?.message ?? '');
  });
}

const NOTHING_SAVED_ASK = "Nothing was saved; ask the server's administrator.";

export const HOSTILE_DOWNLOADS_INPUTS: BadInput[] = [
  // --- Point 3: the server does not choose what the saved file looks like --------------------------------------
  hostileName('Content-Disposition name with a right-to-left override (invoice‮exe.p12)', "attachment; filename*=UTF-8''invoice%E2%80%AEexe.p12", 'invoiceexe.p12'),
  hostileName('Content-Disposition name with zero-width and bidi marks', "attachment; filename*=UTF-8''%E2%80%8Bpush%E2%81%A6%E2%80%8F%D8%9C.p12", 'push.p12'),
  hostileName('Content-Disposition name with another extension (cert.exe)', 'attachment; filename="cert.exe"', 'cert.exe.p12'),
  hostileName('Content-Disposition name that is a Windows device (CON .p12)', 'attachment; filename="CON .p12"', '_CON .p12'),
  hostileName('Content-Disposition name that is a Windows console device (CONIN$)', 'attachment; filename="CONIN$"', '_CONIN$.p12'),
  hostileName('Content-Disposition name with trailing dots and spaces', 'attachment; filename="trail.p12. . "', 'trail.p12'),
  hostileName(
    'Content-Disposition name over 255 bytes in UTF-8',
    `attachment; filename*=UTF-8''${encodeURIComponent('é'.repeat(150))}.p12`,
    `${'é'.repeat(98)}.p12`,
  ),

  // --- Point 2: only a regular file (or a new name) is replaced --------------------------------------------------
  {
    name: 'Save As onto a named pipe',
    category: 'file',
    via: 'ipc',
    setup: (w) => {
      at.pipe = join(w.downloads, 'pipe.p12');
      execFileSync('mkfifo', [at.pipe]);
    },
    act: (w) => saveAs(w, at.pipe!),
    expected: () => err('file', `${at.pipe} is a named pipe, not a file: Engagement Desk only replaces regular files. Choose another name or folder.`),
    teardown: () => rmSync(at.pipe!, { force: true }),
  },
  {
    name: '--out /dev/null (a device, replaced when the CLI ran as root)',
    category: 'file',
    via: 'cli',
    act: (w) => cli(w, ['cert', 'download', '--profile', 'Emulator', '--app', KEPT_APP, '--out', '/dev/null']),
    expected: () => err('file (exit 2)', '/dev/null is a device, not a file: Engagement Desk only replaces regular files. Choose another name or folder.'),
    verify: () => {
      const kind = execFileSync('stat', ['-c', '%F', '/dev/null']).toString().trim();
      if (kind !== 'character special file') throw new Error(`/dev/null is now a ${kind}`);
    },
  },

  // --- Point 5: a body that trickles, is too big or is compressed ------------------------------------------------
  {
    name: 'a download that trickles a byte every 1.2 s (never idle for the 1.5 s idle timeout)',
    category: 'server',
    via: 'ipc',
    act: (w) => {
      w.script.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-pkcs12', 'content-length': 3000 });
        res.write('0123456789');
        const timer = setInterval(() => res.write('0'), 1200);
        res.on('close', () => clearInterval(timer));
      };
      return downloadCert(w, { profile: 'Scripted' });
    },
    expected: (w) =>
      err('timeout', `Timed out waiting for data from ${host(w.scriptedUrl)}: the certificate did not arrive within 3 s (12 bytes received). Nothing was saved; check the network and try again.`),
  },
  {
    name: 'a 1 GiB certificate (announced by Content-Length)',
    category: 'server',
    via: 'ipc',
    act: (w) => {
      w.script.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-pkcs12', 'content-length': 1024 ** 3 });
        res.write(Buffer.alloc(64 * 1024));
      };
      return downloadCert(w, { profile: 'Scripted' });
    },
    expected: (w) =>
      err('unexpected-response', `${host(w.scriptedUrl)} sent 1073741824 bytes for the certificate; a .p12 certificate file is only a few KB (at most 1024 KB here). ${NOTHING_SAVED_ASK}`),
  },
  {
    name: 'an endless certificate (no Content-Length)',
    category: 'server',
    via: 'ipc',
    act: (w) => {
      w.script.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-pkcs12' });
        const chunk = Buffer.alloc(64 * 1024, 0x30);
        const more = () => {
          while (res.write(chunk));
          res.once('drain', more);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        more();
      };
      return downloadCert(w, { profile: 'Scripted' });
    },
    expected: (w) =>
      err('unexpected-response', `${host(w.scriptedUrl)} sent more than 1048576 bytes for the certificate; a .p12 certificate file is only a few KB (at most 1024 KB here). ${NOTHING_SAVED_ASK}`),
  },
  {
    name: 'a gzip bomb (Content-Encoding: gzip, 64 MB of zeros)',
    category: 'server',
    via: 'ipc',
    act: (w) => {
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
      w.script.handler = (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/x-pkcs12', 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb);
      return downloadCert(w, { profile: 'Scripted' });
    },
    expected: (w) =>
      err('unexpected-response', `${host(w.scriptedUrl)} sent the certificate compressed (Content-Encoding: gzip), which Engagement Desk does not accept for a certificate. ${NOTHING_SAVED_ASK}`),
  },

  // --- Point 9: the saved body is checked to be PKCS#12 ----------------------------------------------------------
  {
    name: 'a 200 whose body is not PKCS#12 (a zip) is kept, with a warning',
    category: 'server',
    via: 'ipc',
    act: async (w) => {
      w.script.handler = (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="notp12.p12"' }).end('PK\x03\x04 not a certificate');
      const outcome = await w.invoke('certDownload', { profileId: w.profileIds.Scripted, appId: KEPT_APP, destination: w.downloads }, { folders: [w.downloads] });
      at.notP12Warning = outcome.ok ? ((outcome.value as CertDownloadResult).warning ?? '(no warning)') : '(failed)';
      return seen(outcome);
    },
    expected: (w) => ({ kind: 'saved', path: join(w.downloads, 'notp12.p12') }),
    verify: () => {
      if (at.notP12Warning !== NOT_PKCS12_WARNING) throw new Error(`warning: ${at.notP12Warning}`);
    },
  },
];
