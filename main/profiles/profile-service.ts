// Server profiles: their settings in the settings store (config.json), their secrets in the OS keychain (one entry
// per profile, account "profile:<id>"), and one EngagementClient per profile. The app's IPC handlers and the CLI
// both go through this service, so a profile saved in one is usable in the other.
import { randomUUID } from 'node:crypto';
import type { ConnectionTestResult, Profile, ProfileInput, ProfileView } from '../../preload/contract';
import { DEFAULT_TOKEN_HEADERS } from '../../preload/contract/constants';
import { EngagementError, fail } from '../core/errors';
import { isInsecureTransport, KNOWN_CONTEXT_ROOTS, loginUrlFor, normaliseBaseUrl, normaliseLoginUrl, plainHttpProblem, serverKindLabel, serverKindOf } from '../core/server-url';
import { EngagementClient, type ClientOptions } from '../server/engagement-client';
import type { SecretStore } from '../platform/keychain';
import { SANDBOX_PROFILE_ID, type SandboxProvider } from './sandbox';
import { bindingAllows, bindingOf, parseBinding, secretBindingAccount, type SecretBinding } from './secret-binding';
import { isSavedProfile, PROFILES_KEY, type KeyValueStore } from '../platform/settings-store';

const MAX_RETIRED_CLIENTS = 16;

export function secretAccount(profileId: string): string {
  return `profile:${profileId}`;
}

function secretName(profile: Pick<Profile, 'authMode'>): string {
  return profile.authMode === 'apikey' ? 'App API key' : 'password';
}

export interface ProfileServiceDeps {
  store: KeyValueStore;
  secrets: SecretStore;
  sandbox?: SandboxProvider;
  clientOptions?: ClientOptions;
}

export interface SaveOptions {
  /** How this front end asks for the secret, in a sentence's opening ("Enter the password again"): the CLI names its flag. */
  howToGiveSecret?: (what: string) => string;
}

export class ProfileService {
  /** One client per profile, with the settings it was made from: a profile changed elsewhere gets a new one. */
  private readonly clients = new Map<string, { settings: string; client: EngagementClient }>();
  /**
   * Clients replaced after an edit. A batch keeps the client it started with, so a replaced client is not closed
   * under it: its idle connections end by themselves, and it is closed when its profile is removed or the app
   * closes.
   */
  private readonly retired: Array<{ profileId: string; client: EngagementClient }> = [];
  /** Secrets read once per process, so a batch of sends does not ask the keychain a thousand times, with where
   * each was entered for. */
  private readonly secretCache = new Map<string, { secret: string; binding: SecretBinding }>();
  /** Told when a profile is removed, so secrets held elsewhere for it (queued passphrases) go too. */
  private readonly removalListeners: ((profileId: string) => Promise<void> | void)[] = [];

  constructor(private readonly deps: ProfileServiceDeps) {}

  /** Profiles as saved, Sandbox first. */
  profiles(): Profile[] {
    const saved = readProfiles(this.deps.store);
    return this.deps.sandbox ? [this.deps.sandbox.profile(), ...saved] : saved;
  }

  async list(): Promise<ProfileView[]> {
    return Promise.all(this.profiles().map((profile) => this.view(profile)));
  }

  find(idOrName: string): Profile | undefined {
    const wanted = idOrName.trim().toLowerCase();
    const all = this.profiles();
    return all.find((p) => p.id === idOrName) ?? all.find((p) => p.name.toLowerCase() === wanted);
  }

  require(idOrName: string): Profile {
    const profile = this.find(idOrName);
    if (!profile) {
      const names = this.profiles().map((p) => p.name).join(', ');
      fail('not-found', `There is no profile "${idOrName}". Known profiles: ${names || 'none'}.`);
    }
    return profile;
  }

