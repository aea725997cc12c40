// Windows code paths of the product (issue #20). They run in the Windows lane (tools/windows/lane.mjs: Windows Node
// under Wine) and, where they do not depend on the OS, in the Linux suite too; the Windows-only ones say why they skip.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { windowsNameProblem } from '../../main/core/content-disposition';
import { parsePassContentJson } from '../../main/core/pass-content-json';
import { parseRecipientsCsv } from '../../main/core/recipients-csv';
import { startEmulator, type Emulator } from '../../main/emulator/server';
import { writeFileAtomic, writeFileAtomicSync } from '../../main/platform/atomic-file';
import { createPathGrants } from '../../main/platform/path-grants';
import { runCliProcess } from '../support/cli';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const WINDOWS_ONLY = process.platform === 'win32' ? false : 'Windows behaviour: runs in the Windows lane (npm run test:windows)';

let tmp: TempDir;
before(async () => {
  tmp = await makeTempDir('windows');
});
after(async () => {
  await tmp.remove();
});

/**
 * Another process opens `path` (as an antivirus scanner or the indexer does) and says so; it lets go `holdMs` after
 * the writer's temp file (`.<name>.….tmp`) appears beside it, so the writer's first rename meets the held file
 * whatever the machine's speed. Windows refuses to rename onto a file held open like that (EPERM); Linux replaces it.
 */
