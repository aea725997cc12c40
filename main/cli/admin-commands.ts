// The administrator's commands of issue #17: `apps list|show`, `wns set|test`, `certs expiry`, and beside the
// transfer commands `cert remove` and `pass status`. Everything the server said is printed inert; --json prints
// exactly one object on stdout, and notes (the MPNS retirement, watch progress) go to stderr.
import type { Command } from 'commander';
import type { AppSummary, CertificateExpiry, PassRequestStatus } from '../../preload/contract';
import { fail } from '../core/errors';
import type { CliContext } from './context';
import { commandAction, inert, jsonLine, printErr, succeed } from './output';
import { readSecret } from './secret-input';
import { cancellableTransfer } from './transfer-commands';

type SetExit = (code: number) => void;

/** Said wherever MPNS is touched (upload, download, removal), on stderr and in `cert upload --help`. */
export const MPNS_RETIRED_NOTE =
  'Note: Microsoft has retired MPNS (Windows Phone push is switched off); this only manages the certificate the server stores. ' +
  'Windows apps are reached through WNS now: engagement-desk wns set --app ID --package-sid SID --client-secret-stdin';

function appJson(app: AppSummary): Record<string, unknown> {
  return { id: app.id, name: app.name, ...(app.createdDate ? { createdDate: app.createdDate } : {}), mpns: app.mpns, wns: app.wns };
}

function appLine(app: AppSummary): string[] {
  const mpns = app.mpns.stored ? `stored${app.mpns.expiry ? ` (expires ${app.mpns.expiry})` : ''}` : 'none';
  return [app.id, app.name, mpns, app.wns.set ? 'set' : 'not set'];
}

/** Columns padded to the widest cell; every cell already inert. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows].map((row) => row.map((cell) => inert(cell)));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** The date in the user's locale when the server's text could be read, else the server's text. */
function shownExpiry(cert: CertificateExpiry): string {
  return cert.expiresAt ? new Date(cert.expiresAt).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) : cert.expiryDate;
}

function passStatusJson(status: PassRequestStatus): Record<string, unknown> {
  return {
    requestId: status.requestId,
    total: status.total,
    settled: status.settled,
    passes: status.passes.map((pass) => ({
      id: pass.id,
      ...(pass.serialNumber ? { serialNumber: pass.serialNumber } : {}),
      channels: pass.channels.map((c) => ({ channel: c.channel, passStatus: c.passStatus, status: c.status, final: c.final, ...(c.unknown ? { unknown: c.unknown } : {}) })),
    })),
  };
}

