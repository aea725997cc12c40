// The e2e harness's half of the secret-leak proof. When test/run.mjs sets ENGAGEMENT_DESK_LEAK_ROOT, every e2e app
// keeps its folders under that root after the test (the final leak-scan phase reads them, then the runner removes
// the root), records everything the renderer receives or could read, and writes down every secret that was in play:
// what went into the keychain, what the page sent to main as a secret, the claims tokens the emulator issued (its
// onTokenIssued hook: its request log redacts them) and the certificate passphrases it received.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { SecretStore } from '../../main/platform/keychain';
import type { RecordedRequest } from '../../main/emulator/server';
import type { KnownSecret, RendererRecord, SecretKind } from '../security/leak-scanner';
import { makeTempDir, type TempDir } from './temp-dir';

export const LEAK_ROOT = process.env.ENGAGEMENT_DESK_LEAK_ROOT;
/** Under each app folder; the emulator is the server, not the app, so the scan skips it. */
export const EMULATOR_DIR_NAME = 'emulator';

/** What the leak-scan phase reads for one e2e app. */
export interface AppSecretsFile {
  app: string;
  secrets: KnownSecret[];
  usernames: string[];
  /** Requests the emulator answered 2xx, per auth scheme: proof that each kind of secret was really used. */
  authenticated: Record<string, number>;
  certificatePassphrasesSent: number;
}

/** The app's folder: under the run's leak root (kept for the scan), or a fresh temp folder removed on close. */
export async function e2eTempDir(): Promise<TempDir> {
  if (!LEAK_ROOT) return makeTempDir('e2e');
  mkdirSync(join(LEAK_ROOT, 'apps'), { recursive: true });
  const dir = await mkdtemp(join(LEAK_ROOT, 'apps', 'e2e-'));
  return { dir, remove: async () => undefined };
}

const SECRET_FIELD = /passphrase|password|secret|api-?key|token/i;

export class LeakRecorder {
  private readonly secrets = new Map<string, SecretKind>();
  private readonly usernames = new Set<string>();
  private readonly authenticated: Record<string, number> = {};
  private passphrasesSent = 0;
  private readonly recordingPath: string | undefined;
  private readonly secretsPath: string | undefined;
  private readonly name: string;

  constructor(appDir: string) {
    this.name = appDir.split(/[\\/]/).pop() ?? 'app';
    if (LEAK_ROOT) {
      mkdirSync(join(LEAK_ROOT, 'recordings'), { recursive: true });
      this.recordingPath = join(LEAK_ROOT, 'recordings', `${this.name}.renderer.jsonl`);
      this.secretsPath = join(LEAK_ROOT, 'recordings', `${this.name}.secrets.json`);
    }
  }

  get enabled(): boolean {
    return this.recordingPath !== undefined;
  }

  /** Something that reached the renderer (or that the renderer could read). */
  record(source: string, payload: unknown): void {
    if (!this.recordingPath) return;
    const record: RendererRecord = { source, payload };
    appendFileSync(this.recordingPath, `${JSON.stringify(record)}\n`);
  }

  secret(kind: SecretKind, value: unknown): void {
    if (typeof value === 'string' && value !== '' && !this.secrets.has(value)) this.secrets.set(value, kind);
  }

  username(value: string | undefined): void {
    if (value) this.usernames.add(value);
  }

  /** The secrets in a request the page sent to main (a password typed in a profile, a passphrase for a send). */
  requestSecrets(payload: unknown, depth = 0): void {
    if (depth > 6 || typeof payload !== 'object' || payload === null) return;
    for (const [key, value] of Object.entries(payload)) {
      if (typeof value === 'string' && SECRET_FIELD.test(key)) this.secret(/passphrase/i.test(key) ? 'p12-passphrase' : 'keychain-secret', value);
      else if (key === 'username' && typeof value === 'string') this.username(value);
      else this.requestSecrets(value, depth + 1);
    }
  }

