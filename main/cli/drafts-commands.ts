// engagement-desk drafts list|show|send, outbox list|flush, history: the same storage as the app (issue #5).
import type { Command } from 'commander';
import {
  DRAFT_KINDS,
  HISTORY_KINDS,
  HISTORY_STATUSES,
  type DraftSummary,
  type HistoryKind,
  type HistoryProblem,
  type HistoryRecord,
  type HistoryStatus,
  type OutboxEntry,
} from '../../preload/contract';
import { draftFiles, draftReadiness, draftSecret } from '../core/drafts';
import { exitCodeFor, fail } from '../core/errors';
import { draftPassphraseAccount } from '../drafts/draft-sender';
import { sendDraftOrQueue, type DraftServices } from '../drafts/draft-services';
import { useEnvironmentSecretForOutbox, type CliContext, type CliServices } from './context';
import { commandAction, formatBytes, inert, jsonLine, printErr, succeed } from './output';
import { createProgressBar } from './progress';
import { readSecret } from './secret-input';

async function open(ctx: CliContext): Promise<{ services: CliServices; drafts: DraftServices }> {
  const services = await ctx.openServices();
  return { services, drafts: services.drafts };
}

/** The kind column is as wide as the longest kind, so the names after it line up whatever the kinds listed. */
const KIND_WIDTH = Math.max(...DRAFT_KINDS.map((kind) => kind.length));

function summaryLine(s: DraftSummary, profileName: string | undefined): string {
  const state = s.ready ? 'ready' : 'not ready';
  return `${inert(s.id)}  ${s.kind.padEnd(KIND_WIDTH)} ${inert(s.name)}  [${inert(profileName ?? s.profileId ?? 'no profile')}${s.appId ? `, app ${inert(s.appId)}` : ''}]  ${state}  ${inert(s.updatedAt)}`;
}

function entryLine(e: OutboxEntry): string {
  const why = e.lastError ? `  (${inert(e.lastError.message)})` : e.blockedReason === 'passphrase-needed' ? `  (needs the ${e.kind === 'wns-credentials' ? 'client secret' : 'passphrase'})` : '';
  return `${inert(e.id)}  ${e.state.padEnd(15)} ${inert(e.draftName)}  attempts ${e.attempts}${why}`;
}

function historyLine(r: HistoryRecord): string {
  const result = r.requestId ? `requestId ${inert(r.requestId)}` : inert(r.serverMessage ?? '');
  const files = r.files.map((f) => inert(f.name)).join(', ');
  return `${inert(r.at)}  ${r.status.padEnd(15)} ${inert(r.profileName)}  ${inert(r.endpoint)}  ${files}  ${result}`;
}

