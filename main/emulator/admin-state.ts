// What the emulator knows about applications and pass requests beyond the stored MPNS files: the apps of the
// server (seeded, or made by an upload), each app's MPNS certificate expiry (read from the certificate at upload),
// its WNS credentials, and the pass requests a pass import queued. Kept in <dataDir>/admin-state.json so that a
// Sandbox started anew by each CLI run sees what the previous run did; a pass request's channel statuses are a
// pure function of its age, so they advance over time the same way on every run.
import { createHash } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

const DAY_MS = 86_400_000;

export interface WnsCredentials {
  packageSid: string;
  /** Only a hash is kept: the emulator has no use for the secret itself and must not leave it in a file. */
  secretSha256: string;
  setAt: number;
}

export interface MpnsCertificateFacts {
  /** notAfter of the uploaded certificate (ISO), when it could be read. */
  notAfter?: string;
  uploadedAt: number;
}

export interface PassRequestRecord {
  requestId: string;
  createdAt: number;
  /** 19-digit pass ids, kept as strings (the answers print them as bare JSON numbers). */
  passIds: string[];
  importPass: boolean;
}

interface PersistedState {
  version: 1;
  seededAt: number;
  wns: Record<string, WnsCredentials>;
  mpns: Record<string, MpnsCertificateFacts>;
  passRequests: PassRequestRecord[];
}

export interface SeedApp {
  appId: string;
  name: string;
  createdAt: number;
  /** Apple production certificate expiry (ms since epoch), when the app has one. */
  appleCertExpiry?: number;
}

/** Channel statuses the docs list; the last six are final. */
export const CHANNEL_STATUS_SEQUENCE = ['initial', 'queued', 'submitted'] as const;
export const FINAL_CHANNEL_STATUSES = ['delivered', 'opened', 'undelivered', 'rejected', 'cancelled', 'not attempted'] as const;

export interface ChannelState {
  channelType: 'EMAIL' | 'SMS';
  passStatus: 'Submitted' | 'Rejected';
  channelStatus: string;
}

const SEED_NAMES = [
  'AppForAll1',
  'RetailRewards',
  'BoardingPasses',
  'EventTickets',
  'LoyaltyCards',
  'CampusID',
  'ParkingPermits',
  'GymMembership',
  'MuseumEntry',
  'TransitCard',
  'CoffeeStamps',
  'LibraryCard',
];

/** Seed apps, relative to `now`: the second one's certificate is 12 days from expiry, so the Sandbox shows a warning. */
export function seedApps(now: number, count = SEED_NAMES.length): SeedApp[] {
  const apps: SeedApp[] = [];
  for (let i = 0; i < count; i++) {
    const name = SEED_NAMES[i % SEED_NAMES.length] ?? 'App';
    const appId = i === 0 ? name : `${20096 + i}-${6548262167 + i * 7919}`;
    const appleDays = i === 1 ? 12 : i % 3 === 0 ? 200 + i * 11 : undefined;
    apps.push({
      appId,
      name: i < SEED_NAMES.length ? name : `${name} ${Math.floor(i / SEED_NAMES.length) + 1}`,
      createdAt: now - (400 - i) * DAY_MS,
      ...(appleDays !== undefined ? { appleCertExpiry: now + appleDays * DAY_MS + 3_600_000 } : {}),
    });
  }
  return apps;
}

export const SEED_PASS_TYPE = 'pass.com.example.sandbox';

