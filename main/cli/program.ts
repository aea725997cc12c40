// The engagement-desk command line: the scriptable twin of the app, over the same services.
// Start-up is what a script looping over apps pays on every call, so a command line loads only the command group it
// names (its module, and through it only the services that group uses); help, errors and anything unrecognised
// register every group, in the order the help lists them.
import { Command, CommanderError } from 'commander';
import { fail } from '../core/errors';
import { inert } from '../core/inert';
import type { CliContext } from './context';
import { commandAction, failWith, jsonLine, succeed } from './output';
import { readSecret } from './secret-input';
import { CLI_VERSION } from './version';

export { CLI_VERSION };

type Register = (program: Command, ctx: CliContext, setExit: (code: number) => void) => void;

/** Each top-level command, in help order, with the module that registers it (loaded only when needed). */
const COMMAND_GROUPS: Array<{ names: string[]; load: () => Promise<Register> }> = [
  { names: ['profile'], load: async () => (await import('./profile-commands')).registerProfileCommands },
  {
    names: ['cert', 'pass'],
    load: async () => {
      const [{ registerTransferCommands }, { registerAdminSubcommands }] = await Promise.all([import('./transfer-commands'), import('./admin-commands')]);
      return (program, ctx, setExit) => {
        registerTransferCommands(program, ctx, setExit);
        registerAdminSubcommands(program, ctx, setExit);
      };
    },
  },
  { names: ['apps', 'wns', 'certs'], load: async () => (await import('./admin-commands')).registerAdminCommands },
  { names: ['drafts', 'outbox', 'history'], load: async () => (await import('./drafts-commands')).registerDraftsCommands },
  { names: ['check'], load: async () => registerCheckCommand },
  { names: ['p12'], load: async () => registerP12Commands },
  { names: ['emulator'], load: async () => registerEmulatorCommand },
];

/**
 * The program for one command line: with `argv`, only the group its first word names when it names one; without,
 * every group.
 */
export async function buildProgram(ctx: CliContext, setExit: (code: number) => void, argv?: string[]): Promise<Command> {
  const json = argv?.includes('--json') === true;
  const program = new Command('engagement-desk')
    .description('Engagement Desk: Windows push certificates and Apple Wallet pass updates for Volt MX Foundry Engagement Services')
    .version(CLI_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    // With --json a usage error is the one JSON object runCli prints: commander's own text stays off stderr too.
    .configureOutput({ writeOut: (s) => ctx.stdout(s), writeErr: (s) => (json ? undefined : ctx.stderr(s)) })
    .exitOverride();

  const first = argv?.[0];
  const named = COMMAND_GROUPS.find((group) => first !== undefined && group.names.includes(first));
  for (const group of named ? [named] : COMMAND_GROUPS) (await group.load())(program, ctx, setExit);
  return program;
}

function registerCheckCommand(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('Check .p12/.pfx, .pkpass, .png and passContent .json files locally, without sending anything')
    .argument('<files...>', 'files to check')
    .option('--passphrase-stdin', 'read the .p12 passphrase from standard input')
    .option('--role <role>', 'image role for .png files (icon, logo, strip, thumbnail, background, footer)')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (files: string[], opts: { passphraseStdin?: boolean; role?: string; json?: boolean }) => {
        const hasP12 = files.some((f) => /\.(p12|pfx)$/i.test(f));
        const passphrase = hasP12
          ? await readSecret(ctx, { fromStdin: opts.passphraseStdin === true, prompt: 'Certificate passphrase: ', flag: '--passphrase-stdin', required: false })
          : undefined;
        // The checkers (PKCS#12, zip and PNG readers) load only for this command.
        const { runCheckCommand } = await import('./check-command');
        setExit(
          await runCheckCommand(
            files,
            { json: opts.json === true, ...(passphrase !== undefined ? { passphrase } : {}), ...(opts.role ? { role: opts.role } : {}) },
            { stdout: (s) => ctx.stdout(s), stderr: (s) => ctx.stderr(s) },
          ),
        );
      }),
    );
}

function registerP12Commands(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const p12 = program.command('p12').description('PKCS#12 (.p12/.pfx) certificate files, offline');
  p12
    .command('legacy')
    .description(
      'Write a copy that older Java servers read (3DES key and certificates, SHA-1 MAC, the same passphrase); the original is never replaced',
    )
    .argument('<in>', 'the .p12 or .pfx file')
    .argument('<out>', 'the copy to write (a new file)')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (input: string, output: string, opts: { passphraseStdin?: boolean; json?: boolean }) => {
        const passphrase = await readSecret(ctx, { fromStdin: opts.passphraseStdin === true, prompt: 'Certificate passphrase: ', flag: '--passphrase-stdin', required: true });
        const { writeLegacyCopy } = await import('../checks/p12-legacy-copy');
        const copy = await writeLegacyCopy(input, output, passphrase ?? '');
        setExit(
          succeed(ctx, opts.json === true, { ...copy }, [
            `Wrote ${inert(copy.path)} (${copy.bytes} bytes), read back and checked with the same passphrase.`,
            `Encryption:   ${copy.to.join(', ')} (was ${copy.from.join(', ')})`,
            `SHA-256       ${copy.sha256}`,
          ]),
        );
      }),
    );
}

function registerEmulatorCommand(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('emulator')
    .description('Run the built-in Engagement server emulator until Ctrl-C')
    .option('--port <n>', 'port to listen on', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--context-root <path>', 'context root, e.g. /vpns or /kpns', '')
    .option('--cloud', 'model a cloud tenant: no context root, login on a separate identity port at /login')
    .option('--data-dir <dir>', 'where uploaded certificates are kept (default <data dir>/sandbox)')
    .action(
      commandAction(ctx, setExit, async (opts: { port: string; host: string; contextRoot: string; dataDir?: string; cloud?: boolean }) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) fail('validation', `--port must be a number from 0 to 65535 (got "${opts.port}").`);
        const { runStandaloneEmulator } = await import('../emulator/standalone');
        const { join } = await import('node:path');
        await runStandaloneEmulator({
          port,
          host: opts.host,
          contextRoot: opts.contextRoot,
          ...(opts.cloud ? { cloud: true } : {}),
          dataDir: opts.dataDir ?? join(ctx.dataDir, 'sandbox'),
          // Request lines carry what a client sent (paths, names): shown inert like every untrusted text.
          log: (line: string) => ctx.stderr(`${inert(line)}\n`),
        });
      }),
    );
}

/** Runs one command line; answers the exit code (2 for usage errors, as the table says). */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  let exitCode = 0;
  const program = await buildProgram(
    ctx,
    (code) => {
      exitCode = code;
    },
    argv,
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      if (argv.includes('--json')) {
        // "error: unknown option '--x'" as a sentence, in the same object every other failure prints.
        const message = error.message.replace(/^error:\s*/, '');
        ctx.stdout(jsonLine({ ok: false, error: { code: 'usage', message: `${message.charAt(0).toUpperCase()}${message.slice(1)}` } }));
      }
      return 2;
    }
    return failWith(ctx, argv.includes('--json'), error);
  }
  return exitCode;
}
