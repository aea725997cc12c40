import { useState } from 'react';

/** Copies text with the async clipboard API, falling back to a hidden textarea and execCommand. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Clipboard permission denied or no focus: try the old way below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="button small"
      onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}
      onBlur={() => setState('idle')}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy manually' : label}
    </button>
  );
}

/** A request id in a results table: the id in monospace with its Copy button, or a dash when there is none. */
export function RequestIdCell({ requestId, testId }: { requestId: string | undefined; testId: string }) {
  if (!requestId) return <span className="muted">—</span>;
  return (
    <span className="request-id-cell">
      <span className="mono" data-testid={testId}>
        {requestId}
      </span>
      <CopyButton text={requestId} />
    </span>
  );
}
