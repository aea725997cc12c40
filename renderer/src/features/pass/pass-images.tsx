// The images of a pass update: each PNG goes as its own part under the field name shown, checked once dropped.
import { useEffect } from 'react';
import type { DraftFile, DraftFileStatus } from '../../../../preload/contract';
import { ChosenFileRow } from '../../components/chosen-file';
import { DropZone } from '../../components/drop-zone';
import { useFileCheck } from '../../lib/use-file-check';
import { CheckReportView } from '../checks/check-report-view';
import { OriginalFileNote } from '../drafts/draft-bar';
import { roleOfFieldName } from './image-fields';

export interface ImageItem {
  key: string;
  fieldName: string;
  file: DraftFile;
  status: DraftFileStatus | undefined;
}

/** Only a path that still holds the bytes the draft copied is worth checking. */
export function checkablePath(file: DraftFile | undefined, status: DraftFileStatus | undefined): string | undefined {
  return file && (status === undefined || status === 'unchanged') ? file.originalPath : undefined;
}

export function PassImages({
  images,
  problems,
  adding,
  onAdd,
  onRename,
  onRemove,
  onBlocking,
  onUseNew,
}: {
  images: ImageItem[];
  /** The field name problem of each image, by index. */
  problems: (string | undefined)[];
  adding: boolean;
  onAdd: (paths: string[]) => void;
  onRename: (index: number, fieldName: string) => void;
  onRemove: (index: number, image: ImageItem) => void;
  onBlocking: (key: string, blocking: boolean) => void;
  onUseNew: (index: number, image: ImageItem) => void;
}) {
  return (
    <section className="card" aria-labelledby="images-title">
      <h2 id="images-title">Images</h2>
      <p className="field-hint">
        Optional. Each image is sent as its own part under the field name shown; it starts as the image's role
        (icon, logo, strip, thumbnail, background, footer) taken from the file name.
      </p>
      {images.length > 0 ? (
        <ul className="image-list" data-testid="image-list">
          {images.map((image, index) => (
            <ImageRow
              key={image.key}
              image={image}
              problem={problems[index]}
              onBlocking={onBlocking}
              onRename={(fieldName) => onRename(index, fieldName)}
              onRemove={() => onRemove(index, image)}
              onUseNew={() => onUseNew(index, image)}
            />
          ))}
        </ul>
      ) : null}
      <DropZone
        kind="image"
        extensions={['.png']}
        multiple
        label="Images"
        onFiles={(files) => onAdd(files.map((f) => f.path))}
        testId="images-drop"
      >
        {adding ? 'Copying into the draft…' : 'Drop PNG images'}
      </DropZone>
    </section>
  );
}

function ImageRow({
  image,
  problem,
  onRename,
  onRemove,
  onBlocking,
  onUseNew,
}: {
  image: ImageItem;
  problem: string | undefined;
  onRename: (fieldName: string) => void;
  onRemove: () => void;
  onBlocking: (key: string, blocking: boolean) => void;
  onUseNew: () => void;
}) {
  const role = roleOfFieldName(image.fieldName);
  const path = checkablePath(image.file, image.status);
  const check = useFileCheck(path ? { path, kind: 'image', ...(role ? { role } : {}) } : undefined, 300);
  useEffect(() => onBlocking(image.key, check.blocking), [image.key, check.blocking, onBlocking]);
  const fieldId = `image-field-${image.key.replace(/[^A-Za-z0-9]/g, '')}`;
  return (
    <li className={`image-row${problem ? ' has-error' : ''}`} data-testid="image-row">
      <ChosenFileRow
        name={image.file.name}
        path={image.file.originalPath}
        size={image.file.size}
        onRemove={onRemove}
        removeLabel={`Remove image ${image.file.name}`}
      >
        <div className="image-field">
          <label htmlFor={fieldId}>Field name</label>
          <input
            id={fieldId}
            value={image.fieldName}
            onChange={(e) => onRename(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${fieldId}-error` : undefined}
            spellCheck={false}
            data-testid="image-field-name"
          />
        </div>
      </ChosenFileRow>
      {problem ? (
        <p className="field-error" id={`${fieldId}-error`}>
          {problem}
        </p>
      ) : null}
      <OriginalFileNote file={image.file} status={image.status} onUseNew={onUseNew} />
      {check.report && check.report.issues.length > 0 ? <CheckReportView report={check.report} /> : null}
    </li>
  );
}
