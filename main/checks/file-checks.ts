// One entry point for checking a local file before it is sent: the IPC layer (on drop and edit), the CLI
// `check` command and the send path all call checkFile, so the user sees the same verdict everywhere.
// File problems (missing, a folder, too large) come back as report issues, not exceptions.
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CheckIssue, CheckKind, CheckReport, CheckReportOf, ImageDetails } from '../../preload/contract';
import { assertNever } from '../core/assert-never';
import { inspectPkcs12 } from '../core/p12';
import { checkPkpass } from '../core/pkpass';
import { checkImage, parseImageName, parseImageRole, readPngInfo } from '../core/png';

export type { ImageDetails } from '../../preload/contract';
import { readPkpassArchive, type PkpassLimits } from './pkpass-reader';

export type FileCheckKind = 'p12' | 'pkpass' | 'image';

export interface FileCheckRequest {
  path: string;
  kind: FileCheckKind;
  /** The file's own name, when the path's is not (a draft's stored copy is named by its hash). */
  name?: string;
  /** p12 only. Absent: the file is checked as far as possible and the report asks for the passphrase. */
  passphrase?: string;
  /** image only: "logo", "logo@2x"...; absent: taken from the file name when it is a Wallet image name. */
  role?: string;
  now?: Date;
  pkpassLimits?: Partial<PkpassLimits>;
}

/** p12 files are a few KB; anything above this is not a certificate. */
export const MAX_P12_BYTES = 1024 * 1024;
const IMAGE_HEAD_BYTES = 64;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A report without details, for any kind (a file that could not be read, or the p12 and image verdicts). */
function fileVerdict(path: string, size: number, issues: CheckIssue[]): Omit<CheckReport, 'kind' | 'details'> {
  return { ok: !issues.some((i) => i.severity === 'error'), issues, file: { path, name: basename(path), size } };
}

function fileReport(kind: CheckKind, path: string, size: number, issues: CheckIssue[]): CheckReport {
  return { kind, ...fileVerdict(path, size, issues) };
}

function describeFsError(error: unknown, path: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return `File not found: ${path}.`;
  if (code === 'EACCES' || code === 'EPERM') return `Permission denied: ${path}.`;
  if (code === 'EISDIR') return `${path} is a folder, not a file.`;
  return `Could not read ${path}: ${error instanceof Error ? error.message : String(error)}`;
}

/** Check a certificate, pass or image file on disk. Never throws for problems with the file itself. */
export async function checkFile(request: FileCheckRequest): Promise<CheckReport> {
  const { path, kind } = request;
  const name = request.name ?? basename(path);
  const now = request.now ?? new Date();
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      return fileReport(kind, path, 0, [
        { severity: 'error', code: 'file-not-regular', message: `${path} is not a regular file.` },
      ]);
    }
    size = info.size;
  } catch (error) {
    return fileReport(kind, path, 0, [{ severity: 'error', code: 'file-unreadable', message: describeFsError(error, path) }]);
  }
  if (size === 0) {
    return fileReport(kind, path, 0, [{ severity: 'error', code: 'file-empty', message: `${name} is empty (0 bytes). Choose the right file, or export it again.` }]);
  }

  try {
    switch (kind) {
      case 'p12':
        return await checkP12File(path, size, request.passphrase, now, name);
      case 'pkpass': {
        const archive = await readPkpassArchive(path, request.pkpassLimits);
        return checkPkpass(archive, now);
      }
      case 'image':
        return await checkImageFile(path, size, request.role, name);
      default:
        return assertNever(kind, 'check kind');
    }
  } catch (error) {
    return fileReport(kind, path, size, [{ severity: 'error', code: 'file-unreadable', message: describeFsError(error, path) }]);
  }
}

async function checkP12File(path: string, size: number, passphrase: string | undefined, now: Date, name: string): Promise<CheckReportOf<'p12'>> {
  if (size > MAX_P12_BYTES) {
    const tooLarge: CheckIssue = {
      severity: 'error',
      code: 'p12-not-pkcs12',
      message: `${name} is ${Math.round(size / 1024)} KB; a .p12 certificate file is only a few KB. Choose the certificate exported as .p12 or .pfx.`,
    };
    return { kind: 'p12', ...fileVerdict(path, size, [tooLarge]) };
  }
  const bytes = new Uint8Array(await readFile(path));
  // Without a passphrase nothing is derived (a hostile file could ask for millions of rounds): the report asks for it.
  const report = inspectPkcs12(bytes, passphrase, now);
  report.file = { path, name: basename(path), size };
  return report;
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function checkImageFile(path: string, size: number, role: string | undefined, name: string): Promise<CheckReportOf<'image'>> {
  const head = await readHead(path, IMAGE_HEAD_BYTES);
  const info = readPngInfo(head);
  if (!info && PNG_SIGNATURE.every((byte, i) => head[i] === byte)) {
    // A PNG signature without a whole header: a cut-off copy, not a file of another format.
    const truncated: CheckIssue = { severity: 'error', code: 'image-truncated', message: `${name} is cut off: it ends inside its PNG header. Export the image again.`, path: name };
    return { kind: 'image', ...fileVerdict(path, size, [truncated]) };
  }
  const fromName = parseImageName(name);
  const notes: CheckIssue[] = [];
  // Callers may pass a multipart field name ("imageFieldName1") as the role: only real roles are measured.
  let chosenRole = role !== undefined && parseImageRole(role) ? role : undefined;
  if (chosenRole === undefined && fromName) {
    chosenRole = fromName.scale === 1 ? fromName.role : `${fromName.role}@${fromName.scale}x`;
  }
  if (role !== undefined && chosenRole === undefined) {
    notes.push({
      severity: 'info',
      code: 'image-unknown-role',
      message: `"${role}" is not a Wallet image role (icon, logo, strip, thumbnail, background, footer); only the format and size were checked.`,
    });
  }
  const issues =
    chosenRole !== undefined
      ? checkImage(chosenRole, info, size, { path: name })
      : // Without a role only the format and size can be judged.
        checkImage('logo', info, size, { path: name }).filter((i) => i.code !== 'image-dimensions');
  const report: CheckReportOf<'image'> = { kind: 'image', ...fileVerdict(path, size, [...issues, ...notes]) };
  const details: ImageDetails = { ...(info ?? {}) };
  if (chosenRole !== undefined) details.role = chosenRole;
  report.details = details;
  return report;
}
