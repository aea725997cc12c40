// session.json: which drafts were open, so opening the app brings them back.
import { readFile } from 'node:fs/promises';
import { draftSessionSchema, type DraftSession } from '../../preload/contract';
import { writeFileAtomic } from '../platform/atomic-file';

export async function readDraftSession(path: string): Promise<DraftSession> {
  try {
    const parsed = draftSessionSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // Missing or damaged: start with nothing open.
  }
  return { openDraftIds: [] };
}

export async function writeDraftSession(path: string, session: DraftSession): Promise<DraftSession> {
  const clean = draftSessionSchema.parse(session);
  await writeFileAtomic(path, JSON.stringify(clean));
  return clean;
}
