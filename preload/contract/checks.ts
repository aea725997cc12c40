// Local checks (issue #4): reports cross IPC as data; the renderer shows them where the file was dropped.
import { z } from 'zod';
import type { ImageDetails, PassContentDetails, Pkcs12Details, PkpassDetails } from './check-details';
import { filePath } from './fields';

export const checkFileSchema = z.strictObject({
  path: filePath('read'),
  kind: z.enum(['p12', 'pkpass', 'image']),
  passphrase: z.string().max(1024).optional(),
  role: z.string().max(40).optional(),
});

/** A copy of a .p12 that older Java servers read (issue #16): IN chosen or dropped (read), OUT from a save dialog. */
export const p12LegacyCopySchema = z.strictObject({
  source: filePath('read'),
  destination: filePath('write'),
  passphrase: z.string().max(1024),
});

export interface P12LegacyCopyResult {
  path: string;
  bytes: number;
  sha256: string;
  /** The algorithms of the original and of the copy, as the check names them. */
  from: string[];
  to: string[];
}

export type CheckSeverity = 'error' | 'warning' | 'info';

export interface CheckIssue {
  severity: CheckSeverity;
  /** Stable machine code, e.g. 'p12-wrong-passphrase', 'pkpass-manifest-mismatch'. */
  code: string;
  message: string;
  /** Field path (passContent) or entry name (pkpass) the issue is about. */
  path?: string;
}

interface CheckReportBase {
  /** True when no issue has severity 'error': errors block sending, warnings do not. */
  ok: boolean;
  issues: CheckIssue[];
  file?: { path: string; name: string; size: number };
}

/** A local check's verdict on one file; `details` (what the check found out) depends on the kind. */
export type CheckReport =
  | (CheckReportBase & { kind: 'p12'; details?: Pkcs12Details })
  | (CheckReportBase & { kind: 'pkpass'; details?: PkpassDetails })
  | (CheckReportBase & { kind: 'image'; details?: ImageDetails })
  | (CheckReportBase & { kind: 'passContent'; details?: PassContentDetails });

export type CheckKind = CheckReport['kind'];
/** The report of one kind, e.g. CheckReportOf<'p12'> has Pkcs12Details. */
export type CheckReportOf<K extends CheckKind> = Extract<CheckReport, { kind: K }>;
