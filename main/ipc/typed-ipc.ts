// Connects the environment-free HandlerRegistry to Electron's ipcMain: one ipcMain.handle per registered channel,
// each refusing calls from anything but our own main frame before the registry parses and runs the request.
// Pushes go the other way through an EventSink bound to the main window.
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { droppedFileGrant, events, type Result } from '../../preload/contract';
import type { PathGrants } from '../platform/path-grants';
import { receiveDroppedFile } from './dropped-files';
import type { EventSink, HandlerRegistry } from './registry';
import { guardedInvoke, senderCheck, type SenderFrame } from './sender-check';

function describeFrame(frame: WebFrameMain | null): SenderFrame | null {
  if (!frame) return null;
  return { url: frame.url, isMainFrame: frame.parent === null };
}

/** Registers every channel of the registry, and the preload's dropped-file grants, on ipcMain; returns a function
 * that removes them again. */
export function connectIpcMain(registry: HandlerRegistry, pathGrants: Pick<PathGrants, 'grantFile'>): () => void {
  const names = registry.channelNames();
  for (const name of names) {
    ipcMain.handle(name, (event: IpcMainInvokeEvent, payload: unknown): Promise<Result<unknown>> =>
      // senderFrame is read synchronously: it becomes null once the frame navigates away.
      guardedInvoke(registry, name, describeFrame(event.senderFrame), payload),
    );
  }
  const onDropped = (event: IpcMainEvent, payload: unknown): void => {
    if (senderCheck(droppedFileGrant.name, describeFrame(event.senderFrame))) return;
    receiveDroppedFile(pathGrants, payload);
  };
  ipcMain.on(droppedFileGrant.name, onDropped);
  return () => {
    for (const name of names) ipcMain.removeHandler(name);
    ipcMain.removeListener(droppedFileGrant.name, onDropped);
  };
}

/** Sends eng:event:* pushes to the main window, dropping them while there is none (closed on macOS, or quitting). */
export function createWindowEventSink(getWindow: () => BrowserWindow | undefined): EventSink {
  return (event, payload) => {
    const window = getWindow();
    if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
    window.webContents.send(events[event], payload);
  };
}
