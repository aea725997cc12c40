// The .pkpass a pass update imports, with its check report (which includes the pass preview).
import type { CheckReport, DraftFile, DraftFileStatus } from '../../../../preload/contract';
import { ChosenFileRow } from '../../components/chosen-file';
import { DropZone } from '../../components/drop-zone';
import { CheckReportView } from '../checks/check-report-view';
import { OriginalFileNote } from '../drafts/draft-bar';

export function PassFile({
  file,
  status,
  checkedPath,
  check,
  touched,
  onChoose,
  onRemove,
}: {
  file: DraftFile | undefined;
  status: DraftFileStatus | undefined;
  /** Set while the draft's copy still matches the dropped file, which is then checked. */
  checkedPath: string | undefined;
  check: { checking: boolean; report: CheckReport | undefined };
  touched: boolean;
  onChoose: (path: string) => void;
  onRemove: () => void;
}) {
  return (
    <section className="card" aria-labelledby="pkpass-title">
      <h2 id="pkpass-title">Pass file</h2>
      {file ? (
        <>
          <ChosenFileRow name={file.name} path={file.originalPath} size={file.size} onRemove={onRemove} removeLabel={`Remove ${file.name}`} />
          <OriginalFileNote file={file} status={status} onUseNew={() => onChoose(file.originalPath)} />
        </>
      ) : (
        <DropZone
          kind="pkpass"
          extensions={['.pkpass']}
          label="Pass file"
          onFiles={(files) => {
            const first = files[0];
            if (first) onChoose(first.path);
          }}
          testId="pkpass-drop"
        >
          Drop the .pkpass
        </DropZone>
      )}
      {touched && !file ? <p className="field-error">Choose the .pkpass file to import.</p> : null}
      {checkedPath ? (
        // The report includes the pass preview (report.details.preview).
        <div className="check-slot" aria-busy={check.checking} data-testid="pkpass-check">
          {check.checking && !check.report ? <p className="muted small">Checking the pass…</p> : null}
          {check.report ? <CheckReportView report={check.report} /> : null}
        </div>
      ) : null}
    </section>
  );
}
