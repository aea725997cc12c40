// Lists read from the server (apps, certificate expiry, a pass request's status) kept per profile, so that offline
// the app still shows the last one, with its age. Written atomically under <dataDir>/server-readings; a copy that is
// damaged, too large or of another shape is ignored (the server is asked again next time).
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerReading } from '../../preload/contract';
import { toAppError } from '../core/errors';
import { writeFileAtomic } from '../platform/atomic-file';

/** A kept reading larger than this is not read back (10,000 apps are about 3 MB). */
const MAX_READING_BYTES = 8 * 1024 * 1024;
const OFFLINE_CODES = new Set(['network', 'timeout', 'tls']);

export class ServerReadings {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'server-readings');
  }

  private pathOf(profileId: string, key: string): string {
    return join(this.dir, `${createHash('sha256').update(`${profileId}\n${key}`, 'utf8').digest('hex').slice(0, 32)}.json`);
  }

  /**
   * Reads through `fetch`, keeping the answer; when the server cannot be reached, answers the kept copy instead
   * (flagged offline, with the reason). Any other failure (auth, a 400) is the caller's, as it is.
   */
  async read<T>(profileId: string, key: string, fetch: () => Promise<T>, isShape: (value: unknown) => value is T): Promise<ServerReading<T>> {
    const path = this.pathOf(profileId, key);
    try {
      const value = await fetch();
      const reading: ServerReading<T> = { value, readAt: new Date().toISOString() };
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(path, JSON.stringify({ profileId, key, ...reading }), { noSync: true }).catch(() => undefined);
      return reading;
    } catch (error) {
      const appError = toAppError(error);
      if (!OFFLINE_CODES.has(appError.code)) throw error;
      const kept = await this.kept(path, profileId, key, isShape);
      if (!kept) throw error;
      return { ...kept, offline: { message: appError.message } };
    }
  }

  private async kept<T>(path: string, profileId: string, key: string, isShape: (value: unknown) => value is T): Promise<ServerReading<T> | undefined> {
    try {
      if ((await stat(path)).size > MAX_READING_BYTES) return undefined;
      const parsed = JSON.parse(await readFile(path, 'utf8')) as { profileId?: unknown; key?: unknown; readAt?: unknown; value?: unknown };
      if (parsed.profileId !== profileId || parsed.key !== key || typeof parsed.readAt !== 'string' || Number.isNaN(Date.parse(parsed.readAt))) return undefined;
      return isShape(parsed.value) ? { value: parsed.value, readAt: parsed.readAt } : undefined;
    } catch {
      return undefined;
    }
  }
}
