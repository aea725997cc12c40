// Local checks (issue #4): reports cross IPC as data; the renderer shows them where the file was dropped.
import { z } from 'zod';
import { filePath } from './fields';

export const checkFileSchema = z.strictObject({
  path: filePath('read'),
  kind: z.enum(['p12', 'pkpass', 'image']),
  passphrase: z.string().max(1024).optional(),
  role: z.string().max(40).optional(),
});

export type CheckSeverity = 'error' | 'warning' | 'info';

export interface CheckIssue {
  severity: CheckSeverity;
  /** Stable machine code, e.g. 'p12-wrong-passphrase', 'pkpass-manifest-mismatch'. */
  code: string;
  message: string;
  /** Field path (passContent) or entry name (pkpass) the issue is about. */
  path?: string;
}

export type CheckKind = 'p12' | 'pkpass' | 'image' | 'passContent';

export interface CheckReport {
  kind: CheckKind;
  /** True when no issue has severity 'error': errors block sending, warnings do not. */
  ok: boolean;
  issues: CheckIssue[];
  file?: { path: string; name: string; size: number };
  /** Kind-specific details (certificate fields, pass preview model, image dimensions), JSON-safe. */
  details?: Record<string, unknown>;
}
