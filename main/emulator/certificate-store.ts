// MPNS certificates kept on disk so they survive emulator restarts. Layout, per application:
//   certs/<key>/meta.json       {appId, fileName, size, sha256, uploadedAt, blob}; renaming it in is the commit
//   certs/<key>/<sha256>.p12    the uploaded bytes
// The passphrase is never stored.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface CertificateMeta {
  appId: string;
  fileName: string;
  size: number;
  sha256: string;
  uploadedAt: string;
  blob: string;
}

export interface StoredCertificate {
  path: string;
  fileName: string;
  size: number;
  sha256: string;
}

const META = 'meta.json';

/**
 * A directory name for an app id that is safe on every filesystem: a readable prefix plus a hash of the exact
 * id, so ids differing only in case or in unsafe characters never share a folder.
 */
export function certificateKey(appId: string): string {
  const readable = appId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 48);
  const digest = createHash('sha256').update(appId, 'utf8').digest('hex').slice(0, 16);
  return `${readable}-${digest}`;
}

async function writeFileDurably(path: string, data: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable on POSIX; Windows cannot open directories, so failure there is expected and ignored. */
async function syncDirectory(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

export class CertificateStore {
  private readonly root: string;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(dataDir: string) {
    this.root = join(dataDir, 'certs');
  }

  /** Creates the folder and removes temp files a crash may have left behind. */
  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(this.root, entry.name);
      for (const name of await readdir(dir)) {
        if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
      }
    }
  }

  /** The folder an upload for this app streams into, so that committing it is a same-filesystem rename. */
  async stagingDir(appId: string): Promise<string> {
    const dir = join(this.root, certificateKey(appId));
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Moves a fully written (and fsynced) temp file in as the app's certificate. */
  commit(appId: string, tempPath: string, file: { fileName: string; size: number; sha256: string }): Promise<CertificateMeta> {
    const key = certificateKey(appId);
    return this.serialised(key, async () => {
      const dir = join(this.root, key);
      const blob = `${file.sha256}.p12`;
      await rename(tempPath, join(dir, blob));
      const meta: CertificateMeta = { appId, ...file, uploadedAt: new Date().toISOString(), blob };
      const metaTemp = join(dir, `${META}.${process.pid}.${Date.now()}.tmp`);
      await writeFileDurably(metaTemp, `${JSON.stringify(meta, null, 2)}\n`);
      await rename(metaTemp, join(dir, META));
      await syncDirectory(dir);
      // Older blobs are unreferenced now. A download still streaming one keeps its open descriptor on POSIX;
      // on Windows the delete fails and the blob is retried on the next upload.
      for (const name of await readdir(dir)) {
        if (name.endsWith('.p12') && name !== blob) await rm(join(dir, name), { force: true }).catch(() => undefined);
      }
      return meta;
    });
  }

  async get(appId: string): Promise<StoredCertificate | undefined> {
    const dir = join(this.root, certificateKey(appId));
    let meta: CertificateMeta;
    try {
      meta = JSON.parse(await readFile(join(dir, META), 'utf8')) as CertificateMeta;
    } catch {
      return undefined;
    }
    if (meta.appId !== appId) return undefined;
    const path = join(dir, meta.blob);
    try {
      const info = await stat(path);
      return { path, fileName: meta.fileName, size: info.size, sha256: meta.sha256 };
    } catch {
      return undefined;
    }
  }

  /** Forgets the app's certificate (the MPNS removal endpoint); false when none was stored. */
  remove(appId: string): Promise<boolean> {
    const key = certificateKey(appId);
    return this.serialised(key, async () => {
      if (!(await this.get(appId))) return false;
      await rm(join(this.root, key), { recursive: true, force: true });
      return true;
    });
  }

  private serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.locks.set(key, next);
    void next.finally(() => {
      if (this.locks.get(key) === next) this.locks.delete(key);
    }).catch(() => undefined);
    return next;
  }
}