  /** Creates or updates a profile; a given secret goes to the keychain, an absent one keeps the stored secret. */
  async save(input: ProfileInput, secret?: string, options: SaveOptions = {}): Promise<ProfileView> {
    // The schema (zod, with the rest of the contract) loads when a profile is saved, not for every command that
    // only uses one.
    const { profileInputSchema } = await import('../../preload/contract');
    const parsed = profileInputSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail('validation', `${issue?.message ?? 'Invalid profile'}${issue?.path.length ? ` (${issue.path.join('.')})` : ''}`);
    }
    const data = parsed.data;
    if (data.id === SANDBOX_PROFILE_ID || (this.deps.sandbox && data.name.toLowerCase() === 'sandbox' && data.id !== SANDBOX_PROFILE_ID)) {
      fail('validation', 'The Sandbox profile is built in and cannot be changed; give your profile another name.');
    }
    const saved = readProfiles(this.deps.store);
    const existing = data.id ? saved.find((p) => p.id === data.id) : undefined;
    if (data.id && !existing) fail('not-found', `The profile being edited no longer exists; save it as a new profile.`);
    if (saved.some((p) => p.id !== existing?.id && p.name.toLowerCase() === data.name.toLowerCase())) {
      fail('validation', `A profile named "${data.name}" already exists. Choose another name.`);
    }
    if ((data.authMode === 'basic' || data.authMode === 'token') && !data.username) {
      fail('validation', `Enter the user name: ${data.authMode === 'basic' ? 'Basic' : 'token'} authentication needs one.`);
    }
    const profile: Profile = {
      id: existing?.id ?? randomUUID(),
      name: data.name,
      baseUrl: normaliseBaseUrl(data.baseUrl),
      authMode: data.authMode,
      tokenHeaders: data.tokenHeaders && data.tokenHeaders.length > 0 ? data.tokenHeaders : [...DEFAULT_TOKEN_HEADERS],
      ...(data.username ? { username: data.username } : {}),
      ...(data.loginUrl ? { loginUrl: normaliseLoginUrl(data.loginUrl) } : {}),
      ...(data.allowHttp ? { allowHttp: true } : {}),
    };
    refusePlainHttp(profile);
    const newSecret = secret !== undefined && secret !== '';
    if (existing && !newSecret) await this.refuseMovingSecret(existing, profile, options);
    if (newSecret) {
      const binding = bindingOf(profile);
      // The binding first: a secret is never stored without the place it belongs to.
      await this.deps.secrets.set(secretBindingAccount(profile.id), JSON.stringify(binding));
      await this.deps.secrets.set(secretAccount(profile.id), secret);
      this.secretCache.set(profile.id, { secret, binding });
    }
    const next = existing ? saved.map((p) => (p.id === profile.id ? profile : p)) : [...saved, profile];
    this.deps.store.set(PROFILES_KEY, next);
    this.retireClient(profile.id); // the next send logs in again, with the new settings or secret
    return this.view(profile);
  }

  onRemoved(listener: (profileId: string) => Promise<void> | void): void {
    this.removalListeners.push(listener);
  }

  /**
   * Removes the profile and every secret of it: the keychain entry (or the session-only copy), the cached secret,
   * the client with its claims token, and whatever the removal listeners hold.
   */
  async remove(idOrName: string): Promise<boolean> {
    const profile = this.find(idOrName);
    if (!profile) return false;
    if (profile.builtIn) fail('validation', 'The Sandbox profile is built in and cannot be removed.');
    this.deps.store.set(
      PROFILES_KEY,
      readProfiles(this.deps.store).filter((p) => p.id !== profile.id),
    );
    this.secretCache.delete(profile.id);
    await this.deps.secrets.delete(secretAccount(profile.id));
    await this.deps.secrets.delete(secretBindingAccount(profile.id));
    await this.dropClient(profile.id);
    for (const listener of this.removalListeners) await listener(profile.id);
    return true;
  }

  async clientFor(idOrName: string): Promise<EngagementClient> {
    return this.clientOf(this.require(idOrName));
  }

  /** The client of a profile already looked up (a batch looks its profile up once for all its sends). */
  async clientOf(profile: Profile): Promise<EngagementClient> {
    // The CLI (or another window) may have edited the profile in config.json since its client was made: a client
    // keeps the URL, user and login settings it was made with, so a changed profile gets a new one.
    const settings = JSON.stringify([profile.baseUrl, profile.authMode, profile.username, profile.loginUrl, profile.tokenHeaders]);
    const cached = this.clients.get(profile.id);
    if (cached?.settings === settings) return cached.client;
    if (cached) this.retireClient(profile.id);
    const resolved = profile.builtIn && this.deps.sandbox ? await this.runningSandbox(profile, this.deps.sandbox) : profile;
    const client = new EngagementClient(resolved, (fresh) => this.secretOf(resolved, fresh), this.deps.clientOptions);
    this.clients.set(profile.id, { settings, client });
    return client;
  }

  /**
   * The health check. When it finds nothing under the profile's context root (404), the known roots (/vpns, /kpns,
   * none) are tried on the same origin, and one that answers is offered (decision 8) rather than a bare 404.
   */
  /** The Sandbox profile with the running emulator's addresses (it starts on first use). */
  private async runningSandbox(profile: Profile, sandbox: SandboxProvider): Promise<Profile> {
    const baseUrl = await sandbox.baseUrl();
    const loginUrl = sandbox.currentLoginUrl();
    return { ...profile, baseUrl, ...(loginUrl ? { loginUrl } : {}) };
  }

  async testConnection(idOrName: string, signal?: AbortSignal): Promise<ConnectionTestResult> {
    const profile = this.require(idOrName);
    const client = await this.clientOf(profile);
    const transfer = signal ? { signal } : {};
    try {
      return await client.healthCheck(transfer);
    } catch (error) {
      if (!(error instanceof EngagementError) || error.appError.httpStatus !== 404) throw error;
      const found = await answeringRoot(client, transfer);
      if (found === undefined) throw error;
      const root = found.root === '' ? 'no context root' : found.root;
      return {
        message: `Nothing answers under ${client.profile.baseUrl}, but this server answers under ${root} — use ${found.baseUrl}`,
        latencyMs: found.latencyMs,
        suggestedBaseUrl: found.baseUrl,
      };
    }
  }

  async close(): Promise<void> {
    const clients = [...[...this.clients.values()].map((c) => c.client), ...this.retired.map((r) => r.client)];
    this.clients.clear();
    this.retired.length = 0;
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await this.deps.sandbox?.close();
  }

  /** The secret, read once per session; `fresh` asks the keychain again (after the server refused the copy). It is
   * handed out only for the server origin and login URL it was entered for, whatever config.json now says. */
  private async secretOf(profile: Profile, fresh = false): Promise<string | undefined> {
    if (profile.builtIn && this.deps.sandbox) return this.deps.sandbox.secret();
    const cached = this.secretCache.get(profile.id);
    // A copy bound elsewhere is read again first: the CLI (or another window) may have moved the profile with a new secret.
    if (cached !== undefined && !fresh && bindingAllows(cached.binding, profile)) return cached.secret;
    const stored = await this.deps.secrets.get(secretAccount(profile.id));
    // Nothing in the keychain (or no keychain): a secret kept for this session only stays the one in use.
    if (fresh && stored === undefined && cached !== undefined) return this.checkedSecret(profile, cached);
    // "No password stored" would be wrong when the keychain could not be asked at all.
    const problem = stored === undefined ? this.deps.secrets.lastProblem() : undefined;
    if (problem) fail('keychain-unavailable', `The secret of the profile "${profile.name}" could not be read. ${problem}`);
    if (stored === undefined) return undefined;
    const entry = { secret: stored, binding: await this.bindingStored(profile) };
    this.secretCache.set(profile.id, entry);
    return this.checkedSecret(profile, entry);
  }

  /** Where the stored secret was entered for. A secret saved before bindings existed is bound to the profile as it
   * is at its first use, and that binding is stored. */
  private async bindingStored(profile: Profile): Promise<SecretBinding> {
    const raw = await this.deps.secrets.get(secretBindingAccount(profile.id));
    const parsed = parseBinding(raw);
    if (parsed) return parsed;
    const binding = bindingOf(profile);
    await this.deps.secrets.set(secretBindingAccount(profile.id), JSON.stringify(binding));
    return binding;
  }

  private checkedSecret(profile: Profile, entry: { secret: string; binding: SecretBinding }): string {
    const { binding } = entry;
    const now = bindingOf(profile);
    const what = secretName(profile);
    if (now.server !== binding.server) {
      fail(
        'auth-missing',
        `The ${what} of the profile "${profile.name}" was entered for ${binding.server}, but the profile now points at ${now.server}. Engagement Desk sends a ${what} only to the server it was entered for: open the profile and enter the ${what} again if ${now.server} is right.`,
      );
    }
    // The login URL matters only where the password goes to it: a claims-token profile.
    if (profile.authMode === 'token' && now.login !== binding.login) {
      fail(
        'auth-missing',
        `The ${what} of the profile "${profile.name}" was entered for the login URL ${binding.login}, but the profile now logs in at ${now.login}. Engagement Desk sends a ${what} only where it was entered for: open the profile and enter the ${what} again if the new login URL is right.`,
      );
    }
    return entry.secret;
  }

  /**
   * A stored secret stays with the server origin and login URL it was entered for: an edit that moves the server,
   * or makes a claims-token profile log in elsewhere, without a new secret is refused (a compromised page could
   * otherwise send the password to a server of its choice, issue #18). A path change within the same origin is
   * fine, and so is a login URL the profile does not use (Basic, App API key).
   */
  private async refuseMovingSecret(existing: Profile, next: Profile, options: SaveOptions): Promise<void> {
    const bound = parseBinding(await this.deps.secrets.get(secretBindingAccount(existing.id))) ?? bindingOf(existing);
    const after = bindingOf(next);
    const serverMoves = after.server !== bound.server;
    const loginMoves = next.authMode === 'token' && after.login !== bound.login;
    if (!serverMoves && !loginMoves) return;
    if ((await this.deps.secrets.storageOf(secretAccount(existing.id))) === 'none' && !this.secretCache.has(existing.id)) return;
    const what = secretName(existing);
    const again = options.howToGiveSecret?.(what) ?? `Enter the ${what} again`;
    if (serverMoves) {
      fail(
        'validation',
        `The server of the profile "${existing.name}" changes from ${bound.server} to ${after.server}, and its ${what} was entered for ${bound.server} only. ${again} to save the new server address, or keep the old one.`,
      );
    }
    fail(
      'validation',
      `The login URL of the profile "${existing.name}" changes from ${bound.login} to ${after.login}, and its ${what} was entered for the old one only. ${again} to save the new login URL, or keep the old one.`,
    );
  }

  private async view(profile: Profile): Promise<ProfileView> {
    const storage = profile.builtIn ? 'built-in' : await this.deps.secrets.storageOf(secretAccount(profile.id));
    return {
      ...profile,
      hasSecret: storage !== 'none',
      secretStorage: storage,
      insecureTransport: isInsecureTransport(profile.baseUrl) || (profile.authMode === 'token' && isInsecureTransport(loginUrlFor(profile.baseUrl, profile.loginUrl))),
      serverKind: serverKindOf(profile.baseUrl),
      serverKindLabel: profile.builtIn ? `Built-in emulator (${this.deps.sandbox?.kind === 'cloud' ? 'cloud' : 'on-premises'})` : serverKindLabel(profile.baseUrl),
      ...(profile.authMode === 'token' ? { loginUrlInUse: loginUrlFor(profile.baseUrl, profile.loginUrl) } : {}),
    };
  }

  private retireClient(profileId: string): void {
    const current = this.clients.get(profileId);
    this.clients.delete(profileId);
    if (current) this.retired.push({ profileId, client: current.client });
    // Kept only for batches that may still be using them: after many edits, the oldest are closed.
    for (const { client } of this.retired.splice(0, Math.max(0, this.retired.length - MAX_RETIRED_CLIENTS))) {
      void client.close().catch(() => undefined);
    }
  }

  /** Closes every client of the profile, retired ones too (with any claims token they hold). */
  private async dropClient(profileId: string): Promise<void> {
    this.retireClient(profileId);
    const mine = this.retired.filter((r) => r.profileId === profileId);
    this.retired.splice(0, this.retired.length, ...this.retired.filter((r) => r.profileId !== profileId));
    await Promise.all(mine.map(({ client }) => client.close().catch(() => undefined)));
  }
}

