// The three operations as a user starts them, shared by the IPC handlers, the CLI and the drafts outbox: local
// checks first (errors block the send, warnings do not), then the call through the profile's client, every send
// recorded in the history by the one SendRecorder (send-record.ts).
import type { CertDownloadResult, CertUploadResult, CheckReport, PassImage, PassUpdateResult, Profile } from '../../preload/contract';
import { fail } from '../core/errors';
import { appIdProblem, ENDPOINT_LABELS } from '../core/server-url';
import { passContentForRecipient } from '../core/recipients-csv';
import { runBatch, type BatchOptions, type BatchOutcome } from './batch';
import type { EngagementClient, TransferOptions } from '../server/engagement-client';
import { ADMIN_ENDPOINT_LABELS, ADMIN_PATHS } from '../server/admin-endpoints';
import { preloadSmallFiles } from '../server/multipart';
import type { SendOrigin, SendRecorder } from './send-record';
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
  /** Issue a new pass (`/message/pass/import`) instead of updating scheduled ones: passes already sent need this. */
  issue?: boolean;
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

/** A profile and its client, looked up once for the many sends of a batch. */
interface SendTarget {
  profile: Profile;
  client: EngagementClient;
}

export class EngagementActions {
  constructor(
    private readonly profiles: ProfileService,
    /** The one road from a send to its history line; the drafts send through it too. */
    readonly recorder: SendRecorder,
  ) {}

  /** `origin`: who asked, when it is not this process's front end (a draft, the outbox). */
  async uploadCertificate(input: CertUploadInput, transfer: TransferOptions = {}, origin?: SendOrigin): Promise<CertUploadResult> {
    const appId = input.appId.trim();
    return this.recorder.record(
      {
        kind: 'cert-upload',
        profile: input.profile,
        endpoint: ENDPOINT_LABELS['cert-upload'],
        appId,
        files: [{ role: 'certificate', path: input.certPath }],
        ...(origin ? { origin } : {}),
      },
      transfer,
      {
        check: async () => {
          checkAppId(input.appId);
          if (input.skipChecks) return;
          const name = input.certFileName ? { name: input.certFileName } : {};
          refuseOnErrors(await checkFile({ path: input.certPath, kind: 'p12', passphrase: input.passphrase, ...name }), 'The certificate was not uploaded');
        },
        send: async (t) => {
          const client = await this.profiles.clientFor(input.profile);
          const cert = { path: input.certPath, ...(input.certFileName ? { fileName: input.certFileName } : {}) };
          const result = await client.uploadMpnsCertificate(appId, cert, input.passphrase, t);
          return { result, message: result.message };
        },
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
    // The passContent checker (its zod schema) loads for pass sends only, not for every command that sends.
    const { checkPassContent } = await import('../core/pass-content');
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
   * `origin`: as for uploadCertificate. `target`: the profile and its client, looked up once for a whole batch.
   */
  async updatePass(
    input: PassUpdateInput & { prechecked?: boolean },
    transfer: TransferOptions = {},
    origin?: SendOrigin,
    target?: SendTarget,
  ): Promise<PassUpdateResult> {
    return this.recorder.record(
      {
        kind: 'pass-update',
        profile: target?.profile ?? input.profile,
        endpoint: input.issue ? ADMIN_ENDPOINT_LABELS['pass-issue'] : ENDPOINT_LABELS['pass-update'],
        files: [{ role: 'pkPass', path: input.pkPassPath }, ...input.images.map((i) => ({ role: `image:${i.fieldName}`, path: i.path }))],
        ...(origin ? { origin } : {}),
      },
      transfer,
      {
        check: () => this.checkPassUpdate({ ...input, skipChecks: input.skipChecks === true || input.prechecked === true }),
        send: async (t) => {
          const client = target?.client ?? (await this.profiles.clientFor(input.profile));
          const pkPass = { path: input.pkPassPath, ...(input.pkPassFileName ? { fileName: input.pkPassFileName } : {}) };
          const result = input.issue
            ? await client.updatePassWithImport(pkPass, input.images, input.passContent, t, ADMIN_PATHS.passImport())
            : await client.updatePassWithImport(pkPass, input.images, input.passContent, t);
          return { result, message: result.description, requestId: result.requestId };
        },
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
            ...(input.issue ? { issue: true } : {}),
          },
          { signal, preloaded, onAnswered: release },
          undefined,
          target,
        ),
      options,
    );
  }
}
