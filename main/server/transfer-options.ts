// What a caller hands the Engagement client with each upload or download: cancellation and the progress, answer and
// saved-file callbacks. Its own module so that the client's parts (the download to disk) can name it without
// importing the client back.
import type { PreloadedFiles, SentFile } from './multipart';

export interface TransferProgressUpdate {
  direction: 'upload' | 'download';
  transferred: number;
  total?: number;
}

export interface TransferOptions {
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgressUpdate) => void;
  /** Called after a successful upload with every file part as sent (hashed while streaming). */
  onFilesSent?: (files: SentFile[]) => void;
  /** File contents already read for these paths (see preloadSmallFiles): batch sends read each file once. */
  preloaded?: PreloadedFiles;
  /**
   * Called once the exchange with the server is over (answered, failed or cancelled), before the outcome is
   * recorded: a batch hands the item's slot to the next send here instead of after the history write.
   */
  onAnswered?: () => void;
  /**
   * Downloads: called once the file is durable at its destination (fsynced and renamed), before its SHA-256 is
   * known. From then on the download cannot fail or be undone; only the hash is still being read back.
   */
  onSaved?: (saved: { path: string; bytes: number; warning?: string }) => void;
}

/** Progress is reported about every 256 KB, however small the socket's chunks. */
export const PROGRESS_INTERVAL_BYTES = 256 * 1024;
