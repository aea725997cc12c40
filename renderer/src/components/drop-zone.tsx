// A file drop target that is also a button: click, Enter or Space opens the native file dialog through main.
// Files cross as paths only (style.md 9): pathForFile for dropped files, dialogOpenFile for picked ones. A refused
// file is answered at the zone itself (issue #21), not in the page's error region; a dialog failure still goes there.
// Its accessible name is its visible text (no aria-label), so speech users can say what they see (WCAG 2.5.3).
import { useId, useState, type DragEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { FileKind } from '../../../preload/contract';
import { api } from '../bridge';
import { baseName, extensionOf } from '../lib/format';
import { useReportError } from './app-error';
import './drop-zone.css';

export interface ChosenFile {
  path: string;
  name: string;
}

export function DropZone({
  kind,
  extensions,
  multiple = false,
  label,
  hint,
  onFiles,
  disabled = false,
  testId,
  children,
}: {
  kind: FileKind;
  /** Lower-case, with the dot: ['.p12', '.pfx'] */
  extensions: readonly string[];
  multiple?: boolean;
  label: string;
  hint?: string;
  onFiles: (files: ChosenFile[]) => void;
  disabled?: boolean;
  testId?: string;
  children?: ReactNode;
}) {
  const reportError = useReportError();
  const [over, setOver] = useState(false);
  const [refusal, setRefusal] = useState<string | undefined>(undefined);
  const id = useId();
  const accepted = extensions.join(' or ');

  const deliver = (files: ChosenFile[]) => {
    const wrong = files.filter((f) => !extensions.includes(extensionOf(f.name)));
    const problems: string[] = [];
    if (wrong.length > 0) {
      const names = wrong.map((f) => `"${f.name}"`).join(', ');
      problems.push(`${names} ${wrong.length === 1 ? 'is' : 'are'} not ${accepted} ${wrong.length === 1 ? 'file' : 'files'}: nothing was added. ${label} takes ${accepted} only.`);
    }
    const good = files.filter((f) => extensions.includes(extensionOf(f.name)));
    if (!multiple && files.length > 1) {
      setRefusal(`Drop one file here, not ${files.length}.`);
      return;
    }
    setRefusal(problems.length > 0 ? problems.join(' ') : undefined);
    if (good.length > 0) onFiles(good);
  };

  const browse = async () => {
    if (disabled) return;
    const result = await api.dialogOpenFile({ kind, multiple });
    if (!result.ok) {
      reportError(result.error, () => void browse());
      return;
    }
    deliver(result.value.paths.map((path) => ({ path, name: baseName(path) })));
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    if (disabled) return;
    const dropped = Array.from(event.dataTransfer.files);
    if (dropped.length === 0) return;
    const files: ChosenFile[] = [];
    for (const file of dropped) {
      const path = api.pathForFile(file);
      if (!path) {
        setRefusal(`"${file.name}" has no path on disk (was it dragged from another application?). Click the zone to browse instead.`);
        return;
      }
      files.push({ path, name: file.name });
    }
    deliver(files);
  };

  const onDragOver = (event: DragEvent<HTMLDivElement>) => {
    // Without preventDefault the browser refuses the drop (and would navigate to the file).
    event.preventDefault();
    event.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
    if (!over) setOver(true);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      void browse();
    }
  };

  return (
    <>
      <div
        role="button"
        tabIndex={disabled ? -1 : 0}
        aria-disabled={disabled || undefined}
        aria-describedby={refusal ? `${id}-refusal` : undefined}
        className={`drop-zone${over ? ' drag-over' : ''}${disabled ? ' disabled' : ''}${refusal ? ' refused' : ''}`}
        data-testid={testId}
        data-menu-action="open"
        onClick={() => void browse()}
        onKeyDown={onKeyDown}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <span className="drop-zone-icon" aria-hidden="true">
          ⇪
        </span>
        <span className="drop-zone-label">{children ?? label}</span>
        <span className="drop-zone-hint">
          {hint ?? `Drop ${multiple ? `${accepted} files` : `a ${accepted} file`} here, or click to browse`}
        </span>
      </div>
      <p className="drop-zone-refusal" id={`${id}-refusal`} role="alert" data-testid={testId ? `${testId}-refusal` : undefined}>
        {refusal}
      </p>
    </>
  );
}
