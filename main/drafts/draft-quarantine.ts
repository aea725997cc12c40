// Unreadable item files are set aside in quarantine/ with a .reason.json beside each, never deleted: the user
// sees them listed as problems and decides.
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DraftStoreProblem } from '../../preload/contract';
import { renameRetrying, writeFileAtomic } from '../platform/atomic-file';

export class DraftQuarantine {
  constructor(
    readonly dir: string,
    private readonly now: () => Date,
  ) {}

  /** Move a damaged item file aside and write down why; false when the file was already gone. */
  async setAside(itemPath: string, id: string, message: string): Promise<boolean> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const target = join(this.dir, `${id}.${stamp}.${randomBytes(3).toString('hex')}.json`);
    try {
      await renameRetrying(itemPath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    const problem: DraftStoreProblem = { file: target, message: `Draft ${id}: ${message}`, at: this.now().toISOString() };
    await writeFileAtomic(`${target}.reason.json`, JSON.stringify(problem));
    return true;
  }

  /** Files set aside so far, newest first (they stay until the user deals with them). */
  async problems(): Promise<DraftStoreProblem[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const problems: DraftStoreProblem[] = [];
    for (const name of names) {
      if (!name.endsWith('.reason.json')) continue;
      try {
        const reason = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as DraftStoreProblem;
        problems.push({ file: String(reason.file), message: String(reason.message), at: String(reason.at) });
      } catch {
        problems.push({ file: join(this.dir, name.replace(/\.reason\.json$/, '')), message: 'Unreadable draft.', at: '' });
      }
    }
    return problems.sort((a, b) => (a.at < b.at ? 1 : -1));
  }
}
