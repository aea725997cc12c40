// The three operations as a user starts them, shared by the IPC handlers, the CLI and the drafts outbox: local
// checks first (errors block the send, warnings do not), then the call through the profile's client.
import { basename } from 'node:path';
import type {
  CertDownloadResult,
  CertUploadResult,
  CheckReport,
  DraftKind,
  HistoryFileRecord,
  HistoryRecord,
  PassImage,
  PassUpdateResult,
  Profile,
} from '../../preload/contract';
import { classifySendFailure } from '../core/drafts';
import { fail, toAppError } from '../core/errors';
import { appIdProblem, ENDPOINT_LABELS } from '../core/server-url';
import { checkPassContent } from '../core/pass-content';
import { passContentForRecipient } from '../core/recipients-csv';
import { runBatch, type BatchOptions, type BatchOutcome } from './batch';
import type { EngagementClient, TransferOptions } from '../server/engagement-client';
import { preloadSmallFiles } from '../server/multipart';
import type { checkFile as CheckFile } from '../checks/file-checks';
import type { ProfileService } from '../profiles/profile-service';

/** Multipart names the pass import uses itself; an image may not take them. */
const RESERVED_PART_NAMES = new Set(['pkpass', 'passcontent']);

export interface CertUploadInput {
  profile: string;
  appId: string;
  certPath: string;
  passphrase: string;
  /** The name the server is told, when the path's own is not the file's (a draft's stored copy). */
  certFileName?: string;
  /** Send even when the local checks find errors (the CLI's --skip-checks). */
  skipChecks?: boolean;
}

export interface CertDownloadInput {
  profile: string;
  appId: string;
  destination: string;
}

/** An image to send; `fileName` as for the .pkpass. */
export type PassImageToSend = PassImage & { fileName?: string };

export interface PassUpdateInput {
  profile: string;
  pkPassPath: string;
  /** The name the server is told, when the path's own is not the file's (a draft's stored copy). */
  pkPassFileName?: string;
  images: PassImageToSend[];
  passContent: unknown;
  skipChecks?: boolean;
}

/** Throws a validation error naming the first blocking problem of a report, with the count of the rest. */
export function refuseOnErrors(report: CheckReport, what: string): void {
  const errors = report.issues.filter((issue) => issue.severity === 'error');
  if (errors.length === 0) return;
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  const said = (first?.message ?? '').replace(/\.\s*$/, '');
  fail('validation', `${what}: ${first?.path ? `${first.path}: ` : ''}${said}${more}. Nothing was sent.`, {
    detail: errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('\n'),
  });
}

export function checkImageFieldNames(images: PassImage[]): void {
  const seen = new Set<string>();
  for (const image of images) {
    const key = image.fieldName.trim().toLowerCase();
    if (RESERVED_PART_NAMES.has(key)) {
      fail('validation', `The image field name "${image.fieldName}" is used by the pass import itself. Choose another name.`);
    }
    if (seen.has(key)) fail('validation', `Two images use the field name "${image.fieldName}". Give each image its own name.`);
    seen.add(key);
  }
}

function checkAppId(appId: string): void {
  const problem = appIdProblem(appId.trim());
  if (problem) fail('validation', `${problem} Nothing was sent.`);
}

/** The file checkers (PKCS#12, zip and PNG readers) load on first use, so a download does not carry them. */
const checkFile: typeof CheckFile = async (request) => (await import('../checks/file-checks')).checkFile(request);

/** Where direct sends are recorded (the HistoryStore); drafts record their own sends with the draft's name. */
export interface SendRecorder {
  append(record: Omit<HistoryRecord, 'id' | 'at'>): Promise<unknown>;
}

/** A profile and its client, looked up once for the many sends of a batch. */
interface SendTarget {
  profile: Profile;
  client: EngagementClient;
}

export interface ActionsOptions {
  history?: SendRecorder;
  source?: HistoryRecord['source'];
}

export class EngagementActions {
  constructor(
    private readonly profiles: ProfileService,
    private readonly options: ActionsOptions = {},
  ) {}

  async uploadCertificate(input: CertUploadInput, transfer: TransferOptions = {}): Promise<CertUploadResult> {
    checkAppId(input.appId);
    if (!input.skipChecks) {
      const name = input.certFileName ? { name: input.certFileName } : {};
      refuseOnErrors(await checkFile({ path: input.certPath, kind: 'p12', passphrase: input.passphrase, ...name }), 'The certificate was not uploaded');
    }
    const appId = input.appId.trim();
    return this.recorded(
      { kind: 'cert-upload', profile: input.profile, endpoint: ENDPOINT_LABELS['cert-upload'], appId },
      [{ role: 'certificate', path: input.certPath }],
      transfer,
      async (t) => {
        const client = await this.profiles.clientFor(input.profile);
        const cert = { path: input.certPath, ...(input.certFileName ? { fileName: input.certFileName } : {}) };
        const result = await client.uploadMpnsCertificate(appId, cert, input.passphrase, t);
        return { result, message: result.message };
      },
    );
  }

  async downloadCertificate(input: CertDownloadInput, transfer: TransferOptions = {}): Promise<CertDownloadResult> {
    checkAppId(input.appId);
    const client = await this.profiles.clientFor(input.profile);
    return client.downloadMpnsCertificate(input.appId.trim(), input.destination, transfer);
  }

