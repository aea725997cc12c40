// The three operations as a user starts them, shared by the IPC handlers, the CLI and the drafts outbox: local
// checks first (errors block the send, warnings do not), then the call through the profile's client.
import type {
  CertDownloadResult,
  CertUploadResult,
  CheckReport,
  PassImage,
  PassUpdateResult,
} from '../../preload/contract';
import { fail } from '../core/errors';
import { checkPassContent } from '../core/pass-content';
import type { TransferOptions } from './engagement-client';
import { checkFile } from './file-checks';
import type { ProfileService } from './profiles';

/** Multipart names the pass import uses itself; an image may not take them. */
const RESERVED_PART_NAMES = new Set(['pkpass', 'passcontent']);

export interface CertUploadInput {
  profile: string;
  appId: string;
  certPath: string;
  passphrase: string;
  /** Send even when the local checks find errors (the CLI's --skip-checks). */
  skipChecks?: boolean;
}

export interface CertDownloadInput {
  profile: string;
  appId: string;
  destination: string;
}

export interface PassUpdateInput {
  profile: string;
  pkPassPath: string;
  images: PassImage[];
  passContent: unknown;
  skipChecks?: boolean;
}

/** Throws a validation error naming the first blocking problem of a report, with the count of the rest. */
export function refuseOnErrors(report: CheckReport, what: string): void {
  const errors = report.issues.filter((issue) => issue.severity === 'error');
  if (errors.length === 0) return;
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  fail('validation', `${what}: ${first?.path ? `${first.path}: ` : ''}${first?.message}${more}. Nothing was sent.`, {
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

export class EngagementActions {
  constructor(private readonly profiles: ProfileService) {}

  async uploadCertificate(input: CertUploadInput, transfer: TransferOptions = {}): Promise<CertUploadResult> {
    if (!input.skipChecks) {
      refuseOnErrors(await checkFile({ path: input.certPath, kind: 'p12', passphrase: input.passphrase }), 'The certificate was not uploaded');
    }
    const client = await this.profiles.clientFor(input.profile);
    return client.uploadMpnsCertificate(input.appId.trim(), input.certPath, input.passphrase, transfer);
  }

  async downloadCertificate(input: CertDownloadInput, transfer: TransferOptions = {}): Promise<CertDownloadResult> {
    const client = await this.profiles.clientFor(input.profile);
    return client.downloadMpnsCertificate(input.appId.trim(), input.destination, transfer);
  }

  async updatePass(input: PassUpdateInput, transfer: TransferOptions = {}): Promise<PassUpdateResult> {
    checkImageFieldNames(input.images);
    refuseOnErrors(checkPassContent(input.passContent), 'The pass content has problems');
    if (!input.skipChecks) {
      refuseOnErrors(await checkFile({ path: input.pkPassPath, kind: 'pkpass' }), 'The pass was not sent');
      for (const image of input.images) {
        refuseOnErrors(
          await checkFile({ path: image.path, kind: 'image', role: image.fieldName }),
          `The image "${image.fieldName}" was not sent`,
        );
      }
    }
    const client = await this.profiles.clientFor(input.profile);
    return client.updatePassWithImport(input.pkPassPath, input.images, input.passContent, transfer);
  }
}
