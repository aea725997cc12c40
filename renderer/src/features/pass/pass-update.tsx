// Update a pass by importing a .pkpass, optional images (each sent under a field name the user picks) and the
// passContent. The form is a draft (issue #5): it autosaves, dropped files are copied into the draft, and Send
// goes through draftsSend (sent, or queued in the Outbox when the server is unreachable). Nothing here is cleared
// by a failed send: fields, files and JSON stay for Retry.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DraftFile, PassBatchResult, PassUpdateDraft } from '../../../../preload/contract';
import { checkPassContent, defaultPassContent, parsePassContentJson, serializePassContent } from '../../../../main/core/pass-content';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { useBatch } from '../../lib/use-batch';
import { useFileCheck } from '../../lib/use-file-check';
import { CheckReportView } from '../checks/check-report-view';
import { DraftBar } from '../drafts/draft-bar';
import { useDraftSession } from '../drafts/draft-session';
import { useDraftSend } from '../drafts/use-draft-send';
import { useDraftEditor } from '../drafts/use-draft-editor';
import { useSelectedProfile } from '../profiles/profiles-context';
import { duplicateFieldNames, fieldNameFromFileName, fieldNameProblem } from './image-fields';
import { PassContentEditor, type PassContentState } from './pass-content-editor';
import { PassBatchResults } from './pass-batch-results';
import { PassFile } from './pass-file';
import { readPassForm, writePassForm, type PassForm } from './pass-form';
import { checkablePath, PassImages, type ImageItem } from './pass-images';
import { PassSendBar } from './pass-send-bar';
import { useClearOnChange } from '../../lib/use-clear-on-change';
import './pass.css';

const serialize = serializePassContent;

/** The editor state a stored passContent stands for: JSON text with a syntax error is kept as the raw string. */
function contentFromDraft(passContent: unknown): PassContentState {
  if (typeof passContent === 'string') {
    const parsed = parsePassContentJson(passContent);
    if (parsed.value !== undefined) return { value: parsed.value, text: passContent };
    return { value: defaultPassContent(), text: passContent, syntaxError: parsed.report.issues[0]?.message ?? 'Not valid JSON.' };
  }
  const value: unknown = passContent && typeof passContent === 'object' && Object.keys(passContent).length > 0 ? passContent : defaultPassContent();
  return { value, text: serialize(value) };
}

export function PassUpdate({ active, onOpenOutbox }: { active: boolean; onOpenOutbox: () => void }) {
  const session = useDraftSession();
  if (!session.ready) return <p className="muted">Loading drafts…</p>;
  const open = session.open['pass-update'];
  return <PassUpdateForm key={open.instance} draftId={open.id} active={active} onOpenOutbox={onOpenOutbox} />;
}

/** Update scheduled passes (`/message/pass/update`) or issue a new pass (`/message/pass/import`): kept in the draft. */
function PassModeChoice({ issue, onChange }: { issue: boolean; onChange: (issue: boolean) => void }) {
  return (
    <fieldset className="card pass-mode" data-testid="pass-mode">
      <legend>What to send</legend>
      <div className="segmented">
        <label>
          <input type="radio" name="pass-mode" value="update" checked={!issue} onChange={() => onChange(false)} data-testid="pass-mode-update" />
          Update scheduled passes
        </label>
        <label>
          <input type="radio" name="pass-mode" value="issue" checked={issue} onChange={() => onChange(true)} data-testid="pass-mode-issue" />
          Issue a new pass
        </label>
      </div>
      <p className="note" data-testid="pass-update-scope">
        {issue
          ? 'A new pass is issued to the recipients (pass import), whether or not they already had one.'
          : 'The server applies an update only to a pass that is still scheduled. A pass already sent is not changed: issue a new pass instead.'}
      </p>
    </fieldset>
  );
}

