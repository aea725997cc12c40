// Which file paths the renderer may name (Electron's "do not trust the renderer"; Insomnia's path-guarded writes).
// A path is usable only when the user chose it in this session: picked in one of main's own dialogs, dropped on
// the window (the preload reports webUtils.getPathForFile, which only a real dropped File has), or the original of
// a draft file main has just verified to hold the draft's bytes. A compromised page therefore cannot make main
// read /etc/passwd, overwrite the app's own data or reveal an arbitrary file: it can only name what the user chose.
// The CLI runs as the user and does not use grants.
import { basename, dirname, isAbsolute, normalize } from 'node:path';
import type { PathAccess } from '../../preload/contract';

export type GrantedAccess = 'read' | 'write';

export interface PathGrants {
  /** A file the user picked or dropped (read) or chose to save to (write). Either may also be revealed. False (and
   * nothing granted) for a path that is not absolute and plain (see pathFormProblem). */
  grantFile(path: string, access: GrantedAccess): boolean;
  /** A folder the user chose to save into: main may create files directly in it (see grantCreated). */
  grantFolder(path: string): boolean;
  /** A file main itself created directly inside a granted folder: it may then be read and revealed. False (and
   * nothing granted) when the file is not a direct child of a granted folder. */
  grantCreated(path: string): boolean;
  /** Undefined when `path` may be used for `access`, else what is wrong and what to do, in the user's words. */
  check(path: string, access: PathAccess): string | undefined;
}

const AGAIN: Record<PathAccess, string> = {
  read: 'Choose the file again with Browse or drop it on the window.',
  write: 'Choose where to save it again with Save As.',
  reveal: 'Choose the file again with Browse or drop it on the window.',
};

/** Paths in messages are the renderer's own input; a huge one is cut so the message stays readable. */
function shown(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

/** Why a path can never be granted as written (relative, not normalised, a file:// URL, a NUL byte), or undefined. */
export function pathFormProblem(path: string): string | undefined {
  if (path.includes('\0')) return 'The path contains a NUL character.';
  if (/^file:/i.test(path)) return `"${shown(path)}" is a URL, not a file path.`;
  if (!isAbsolute(path)) return `"${shown(path)}" is not an absolute path.`;
  // normalize() resolves "..", "." and doubled separators: anything it changes was not a path main handed out.
  if (normalize(path) !== path) {
    return `"${shown(path)}" is not a plain file path (it has "..", "." or extra separators).`;
  }
  return undefined;
}

export function createPathGrants(): PathGrants {
  const files = new Map<string, Set<GrantedAccess>>();
  const folders = new Set<string>();
  const created = new Set<string>();

  const accepted = (path: string): boolean => pathFormProblem(path) === undefined;

  return {
    grantFile(path, access) {
      if (!accepted(path)) return false;
      const set = files.get(path) ?? new Set<GrantedAccess>();
      set.add(access);
      files.set(path, set);
      return true;
    },
    grantFolder(path) {
      if (!accepted(path)) return false;
      folders.add(path);
      return true;
    },
    grantCreated(path) {
      if (!accepted(path) || basename(path) === '' || !folders.has(dirname(path))) return false;
      created.add(path);
      return true;
    },
    check(path, access) {
      const form = pathFormProblem(path);
      if (form) return `${form} ${AGAIN[access]}`;
      const granted = files.get(path);
      const allowed =
        access === 'reveal'
          ? granted !== undefined || created.has(path)
          : access === 'read'
            ? granted?.has('read') === true || created.has(path)
            : granted?.has('write') === true || folders.has(path);
      if (allowed) return undefined;
      const what = access === 'write' ? 'save to' : 'use';
      return `Engagement Desk can only ${what} files you chose, and "${shown(path)}" was not chosen in this session. ${AGAIN[access]}`;
    },
  };
}