function passStatusLines(status: PassRequestStatus): string[] {
  const rows = status.passes.flatMap((pass) =>
    pass.channels.length === 0 ? [[pass.id, '-', '-', 'no channel status yet']] : pass.channels.map((c) => [pass.id, c.channel, c.passStatus, c.status + (c.final ? '' : ' …')]),
  );
  const shown = status.passes.length < status.total ? ` (the first ${status.passes.length} shown)` : '';
  return [
    `Request ${inert(status.requestId)}: ${status.total} pass${status.total === 1 ? '' : 'es'}${shown}${status.settled ? ', every channel final' : ''}.`,
    ...(rows.length > 0 ? [table(['PASS', 'CHANNEL', 'PASS STATUS', 'STATUS'], rows)] : []),
    ...status.passes.flatMap((p) => p.channels.filter((c) => c.unknown).map((c) => `Warning: pass ${inert(p.id)}: ${inert(c.unknown ?? '')}; shown as the server said it.`)),
  ];
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Backoff between two looks at a pass request: 2 s, doubling, at most a minute. */
export function watchDelays(firstMs = 2_000, maxMs = 60_000): () => number {
  let next = firstMs;
  return () => {
    const current = next;
    next = Math.min(maxMs, next * 2);
    return current;
  };
}

export function registerAdminCommands(program: Command, ctx: CliContext, setExit: SetExit): void {
  const apps = program.command('apps').description("The server's applications and their Windows push state");
  apps
    .command('list')
    .description('List every application of the server (all pages), with its MPNS certificate and WNS state')
    .requiredOption('--profile <name>', 'server profile')
    .option('--search <text>', 'only apps whose id or name contains this text (any case)')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (opts: { profile: string; search?: string; json?: boolean }) => {
        const services = await ctx.openServicesFor(opts.profile);
        const list = await services.admin.listApps(opts.profile);
        const needle = opts.search?.toLowerCase();
        const found = needle ? list.apps.filter((a) => a.id.toLowerCase().includes(needle) || a.name.toLowerCase().includes(needle)) : list.apps;
        const human = found.length === 0 ? `No applications${needle ? ` match "${inert(opts.search ?? '')}"` : ''}.` : table(['ID', 'NAME', 'MPNS CERTIFICATE', 'WNS'], found.map(appLine));
        setExit(succeed(ctx, opts.json === true, { total: list.total, apps: found.map(appJson) }, human));
      }),
    );
  apps
    .command('show')
    .description("One application's details")
    .argument('<appId>', 'application ID')
    .requiredOption('--profile <name>', 'server profile')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (appId: string, opts: { profile: string; json?: boolean }) => {
        const services = await ctx.openServicesFor(opts.profile);
        const app = await services.admin.appDetails(opts.profile, appId);
        const [, , mpns, wns] = appLine(app);
        setExit(
          succeed(ctx, opts.json === true, { app: appJson(app) }, [
            `${inert(app.id)}  ${inert(app.name)}`,
            ...(app.createdDate ? [`Created: ${inert(app.createdDate)}`] : []),
            `MPNS certificate: ${inert(mpns ?? '')}`,
            `WNS credentials: ${inert(wns ?? '')}${app.wns.packageSid ? ` (${inert(app.wns.packageSid)})` : ''}`,
          ]),
        );
      }),
    );

  const wns = program.command('wns').description('Windows push (WNS) credentials of an app, the live replacement for MPNS');
  wns
    .command('set')
    .description('Set the Package SID and client secret (the secret from stdin or a prompt, never an argument)')
    .requiredOption('--profile <name>', 'server profile')
    .requiredOption('--app <appId>', 'application ID')
    .requiredOption('--package-sid <sid>', 'Package SID, ms-app://s-1-15-2-…')
    .option('--client-secret-stdin', 'read the client secret from standard input')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (opts: { profile: string; app: string; packageSid: string; clientSecretStdin?: boolean; json?: boolean }) => {
        const secret = await readSecret(ctx, { fromStdin: opts.clientSecretStdin === true, prompt: 'Client secret: ', flag: '--client-secret-stdin', required: true });
        const services = await ctx.openServicesFor(opts.profile);
        // Ctrl-C (or SIGTERM) cancels the send, as it does an upload.
        const transfer = cancellableTransfer(ctx, 'Sending', false);
        const result = await services.admin
          .setWns({ profile: opts.profile, appId: opts.app, packageSid: opts.packageSid, clientSecret: secret ?? '' }, transfer)
          .finally(() => transfer.done());
        setExit(succeed(ctx, opts.json === true, { message: result.message }, `${inert(result.message)} (app ${inert(result.id)}). Test them with: engagement-desk wns test --profile ${inert(opts.profile)} --app ${inert(result.id)}`));
      }),
    );
  wns
    .command('test')
    .description("Ask the server to test the app's WNS credentials")
    .requiredOption('--profile <name>', 'server profile')
    .requiredOption('--app <appId>', 'application ID')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (opts: { profile: string; app: string; json?: boolean }) => {
        const services = await ctx.openServicesFor(opts.profile);
        const result = await services.admin.testWns(opts.profile, opts.app);
        setExit(succeed(ctx, opts.json === true, { message: result.message }, inert(result.message)));
      }),
    );

  const certs = program.command('certs').description('Certificates of every app and pass type');
  certs
    .command('expiry')
    .description('Every app and pass certificate with its days left, most urgent first')
    .requiredOption('--profile <name>', 'server profile')
    .option('--app <appId>', 'only this app')
    .option('--within <days>', 'only certificates expiring within this many days')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (opts: { profile: string; app?: string; within?: string; json?: boolean }) => {
        let within: number | undefined;
        if (opts.within !== undefined) {
          within = Number(opts.within);
          if (!/^\d{1,5}$/.test(opts.within)) fail('validation', `--within takes a whole number of days, for example --within 30 (got "${opts.within}").`);
        }
        const services = await ctx.openServicesFor(opts.profile);
        const all = await services.admin.certificateExpiry(opts.profile, opts.app);
        const shown = within === undefined ? all : all.filter((c) => c.daysLeft <= within);
        const rows = shown.map((c) => [
          c.kind === 'app' ? (c.appId ?? '') : (c.passTypeIdentifier ?? 'pass certificate'),
          c.kind === 'app' ? [c.platform, c.certificateType].filter(Boolean).join(' ') : 'pass',
          shownExpiry(c),
          c.daysLeft < 0 ? `expired ${-c.daysLeft} days ago` : `${c.daysLeft}${c.daysLeft <= 30 ? '  (!)' : ''}`,
        ]);
        const human = rows.length === 0 ? `No certificates${within !== undefined ? ` expire within ${within} days` : ''}.` : table(['APP / PASS TYPE', 'KIND', 'EXPIRES', 'DAYS LEFT'], rows);
        setExit(succeed(ctx, opts.json === true, { certificates: shown }, human));
      }),
    );
}

