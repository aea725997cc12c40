// Native dialogs and the shell (main only; the renderer gets paths, never bytes).
import { z } from 'zod';
import { filePath } from './fields';

// 'draft': a draft exported as one file (.engdraft); 'csv': the history export (issue #5).
export const FILE_KINDS = ['p12', 'pkpass', 'image', 'json', 'draft', 'csv'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export const openFileSchema = z.strictObject({ kind: z.enum(FILE_KINDS), multiple: z.boolean().optional() });
export const saveFileSchema = z.strictObject({ kind: z.enum(FILE_KINDS), defaultName: z.string().max(255) });
export const showInFolderSchema = z.strictObject({ path: filePath('reveal') });
