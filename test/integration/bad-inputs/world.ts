// The stack the bad-input catalogue runs against: the same services, IPC registry and handlers the app builds
// (openAppServices + registerAllIpc over a temp data folder and the real OS keychain), the emulator over loopback,
// a second emulator that serves HTTPS with a self-signed certificate, a scripted server for answers the emulator
// cannot give (redirects, hostile file names), and a server that accepts connections and never answers.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { channels, type AppError, type Draft } from '../../../preload/contract';
import { openAppServices, type AppServices } from '../../../main/services';
import { createKeychain, type SecretStore } from '../../../main/platform/keychain';
import { OperationRegistry } from '../../../main/platform/operations';
import { createPathGrants, type PathGrants } from '../../../main/platform/path-grants';
import { secretAccount } from '../../../main/profiles/profile-service';
import { openSettingsStore } from '../../../main/platform/settings-store';
import { startEmulator, type Emulator } from '../../../main/emulator/server';
import { registerAllIpc } from '../../../main/ipc/register-all';
import { createHandlerRegistry, type HandlerRegistry } from '../../../main/ipc/registry';
import { makeP12, makePkpass, makePng } from '../../support/fixtures';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

/** The client timeouts of the catalogue's services: short, so "a server that never answers" is quick to prove. */
export const CLIENT_TIMEOUT_MS = 1500;
export const EMULATOR_PASSWORD = 'bad-inputs-Passw0rd';
export const PASSPHRASE = 'pw-1234';
export const KEPT_APP = 'KeptApp';

export type ScriptedHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** What a failed action showed the user, or what a successful one gave back. */
export type Outcome = { ok: false; error: AppError } | { ok: true; value: unknown };

export interface World {
  temp: TempDir;
  /** The user's own files (certificates, passes, images, JSON, CSV): hashed before and after every row. */
  inputs: string;
  /** Bad inputs a row wrote into `inputs`, with the SHA-256 they were written with (they too must stay as they are). */
  created: Map<string, string>;
  /** Scratch space for fixture builders' by-products (signing keys, manifests). */
  scratch: string;
  /** Where downloads go; must hold nothing new after a failed row. */
  downloads: string;
  dataDir: string;
  services: AppServices;
  keychain: SecretStore;
  registry: HandlerRegistry;
  grants: PathGrants;
  emulator: Emulator;
  tlsEmulator: Emulator;
  /** The next request to the scripted server is answered by this. */
  script: { handler: ScriptedHandler; seen: IncomingMessage[] };
  scriptedUrl: string;
  /** A second origin (127.0.0.2) that records whether credentials reached it. */
  elsewhere: { url: string; seen: IncomingMessage[] };
  silentUrl: string;
  /** Profiles saved by the world (name -> id). */
  profileIds: Record<string, string>;
  files: GoodFiles;
  keptDraft: Draft;
  /** Invoke an IPC channel as the renderer does; files named in it are granted first, as a dialog or a drop would. */
  invoke(channel: keyof typeof channels, payload: Record<string, unknown>, grant?: { read?: string[]; folders?: string[] }): Promise<Outcome>;
  close(): Promise<void>;
}

export interface GoodFiles {
  p12: string;
  p12Bytes: Buffer;
  pkpass: string;
  logo: string;
  content: string;
}

let operation = 0;

async function listen(server: Server | ReturnType<typeof createNetServer>, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((done) => server.listen(0, host, done));
  return (server.address() as AddressInfo).port;
}

