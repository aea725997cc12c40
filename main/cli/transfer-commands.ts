import type { Command } from 'commander';
import type { PassImage } from '../../preload/contract';
import type { TransferOptions } from '../server/engagement-client';
import { fail } from '../core/errors';
import type { CliContext } from './context';
import { commandAction, formatBytes, inert, succeed } from './output';
import { createProgressBar } from './progress';
import { readSecret } from './secret-input';

/** Signals that stop the command: each cancels the transfer cleanly, as Ctrl-C does (no partial download is left
 * behind). SIGKILL cannot be caught; its temp is swept at the next start (main/services.ts). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function cancellableTransfer(ctx: CliContext, label: string, showProgress: boolean): TransferOptions & { done(): void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  // `on`, not `once`: a bundled package's exit hook (signal-exit) re-raises a signal when it finds no listener but
  // its own, and a `once` listener is already gone by then, so the process died of the SIGTERM it meant to cancel.
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const bar = showProgress ? createProgressBar((t) => ctx.stderr(t), label) : undefined;
  let finished = false;
  return {
    signal: controller.signal,
    ...(bar ? { onProgress: (p) => bar.update(p) } : {}),
    done() {
      if (finished) return;
      finished = true;
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      bar?.finish();
    },
  };
}

const PROFILE_HELP = 'server profile (without it: the profile in ENGAGEMENT_DESK_URL, _AUTH, _USER, _SECRET)';

/** --profile as given, or undefined for the profile from the environment. */
function profileOption(opts: Record<string, unknown>): string | undefined {
  return typeof opts.profile === 'string' ? opts.profile : undefined;
}

export function parseImageOption(value: string, previous: PassImage[] = []): PassImage[] {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) {
    fail('validation', `--image takes FIELD=FILE, for example --image logo=./logo.png (got "${value}").`);
  }
  return [...previous, { fieldName: value.slice(0, eq).trim(), path: value.slice(eq + 1) }];
}

