// A fresh temporary folder per test, removed afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function withTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `engagement-desk-${prefix}-`));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface TempDir {
  dir: string;
  remove(): Promise<void>;
}

export async function makeTempDir(prefix = 'test'): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), `engagement-desk-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
