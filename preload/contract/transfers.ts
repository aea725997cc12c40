// Transfers: certificate download, the pass update's fields (a batch sends them to each recipient), the results
// of a certificate upload and a pass update (sent as drafts or a batch), cancelling one, and progress events.
import { z } from 'zod';
import { boundedJson, filePath, operationIdSchema, profileIdField } from './fields';

const appId = z
  .string()
  .trim()
  .min(1, 'Enter the application ID.')
  .max(200, 'The application ID is too long.');

/** What the server answers to a certificate upload (a draft send, the CLI). */
export interface CertUploadResult {
  id: string;
  message: string;
}

export const certDownloadSchema = z.strictObject({
  operationId: operationIdSchema,
  profileId: profileIdField,
  appId,
  /** A file path, or a folder in which the server's (sanitised) file name is used. */
  destination: filePath('write'),
});
export type CertDownloadRequest = z.infer<typeof certDownloadSchema>;

export interface CertDownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  /** The saved body is not shaped like a PKCS#12 file: it was kept as sent, and this says so (shown before "Saved"). */
  warning?: string;
}

export const passImageSchema = z.strictObject({
  fieldName: z
    .string()
    .trim()
    .min(1, 'Give every image a field name.')
    .max(100)
    .regex(/^[A-Za-z0-9_.@-]+$/, 'Use letters, digits, _ . @ or - in image field names.'),
  path: filePath('read'),
});
export type PassImage = z.infer<typeof passImageSchema>;

/** The fields of one pass update: passBatchSchema (batch.ts) adds the recipients, each of whom gets a request. */
export const passUpdateSchema = z.strictObject({
  operationId: operationIdSchema,
  profileId: profileIdField,
  pkPassPath: filePath('read', 'Choose a .pkpass file.'),
  images: z.array(passImageSchema).max(50),
  /** Checked in main against the full passContent schema (main/core/pass-content.ts). */
  passContent: boundedJson,
  /** Issue a new pass (`/message/pass/import`) instead of updating scheduled passes. */
  issue: z.boolean().optional(),
});
export type PassUpdateRequest = z.infer<typeof passUpdateSchema>;

export interface PassUpdateResult {
  /** 64-bit id kept as a string end to end. */
  requestId: string;
  description: string;
}

export const cancelSchema = z.strictObject({ operationId: operationIdSchema });

export interface TransferProgress {
  operationId: string;
  direction: 'upload' | 'download';
  transferred: number;
  /** Absent when the server sent no Content-Length. */
  total?: number;
  /** Downloads: the file is saved at its destination; its SHA-256 is still being read back. */
  saved?: boolean;
}
