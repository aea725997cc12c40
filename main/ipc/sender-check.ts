// Who may call an IPC channel (VS Code's validatedIpcMain): only our own main frame, on our own app:// origin,
// and only on an eng: channel. Pure, so plain-Node tests pin it; main/ipc/typed-ipc.ts applies it to ipcMain.
import { CHANNEL_PREFIX, type AppError, type Result } from '../../preload/contract';
import { appError } from '../core/errors';
import { isTrustedSender } from '../window-policy';
import type { HandlerRegistry } from './registry';

/** What typed-ipc reads off event.senderFrame; null when the frame navigated away or was destroyed. */
export interface SenderFrame {
  url: string;
  isMainFrame: boolean;
}

/** undefined when the call may proceed, else the error returned to the caller instead of running the handler. */
export function senderCheck(channel: string, frame: SenderFrame | null | undefined): AppError | undefined {
  if (!channel.startsWith(CHANNEL_PREFIX)) {
    return appError('internal', `Refused IPC on "${channel}": not an Engagement Desk channel.`);
  }
  if (!frame) {
    return appError('internal', `Refused IPC on "${channel}": the calling page is gone.`);
  }
  if (!isTrustedSender(frame.url, frame.isMainFrame)) {
    // The URL is the sender's, not a secret; it tells a developer which frame misbehaved.
    return appError('internal', `Refused IPC on "${channel}" from an untrusted frame.`, { detail: frame.url.slice(0, 200) });
  }
  return undefined;
}

/** One ipcMain.handle call: the sender check first, then the registry (schema parse, handler, Result). */
export async function guardedInvoke(
  registry: HandlerRegistry,
  channel: string,
  frame: SenderFrame | null | undefined,
  payload: unknown,
): Promise<Result<unknown>> {
  const refused = senderCheck(channel, frame);
  if (refused) return { ok: false, error: refused };
  return registry.invoke(channel, payload);
}
