// `engagement-desk emulator`: the emulator as a foreground process that runs until SIGINT/SIGTERM.
import type { Emulator } from './server';
import { SANDBOX_API_KEY, SANDBOX_USERS, startEmulator } from './server';

export interface StandaloneEmulatorOptions {
  port?: number;
  host?: string;
  dataDir: string;
  contextRoot?: string;
  /** Per-request log lines; none when absent. */
  log?: (line: string) => void;
  /** Serve HTTPS with a self-signed certificate made at start (to try how clients treat an untrusted server). */
  selfSignedTls?: boolean;
  /** Model a cloud tenant: no context root, login on a separate identity origin at /login. */
  cloud?: boolean;
}

/**
 * Starts the emulator, prints where it listens and the sandbox credentials (fixed, public test values), and
 * closes it cleanly on SIGINT/SIGTERM. Resolves once it is listening; the open server keeps the process alive.
 */
export async function runStandaloneEmulator(options: StandaloneEmulatorOptions): Promise<Emulator> {
  const emulator = await startEmulator({
    dataDir: options.dataDir,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.contextRoot !== undefined ? { contextRoot: options.contextRoot } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.selfSignedTls ? { tls: 'self-signed' as const } : {}),
    ...(options.cloud ? { cloud: true } : {}),
  });
  const user = SANDBOX_USERS[0]!;
  process.stdout.write(
    [
      `Engagement emulator (${emulator.kind}) listening on ${emulator.url}`,
      `  login:    POST ${emulator.loginUrl}`,
      `  user:     ${user.username} / ${user.password}`,
      `  API key:  ${SANDBOX_API_KEY}`,
      `  data dir: ${options.dataDir}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    void emulator.close().then(() => process.stdout.write('Emulator stopped.\n'));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const close = emulator.close.bind(emulator);
  // A caller closing it directly must not leave signal handlers behind that keep swallowing Ctrl-C.
  emulator.close = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    return close();
  };
  return emulator;
}