export async function openWorld(): Promise<World> {
  const temp = await makeTempDir('bad-inputs');
  const inputs = join(temp.dir, 'inputs');
  const downloads = join(temp.dir, 'downloads');
  const dataDir = join(temp.dir, 'data');
  const scratch = join(temp.dir, 'scratch');
  for (const dir of [inputs, downloads, dataDir, scratch]) await mkdir(dir, { recursive: true });
  const closers: (() => Promise<unknown>)[] = [() => temp.remove()];

  const users = [{ username: 'admin', password: EMULATOR_PASSWORD }];
  const emulator = await startEmulator({ dataDir: join(temp.dir, 'emulator'), users });
  closers.push(() => emulator.close());
  const tlsEmulator = await startEmulator({ dataDir: join(temp.dir, 'emulator-tls'), users, tls: 'self-signed' });
  closers.push(() => tlsEmulator.close());

  const script: World['script'] = { handler: (_req, res) => res.writeHead(500).end(), seen: [] };
  const scripted = createHttpServer((req, res) => {
    script.seen.push(req);
    script.handler(req, res);
  });
  const scriptedUrl = `http://127.0.0.1:${await listen(scripted)}`;
  closers.push(() => new Promise((done) => { scripted.closeAllConnections(); scripted.close(done); }));

  const elsewhereSeen: IncomingMessage[] = [];
  const other = createHttpServer((req, res) => {
    elsewhereSeen.push(req);
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"id":"-1","message":"Unauthorized request"}');
  });
  const elsewhereUrl = `http://127.0.0.2:${await listen(other, '127.0.0.2')}`;
  closers.push(() => new Promise((done) => { other.closeAllConnections(); other.close(done); }));

  // Accepts every connection, reads what comes, never answers.
  const sockets = new Set<Socket>();
  const silent = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.resume();
  });
  const silentUrl = `http://127.0.0.1:${await listen(silent)}`;
  closers.push(() => new Promise((done) => { for (const s of sockets) s.destroy(); silent.close(done); }));

  const keychain = createKeychain();
  const services = await openAppServices({
    dataDir,
    store: openSettingsStore(dataDir),
    secrets: keychain,
    source: 'app',
    sandbox: false,
    clientOptions: { connectTimeoutMs: CLIENT_TIMEOUT_MS, headersTimeoutMs: CLIENT_TIMEOUT_MS, bodyIdleTimeoutMs: CLIENT_TIMEOUT_MS },
  });
  closers.push(() => services.close());
  const grants = createPathGrants();
  const registry = createHandlerRegistry({ pathGrants: grants });
  const dialogs = { openFile: async () => [], saveFile: async () => undefined, showInFolder: async () => true };
  registerAllIpc(registry, { services, operations: new OperationRegistry(), events: () => undefined, dialogs, pathGrants: grants });

  const profileIds: Record<string, string> = {};
  for (const [name, baseUrl] of [
    ['Emulator', emulator.url],
    ['Untrusted TLS', tlsEmulator.url],
    ['Scripted', scriptedUrl],
    ['Silent', silentUrl],
  ] as const) {
    const view = await services.profiles.save({ name, baseUrl, authMode: 'basic', username: 'admin' }, EMULATOR_PASSWORD);
    profileIds[name] = view.id;
  }
  closers.push(async () => {
    for (const id of Object.values(profileIds)) await services.profiles.remove(id).catch(() => undefined);
  });

  const p12 = await makeP12(scratch, { passphrase: PASSPHRASE });
  const pkpass = await makePkpass(scratch, { name: 'card.pkpass' });
  const logo = join(inputs, 'logo.png');
  await writeInput(logo, makePng(160, 50));
  const content = join(inputs, 'passContent.json');
  await writeInput(content, JSON.stringify({ recipients: { recipient: [{ id: '48494' }] } }));
  const files: GoodFiles = {
    p12: join(inputs, 'push.p12'),
    p12Bytes: await readFile(p12.path),
    pkpass: join(inputs, 'card.pkpass'),
    logo,
    content,
  };
  await writeInput(files.p12, files.p12Bytes);
  await writeInput(files.pkpass, await readFile(pkpass.path));

  // A certificate the server already holds, and a draft the user is working on: neither may be touched.
  await services.actions.uploadCertificate({ profile: 'Emulator', appId: KEPT_APP, certPath: files.p12, passphrase: PASSPHRASE });
  const keptDraft = await services.drafts.drafts.create({ kind: 'cert-upload', name: 'Kept draft', profileId: profileIds.Emulator!, appId: KEPT_APP });

  const world: World = {
    temp,
    inputs,
    created: new Map(),
    scratch,
    downloads,
    dataDir,
    services,
    keychain,
    registry,
    grants,
    emulator,
    tlsEmulator,
    script,
    scriptedUrl,
    elsewhere: { url: elsewhereUrl, seen: elsewhereSeen },
    silentUrl,
    profileIds,
    files,
    keptDraft,
    async invoke(channel, payload, grant = {}) {
      for (const path of grant.read ?? []) grants.grantFile(path, 'read');
      for (const folder of grant.folders ?? []) grants.grantFolder(folder);
      const spec = channels[channel];
      const needsOperation = 'shape' in spec.request && 'operationId' in (spec.request as { shape: object }).shape;
      const result = await registry.invoke(spec.name, needsOperation ? { operationId: `bad-${++operation}`, ...payload } : payload);
      return result.ok ? { ok: true, value: result.value } : { ok: false, error: result.error };
    },
    async close() {
      for (const step of closers.reverse()) await step().catch(() => undefined);
    },
  };
  return world;
}

async function writeInput(path: string, data: Uint8Array | string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, data);
}

// -------------------------------------------------------------------------------------------------------------
// "Nothing lost": what the user had before a bad input must be exactly what they have after it.

export interface Snapshot {
  inputs: Map<string, string>;
  downloads: string[];
  profiles: string;
  secrets: Map<string, string | undefined>;
  draft: string;
  keptCertificate: string | undefined;
}

async function hashTree(dir: string, into = new Map<string, string>(), prefix = ''): Promise<Map<string, string>> {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await hashTree(path, into, `${prefix}${entry.name}/`);
    else into.set(`${prefix}${entry.name}`, createHash('sha256').update(await readFile(path)).digest('hex'));
  }
  return into;
}

async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    found.push(`${prefix}${entry.name}`);
    if (entry.isDirectory()) found.push(...(await listTree(join(dir, entry.name), `${prefix}${entry.name}/`)));
  }
  return found.sort();
}

export async function snapshot(world: World): Promise<Snapshot> {
  const secrets = new Map<string, string | undefined>();
  for (const id of Object.values(world.profileIds)) secrets.set(id, await world.keychain.get(secretAccount(id)));
  const stored = await world.emulator.storedCertificate(KEPT_APP);
  return {
    inputs: await hashTree(world.inputs),
    downloads: await listTree(world.downloads),
    profiles: JSON.stringify(world.services.profiles.profiles()),
    secrets,
    draft: JSON.stringify(await world.services.drafts.drafts.get(world.keptDraft.id)),
    keptCertificate: stored?.sha256,
  };
}

/** Temp files a failed write could leave: atomic-write temps, download temps, blob temps. */
export async function leftoverTemps(dirs: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    for (const name of await listTree(dir)) {
      const base = name.split('/').pop() ?? '';
      if (/\.download$|\.[0-9a-f]{12}\.tmp$|^\.tmp-|\.partial$/.test(base)) found.push(join(dir, name));
    }
  }
  return found;
}

export async function fileExists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** `mount` as root; false (and the reason printed) when this container may not mount. */
export function tryMount(args: string[], target: string): { mounted: boolean; reason?: string } {
  try {
    execFileSync('mount', [...args, target], { stdio: 'pipe' });
    return { mounted: true };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { mounted: false, reason: stderr || (error as Error).message };
  }
}

export function unmount(target: string): void {
  try {
    execFileSync('umount', [target], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', target], { stdio: 'pipe' });
  }
}
