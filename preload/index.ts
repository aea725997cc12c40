// The sandboxed preload: exposes window.engagement as a fixed list of named functions, one per contract channel,
// plus the progress subscription and pathForFile. Nothing generic (no invoke(channel)), no raw ipcRenderer, so a
// compromised page can reach only what the contract names. Bundled to one CommonJS file (sandboxed preloads
// cannot load ESM or most modules), with 'electron' left external.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { API_GLOBAL, type EngagementApi } from './api';
import { channels, droppedFileGrant, events, type BatchItemEvent, type MenuCommand, type OutboxView, type TransferProgress } from './contract';

const api = {
  profileList: (request) => ipcRenderer.invoke(channels.profileList.name, request),
  profileSave: (request) => ipcRenderer.invoke(channels.profileSave.name, request),
  profileRemove: (request) => ipcRenderer.invoke(channels.profileRemove.name, request),
  profileTest: (request) => ipcRenderer.invoke(channels.profileTest.name, request),
  certDownload: (request) => ipcRenderer.invoke(channels.certDownload.name, request),
  appsList: (request) => ipcRenderer.invoke(channels.appsList.name, request),
  appDetails: (request) => ipcRenderer.invoke(channels.appDetails.name, request),
  certsExpiry: (request) => ipcRenderer.invoke(channels.certsExpiry.name, request),
  wnsSet: (request) => ipcRenderer.invoke(channels.wnsSet.name, request),
  wnsTest: (request) => ipcRenderer.invoke(channels.wnsTest.name, request),
  certRemove: (request) => ipcRenderer.invoke(channels.certRemove.name, request),
  passStatus: (request) => ipcRenderer.invoke(channels.passStatus.name, request),
  operationCancel: (request) => ipcRenderer.invoke(channels.operationCancel.name, request),
  dialogOpenFile: (request) => ipcRenderer.invoke(channels.dialogOpenFile.name, request),
  dialogSaveFile: (request) => ipcRenderer.invoke(channels.dialogSaveFile.name, request),
  shellShowInFolder: (request) => ipcRenderer.invoke(channels.shellShowInFolder.name, request),
  checkFile: (request) => ipcRenderer.invoke(channels.checkFile.name, request),
  p12LegacyCopy: (request) => ipcRenderer.invoke(channels.p12LegacyCopy.name, request),
  draftsList: (request) => ipcRenderer.invoke(channels.draftsList.name, request),
  draftsGet: (request) => ipcRenderer.invoke(channels.draftsGet.name, request),
  draftsCreate: (request) => ipcRenderer.invoke(channels.draftsCreate.name, request),
  draftsSave: (request) => ipcRenderer.invoke(channels.draftsSave.name, request),
  draftsRename: (request) => ipcRenderer.invoke(channels.draftsRename.name, request),
  draftsDuplicate: (request) => ipcRenderer.invoke(channels.draftsDuplicate.name, request),
  draftsDelete: (request) => ipcRenderer.invoke(channels.draftsDelete.name, request),
  draftsRestore: (request) => ipcRenderer.invoke(channels.draftsRestore.name, request),
  draftsAddFile: (request) => ipcRenderer.invoke(channels.draftsAddFile.name, request),
  draftsSetPassphrase: (request) => ipcRenderer.invoke(channels.draftsSetPassphrase.name, request),
  draftsExport: (request) => ipcRenderer.invoke(channels.draftsExport.name, request),
  draftsImport: (request) => ipcRenderer.invoke(channels.draftsImport.name, request),
  draftsSend: (request) => ipcRenderer.invoke(channels.draftsSend.name, request),
  draftsSessionGet: (request) => ipcRenderer.invoke(channels.draftsSessionGet.name, request),
  draftsSessionSet: (request) => ipcRenderer.invoke(channels.draftsSessionSet.name, request),
  outboxList: (request) => ipcRenderer.invoke(channels.outboxList.name, request),
  outboxFlush: (request) => ipcRenderer.invoke(channels.outboxFlush.name, request),
  outboxPause: (request) => ipcRenderer.invoke(channels.outboxPause.name, request),
  outboxResume: (request) => ipcRenderer.invoke(channels.outboxResume.name, request),
  outboxSendNow: (request) => ipcRenderer.invoke(channels.outboxSendNow.name, request),
  outboxDiscard: (request) => ipcRenderer.invoke(channels.outboxDiscard.name, request),
  historyQuery: (request) => ipcRenderer.invoke(channels.historyQuery.name, request),
  historyExport: (request) => ipcRenderer.invoke(channels.historyExport.name, request),
  recipientsImport: (request) => ipcRenderer.invoke(channels.recipientsImport.name, request),
  passBatch: (request) => ipcRenderer.invoke(channels.passBatch.name, request),
  draftsSendMany: (request) => ipcRenderer.invoke(channels.draftsSendMany.name, request),

  onProgress(listener) {
    // The page gets the payload only: the IpcRendererEvent would hand it `sender`, i.e. ipcRenderer itself.
    const forward = (_event: IpcRendererEvent, progress: TransferProgress) => listener(progress);
    ipcRenderer.on(events.progress, forward);
    return () => {
      ipcRenderer.removeListener(events.progress, forward);
    };
  },

  onOutbox(listener) {
    const forward = (_event: IpcRendererEvent, view: OutboxView) => listener(view);
    ipcRenderer.on(events.outbox, forward);
    return () => {
      ipcRenderer.removeListener(events.outbox, forward);
    };
  },

  onBatch(listener) {
    const forward = (_event: IpcRendererEvent, item: BatchItemEvent) => listener(item);
    ipcRenderer.on(events.batch, forward);
    return () => {
      ipcRenderer.removeListener(events.batch, forward);
    };
  },

  onMenu(listener) {
    const forward = (_event: IpcRendererEvent, command: MenuCommand) => listener(command);
    ipcRenderer.on(events.menu, forward);
    return () => {
      ipcRenderer.removeListener(events.menu, forward);
    };
  },

  pathForFile(file) {
    // File.path is gone since Electron 32; webUtils is the replacement. Anything that is not a File has no path.
    let path: string;
    try {
      path = webUtils.getPathForFile(file as File);
    } catch {
      return '';
    }
    // Main accepts only paths the user chose: this grant (only a real dropped File has a path) reaches main before
    // any request naming the path, since one page's messages arrive in order.
    if (path) ipcRenderer.send(droppedFileGrant.name, { path });
    return path;
  },
} satisfies EngagementApi;

contextBridge.exposeInMainWorld(API_GLOBAL, api);
