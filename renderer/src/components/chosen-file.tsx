import type { ReactNode } from 'react';
import { inert } from '../../../main/core/inert';
import { formatBytes } from '../lib/format';
import './chosen-file.css';

/** The file picked for a slot: its name, where it lives, and a way to take it back out. */
export function ChosenFileRow({
  name,
  path,
  size,
  onRemove,
  removeLabel,
  disabled,
  children,
}: {
  name: string;
  path: string;
  size?: number | undefined;
  onRemove: () => void;
  removeLabel: string;
  disabled?: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="chosen-file" data-testid="chosen-file">
      <div className="chosen-file-main">
        {/* A file name may hold bidi controls (invoice\u202eexe.p12 reads as invoicep12.exe): shown escaped, isolated. */}
        <bdi className="chosen-file-name">{inert(name)}</bdi>
        <span className="chosen-file-path" title={inert(path)}>
          <bdi>{inert(path)}</bdi>
          {size !== undefined ? ` · ${formatBytes(size)}` : ''}
        </span>
      </div>
      {children}
      <button type="button" className="button ghost small" onClick={onRemove} aria-label={removeLabel} disabled={disabled}>
        Remove
      </button>
    </div>
  );
}
