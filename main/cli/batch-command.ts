// `engagement-desk pass update ... --batch recipients.csv`: one pass update per CSV row, each addressed to that
// row's recipient only, sent with bounded concurrency over the profile's keep-alive pool. The files are checked
// once up front (not once per recipient); every row ends with its own result; Ctrl-C stops starting new sends
// and lets the ones in flight finish (a second Ctrl-C cancels them), so no row is left half-recorded.
import type { PassImage, PassUpdateResult } from '../../preload/contract';
import { DEFAULT_BATCH_CONCURRENCY, type BatchItemResult } from '../sending/batch';
import { exitCodeFor, fail } from '../core/errors';
import { passContentForRecipient, type Recipient } from '../core/recipients-csv';
import { readRecipientsFile } from '../sending/recipients-file';
import { tuneV8ForShortBursts } from '../runtime-tuning';
import type { CliContext } from './context';
import { failWith, inert, jsonLine } from './output';
import { readPassContentFile } from './pass-content-file';

/** More than this many in flight only queues inside the connection pool (16 sockets per origin). */
export const MAX_BATCH_CONCURRENCY = 64;

export interface PassBatchOptions {
  /** --profile, absent for a profile from the environment (ENGAGEMENT_DESK_URL). */
  profile: string | undefined;
  pkPassPath: string;
  contentPath: string;
  images: PassImage[];
  csvPath: string;
  concurrency?: string;
  skipChecks: boolean;
  json: boolean;
  /** Issue new passes (`pass issue --batch`) instead of updating scheduled ones. */
  issue?: boolean;
}

interface RowResult {
  index: number;
  line: number;
  id: string;
  ok: boolean;
  status: 'done' | 'failed' | 'skipped';
  requestId?: string;
  description?: string;
  error?: { code: string; message: string; httpStatus?: number };
  durationMs: number;
}


export function parseConcurrency(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_BATCH_CONCURRENCY;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_BATCH_CONCURRENCY) {
    fail('validation', `--concurrency takes a whole number from 1 to ${MAX_BATCH_CONCURRENCY} (got "${raw}").`);
  }
  return value;
}

/** Runs the batch and prints its results; answers the exit code. */
export async function runPassUpdateBatch(ctx: CliContext, options: PassBatchOptions): Promise<number> {
  // A burst of sends is what the V8 tuning is for; a one-shot command neither needs it nor loads node:v8 for it.
  tuneV8ForShortBursts();
  const { json } = options;
  let recipients: Recipient[];
  let passContent: unknown;
  let concurrency: number;
  try {
    concurrency = parseConcurrency(options.concurrency);
    recipients = await readRecipientsFile(options.csvPath);
    passContent = await readPassContentFile(options.contentPath);
    const { services } = await ctx.openSendServices(options.profile);
    await services.actions.checkPassUpdate({
      pkPassPath: options.pkPassPath,
      images: options.images,
      passContent: passContentForRecipient(passContent, recipients[0]!.id),
      skipChecks: options.skipChecks === true,
    });
  } catch (error) {
    return failWith(ctx, json, error);
  }

  const stop = new AbortController();
  const hardStop = new AbortController();
  const onSigint = () => {
    if (!stop.signal.aborted) {
      stop.abort();
      ctx.stderr('\nStopping: no new sends; waiting for those in flight (Ctrl-C again to cancel them).\n');
    } else {
      hardStop.abort();
    }
  };
  process.on('SIGINT', onSigint);
  const bar = ctx.stderrIsTTY && !json ? createBatchProgress((t) => ctx.stderr(t), recipients.length) : undefined;

  let outcome;
  try {
    const { services, profile } = await ctx.openSendServices(options.profile);
    services.profiles.require(profile);
    outcome = await services.actions.sendPassBatch(
      {
        profile,
        pkPassPath: options.pkPassPath,
        images: options.images,
        passContent,
        recipientIds: recipients.map((r) => r.id),
        ...(options.issue ? { issue: true } : {}),
      },
      {
        concurrency,
        signal: stop.signal,
        cancelSignal: hardStop.signal,
        onItem: (result) => bar?.update(result),
      },
    );
  } catch (error) {
    return failWith(ctx, json, error);
  } finally {
    process.off('SIGINT', onSigint);
    bar?.finish();
  }

  const rows = outcome.results.map((result) => toRow(result, recipients[result.index]!));
  const allOk = outcome.summary.failed === 0 && outcome.summary.skipped === 0;
  if (json) {
    ctx.stdout(jsonLine({ ok: allOk, results: rows, summary: outcome.summary }));
  } else {
    ctx.stdout(formatTable(rows));
    const { sent, failed, skipped } = outcome.summary;
    const line = `Sent ${sent} of ${rows.length}${failed ? `, ${failed} failed` : ''}${skipped ? `, ${skipped} skipped (stopped)` : ''}.\n`;
    (allOk ? ctx.stdout : ctx.stderr)(line);
  }
  const firstFailure = outcome.results.find((r) => r.status === 'failed');
  if (firstFailure && !firstFailure.ok) return exitCodeFor(firstFailure.error.code);
  return outcome.summary.skipped > 0 ? exitCodeFor('cancelled') : 0;
}

function toRow(result: BatchItemResult<PassUpdateResult>, recipient: Recipient): RowResult {
  const base = { index: result.index, line: recipient.line, id: recipient.id, ok: result.ok, status: result.status, durationMs: Math.round(result.durationMs) };
  if (result.ok) return { ...base, requestId: result.value.requestId, description: result.value.description };
  return {
    ...base,
    error: { code: result.error.code, message: result.error.message, ...(result.error.httpStatus !== undefined ? { httpStatus: result.error.httpStatus } : {}) },
  };
}

function formatTable(rows: RowResult[]): string {
  const cells = rows.map((r) => [
    String(r.line),
    inert(r.id),
    r.status === 'done' ? 'sent' : r.status,
    // The server's words, escaped before the widths are measured so the columns stay aligned.
    inert(r.ok ? `requestId ${r.requestId ?? ''}` : (r.error?.message ?? '')),
  ]);
  const header = ['line', 'recipient', 'result', 'detail'];
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...cells.map((c) => c[i]!.length))));
  const fmt = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  return `${[fmt(header), ...cells.map(fmt)].join('\n')}\n`;
}

/** One line on a terminal's stderr: items done of total, failures so far. */
export function createBatchProgress(write: (text: string) => void, total: number, now: () => number = Date.now) {
  let done = 0;
  let failed = 0;
  let lastDraw = 0;
  let drawn = false;
  const draw = () => {
    const width = 24;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    write(`\rSending [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}${failed ? ` (${failed} failed)` : ''}   `);
    drawn = true;
  };
  return {
    update(result: BatchItemResult<unknown>) {
      done++;
      if (result.status !== 'done') failed += result.status === 'failed' ? 1 : 0;
      const t = now();
      if (done < total && t - lastDraw < 100) return;
      lastDraw = t;
      draw();
    },
    finish() {
      if (drawn) write('\n');
    },
  };
}