  /** The keychain facade, noting every secret stored through it. */
  wrapSecrets(store: SecretStore): SecretStore {
    return {
      set: async (account, secret) => {
        this.secret('keychain-secret', secret);
        return store.set(account, secret);
      },
      get: (account) => store.get(account),
      delete: (account) => store.delete(account),
      storageOf: (account) => store.storageOf(account),
      lastProblem: () => store.lastProblem(),
    };
  }

  /** Passphrases the emulator received and the auth schemes it accepted. Call before its log is cleared. */
  harvest(requests: readonly RecordedRequest[]): void {
    for (const request of requests) {
      if (request.status >= 200 && request.status < 300 && request.auth.scheme !== 'none') {
        this.authenticated[request.auth.scheme] = (this.authenticated[request.auth.scheme] ?? 0) + 1;
      }
      this.username(request.auth.user);
      for (const part of request.parts) {
        if (part.name === 'mpnsCertPassPhrase' && typeof part.text === 'string') {
          this.secret('p12-passphrase', part.text);
          this.passphrasesSent++;
        }
      }
    }
  }

  /** What the renderer holds at this moment: DOM, text, form values, Web Storage and IndexedDB. */
  async snapshot(page: Page, when: string): Promise<void> {
    if (!this.enabled || page.isClosed()) return;
    const state = await page
      .evaluate(async () => {
        const g = globalThis as unknown as {
          document: { documentElement: { outerHTML: string }; body: { innerText: string }; querySelectorAll(s: string): ArrayLike<{ value: string }> };
          localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
          sessionStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
          indexedDB: {
            databases(): Promise<{ name?: string }[]>;
            open(name: string): { onsuccess: unknown; onerror: unknown; result: unknown };
          };
        };
        const storage = (s: typeof g.localStorage) => {
          const out: Record<string, string | null> = {};
          for (let i = 0; i < s.length; i++) {
            const key = s.key(i);
            if (key !== null) out[key] = s.getItem(key);
          }
          return out;
        };
        const idb: Record<string, unknown> = {};
        for (const { name } of await g.indexedDB.databases()) {
          if (!name) continue;
          idb[name] = await new Promise((done) => {
            const request = g.indexedDB.open(name) as unknown as {
              onsuccess: () => void;
              onerror: () => void;
              result: {
                objectStoreNames: ArrayLike<string>;
                transaction(names: string[]): { objectStore(n: string): { getAll(): { onsuccess: () => void; result: unknown } } };
                close(): void;
              };
            };
            request.onerror = () => done('unreadable');
            request.onsuccess = () => {
              const db = request.result;
              const names = Array.from(db.objectStoreNames);
              if (names.length === 0) return done({}), db.close();
              const out: Record<string, unknown> = {};
              const tx = db.transaction(names);
              let left = names.length;
              for (const storeName of names) {
                const all = tx.objectStore(storeName).getAll();
                all.onsuccess = () => {
                  out[storeName] = all.result;
                  if (--left === 0) {
                    db.close();
                    done(out);
                  }
                };
              }
            };
          });
        }
        return {
          html: g.document.documentElement.outerHTML,
          text: g.document.body.innerText,
          formValues: Array.from(g.document.querySelectorAll('input, textarea, select')).map((el) => el.value),
          localStorage: storage(g.localStorage),
          sessionStorage: storage(g.sessionStorage),
          indexedDB: idb,
        };
      })
      .catch((error: unknown) => ({ unreadable: String(error) }));
    const { formValues, ...rest } = state as { formValues?: string[] } & Record<string, unknown>;
    // Form fields hold what the user is typing (a passphrase before Send): they are recorded apart, for the report.
    this.record(`snapshot:${when}`, rest);
    if (formValues) this.record(`form-values:${when}`, formValues);
  }

  finish(): void {
    if (!this.secretsPath) return;
    const file: AppSecretsFile = {
      app: this.name,
      secrets: [...this.secrets].map(([value, kind]) => ({ kind, value })),
      usernames: [...this.usernames],
      authenticated: this.authenticated,
      certificatePassphrasesSent: this.passphrasesSent,
    };
    writeFileSync(this.secretsPath, `${JSON.stringify(file, null, 2)}\n`);
  }
}
