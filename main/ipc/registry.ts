// The environment-free half of the IPC layer: a table of handlers keyed by contract channel, each call parsed with
// the channel's zod schema before the handler runs, every outcome returned as Result data (never a throw).
// main/ipc/typed-ipc.ts connects it to Electron's ipcMain (adding the sender check); the browser tests connect
// the same registry to Chromium through Playwright, so both exercise the same validation and handlers.
import {
  channels,
  type ChannelKey,
  type ChannelRequest,
  type ChannelResponse,
  type EventPayloads,
  type Result,
} from '../../preload/contract';
import { appError, toAppError } from '../core/errors';

export type Handler<K extends ChannelKey> = (request: ChannelRequest<K>) => Promise<ChannelResponse<K>>;

/** Pushes an event to the renderer(s). */
export type EventSink = <E extends keyof EventPayloads>(event: E, payload: EventPayloads[E]) => void;

export interface HandlerRegistry {
  handle<K extends ChannelKey>(key: K, handler: Handler<K>): void;
  invoke(channelName: string, payload: unknown): Promise<Result<unknown>>;
  channelNames(): string[];
}

const keyByName = new Map<string, ChannelKey>(
  (Object.keys(channels) as ChannelKey[]).map((key) => [channels[key].name, key]),
);

export function createHandlerRegistry(): HandlerRegistry {
  const handlers = new Map<ChannelKey, (request: unknown) => Promise<unknown>>();
  return {
    handle(key, handler) {
      if (handlers.has(key)) throw new Error(`A handler for ${channels[key].name} is already registered.`);
      handlers.set(key, handler as (request: unknown) => Promise<unknown>);
    },
    async invoke(channelName, payload) {
      const key = keyByName.get(channelName);
      const handler = key ? handlers.get(key) : undefined;
      if (!key || !handler) {
        return { ok: false, error: appError('internal', `No handler for IPC channel "${channelName}".`) };
      }
      const parsed = channels[key].request.safeParse(payload ?? {});
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        const where = first && first.path.length > 0 ? ` (${first.path.join('.')})` : '';
        return {
          ok: false,
          error: appError('validation', `${first?.message ?? 'Invalid request'}${where}`, {
            detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          }),
        };
      }
      try {
        return { ok: true, value: await handler(parsed.data) };
      } catch (error) {
        return { ok: false, error: toAppError(error) };
      }
    },
    channelNames() {
      return [...handlers.keys()].map((key) => channels[key].name);
    },
  };
}