export function registerTransferCommands(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const cert = program.command('cert').description('Windows (MPNS) push certificate of an app');

  cert
    .command('upload')
    .description('Upload an MPNS .p12 and its passphrase to an app')
    .option('--profile <name>', PROFILE_HELP)
    .requiredOption('--app <appId>', 'application ID')
    .requiredOption('--cert <file>', '.p12 or .pfx file')
    .option('--passphrase-stdin', 'read the certificate passphrase from standard input')
    .option('--skip-checks', 'send even when the local checks find errors')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (opts: Record<string, unknown>) => {
        const json = opts.json === true;
        const transfer = cancellableTransfer(ctx, 'Uploading', ctx.stderrIsTTY && !json);
        try {
          const passphrase = await readSecret(ctx, {
            fromStdin: opts.passphraseStdin === true,
            prompt: 'Certificate passphrase: ',
            flag: '--passphrase-stdin',
            required: true,
          });
          const { services, profile } = await ctx.openSendServices(profileOption(opts));
          const result = await services.actions.uploadCertificate(
            {
              profile,
              appId: String(opts.app),
              certPath: String(opts.cert),
              passphrase: passphrase ?? '',
              skipChecks: opts.skipChecks === true,
            },
            transfer,
          );
          transfer.done();
          setExit(succeed(ctx, json, { id: result.id, message: result.message }, `${inert(result.message)} (app ${inert(result.id)})`));
        } finally {
          transfer.done();
        }
      }),
    );

  cert
    .command('download')
    .description("Download an app's MPNS certificate (streamed to disk, saved atomically)")
    .option('--profile <name>', PROFILE_HELP)
    .requiredOption('--app <appId>', 'application ID')
    .requiredOption('--out <path>', "file to write (replaced), or an existing folder: the server's file name, never replacing a file there")
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (opts: Record<string, unknown>) => {
        const json = opts.json === true;
        const transfer = cancellableTransfer(ctx, 'Downloading', ctx.stderrIsTTY && !json);
        try {
          const { services, profile } = await ctx.openSendServices(profileOption(opts));
          // The file is saved before its SHA-256 is read back: say so at once (Ctrl-C no longer undoes it).
          const savedLine = (saved: { path: string; bytes: number }) => `Saved ${inert(saved.path)} (${formatBytes(saved.bytes)})`;
          // A body not shaped like PKCS#12 is kept; its warning (on stderr, like every warning) comes before "Saved".
          let warned = false;
          const warn = (warning: string | undefined) => {
            if (warning && !json && !warned) ctx.stderr(`Warning: ${inert(warning)}\n`);
            warned ||= warning !== undefined;
          };
          let said = false;
          const result = await services.actions.downloadCertificate(
            { profile, appId: String(opts.app), destination: String(opts.out) },
            {
              ...transfer,
              onSaved: (saved) => {
                transfer.done();
                if (json) return;
                warn(saved.warning);
                ctx.stdout(`${savedLine(saved)}\n`);
                said = true;
              },
            },
          );
          transfer.done();
          warn(result.warning);
          setExit(
            succeed(ctx, json, { path: result.path, bytes: result.bytes, sha256: result.sha256, ...(result.warning ? { warning: result.warning } : {}) }, [
              ...(said ? [] : [savedLine(result)]),
              `SHA-256 ${result.sha256}`,
            ]),
          );
        } finally {
          transfer.done();
        }
      }),
    );

  const pass = program.command('pass').description('Apple Wallet passes');
  // An update reaches scheduled passes only; a pass already sent needs a new one, issued with the same multipart.
  for (const mode of ['update', 'issue'] as const) {
    const issue = mode === 'issue';
    pass
      .command(mode)
      .description(
        issue
          ? 'Issue a new pass by importing a .pkpass with images and a passContent JSON (for passes already sent, which an update cannot reach)'
          : 'Update scheduled passes by importing a .pkpass with images and a passContent JSON (a pass already sent needs pass issue)',
      )
      .option('--profile <name>', PROFILE_HELP)
      .requiredOption('--pkpass <file>', '.pkpass file')
      .requiredOption('--content <file>', 'passContent JSON file')
      .option('--image <field=file>', 'an image part (repeatable), e.g. --image logo=logo.png', parseImageOption, [])
      .option('--skip-checks', 'send even when the local file checks find errors')
      .option('--batch <file.csv>', `send one ${mode} per row of a CSV with an "id" column (recipient ids)`)
      .option('--concurrency <n>', 'sends in flight at once with --batch (default 8)')
      .option('--json', 'print one JSON object')
      .addHelpText(
        'after',
        issue
          ? '\nA new pass reaches its recipients as a pass of its own; use it for passes already sent.'
          : '\nThe server applies an update only to a pass that is still scheduled; a pass already sent is not changed and needs a new pass (pass issue).',
      )
      .action(
        commandAction(ctx, setExit, async (opts: Record<string, unknown>) => {
          const json = opts.json === true;
          if (opts.batch !== undefined) {
            // The batch machinery (CSV reader, scheduler) loads only for --batch.
            const { runPassUpdateBatch } = await import('./batch-command');
            setExit(
              await runPassUpdateBatch(ctx, {
                profile: profileOption(opts),
                pkPassPath: String(opts.pkpass),
                contentPath: String(opts.content),
                images: (opts.image as PassImage[] | undefined) ?? [],
                csvPath: String(opts.batch),
                ...(opts.concurrency !== undefined ? { concurrency: String(opts.concurrency) } : {}),
                skipChecks: opts.skipChecks === true,
                json,
                ...(issue ? { issue } : {}),
              }),
            );
            return;
          }
          const transfer = cancellableTransfer(ctx, 'Sending', ctx.stderrIsTTY && !json);
          try {
            const { readPassContentFile } = await import('./pass-content-file');
            const passContent = await readPassContentFile(String(opts.content));
            const { services, profile } = await ctx.openSendServices(profileOption(opts));
            const result = await services.actions.updatePass(
              {
                profile,
                pkPassPath: String(opts.pkpass),
                images: (opts.image as PassImage[] | undefined) ?? [],
                passContent,
                skipChecks: opts.skipChecks === true,
                ...(issue ? { issue } : {}),
              },
              transfer,
            );
            transfer.done();
            setExit(succeed(ctx, json, { requestId: result.requestId, description: result.description }, `${inert(result.description)} requestId ${inert(result.requestId)}`));
          } finally {
            transfer.done();
          }
        }),
      );
  }
}