function hash(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** A 19-digit id derived from `seed`, as the server's own 64-bit ids look. */
export function derivedId(seed: string): string {
  const low = 1_000_000_000_000_000_000n;
  const span = 9_200_000_000_000_000_000n - low;
  return (low + (hash(seed).readBigUInt64BE(0) % span)).toString();
}

/**
 * The channels of one pass at `ageMs` after its request was queued, `stepMs` a step apart: initial, queued,
 * submitted, then a final state picked from the pass id (mostly delivered, some opened, undelivered or rejected).
 */
export function channelStates(passId: string, ageMs: number, stepMs: number): ChannelState[] {
  const seed = hash(passId);
  const channels: Array<'EMAIL' | 'SMS'> = (seed[0] ?? 0) % 4 === 0 ? ['EMAIL'] : ['EMAIL', 'SMS'];
  return channels.map((channelType, index) => {
    const roll = (seed[1 + index] ?? 0) % 10;
    const final = roll < 5 ? 'delivered' : roll < 7 ? 'opened' : roll < 9 ? 'undelivered' : 'rejected';
    // Channels finish at different times; a step of 0 means everything is final at once.
    const steps = stepMs <= 0 ? Infinity : Math.floor(ageMs / stepMs) - index;
    if (final === 'rejected') {
      // A rejected channel is refused at submission: the pass status says so too.
      return steps >= 2
        ? { channelType, passStatus: 'Rejected', channelStatus: 'rejected' }
        : { channelType, passStatus: 'Submitted', channelStatus: CHANNEL_STATUS_SEQUENCE[Math.max(0, steps)] ?? 'initial' };
    }
    const status = steps < CHANNEL_STATUS_SEQUENCE.length ? (CHANNEL_STATUS_SEQUENCE[Math.max(0, steps)] ?? 'initial') : final;
    return { channelType, passStatus: 'Submitted', channelStatus: status };
  });
}

export class AdminState {
  private state: PersistedState;
  private readonly path: string;
  private writing: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;

  private constructor(
    path: string,
    state: PersistedState,
    readonly apps: readonly SeedApp[],
  ) {
    this.path = path;
    this.state = state;
  }

  /** Reads the state left by an earlier run, or starts one (with a pass request in flight when seeding). */
  static async open(dataDir: string, options: { seed: boolean; seedCount?: number; now?: number }): Promise<AdminState> {
    const path = join(dataDir, 'admin-state.json');
    const now = options.now ?? Date.now();
    let state: PersistedState | undefined;
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as PersistedState;
      if (parsed.version === 1 && Array.isArray(parsed.passRequests)) state = parsed;
    } catch {
      state = undefined;
    }
    const fresh = state === undefined;
    state ??= { version: 1, seededAt: now, wns: {}, mpns: {}, passRequests: [] };
    const admin = new AdminState(path, state, options.seed ? seedApps(now, options.seedCount) : []);
    if (fresh && options.seed) {
      const requestId = derivedId(`seed-request-${now}`);
      admin.addPassRequest(requestId, 5, true, now);
    }
    if (fresh) await admin.save();
    return admin;
  }

  knownApp(appId: string): boolean {
    return this.apps.some((app) => app.appId === appId) || appId in this.state.mpns || appId in this.state.wns;
  }

  /** Every app: the seeded ones, then those an upload or WNS call made, in a stable order. */
  appIds(): string[] {
    const ids = this.apps.map((app) => app.appId);
    const extra = new Set([...Object.keys(this.state.mpns), ...Object.keys(this.state.wns)]);
    for (const id of ids) extra.delete(id);
    return [...ids, ...[...extra].sort()];
  }

  seed(appId: string): SeedApp | undefined {
    return this.apps.find((app) => app.appId === appId);
  }

  wns(appId: string): WnsCredentials | undefined {
    return this.state.wns[appId];
  }

  mpns(appId: string): MpnsCertificateFacts | undefined {
    return this.state.mpns[appId];
  }

  async setWns(appId: string, packageSid: string, secret: string): Promise<void> {
    this.state.wns[appId] = { packageSid, secretSha256: hash(secret).toString('hex'), setAt: Date.now() };
    await this.save();
  }

  async certificateStored(appId: string, notAfter: string | undefined): Promise<void> {
    this.state.mpns[appId] = { ...(notAfter ? { notAfter } : {}), uploadedAt: Date.now() };
    await this.save();
  }

  async certificateRemoved(appId: string): Promise<void> {
    this.state.mpns = Object.fromEntries(Object.entries(this.state.mpns).filter(([id]) => id !== appId));
    await this.save();
  }

  /** Notes a queued pass request and the passes it makes (1 to 5, from its id, unless given). */
  addPassRequest(requestId: string, count: number | undefined, importPass: boolean, now = Date.now()): PassRequestRecord {
    const passes = count ?? 1 + ((hash(requestId)[0] ?? 0) % 5);
    const record: PassRequestRecord = {
      requestId,
      createdAt: now,
      importPass,
      passIds: Array.from({ length: passes }, (_, i) => derivedId(`${requestId}/${i}`)),
    };
    // The newest 500 requests are kept: a batch of thousands must not grow the file without end.
    this.state.passRequests = [...this.state.passRequests, record].slice(-500);
    return record;
  }

  async passRequestQueued(requestId: string, importPass: boolean): Promise<void> {
    this.addPassRequest(requestId, undefined, importPass);
    await this.save();
  }

  passRequest(requestId: string): PassRequestRecord | undefined {
    return this.state.passRequests.find((r) => r.requestId === requestId);
  }

  /** The request a pass id belongs to. */
  passOwner(passId: string): PassRequestRecord | undefined {
    return this.state.passRequests.find((r) => r.passIds.includes(passId));
  }

  /**
   * Written to a temp file and renamed in, one write at a time; changes made while a write waits join it (a batch
   * of a thousand pass sends costs a few writes, not a thousand).
   */
  private save(): Promise<void> {
    if (this.pending) return this.pending;
    const next = this.writing.catch(() => undefined).then(async () => {
      this.pending = undefined;
      const text = `${JSON.stringify(this.state)}\n`;
      const temp = `${this.path}.${process.pid}.tmp`;
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(text, 'utf8');
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    });
    this.pending = next;
    this.writing = next;
    return next;
  }
}