function PassUpdateForm({ draftId, active, onOpenOutbox }: { draftId: string | undefined; active: boolean; onOpenOutbox: () => void }) {
  const reportError = useReportError();
  const session = useDraftSession();
  const profile = useSelectedProfile();
  const editor = useDraftEditor('pass-update', { draftId, profileId: profile?.id });
  const { draft, change } = editor;
  const [imageBlocking, setImageBlocking] = useState<Record<string, boolean>>({});
  const [content, setContent] = useState<PassContentState>(() => contentFromDraft(draft.payload.passContent));
  const [adding, setAdding] = useState(0);
  const [touched, setTouched] = useState(false);
  const sender = useDraftSend();
  const { operation, setOutcome } = sender;
  useClearOnChange(JSON.stringify(draft.payload) + content.text, () => setOutcome(undefined));
  // Batch mode (issue #6): one request per recipient of the form's list, each addressed to that recipient alone.
  const batch = useBatch();
  const [separately, setSeparately] = useState(false);
  const [batchResult, setBatchResult] = useState<PassBatchResult | undefined>(undefined);
  const [importNote, setImportNote] = useState<string | undefined>(undefined);
  const busy = operation.running || batch.running;
  const issue = draft.payload.issue === true;

  const statusOf = (role: string, file: DraftFile | undefined) =>
    file ? editor.view?.files.find((f) => f.role === role && f.file.sha256 === file.sha256)?.originalStatus : undefined;
  const pkpass = draft.payload.pkPass;
  const pkpassStatus = statusOf('pkPass', pkpass);
  const pkpassPath = checkablePath(pkpass, pkpassStatus);
  const images: ImageItem[] = draft.payload.images.map((image, index) => ({
    key: `${index}:${image.file.sha256}`,
    fieldName: image.fieldName,
    file: image.file,
    status: statusOf(`image:${index}`, image.file),
  }));
  const pkpassCheck = useFileCheck(pkpassPath ? { path: pkpassPath, kind: 'pkpass' } : undefined, 0);
  const contentReport = useMemo(() => checkPassContent(content.value), [content.value]);

  // A draft loaded from the store (opened, restored) replaces the editor's text once.
  const loadedRevision = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (editor.loading || !draft.id || loadedRevision.current === draft.id) return;
    loadedRevision.current = draft.id;
    if (draftId === draft.id) setContent(contentFromDraft(draft.payload.passContent));
  }, [editor.loading, draft.id, draft.payload.passContent, draftId]);

  // The form sends with the profile chosen in the header while it is on screen.
  useEffect(() => {
    if (!active || editor.loading || !profile || draft.profileId === profile.id) return;
    change((d) => ({ ...d, profileId: profile.id }), { quiet: true });
  }, [active, editor.loading, profile, draft.profileId, change]);

  const setPayload = (update: (payload: PassUpdateDraft['payload']) => PassUpdateDraft['payload']) =>
    change((d) => ({ ...d, payload: update(d.payload) }));

  const copyIn = async (paths: string[]): Promise<DraftFile[]> => {
    setAdding((n) => n + 1);
    try {
      const id = await editor.ensureId();
      if (!id) return [];
      const files: DraftFile[] = [];
      for (const path of paths) {
        const added = await api.draftsAddFile({ id, path });
        if (!added.ok) {
          reportError(added.error);
          continue;
        }
        files.push(added.value);
      }
      return files;
    } finally {
      setAdding((n) => n - 1);
    }
  };

  const duplicates = duplicateFieldNames(images.map((i) => i.fieldName));
  const imageProblems = images.map((image) =>
    duplicates.has(image.fieldName.trim())
      ? `Another image already uses the field name “${image.fieldName.trim()}”.`
      : fieldNameProblem(image.fieldName),
  );
  const imagesBlocked = imageProblems.some(Boolean) || images.some((i) => imageBlocking[i.key]);
  const contentBlocked = content.syntaxError !== undefined || !contentReport.ok;
  const blocked = !pkpass || pkpassCheck.blocking || imagesBlocked || contentBlocked;
  const recipients = useMemo(
    () => readPassForm(content.value).recipients.map((id) => id.trim()).filter((id) => id !== ''),
    [content.value],
  );
  // A batch reads the files from where they were dropped (main re-checks them once): that copy must still match.
  const batchBlocked = blocked || recipients.length === 0 || !pkpassPath || images.some((i) => !checkablePath(i.file, i.status));

  const addPkpass = async (path: string) => {
    setOutcome(undefined);
    const [file] = await copyIn([path]);
    if (file) setPayload((p) => ({ ...p, pkPass: file }));
  };
  const addImages = async (paths: string[]) => {
    setOutcome(undefined);
    const files = await copyIn(paths);
    if (files.length === 0) return;
    setPayload((p) => ({ ...p, images: [...p.images, ...files.map((file) => ({ fieldName: fieldNameFromFileName(file.name), file }))] }));
  };
  const replaceImage = async (index: number, path: string) => {
    const [file] = await copyIn([path]);
    if (file) setPayload((p) => ({ ...p, images: p.images.map((image, i) => (i === index ? { ...image, file } : image)) }));
  };

  const onImageBlocking = useCallback((key: string, blocking: boolean) => {
    setImageBlocking((current) => (current[key] === blocking ? current : { ...current, [key]: blocking }));
  }, []);

  // The draft holds the last valid JSON value, or the raw text while it has a syntax error (so a crash mid-edit
  // loses nothing; the draft then reads as not ready).
  const saveContent = (next: PassContentState) => {
    setContent(next);
    setPayload((p) => ({ ...p, passContent: next.syntaxError ? next.text : next.value }));
  };
  const onFormChange = (form: PassForm) => {
    const value = writePassForm(content.value, form);
    saveContent({ value, text: serialize(value) });
  };
  const onTextChange = (text: string) => {
    // Only a syntax error keeps the old value; a value that parses but fails the schema is shown in the form and
    // reported by the live check below.
    const parsed = parsePassContentJson(text);
    saveContent(
      parsed.value !== undefined
        ? { value: parsed.value, text }
        : { value: content.value, text, syntaxError: parsed.report.issues[0]?.message ?? 'Not valid JSON.' },
    );
  };

  const send = async () => {
    setTouched(true);
    if (separately) {
      await sendSeparately(recipients);
      return;
    }
    if (!pkpass || !profile || blocked || adding > 0) return;
    await sender.send({ profileId: profile.id, flush: editor.flush, retry: () => void send() });
  };

  const sendSeparately = async (recipientIds: string[]) => {
    if (!profile || !pkpassPath || batchBlocked || adding > 0 || recipientIds.length === 0) return;
    setOutcome(undefined);
    setBatchResult(undefined);
    const request = {
      profileId: profile.id,
      pkPassPath: pkpassPath,
      images: images.map((i) => ({ fieldName: i.fieldName.trim(), path: i.file.originalPath })),
      passContent: content.value,
      recipientIds,
      ...(issue ? { issue: true } : {}),
    };
    const result = await batch.run(recipientIds.length, (operationId) => api.passBatch({ operationId, ...request }));
    if (result.ok) setBatchResult(result.value);
    else reportError(result.error, () => void sendSeparately(recipientIds), { profileId: profile.id });
  };

  const importRecipients = async () => {
    setImportNote(undefined);
    const chosen = await api.dialogOpenFile({ kind: 'csv' });
    if (!chosen.ok) {
      reportError(chosen.error);
      return;
    }
    const path = chosen.value.paths[0];
    if (!path) return;
    const read = await api.recipientsImport({ path });
    if (!read.ok) {
      reportError(read.error, () => void importRecipients());
      return;
    }
    onFormChange({ ...readPassForm(content.value), recipients: read.value.ids });
    const name = path.split(/[\\/]/).pop() ?? path;
    setImportNote(`Imported ${read.value.ids.length.toLocaleString('en')} recipients from ${name}.`);
  };

  return (
    <div className="page">
      <header className="page-header">
        <h1>Pass update</h1>
        <p className="page-intro">
          Import a .pkpass with new images and notification settings on{' '}
          <strong>{profile?.name ?? 'the selected server'}</strong>.
        </p>
      </header>
      <DraftBar
        name={draft.name}
        save={editor.save}
        onLoadStored={() => {
          editor.loadStored();
          loadedRevision.current = undefined;
        }}
        onKeepMine={editor.keepMine}
        onNew={() => session.startNew('pass-update')}
      />
      <form
        aria-label="Pass update"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <fieldset className="plain stack" disabled={busy || editor.loading}>
          <PassModeChoice issue={issue} onChange={(next) => setPayload((p) => ({ ...p, issue: next }))} />
          <PassFile
            file={pkpass}
            status={pkpassStatus}
            checkedPath={pkpassPath}
            check={pkpassCheck}
            touched={touched}
            onChoose={(path) => void addPkpass(path)}
            onRemove={() => setPayload(({ pkPass: _gone, ...rest }) => rest)}
          />

          <PassImages
            images={images}
            problems={imageProblems}
            adding={adding > 0}
            onAdd={(paths) => void addImages(paths)}
            onRename={(index, fieldName) =>
              setPayload((p) => ({ ...p, images: p.images.map((i, n) => (n === index ? { ...i, fieldName } : i)) }))
            }
            onRemove={(index, image) => {
              setPayload((p) => ({ ...p, images: p.images.filter((_i, n) => n !== index) }));
              setImageBlocking(({ [image.key]: _gone, ...rest }) => rest);
            }}
            onBlocking={onImageBlocking}
            onUseNew={(index, image) => void replaceImage(index, image.file.originalPath)}
          />

          <section className="card" aria-labelledby="content-title">
            <h2 id="content-title">Pass content</h2>
            <PassContentEditor
              state={content}
              onFormChange={onFormChange}
              onTextChange={onTextChange}
              disabled={busy}
            />
            <div className="check-slot" data-testid="content-check">
              <CheckReportView
                report={contentReport}
                notReady={content.syntaxError !== undefined ? ['correct the JSON syntax error above'] : []}
              />
            </div>
          </section>
        </fieldset>

        <PassSendBar
          batch={batch}
          sender={sender}
          busy={busy}
          separately={separately}
          onSeparately={setSeparately}
          recipients={recipients}
          importNote={importNote}
          onImportRecipients={() => void importRecipients()}
          sendDisabled={!profile || (separately ? batchBlocked : blocked) || adding > 0}
          blockers={{
            pkpass: pkpass !== undefined,
            pkpassReport: pkpassCheck.report,
            checking: pkpassCheck.checking,
            images: imagesBlocked,
            content: contentBlocked,
            batch:
              separately && !blocked
                ? recipients.length === 0
                  ? 'add recipients'
                  : batchBlocked
                    ? 'use the new copy of the changed files (a batch reads them from disk)'
                    : undefined
                : undefined,
          }}
          onOpenOutbox={onOpenOutbox}
        />
        {batchResult && !batch.running ? (
          // Outside the sticky send bar: a long table must scroll with the page, not cover the form.
          <div className="card">
            <PassBatchResults result={batchResult} onRetry={(ids) => void sendSeparately(ids)} disabled={busy || batchBlocked} />
          </div>
        ) : null}
      </form>
    </div>
  );
}