export function registerDraftsCommands(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const drafts = program.command('drafts').description('Drafts prepared in the app (or imported): list, show and send them');

  drafts
    .command('list')
    .description('List drafts, newest change first')
    .option('--search <text>', 'only drafts whose name, app, profile or file names contain the text')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (opts: { json?: boolean; search?: string }) => {
        const json = opts.json === true;
        const { services, drafts: d } = await open(ctx);
        const names = new Map(services.profiles.profiles().map((p) => [p.id, p.name]));
        const { drafts: list, problems } = await d.drafts.list({ ...(opts.search ? { query: opts.search } : {}), profileNames: names });
        const lines = list.length === 0 ? ['No drafts.'] : list.map((s) => summaryLine(s, s.profileId ? names.get(s.profileId) : undefined));
        for (const problem of problems) printErr(ctx, `Warning: ${inert(problem.message)} (moved to ${inert(problem.file)})`);
        setExit(succeed(ctx, json, { drafts: list, problems }, lines));
      }),
    );

  drafts
    .command('show')
    .description('Show one draft: target, files (with SHA-256) and what keeps it from being sent')
    .argument('<id>', 'draft id (see drafts list)')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (id: string, opts: { json?: boolean }) => {
        const json = opts.json === true;
        const { services, drafts: d } = await open(ctx);
        const draft = await d.drafts.get(id);
        const storage =
          draftSecret(draft) ? await services.secrets.storageOf(draftPassphraseAccount(draft.id)).catch(() => 'none' as const) : 'none';
        const profile = draft.profileId ? services.profiles.find(draft.profileId) : undefined;
        const readiness = draftReadiness(draft, {
          hasPassphrase: storage !== 'none',
          profileExists: draft.profileId ? profile !== undefined : undefined,
        });
        const files = await Promise.all(
          draftFiles(draft).map(async ({ role, file }) => ({ role, file, originalStatus: await d.drafts.fileStatus(file) })),
        );
        const lines = [
          `${inert(draft.name)} (${draft.kind}, revision ${draft.revision}, changed ${inert(draft.updatedAt)})`,
          `Profile: ${inert(profile?.name ?? draft.profileId ?? 'none')}${draft.appId ? `   App: ${inert(draft.appId)}` : ''}`,
          ...files.map(
            ({ role, file, originalStatus }) =>
              `  ${inert(role).padEnd(8)} ${inert(file.name)}  ${formatBytes(file.size)}  sha256 ${inert(file.sha256)}` +
              (originalStatus === 'unchanged' ? '' : `  (original ${originalStatus}: ${inert(file.originalPath)})`),
          ),
          readiness.ready ? `Ready to send${readiness.needsPassphrase ? ` (the ${draftSecret(draft)?.what ?? 'passphrase'} will be asked)` : ''}.` : 'Not ready:',
          ...readiness.problems.map((p) => `  - ${inert(p)}`),
        ];
        setExit(succeed(ctx, json, { draft, readiness, files }, lines));
      }),
    );

  drafts
    .command('send')
    .description('Send a draft; if the server cannot be reached it goes to the outbox')
    .argument('<id>', 'draft id (see drafts list)')
    .option('--passphrase-stdin', 'read the certificate passphrase from standard input')
    .option('--client-secret-stdin', 'read the WNS client secret from standard input (a WNS credentials draft)')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (id: string, opts: { json?: boolean; passphraseStdin?: boolean; clientSecretStdin?: boolean }) => {
        const json = opts.json === true;
        const { services, drafts: d } = await open(ctx);
        const draft = await d.drafts.get(id);
        // ENGAGEMENT_DESK_SECRET is the secret of the draft's own profile, as --profile's for the other commands.
        if (draft.profileId) await ctx.openServicesFor(draft.profileId);
        // The draft's secret (a certificate passphrase or a WNS client secret) is never in the draft: remembered in
        // the keychain, else read here.
        let passphrase: string | undefined;
        const secret = draftSecret(draft);
        if (secret) {
          const flag = secret.what === 'client secret' ? '--client-secret-stdin' : '--passphrase-stdin';
          const fromStdin = (secret.what === 'client secret' ? opts.clientSecretStdin : opts.passphraseStdin) === true;
          const remembered = secret.remembered && (await services.secrets.storageOf(draftPassphraseAccount(draft.id)).catch(() => 'none')) !== 'none';
          if (fromStdin || !remembered) {
            passphrase = await readSecret(ctx, {
              fromStdin,
              prompt: secret.what === 'client secret' ? 'WNS client secret: ' : 'Certificate passphrase: ',
              flag,
              required: true,
            });
          }
        }
        const bar = !json && ctx.stderrIsTTY ? createProgressBar((s) => ctx.stderr(s), 'Sending') : undefined;
        const result = await sendDraftOrQueue(d, draft, {
          ...(bar ? { onProgress: (p) => bar.update(p) } : {}),
          ...(passphrase !== undefined ? { passphrase } : {}),
          source: 'cli',
        });
        bar?.finish();
        if (result.status === 'sent') {
          setExit(succeed(ctx, json, { result }, `Sent. ${inert(result.message)}${result.requestId ? ` (requestId ${inert(result.requestId)})` : ''}`));
        } else {
          // Not delivered (yet): a network exit code, with the result on stdout for scripts.
          if (json) ctx.stdout(jsonLine({ ok: false, result }));
          else printErr(ctx, inert(result.message));
          setExit(exitCodeFor('network'));
        }
      }),
    );

  const outbox = program.command('outbox').description('Drafts waiting for the server');

  outbox
    .command('list')
    .description('List outbox entries and their state')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (opts: { json?: boolean }) => {
        const json = opts.json === true;
        const { drafts: d } = await open(ctx);
        const view = await d.outbox.list();
        const lines = [
          ...(view.paused ? ['Automatic sending is paused.'] : []),
          ...(view.entries.length === 0 ? ['The outbox is empty.'] : view.entries.map(entryLine)),
        ];
        setExit(succeed(ctx, json, { outbox: view }, lines));
      }),
    );

  outbox
    .command('flush')
    .description('Send every queued entry now (entries of unknown outcome are left for you to decide in the app)')
    .option('--profile <name>', 'the profile whose secret ENGAGEMENT_DESK_SECRET gives (needed when entries use several)')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (opts: { json?: boolean; profile?: string }) => {
        const json = opts.json === true;
        const { drafts: d } = await open(ctx);
        await useEnvironmentSecretForOutbox(ctx, d, opts.profile);
        const result = await d.outbox.flush({ source: 'cli' });
        const line = `Sent ${result.sent}, failed ${result.failed}, outcome unknown ${result.outcomeUnknown}, still queued ${result.stillQueued}.`;
        if (result.failed + result.outcomeUnknown + result.stillQueued === 0) {
          setExit(succeed(ctx, json, { result }, line));
        } else {
          if (json) ctx.stdout(jsonLine({ ok: false, result }));
          else printErr(ctx, line);
          setExit(result.stillQueued > 0 || result.outcomeUnknown > 0 ? exitCodeFor('network') : 1);
        }
      }),
    );

  program
    .command('history')
    .description('Show the send history, newest first')
    .option('--profile <name>', 'only sends to this profile (name or id)')
    .option('--kind <kind>', `only this kind of send: ${HISTORY_KINDS.join('|')}`)
    .option('--status <status>', `only this status: ${HISTORY_STATUSES.join('|')}`)
    .option('--limit <n>', 'at most this many rows')
    .option('--csv <file>', 'write the (filtered) history to a CSV file')
    .option('--json', 'print one JSON object')
    .action(
      commandAction(ctx, setExit, async (opts: { json?: boolean; profile?: string; kind?: string; status?: string; limit?: string; csv?: string }) => {
        const json = opts.json === true;
        if (opts.kind && !HISTORY_KINDS.includes(opts.kind as HistoryKind)) {
          fail('validation', `--kind must be one of ${HISTORY_KINDS.join(', ')} (got "${opts.kind}").`);
        }
        if (opts.status && !HISTORY_STATUSES.includes(opts.status as HistoryStatus)) {
          fail('validation', `--status must be one of ${HISTORY_STATUSES.join(', ')} (got "${opts.status}").`);
        }
        const limit = opts.limit === undefined ? undefined : Number(opts.limit);
        if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) fail('validation', '--limit must be a positive whole number.');
        const { drafts: d } = await open(ctx);
        const filter = {
          ...(opts.profile ? { profile: opts.profile } : {}),
          ...(opts.kind ? { kind: opts.kind as HistoryKind } : {}),
          ...(opts.status ? { status: opts.status as HistoryStatus } : {}),
        };
        if (opts.csv) {
          const count = await d.history.export(opts.csv, 'csv', filter);
          const { skippedLines, problems } = await d.history.all();
          reportHistoryProblems(ctx, skippedLines, problems);
          setExit(succeed(ctx, json, { path: opts.csv, count, skippedLines, problems }, `Wrote ${count} record(s) to ${inert(opts.csv)}.`));
          return;
        }
        const result = await d.history.query({ ...filter, ...(limit ? { limit } : {}) });
        reportHistoryProblems(ctx, result.skippedLines, result.problems);
        const lines = result.records.length === 0 ? ['No sends recorded.'] : result.records.map(historyLine);
        setExit(
          succeed(ctx, json, { records: result.records, total: result.total, skippedLines: result.skippedLines, problems: result.problems }, lines),
        );
      }),
    );
}

/** Unreadable history lines, on stderr like a quarantined draft (--json keeps its one object on stdout, with them). */
function reportHistoryProblems(ctx: CliContext, skippedLines: number, problems: HistoryProblem[]): void {
  for (const problem of problems) printErr(ctx, `Warning: ${inert(problem.message)}`);
  const unlisted = skippedLines - problems.length;
  if (unlisted > 0) printErr(ctx, `Warning: ${unlisted} more unreadable line(s) in the send history were not shown either.`);
}