/** `cert remove` and `pass status`, added to the transfer commands' `cert` and `pass`; and the MPNS note there. */
export function registerAdminSubcommands(program: Command, ctx: CliContext, setExit: SetExit): void {
  const cert = program.commands.find((c) => c.name() === 'cert');
  const pass = program.commands.find((c) => c.name() === 'pass');
  if (!cert || !pass) throw new Error('The transfer commands must be registered first.');

  for (const sub of cert.commands.filter((c) => c.name() === 'upload' || c.name() === 'download')) {
    sub.addHelpText('after', `\n${MPNS_RETIRED_NOTE}\n`);
    sub.hook('preAction', () => printErr(ctx, MPNS_RETIRED_NOTE));
  }

  cert
    .command('remove')
    .description("Remove an app's stored MPNS certificate, after downloading a backup")
    .requiredOption('--profile <name>', 'server profile')
    .requiredOption('--app <appId>', 'application ID')
    .option('--backup <path>', 'download the certificate here first (a file, or an existing folder)')
    .option('--no-backup', 'remove without a backup')
    .option('--yes', 'do not ask for confirmation (scripts)')
    .option('--json', 'print one JSON object')
    .addHelpText('after', `\n${MPNS_RETIRED_NOTE}\n`)
    .action(
      commandAction(ctx, setExit, async (opts: { profile: string; app: string; backup?: string | false; yes?: boolean; json?: boolean }) => {
        printErr(ctx, MPNS_RETIRED_NOTE);
        if (opts.backup === undefined) {
          fail('validation', 'Choose --backup PATH to download the certificate first (recommended), or --no-backup to remove it without one. Nothing was removed.');
        }
        const appId = opts.app.trim();
        if (opts.yes !== true) {
          if (!ctx.stdinIsTTY || !ctx.promptLine) fail('validation', `No terminal to confirm the removal: add --yes to remove the MPNS certificate of app "${inert(appId)}". Nothing was removed.`);
          const answer = await ctx.promptLine(`Remove the MPNS certificate of app "${inert(appId)}" on profile "${inert(opts.profile)}"? Type yes to remove: `);
          if (answer.trim().toLowerCase() !== 'yes') fail('cancelled', 'Not removed: the removal was not confirmed.');
        }
        const services = await ctx.openServicesFor(opts.profile);
        let backup: { path: string; sha256: string } | undefined;
        // The backup's download shows progress; Ctrl-C (or SIGTERM) cancels it, and then nothing is removed.
        const transfer = cancellableTransfer(ctx, 'Backing up', ctx.stderrIsTTY && opts.json !== true);
        const result = await (async () => {
          if (typeof opts.backup === 'string') {
            const saved = await services.actions.downloadCertificate({ profile: opts.profile, appId, destination: opts.backup }, transfer);
            backup = { path: saved.path, sha256: saved.sha256 };
            if (opts.json !== true) printErr(ctx, `Backup saved: ${inert(saved.path)} (SHA-256 ${saved.sha256})`);
          }
          return services.admin.removeCertificate({ profile: opts.profile, appId }, transfer);
        })().finally(() => transfer.done());
        setExit(succeed(ctx, opts.json === true, { message: result.message, ...(backup ? { backup } : {}) }, `${inert(result.message)} (app ${inert(result.id)})`));
      }),
    );

  pass
    .command('status')
    .description('The passes a queued request made and each channel status (--watch: until every channel is final)')
    .argument('<requestId>', 'the request id a pass update or issue answered')
    .requiredOption('--profile <name>', 'server profile')
    .option('--watch', 'look again with backoff until every channel is final, or Ctrl-C')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (requestId: string, opts: { profile: string; watch?: boolean; json?: boolean }) => {
        const json = opts.json === true;
        const services = await ctx.openServicesFor(opts.profile);
        // Each status read is noted as the request's last known status in the history (issue #17).
        const note = async (read: PassRequestStatus): Promise<void> => {
          await services.drafts.history.passStatuses.record(read).catch((error: unknown) => {
            printErr(ctx, `The status was read but could not be noted in the history: ${error instanceof Error ? error.message : String(error)}`);
          });
        };
        let status = await services.admin.passStatus(opts.profile, requestId);
        await note(status);
        let stopped = false;
        if (opts.watch === true && !status.settled) {
          const controller = new AbortController();
          const onSignal = (): void => controller.abort();
          for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onSignal);
          try {
            const delays = watchDelays();
            while (!status.settled && !controller.signal.aborted) {
              const wait = delays();
              const final = status.passes.reduce((n, p) => n + p.channels.filter((c) => c.final).length, 0);
              const channels = status.passes.reduce((n, p) => n + p.channels.length, 0);
              printErr(ctx, `${final} of ${channels} channels final; looking again in ${Math.round(wait / 1000)} s (Ctrl-C stops).`);
              await pause(wait, controller.signal);
              if (controller.signal.aborted) break;
              status = await services.admin.passStatus(opts.profile, requestId, { signal: controller.signal });
              await note(status);
            }
          } finally {
            for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, onSignal);
          }
          stopped = controller.signal.aborted;
        }
        if (json) ctx.stdout(jsonLine({ ok: true, ...passStatusJson(status), ...(stopped ? { stopped: true } : {}) }));
        else ctx.stdout(`${passStatusLines(status).join('\n')}\n`);
        setExit(0);
      }),
    );
}
