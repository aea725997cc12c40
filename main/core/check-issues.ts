// Small builders shared by the pure file checks (pkpass, passContent): issues and a plain-object test.
import type { CheckIssue } from '../../preload/contract';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function errorIssue(code: string, message: string, path?: string): CheckIssue {
  return path === undefined ? { severity: 'error', code, message } : { severity: 'error', code, message, path };
}

export function warningIssue(code: string, message: string, path?: string): CheckIssue {
  return path === undefined ? { severity: 'warning', code, message } : { severity: 'warning', code, message, path };
}
