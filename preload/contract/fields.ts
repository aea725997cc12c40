// Request building blocks shared by the per-domain request schemas. Every request object is strict (an unknown key
// is refused, never silently dropped) and every string and array is capped; main/ipc/payload-guard.ts refuses
// control characters, unpaired surrogates, prototype keys and deep nesting in any payload before these schemas run.
import { z } from 'zod';

/** What main may do with a file path a request names; main accepts only paths the user chose for that use
 * (main/platform/path-grants.ts): picked in an open dialog or dropped (read), picked in a save dialog (write). */
export type PathAccess = 'read' | 'write' | 'reveal';
/** Tags the request fields that are file paths, so main finds and checks every one before the handler runs. */
export const pathFields = z.registry<{ access: PathAccess }>();
export const MAX_PATH_LENGTH = 4096;
export const filePath = (access: PathAccess, message?: string) =>
  z.string().min(1, message).max(MAX_PATH_LENGTH, 'The path is too long.').register(pathFields, { access });

/** passContent as JSON text may be at most this long: the server's own limit is far below it. */
export const MAX_PASS_CONTENT_CHARS = 1_000_000;
function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Infinity; // a cycle or a BigInt: not JSON at all
  }
}
/** Free-form JSON (passContent): any shape, but bounded in size. */
export const boundedJson = z
  .unknown()
  .refine((value) => jsonLength(value) <= MAX_PASS_CONTENT_CHARS, 'passContent is too large (over 1,000,000 characters as JSON).');

export const profileIdField = z.string().min(1).max(100);

export const operationIdSchema = z.string().min(1).max(100);
export const draftId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Invalid draft id.');
