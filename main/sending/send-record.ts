// The one road from a send to its history line (issue #15). Every send goes out through SendRecorder.record: a
// direct send from the app or the CLI, each pass of a batch, a draft sent now or from the outbox. Only this module
// decides what a line says (who, what, which files, how it ended), so all of them read alike in the History.
import { basename } from 'node:path';
import type { HistoryFileRecord, HistoryKind, HistoryRecord, Profile } from '../../preload/contract';
import { classifySendFailure } from '../core/send-failure';
import { toAppError } from '../core/errors';
import { redactValue } from '../core/secret-redaction';
import type { TransferOptions } from '../server/engagement-client';
import type { ProfileService } from '../profiles/profile-service';

export type SendStatus = HistoryRecord['status'];

/** Where the lines are written (the HistoryStore). */
export interface HistoryWriter {
  append(record: Omit<HistoryRecord, 'id' | 'at'>): Promise<{ id: string }>;
}

/** A send made from a saved draft: its line names the draft and describes the files as the draft stores them. */
export interface DraftOrigin {
  id: string;
  name: string;
  files: HistoryFileRecord[];
  /** When the draft's send began (before its stored copies were verified): the line's duration counts from here. */
  startedAt: number;
}

/** Who asked for the send. Absent for a direct send from this process's own front end (the app or the CLI). */
export interface SendOrigin {
  source?: HistoryRecord['source'];
  draft?: DraftOrigin;
  /** The send has ended this way; called before its line is written. */
  onSettled?: (status: SendStatus) => void;
  /** The line is written, under this id. */
  onRecorded?: (historyId: string) => void;
}

/** What is being sent, as the line will name it. */
export interface SendSubject {
  kind: HistoryKind;
  /** A profile id or name (looked up for the line), or the profile itself (a batch looks it up once). */
  profile: string | Profile;
  endpoint: string;
  appId?: string;
  /** The files as given to the send; the line describes them as they went out (onFilesSent). */
  files: ReadonlyArray<{ role: string; path: string }>;
  origin?: SendOrigin;
  /** Secrets of this send (a WNS client secret): cut out of its line wherever a server's words echo them. */
  secrets?: readonly string[];
}

export interface SendAnswer<T> {
  result: T;
  /** The server's words, as the line keeps them. */
  message: string;
  requestId?: string;
}

export interface SendSteps<T> {
  /** Local checks before anything goes out. */
  check?: () => Promise<void>;
  send: (transfer: TransferOptions) => Promise<SendAnswer<T>>;
}

export class SendRecorder {
  constructor(
    private readonly options: {
      history: HistoryWriter;
      profiles: Pick<ProfileService, 'find'>;
      /** Whose sends these are when the origin does not say (the app's or the CLI's). */
      source: HistoryRecord['source'];
      /** Cuts a secret given for this run (the CLI's ENGAGEMENT_DESK_SECRET) out of every line. */
      redact?: <R>(record: R) => R;
    },
  ) {}

  /** The one place a history line is written. */
  private write(record: Parameters<HistoryWriter['append']>[0], secrets: readonly string[] = []): ReturnType<HistoryWriter['append']> {
    const redact = this.options.redact;
    const own = secrets.reduce((line, secret) => redactValue(line, secret), record);
    return this.options.history.append(redact ? redact(own) : own);
  }

