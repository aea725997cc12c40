// Beside the check of a .p12 protected the modern way (PBES2/AES, HMAC-SHA-2, PBMAC1): what older Java servers do
// with it, and a button that writes a compatible copy (3DES, SHA-1 MAC, the same passphrase) where the user chooses.
// Main reads the original, writes and verifies the copy; the page only names the paths.
import { useState } from 'react';
import type { P12LegacyCopyResult } from '../../../../preload/contract';
import { api } from '../../bridge';
import { useReportError } from '../../components/app-error';
import { UntrustedText } from '../../components/untrusted-text';

function copyName(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? 'certificate.p12';
  return name.replace(/(\.(p12|pfx))?$/i, '-legacy.p12');
}

export function LegacyCopy({ note, source, passphrase }: { note: string; source: string; passphrase: string }) {
  const reportError = useReportError();
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<P12LegacyCopyResult | undefined>();

  const makeCopy = async () => {
    setWritten(undefined);
    const chosen = await api.dialogSaveFile({ kind: 'p12', defaultName: copyName(source) });
    if (!chosen.ok) {
      reportError(chosen.error, () => void makeCopy());
      return;
    }
    if (!chosen.value.path) return; // the user closed the dialog
    setBusy(true);
    try {
      const result = await api.p12LegacyCopy({ source, destination: chosen.value.path, passphrase });
      if (result.ok) setWritten(result.value);
      else reportError(result.error, () => void makeCopy());
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="status info" data-testid="p12-legacy-note">
      <p className="small">{note.replace(/ engagement-desk p12 legacy FILE COPY\.p12\.$/, ' Make one here:')}</p>
      <button type="button" className="button" onClick={() => void makeCopy()} disabled={busy || passphrase === ''} data-testid="p12-legacy-copy">
        {busy ? 'Writing the copy…' : 'Make a compatible copy…'}
      </button>
      {passphrase === '' ? <span className="muted small"> Enter the passphrase first: the copy keeps it.</span> : null}
      {written ? (
        <p className="small" role="status" data-testid="p12-legacy-result">
          Wrote <UntrustedText text={written.path} /> ({written.to.join(', ')}), read back and checked with the same passphrase. Upload it
          if the server refuses this file; the original is unchanged.
        </p>
      ) : null}
    </div>
  );
}
