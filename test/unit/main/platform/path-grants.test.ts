import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createPathGrants, pathFormProblem } from '../../../../main/platform/path-grants';

const home = join('/', 'home', 'ada');
const cert = join(home, 'certs', 'push.p12');
const saveTo = join(home, 'out', 'history.csv');
const folder = join(home, 'downloads');

describe('path grants', () => {
  test('nothing is usable until the user chose it', () => {
    const grants = createPathGrants();
    for (const access of ['read', 'write', 'reveal'] as const) {
      const problem = grants.check(cert, access);
      assert.match(problem ?? '', /was not chosen in this session/);
    }
    assert.match(grants.check(cert, 'read') ?? '', /Choose the file again with Browse or drop it on the window\./);
    assert.match(grants.check(cert, 'write') ?? '', /Choose where to save it again with Save As\./);
  });

  test('a picked or dropped file may be read and revealed, never written', () => {
    const grants = createPathGrants();
    assert.equal(grants.grantFile(cert, 'read'), true);
    assert.equal(grants.check(cert, 'read'), undefined);
    assert.equal(grants.check(cert, 'reveal'), undefined);
    assert.match(grants.check(cert, 'write') ?? '', /can only save to files you chose/);
    // Only that exact file: not its folder, a sibling, or a spelling that resolves to it.
    for (const other of [join(home, 'certs'), join(home, 'certs', 'other.p12'), `${home}/certs/../certs/push.p12`, `${home}/certs/./push.p12`, `${cert}/`]) {
      assert.notEqual(grants.check(other, 'read'), undefined, other);
    }
  });

  test('a save-dialog path may be written and revealed, never read', () => {
    const grants = createPathGrants();
    grants.grantFile(saveTo, 'write');
    assert.equal(grants.check(saveTo, 'write'), undefined);
    assert.equal(grants.check(saveTo, 'reveal'), undefined);
    assert.match(grants.check(saveTo, 'read') ?? '', /was not chosen/);
  });

  test('a folder grant covers saving into it and only the direct children main created', () => {
    const grants = createPathGrants();
    grants.grantFolder(folder);
    assert.equal(grants.check(folder, 'write'), undefined);
    const planted = join(folder, 'planted.p12');
    assert.notEqual(grants.check(planted, 'read'), undefined, 'a file main did not create');
    assert.notEqual(grants.check(planted, 'write'), undefined);
    assert.notEqual(grants.check(folder, 'read'), undefined);
    assert.notEqual(grants.check(folder, 'reveal'), undefined);

    const created = join(folder, 'app-mpns.p12');
    assert.equal(grants.grantCreated(created), true);
    assert.equal(grants.check(created, 'reveal'), undefined);
    assert.equal(grants.check(created, 'read'), undefined);
    assert.notEqual(grants.check(created, 'write'), undefined, 'created files are not overwritable by name');
    assert.equal(grants.grantCreated(join(folder, 'sub', 'deeper.p12')), false, 'only direct children');
    assert.equal(grants.grantCreated(join(home, 'elsewhere.p12')), false, 'not in a granted folder');
    assert.notEqual(grants.check(join(home, 'elsewhere.p12'), 'reveal'), undefined);
  });

  test('paths that are not absolute and plain can neither be granted nor used', () => {
    const grants = createPathGrants();
    const bad = ['push.p12', './push.p12', '../etc/passwd', 'file:///etc/passwd', `${cert}\u0000.png`, `${home}//certs/push.p12`, `${home}/x/../push.p12`, '\\\\server\\share\\x.p12'];
    for (const path of bad) {
      assert.ok(pathFormProblem(path), path);
      assert.equal(grants.grantFile(path, 'read'), false, path);
      assert.equal(grants.grantFolder(path), false, path);
      assert.notEqual(grants.check(path, 'read'), undefined, path);
    }
    assert.match(grants.check('push.p12', 'read') ?? '', /"push\.p12" is not an absolute path\. Choose the file again/);
    assert.match(grants.check('file:///etc/passwd', 'read') ?? '', /is a URL, not a file path/);
    assert.match(grants.check(`${cert}\u0000x`, 'read') ?? '', /NUL/);
    assert.equal(pathFormProblem(cert), undefined);
  });

  test('a huge path is cut in the message', () => {
    const problem = createPathGrants().check(`/${'a'.repeat(100_000)}`, 'read') ?? '';
    assert.ok(problem.length < 500, `${problem.length} characters`);
  });
});
