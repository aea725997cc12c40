// `engagement-desk check FILE...`: the same local checks the desktop shows on drop, for scripts and CI.
// The lead wires it into commander (including --passphrase-stdin); this module only needs paths, options and io.
import { open, readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { CheckKind, CheckReport } from '../../preload/contract';
import { checkFile } from '../checks/file-checks';
import { assertNever } from '../core/assert-never';
import { inert, inertJson } from '../core/inert';

export interface CheckCommandOptions {
  json: boolean;
  /** Passphrase for every .p12/.pfx given (read from stdin by the caller, never from argv). */
  passphrase?: string;
  /** Image role for .png files (logo, icon, strip@2x...). */
  role?: string;
}

export interface CheckCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** passContent JSON files are small; refuse anything that clearly is not one. */
const MAX_JSON_BYTES = 5 * 1024 * 1024;

/** The kind from the extension, else from the first bytes (zip, PNG, DER, JSON). */
export async function detectCheckKind(path: string): Promise<CheckKind | undefined> {
  switch (extname(path).toLowerCase()) {
    case '.p12':
    case '.pfx':
      return 'p12';
    case '.pkpass':
      return 'pkpass';
    case '.png':
      return 'image';
    case '.json':
      return 'passContent';
  }
  try {
    const handle = await open(path, 'r');
    try {
      const head = new Uint8Array(8);
      const { bytesRead } = await handle.read(head, 0, 8, 0);
      if (bytesRead >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'pkpass';
      if (bytesRead >= 8 && head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'image';
      if (bytesRead >= 2 && head[0] === 0x30) return 'p12';
      const first = String.fromCharCode(...head.subarray(0, bytesRead)).trimStart()[0];
      if (first === '{') return 'passContent';
    } finally {
      await handle.close();
    }
  } catch {
    // Unreadable: checkFile reports why when the kind is known; here the kind stays unknown.
  }
  return undefined;
}

async function checkPassContentFile(path: string): Promise<CheckReport> {
  const file = { path, name: basename(path), size: 0 };
  try {
    const info = await stat(path);
    file.size = info.size;
    if (!info.isFile()) {
      return { kind: 'passContent', ok: false, file, issues: [{ severity: 'error', code: 'file-not-regular', message: `${path} is not a regular file.` }] };
    }
    if (info.size > MAX_JSON_BYTES) {
      return { kind: 'passContent', ok: false, file, issues: [{ severity: 'error', code: 'pass-content-too-large', message: `${basename(path)} is too large for a passContent JSON file.` }] };
    }
    // Its schema (zod) loads only when a passContent file is among those checked.
    const { parsePassContentJson } = await import('../core/pass-content');
    const { report } = parsePassContentJson(await readFile(path, 'utf8'));
    return { ...report, file };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = code === 'ENOENT' ? `File not found: ${path}.` : `Could not read ${path}: ${error instanceof Error ? error.message : String(error)}`;
    return { kind: 'passContent', ok: false, file, issues: [{ severity: 'error', code: 'file-unreadable', message }] };
  }
}

const SYMBOL = { error: '✖', warning: '⚠', info: 'ℹ' } as const;

function factsFor(report: CheckReport): string[] {
  switch (report.kind) {
    case 'p12': {
      const p12 = report.details;
      const lines: string[] = [];
      if (!p12) return lines;
      if (p12.subject) lines.push(`Subject:      ${p12.subject}`);
      if (p12.issuer) lines.push(`Issuer:       ${p12.issuer}`);
      if (p12.serialNumber) lines.push(`Serial:       ${p12.serialNumber}`);
      if (p12.notBefore && p12.notAfter) {
        lines.push(`Valid:        ${p12.notBefore.slice(0, 10)} to ${p12.notAfter.slice(0, 10)} (${p12.daysLeft} days left)`);
      }
      if (p12.sha256Fingerprint) lines.push(`SHA-256:      ${p12.sha256Fingerprint}`);
      if (p12.hasPrivateKey !== undefined) lines.push(`Private key:  ${p12.hasPrivateKey ? 'yes' : 'no'}`);
      if (p12.algorithms) lines.push(`Encryption:   ${p12.algorithms.join(', ')}${p12.legacyEncryption ? ' (legacy)' : ''}`);
      if (p12.modernEncryption) lines.push(`Note:         ${p12.modernEncryption}`);
      return lines;
    }
    case 'pkpass': {
      const pass = report.details;
      const lines: string[] = [];
      if (!pass) return lines;
      const summary = pass.passJson;
      if (summary?.style) lines.push(`Style:        ${summary.style}`);
      if (summary?.passTypeIdentifier) lines.push(`Pass type:    ${summary.passTypeIdentifier}`);
      if (summary?.serialNumber) lines.push(`Serial:       ${summary.serialNumber}`);
      if (summary?.organizationName) lines.push(`Organization: ${summary.organizationName}`);
      if (pass.signer) {
        lines.push(`Signed by:    ${pass.signer.subject}`);
        lines.push(`Signer valid: until ${pass.signer.notAfter.slice(0, 10)} (${pass.signer.daysLeft} days left)`);
        if (pass.signer.verified !== 'unchecked') lines.push(`Signature:    ${pass.signer.verified ? 'matches manifest.json' : 'DOES NOT match manifest.json'}`);
      }
      if (pass.entryCount !== undefined) lines.push(`Files:        ${pass.entryCount}`);
      return lines;
    }
    case 'image': {
      const { width, height, role } = report.details ?? {};
      return width !== undefined ? [`Size:         ${width} x ${height} pixels${role ? ` (${role})` : ''}`] : [];
    }
    case 'passContent': {
      const recipientCount = report.details?.recipientCount;
      return recipientCount !== undefined ? [`Recipients:   ${recipientCount}`] : [];
    }
    default:
      return assertNever(report, 'check report kind');
  }
}

export function formatReport(report: CheckReport, label: string): string {
  const hasError = report.issues.some((i) => i.severity === 'error');
  const hasWarning = report.issues.some((i) => i.severity === 'warning');
  const head = hasError ? SYMBOL.error : hasWarning ? SYMBOL.warning : '✔';
  const verdict = hasError ? 'cannot be sent' : hasWarning ? 'ok, with warnings' : 'ok';
  const lines = [`${head} ${inert(label)} (${report.kind}): ${verdict}`];
  // Subjects, organization names and issue texts come from the file: one line each, escaped (issue #18).
  for (const fact of factsFor(report)) lines.push(`    ${inert(fact)}`);
  for (const issue of report.issues) {
    lines.push(`  ${SYMBOL[issue.severity]} ${inert(issue.message)}${issue.path ? ` [${inert(issue.path)}]` : ''}`);
  }
  return lines.join('\n');
}

/** Check each file; exit code 0 when everything can be sent (warnings allowed), 2 when any error was found. */
export async function runCheckCommand(files: string[], options: CheckCommandOptions, io: CheckCommandIo): Promise<number> {
  if (files.length === 0) {
    io.stderr('Give at least one file to check (.p12/.pfx, .pkpass, .png or passContent .json).\n');
    return 2;
  }
  const reports: CheckReport[] = [];
  const unrecognized: string[] = [];
  for (const path of files) {
    const kind = await detectCheckKind(path);
    if (!kind) {
      unrecognized.push(path);
      io.stderr(`${inert(path)}: cannot tell what kind of file this is (expected .p12, .pfx, .pkpass, .png or .json).\n`);
      continue;
    }
    let report: CheckReport;
    if (kind === 'passContent') report = await checkPassContentFile(path);
    else if (kind === 'p12') report = await checkFile({ path, kind, ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}) });
    else if (kind === 'image') report = await checkFile({ path, kind, ...(options.role !== undefined ? { role: options.role } : {}) });
    else report = await checkFile({ path, kind });
    reports.push(report);
    if (!options.json) io.stdout(`${formatReport(report, path)}\n`);
  }
  const ok = unrecognized.length === 0 && reports.every((r) => r.ok);
  if (options.json) {
    const output: { ok: boolean; reports: CheckReport[]; unrecognized?: string[] } = { ok, reports };
    if (unrecognized.length > 0) output.unrecognized = unrecognized;
    io.stdout(`${inertJson(output)}\n`);
  }
  return ok ? 0 : 2;
}