  /**
   * The checks before a pass update: image field names, the passContent, and (unless skipped) the .pkpass and
   * every image. A batch runs this once, with the first recipient's content, before sending to all.
   */
  async checkPassUpdate(input: Omit<PassUpdateInput, 'profile'>): Promise<void> {
    checkImageFieldNames(input.images);
    refuseOnErrors(checkPassContent(input.passContent), 'The pass content has problems');
    if (input.skipChecks) return;
    refuseOnErrors(await checkFile({ path: input.pkPassPath, kind: 'pkpass', ...(input.pkPassFileName ? { name: input.pkPassFileName } : {}) }), 'The pass was not sent');
    for (const image of input.images) {
      refuseOnErrors(
        await checkFile({ path: image.path, kind: 'image', role: image.fieldName, ...(image.fileName ? { name: image.fileName } : {}) }),
        `The image "${image.fieldName}" was not sent`,
      );
    }
  }

  /**
   * `prechecked`: checkPassUpdate already ran for this content's files (batch sends); only the content is checked.
   * `target`: the profile and its client, looked up once for a whole batch.
   */
  async updatePass(input: PassUpdateInput & { prechecked?: boolean }, transfer: TransferOptions = {}, target?: SendTarget): Promise<PassUpdateResult> {
    await this.checkPassUpdate({ ...input, skipChecks: input.skipChecks === true || input.prechecked === true });
    return this.recorded(
      { kind: 'pass-update', profile: target?.profile ?? input.profile, endpoint: ENDPOINT_LABELS['pass-update'] },
      [{ role: 'pkPass', path: input.pkPassPath }, ...input.images.map((i) => ({ role: `image:${i.fieldName}`, path: i.path }))],
      transfer,
      async (t) => {
        const client = target?.client ?? (await this.profiles.clientFor(input.profile));
        const pkPass = { path: input.pkPassPath, ...(input.pkPassFileName ? { fileName: input.pkPassFileName } : {}) };
        const result = await client.updatePassWithImport(pkPass, input.images, input.passContent, t);
        return { result, message: result.description, requestId: result.requestId };
      },
    );
  }

  /**
   * One pass update per recipient, each addressed to that recipient alone (the app's batch and the CLI's --batch).
   * The files are read once for the whole batch; the caller has checked them once (checkPassUpdate) for the first
   * recipient, and each send still validates its own content. A send hands its slot to the next one as soon as its
   * answer is in, while its history line is written (see runBatch). Like its files, the batch takes its profile as
   * it is at the start: a profile that does not exist fails the batch before anything is sent.
   */
  async sendPassBatch(
    input: Omit<PassUpdateInput, 'skipChecks'> & { recipientIds: readonly string[] },
    options: BatchOptions<PassUpdateResult> = {},
  ): Promise<BatchOutcome<PassUpdateResult>> {
    const profile = this.profiles.require(input.profile);
    const target: SendTarget = { profile, client: await this.profiles.clientOf(profile) };
    const preloaded = await preloadSmallFiles([input.pkPassPath, ...input.images.map((i) => i.path)]);
    return runBatch(
      input.recipientIds,
      (recipientId, signal, _index, release) =>
        this.updatePass(
          {
            profile: input.profile,
            pkPassPath: input.pkPassPath,
            images: input.images,
            passContent: passContentForRecipient(input.passContent, recipientId),
            prechecked: true,
          },
          { signal, preloaded, onAnswered: release },
          target,
        ),
      options,
    );
  }

  /** Runs a send and appends its outcome to the history (when there is one), with what exactly went out. */
  private async recorded<T>(
    what: { kind: DraftKind; profile: string | Profile; endpoint: string; appId?: string },
    files: Array<{ role: string; path: string }>,
    transfer: TransferOptions,
    send: (transfer: TransferOptions) => Promise<{ result: T; message: string; requestId?: string }>,
  ): Promise<T> {
    const history = this.options.history;
    if (!history) return (await send(transfer)).result;
    const started = Date.now();
    let bodyStarted = false;
    let sentFiles: HistoryFileRecord[] | undefined;
    const profile = typeof what.profile === 'string' ? this.profiles.find(what.profile) : what.profile;
    const named = typeof what.profile === 'string' ? what.profile : what.profile.id;
    const base = {
      kind: what.kind,
      source: this.options.source ?? 'app',
      profileId: profile?.id ?? named,
      profileName: profile?.name ?? named,
      endpoint: what.endpoint,
      ...(what.appId ? { appId: what.appId } : {}),
    };
    const attempted = (): HistoryFileRecord[] =>
      sentFiles ?? files.map((f) => ({ role: f.role, name: basename(f.path), sha256: '', size: 0 }));
    try {
      const outcome = await send({
        ...transfer,
        onProgress: (p) => {
          if (p.direction === 'upload' && p.transferred > 0) bodyStarted = true;
          transfer.onProgress?.(p);
        },
        onFilesSent: (sent) => {
          sentFiles = sent.map((f, i) => ({ role: files[i]?.role ?? f.field, name: f.name, sha256: f.sha256, size: f.size }));
          transfer.onFilesSent?.(sent);
        },
      });
      transfer.onAnswered?.();
      await history.append({
        ...base,
        files: attempted(),
        status: 'sent',
        serverMessage: outcome.message.trim(),
        ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
        durationMs: Date.now() - started,
      });
      return outcome.result;
    } catch (error) {
      const appErr = toAppError(error);
      // Local refusals (validation, missing files) never reached the server: they are not sends.
      if (appErr.code !== 'validation' && appErr.code !== 'file') {
        transfer.onAnswered?.();
        const verdict = classifySendFailure(appErr, bodyStarted);
        await history
          .append({
            ...base,
            files: attempted(),
            status: appErr.code === 'cancelled' ? 'cancelled' : verdict,
            ...(appErr.httpStatus !== undefined ? { httpStatus: appErr.httpStatus } : {}),
            errorCode: appErr.code,
            serverMessage: appErr.detail && appErr.httpStatus ? appErr.detail : appErr.message,
            durationMs: Date.now() - started,
          })
          .catch(() => undefined);
      }
      throw error;
    }
  }
}
