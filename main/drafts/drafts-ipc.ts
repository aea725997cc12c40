// Drafts, outbox and history (issue #5): the handlers behind eng:drafts:*, eng:outbox:* and eng:history:*.
import type { Draft, DraftFile, DraftView } from '../../preload/contract';
import { draftFiles, draftReadiness, draftSecret } from '../core/drafts';
import { fail } from '../core/errors';
import { sendDraftOrQueue, type DraftServices } from './draft-services';
import { draftPassphraseAccount } from './draft-sender';
import { exportDraft, importDraft } from './draft-share';
import type { SecretStore } from '../platform/keychain';
import type { OperationRegistry } from '../platform/operations';
import type { PathGrants } from '../platform/path-grants';
import type { ProfileService } from '../profiles/profile-service';
import type { EventSink, HandlerRegistry } from '../ipc/registry';

export interface DraftsIpcDeps {
  services: Pick<DraftServices, 'drafts' | 'history' | 'outbox' | 'sender'>;
  profiles: Pick<ProfileService, 'find' | 'profiles'>;
  secrets: Pick<SecretStore, 'set' | 'delete' | 'storageOf'>;
  operations: OperationRegistry;
  events: EventSink;
  pathGrants: Pick<PathGrants, 'grantFile'>;
}

export function registerDraftsIpc(registry: HandlerRegistry, deps: DraftsIpcDeps): void {
  const { services, profiles, secrets, operations, events, pathGrants } = deps;
  const { drafts, history, outbox } = services;
  // A draft's file entries come from main only: draftsAddFile in this session, or the draft as stored. A page that
  // made one up could point main at a path the user never chose (view() checks and grants originals).
  const issuedFiles = new Set<string>();
  const fileKey = (file: DraftFile) =>
    JSON.stringify([file.sha256, file.size, file.name, file.originalPath, file.originalMtimeMs, file.addedAt]);

  async function refuseUnissuedFiles(draft: Draft): Promise<void> {
    const incoming = draftFiles(draft).map(({ file }) => file);
    if (incoming.every((file) => issuedFiles.has(fileKey(file)))) return;
    const stored = await drafts.get(draft.id).catch(() => undefined);
    const known = new Set(stored ? draftFiles(stored).map(({ file }) => fileKey(file)) : []);
    const unknown = incoming.find((file) => !issuedFiles.has(fileKey(file)) && !known.has(fileKey(file)));
    if (unknown) {
      fail('validation', `The file "${unknown.name}" in this draft was not added through Engagement Desk. Add the file again with Browse or by dropping it.`);
    }
  }

  async function view(draft: Draft): Promise<DraftView> {
    const passphraseStorage =
      draftSecret(draft) ? await secrets.storageOf(draftPassphraseAccount(draft.id)).catch(() => 'none' as const) : 'none';
    const readiness = draftReadiness(draft, {
      hasPassphrase: passphraseStorage !== 'none',
      profileExists: draft.profileId ? profiles.find(draft.profileId) !== undefined : undefined,
    });
    const files = await Promise.all(
      draftFiles(draft).map(async ({ role, file }) => ({ role, file, originalStatus: await drafts.fileStatus(file) })),
    );
    // The form checks (and a batch sends) the original of a restored draft's file: main has just found it holding
    // the bytes the user added, so it stays usable after a restart. A changed or missing original is not granted.
    for (const { file, originalStatus } of files) if (originalStatus === 'unchanged') pathGrants.grantFile(file.originalPath, 'read');
    return { draft, readiness, files, passphraseStorage };
  }

  registry.handle('draftsList', async (request) => {
    const profileNames = new Map(profiles.profiles().map((p) => [p.id, p.name]));
    return drafts.list({ ...(request.query ? { query: request.query } : {}), ...(request.kind ? { kind: request.kind } : {}), profileNames });
  });
  registry.handle('draftsGet', async ({ id }) => view(await drafts.get(id)));
  registry.handle('draftsCreate', async (request) => view(await drafts.create(request)));
  registry.handle('draftsSave', async ({ draft }) => {
    await refuseUnissuedFiles(draft);
    return view(await drafts.save(draft));
  });
  registry.handle('draftsRename', async ({ id, name }) => drafts.rename(id, name));
  registry.handle('draftsDuplicate', async ({ id }) => view(await drafts.duplicate(id)));
  registry.handle('draftsDelete', async ({ id }) => ({ deleted: await drafts.delete(id) }));
  registry.handle('draftsRestore', async ({ id }) => view(await drafts.restore(id)));
  registry.handle('draftsAddFile', async ({ id, path }) => {
    const file = await drafts.addFile(id, path);
    issuedFiles.add(fileKey(file));
    return file;
  });
  registry.handle('draftsSetPassphrase', async ({ id, passphrase, remember }) => {
    const account = draftPassphraseAccount(id);
    if (remember) {
      if (!passphrase) fail('validation', 'Enter the passphrase to remember.');
      return { storage: await secrets.set(account, passphrase) };
    }
    await secrets.delete(account);
    return { storage: 'none' as const };
  });
  registry.handle('draftsExport', async ({ id, path }) => {
    const draft = await drafts.get(id);
    const profileName = draft.profileId ? profiles.find(draft.profileId)?.name : undefined;
    return exportDraft(drafts, id, path, profileName ? { profileName } : {});
  });
  registry.handle('draftsImport', async ({ path }) =>
    view(
      await importDraft(drafts, path, {
        resolveProfile: (name, id) => (id ? profiles.find(id)?.id : undefined) ?? (name ? profiles.find(name)?.id : undefined),
      }),
    ),
  );
  registry.handle('draftsSend', async ({ id, operationId, passphrase }) => {
    const draft = await drafts.get(id);
    return operations.run(operationId, (signal) =>
      sendDraftOrQueue(services, draft, {
        signal,
        onProgress: (progress) => events('progress', { operationId, ...progress }),
        ...(passphrase !== undefined ? { passphrase } : {}),
        source: 'app',
      }),
    );
  });
  registry.handle('draftsSessionGet', async () => drafts.getSession());
  registry.handle('draftsSessionSet', async (session) => drafts.setSession(session));

  registry.handle('outboxList', async () => outbox.list());
  registry.handle('outboxFlush', async () => outbox.flush({ source: 'app' }));
  registry.handle('outboxPause', async ({ id }) => outbox.pause(id));
  registry.handle('outboxResume', async ({ id }) => outbox.resume(id));
  registry.handle('outboxSendNow', async ({ id, passphrase, confirmResend }) =>
    outbox.sendNow(id, {
      ...(passphrase !== undefined ? { passphrase } : {}),
      ...(confirmResend !== undefined ? { confirmResend } : {}),
      source: 'app',
    }),
  );
  registry.handle('outboxDiscard', async ({ id }) => ({ discarded: await outbox.discard(id) }));

  registry.handle('historyQuery', async (filter) => history.query(filter));
  registry.handle('historyExport', async ({ format, path, filter }) => ({ path, count: await history.export(path, format, filter ?? {}) }));
}
