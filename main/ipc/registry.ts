// The environment-free half of the IPC layer: a table of handlers keyed by contract channel, each call checked as a
// whole (payload-guard.ts), parsed with the channel's zod schema and its file paths checked against the user's
// grants before the handler runs, every outcome returned as Result data (never a throw). A refused call never
// reaches its handler, so it has no side effect.
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
import type { PathGrants } from '../platform/path-grants';
import { appError, toAppError } from '../core/errors';
import { payloadProblem } from './payload-guard';
import { pathsIn } from './path-fields';

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

export interface HandlerRegistryDeps {
  /** The paths the user chose (main/platform/path-grants.ts); every path a request names is checked against it. */
  pathGrants: Pick<PathGrants, 'check'>;
}

function refused(message: string, detail?: string): Result<never> {
  return { ok: false, error: appError('validation', message, detail ? { detail } : {}) };
}

export function createHandlerRegistry(deps: HandlerRegistryDeps): HandlerRegistry {
  const { pathGrants } = deps;
  const handlers = new Map<ChannelKey, (request: unknown) => Promise<unknown>>();
  return {
    handle(key, handler) {
      if (handlers.has(key)) throw new Error(`A handler for ${channels[key].name} is already registered.`);
      handlers.set(key, handler as (request: unknown) => Promise<unknown>);
    },
    async invoke(channelName, payload) {
      const key = typeof channelName === 'string' ? keyByName.get(channelName) : undefined;
      const handler = key ? handlers.get(key) : undefined;
      if (!key || !handler) {
        return { ok: false, error: appError('internal', `No handler for IPC channel "${String(channelName).slice(0, 100)}".`) };
      }
      let request: unknown;
      try {
        const shape = payloadProblem(payload);
        if (shape) return refused(shape);
        const schema = channels[key].request;
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          const first = parsed.error.issues[0];
          const where = first && first.path.length > 0 ? ` (${first.path.join('.')})` : '';
          const detail = parsed.error.issues
            .slice(0, 10)
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; ');
          return refused(`${first?.message ?? 'Invalid request'}${where}`.slice(0, 500), detail.slice(0, 2000));
        }
        for (const use of pathsIn(schema, parsed.data)) {
          const problem = pathGrants.check(use.path, use.access);
          if (problem) return refused(problem, use.field);
        }
        request = parsed.data;
      } catch (error) {
        return { ok: false, error: toAppError(error) };
      }
      try {
        return { ok: true, value: await handler(request) };
      } catch (error) {
        return { ok: false, error: toAppError(error) };
      }
    },
    channelNames() {
      return [...handlers.keys()].map((key) => channels[key].name);
    },
  };
}