  /**
   * Runs a send and writes its one line, with what exactly went out. A direct send refused locally (a check, a
   * validation or file error) never reached the server, so it is no send and has no line; a draft the user asked to
   * send has one either way, so the History shows why it did not go.
   */
  async record<T>(subject: SendSubject, transfer: TransferOptions, steps: SendSteps<T>): Promise<T> {
    const draft = subject.origin?.draft;
    try {
      await steps.check?.();
    } catch (error) {
      if (draft) await this.failed(subject, error, false, draft.startedAt);
      throw error;
    }
    const started = draft?.startedAt ?? Date.now();
    let bodyStarted = false;
    let sentFiles: HistoryFileRecord[] | undefined;
    try {
      const answer = await steps.send({
        ...transfer,
        onProgress: (p) => {
          if (p.direction === 'upload' && p.transferred > 0) bodyStarted = true;
          transfer.onProgress?.(p);
        },
        // A draft knows its files already (content-addressed copies), so they are not hashed again on the way out.
        ...(draft && !transfer.onFilesSent
          ? {}
          : {
              onFilesSent: (sent: Parameters<NonNullable<TransferOptions['onFilesSent']>>[0]) => {
                sentFiles = sent.map((f, i) => ({ role: subject.files[i]?.role ?? f.field, name: f.name, sha256: f.sha256, size: f.size }));
                transfer.onFilesSent?.(sent);
              },
            }),
      });
      transfer.onAnswered?.();
      subject.origin?.onSettled?.('sent');
      const line = await this.write({
        ...this.lineHead(subject),
        files: this.files(subject, sentFiles),
        status: 'sent',
        serverMessage: answer.message.trim(),
        ...(answer.requestId ? { requestId: answer.requestId } : {}),
        durationMs: Date.now() - started,
      }, subject.secrets);
      subject.origin?.onRecorded?.(line.id);
      return answer.result;
    } catch (error) {
      await this.failed(subject, error, bodyStarted, started, sentFiles, transfer);
      throw error;
    }
  }

  /** Writes the line of a send that failed (unless it is a direct send refused locally). Never throws. */
  private async failed(
    subject: SendSubject,
    error: unknown,
    bodyStarted: boolean,
    started: number,
    sentFiles?: HistoryFileRecord[],
    transfer: TransferOptions = {},
  ): Promise<void> {
    const appErr = toAppError(error);
    const refused = appErr.code === 'validation' || appErr.code === 'file';
    if (refused && !subject.origin?.draft) return;
    if (!refused) transfer.onAnswered?.();
    const verdict = classifySendFailure(appErr, bodyStarted);
    // A draft's line says what the outbox makes of it: cancelled once its body had started, the outcome is unknown
    // and it is not sent again by itself. A direct send cancelled by the user is simply cancelled.
    const status: SendStatus =
      appErr.code !== 'cancelled' ? verdict : subject.origin?.draft && bodyStarted ? 'outcome-unknown' : 'cancelled';
    subject.origin?.onSettled?.(status);
    const line = await this
      .write({
        ...this.lineHead(subject),
        files: this.files(subject, sentFiles),
        status,
        ...(appErr.httpStatus !== undefined ? { httpStatus: appErr.httpStatus } : {}),
        errorCode: appErr.code,
        serverMessage: appErr.detail && appErr.httpStatus ? appErr.detail : appErr.message,
        durationMs: Date.now() - started,
      }, subject.secrets)
      .catch(() => undefined);
    if (line) subject.origin?.onRecorded?.(line.id);
  }

  private lineHead(subject: SendSubject) {
    const profile = typeof subject.profile === 'string' ? this.options.profiles.find(subject.profile) : subject.profile;
    const named = typeof subject.profile === 'string' ? subject.profile : subject.profile.id;
    const draft = subject.origin?.draft;
    return {
      kind: subject.kind,
      source: subject.origin?.source ?? this.options.source,
      profileId: profile?.id ?? named,
      profileName: profile?.name ?? named,
      endpoint: subject.endpoint,
      ...(subject.appId ? { appId: subject.appId } : {}),
      ...(draft ? { draftId: draft.id, draftName: draft.name } : {}),
    };
  }

  /** The draft's own description, else the parts as they went out, else (nothing went out) the names alone. */
  private files(subject: SendSubject, sentFiles: HistoryFileRecord[] | undefined): HistoryFileRecord[] {
    return (
      subject.origin?.draft?.files ??
      sentFiles ??
      subject.files.map((f) => ({ role: f.role, name: basename(f.path), sha256: '', size: 0 }))
    );
  }
}
