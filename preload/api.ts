// The shape of `window.engagement`, the API the preload exposes: one function per contract channel (named like
// the channel's key), event subscriptions that return an unsubscribe function, and pathForFile for dropped files.
// The browser tests build an object of the same type over the same handlers, so the renderer cannot tell them apart.
import type { BatchItemEvent, ChannelKey, ChannelRequest, ChannelResponse, MenuCommand, OutboxView, Result, TransferProgress } from './contract';

export type EngagementInvokeApi = {
  [K in ChannelKey]: (request: ChannelRequest<K>) => Promise<Result<ChannelResponse<K>>>;
};

export interface EngagementApi extends EngagementInvokeApi {
  onProgress(listener: (progress: TransferProgress) => void): () => void;
  /** The outbox changed (an entry was queued, sent, failed); carries the whole view. */
  onOutbox(listener: (view: OutboxView) => void): () => void;
  /** One item of a batch send (passBatch, draftsSendMany) finished. */
  onBatch(listener: (item: BatchItemEvent) => void): () => void;
  /** A menu item or its accelerator was chosen (the menus live in main: main/electron/menu.ts). */
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /** The absolute path of a dropped or picked File (webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: unknown): string;
}

export const API_GLOBAL = 'engagement';