/** The first known context root on the client's origin whose health check answers: with the credentials accepted,
 * or refused (the root exists; the credentials are the next thing to fix). */
async function answeringRoot(
  client: EngagementClient,
  transfer: { signal?: AbortSignal },
): Promise<{ root: string; baseUrl: string; latencyMs: number } | undefined> {
  const origin = new URL(client.profile.baseUrl).origin;
  for (const root of KNOWN_CONTEXT_ROOTS) {
    const baseUrl = `${origin}${root}`;
    if (baseUrl === client.profile.baseUrl) continue;
    try {
      const result = await client.healthCheck(transfer, baseUrl);
      return { root, baseUrl, latencyMs: result.latencyMs };
    } catch (error) {
      if (!(error instanceof EngagementError)) throw error;
      const { code } = error.appError;
      if (code === 'auth-rejected') return { root, baseUrl, latencyMs: 0 };
      if (code === 'cancelled') throw error;
    }
  }
  return undefined;
}

/** Plain http to another machine needs the user's word (allowHttp): the server URL always, the login URL when the
 * profile logs in (issue #16). */
function refusePlainHttp(profile: Profile): void {
  if (profile.allowHttp) return;
  const problem =
    plainHttpProblem(profile.baseUrl, 'server URL') ??
    (profile.authMode === 'token' ? plainHttpProblem(loginUrlFor(profile.baseUrl, profile.loginUrl), 'login URL') : undefined);
  if (problem) fail('validation', `${problem} Nothing was saved.`);
}

/** Reads saved profiles, skipping (not failing on) entries a newer or damaged file may hold. */
function readProfiles(store: KeyValueStore): Profile[] {
  const raw = store.get(PROFILES_KEY);
  if (!Array.isArray(raw)) return [];
  return raw.filter(isSavedProfile);
}