async function holdOpen(path: string, holdMs: number): Promise<Promise<unknown>> {
  const holder = `const fs = require('node:fs'); const path = require('node:path');
    const [file, holdMs] = [process.argv[1], Number(process.argv[2])];
    const fd = fs.openSync(file, 'r');
    process.stdout.write('held');
    const temp = () => fs.readdirSync(path.dirname(file)).some((n) => n.startsWith('.' + path.basename(file)) && n.endsWith('.tmp'));
    const poll = setInterval(() => {
      if (!temp()) return;
      clearInterval(poll);
      setTimeout(() => fs.closeSync(fd), holdMs);
    }, 5);
    setTimeout(() => process.exit(0), 10000); // a writer that failed at once removed its temp before it was seen`;
  const child = spawn(process.execPath, ['-e', holder, path, String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const [first] = (await once(child.stdout, 'data')) as [Buffer];
  assert.equal(first.toString(), 'held');
  return exited;
}

describe('renames on Windows wait for a file another process holds', { skip: WINDOWS_ONLY }, () => {
  test('writeFileAtomic replaces a file held open by another process once it lets go', async () => {
    const path = join(tmp.dir, 'held-async.json');
    await writeFile(path, 'old');
    const released = await holdOpen(path, 1000);
    await writeFileAtomic(path, 'new');
    await released;
    assert.equal(await readFile(path, 'utf8'), 'new');
    assert.deepEqual((await readdir(tmp.dir)).filter((n) => n.includes('held-async') && n.endsWith('.tmp')), [], 'no temp left');
  });

  test('writeFileAtomicSync (the settings store) does the same', async () => {
    const path = join(tmp.dir, 'held-sync.json');
    await writeFile(path, 'old');
    const released = await holdOpen(path, 1000);
    writeFileAtomicSync(path, 'new');
    await released;
    assert.equal(await readFile(path, 'utf8'), 'new');
  });
});

describe('file names Windows cannot hold', () => {
  test('device names, whatever the extension or case, and trailing dots or spaces are named', () => {
    assert.equal(
      windowsNameProblem('NUL.p12'),
      '"NUL.p12" is a name Windows keeps for a device (NUL): a file cannot have it. Choose another name.',
    );
    assert.equal(
      windowsNameProblem('com1 .edraft'),
      '"com1 .edraft" is a name Windows keeps for a device (COM1): a file cannot have it. Choose another name.',
    );
    assert.match(windowsNameProblem('Con') ?? '', /device \(CON\)/);
    assert.match(windowsNameProblem('lpt9.tar.gz') ?? '', /device \(LPT9\)/);
    assert.equal(
      windowsNameProblem('cert.p12.'),
      '"cert.p12." ends in a dot or a space, which Windows drops from file names. Choose a name without it.',
    );
    assert.match(windowsNameProblem('cert.p12 ') ?? '', /ends in a dot or a space/);
    for (const fine of ['console.p12', 'nullable.json', 'com10.p12', 'cert.p12', 'a.b.c', 'CONTOSO-mpns.p12']) {
      assert.equal(windowsNameProblem(fine), undefined, fine);
    }
  });
});

describe('CRLF line ends (Windows editors and spreadsheet exports)', () => {
  test('a recipients CSV: rows, quoted line breaks and line numbers as with LF', () => {
    assert.deepEqual(parseRecipientsCsv('\ufeffid,name\r\n1,"Ana\r\nLópez"\r\n18446744073709551615,Bo\r\n'), {
      ok: true,
      recipients: [
        { id: '1', line: 2 },
        { id: '18446744073709551615', line: 4 },
      ],
    });
    assert.deepEqual(parseRecipientsCsv('id,name\r\n1,a\r\n2\r\n'), { ok: false, line: 3, message: 'the row has 1 field, the header has 2' });
  });

  test('a passContent JSON: parsed, and a syntax error placed at the same line and column as with LF', () => {
    const crlf = parsePassContentJson('{\r\n  "recipients": {"recipient": [{"id": "7"}]},\r\n  "b": ,\r\n}\r\n');
    const lf = parsePassContentJson('{\n  "recipients": {"recipient": [{"id": "7"}]},\n  "b": ,\n}\n');
    assert.deepEqual(crlf.report.issues, lf.report.issues);
    assert.match(crlf.report.issues[0]?.message ?? '', /^JSON syntax error at line 3, column 8:/);
    assert.deepEqual(parsePassContentJson('{\r\n  "recipients": {"recipient": [{"id": "7"}]}\r\n}\r\n').value, { recipients: { recipient: [{ id: '7' }] } });
  });
});

describe('Windows paths: backslashes and drive letters', () => {
  test('path grants take what Windows dialogs and drops give, and refuse what they never give', { skip: WINDOWS_ONLY }, () => {
    const grants = createPathGrants();
    assert.equal(grants.grantFile('C:\\Users\\Ana\\Documents\\push cert.p12', 'read'), true);
    assert.equal(grants.check('C:\\Users\\Ana\\Documents\\push cert.p12', 'read'), undefined);
    assert.equal(grants.grantFolder('D:\\Exports'), true);
    assert.equal(grants.check('D:\\Exports', 'write'), undefined);
    assert.equal(grants.grantCreated('D:\\Exports\\app-mpns.p12'), true);
    assert.equal(grants.check('D:\\Exports\\app-mpns.p12', 'read'), undefined);
    assert.equal(grants.grantCreated('D:\\Other\\app-mpns.p12'), false);
    // Another spelling of a granted path is not the path that was granted.
    assert.match(grants.check('C:\\Users\\Ana\\Documents\\..\\Documents\\push cert.p12', 'read') ?? '', /not a plain file path/);
    assert.match(grants.check('C:/Users/Ana/Documents/push cert.p12', 'read') ?? '', /not a plain file path/);
    assert.match(grants.check('Documents\\push cert.p12', 'read') ?? '', /not an absolute path/);
    assert.match(grants.check('\\\\server\\share\\other.p12', 'read') ?? '', /was not chosen in this session/);
  });

  describe('through the CLI', { skip: WINDOWS_ONLY }, () => {
    let emulator: Emulator;
    let home: string;
    const cli = (args: string[], stdin?: string) => runCliProcess(args, { home, ...(stdin !== undefined ? { stdin } : {}) });

    before(async () => {
      home = join(tmp.dir, 'home');
      await mkdir(home);
      emulator = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), users: [{ username: 'win', password: 'Win-Secret-1' }], contextRoot: '/vpns' });
      const added = await cli(['profile', 'add', 'Emulator', '--url', emulator.url, '--auth', 'basic', '--user', 'win', '--password-stdin'], 'Win-Secret-1\n');
      assert.equal(added.code, 0, added.stderr);
    });
    after(async () => {
      await emulator.close();
    });

    test('a pass content file named with backslashes and a drive letter is read', async () => {
      const dir = join(tmp.dir, 'drive path');
      await mkdir(dir);
      const file = join(dir, 'content.json');
      await writeFile(file, '{\r\n  "formatVersion": 1\r\n}\r\n');
      assert.match(file, /^[A-Z]:\\/, 'a Windows path with a drive letter');
      const run = await cli(['check', file, '--json']);
      const [report] = run.json().reports as Array<{ kind: string; file: { path: string; size: number }; issues: Array<{ code: string }> }>;
      // Read and parsed (CRLF and all): what is missing is named, and the file is the one given.
      assert.deepEqual(
        [report?.kind, report?.file.path, report?.file.size, report?.issues.map((i) => i.code)],
        ['passContent', file, 28, ['pass-content-required', 'pass-content-unknown-key']],
      );
    });

    test('a download to a device name is refused before anything is sent, exit 2', async () => {
      const dir = join(tmp.dir, 'downloads');
      await mkdir(dir);
      for (const name of ['NUL.p12', 'cert.p12.']) {
        const run = await cli(['cert', 'download', '--profile', 'Emulator', '--app', 'any-app', '--out', `${dir}\\${name}`, '--json']);
        assert.equal(run.code, 2, run.stdout + run.stderr);
        const error = (run.json().error ?? {}) as { code?: string; message?: string };
        assert.equal(error.code, 'validation');
        assert.equal(error.message, windowsNameProblem(name));
      }
      assert.deepEqual(await readdir(dir), []);
    });
  });
});
