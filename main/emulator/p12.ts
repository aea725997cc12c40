// Opens an uploaded .p12 with its passphrase, as the real server must before it can use the certificate. The
// reading itself is the app's own PKCS#12 reader (main/core/p12.ts), so both accept exactly the same files.
import { pkcs12OpenResult } from '../core/p12';

export type Pkcs12Check = { ok: true } | { ok: false; reason: 'not-pkcs12' | 'wrong-passphrase' | 'integrity' | 'too-large' };

/** Real MPNS certificates are a few KiB; parsing is in-memory, so anything bigger is refused unread. */
export const MAX_PKCS12_BYTES = 2 * 1024 * 1024;

export function checkPkcs12(bytes: Buffer, passphrase: string): Pkcs12Check {
  if (bytes.length > MAX_PKCS12_BYTES) return { ok: false, reason: 'too-large' };
  const result = pkcs12OpenResult(bytes, passphrase);
  if (result === 'ok') return { ok: true };
  // A MAC that fails although the passphrase opens the contents is a changed file, not a wrong passphrase.
  return { ok: false, reason: result === 'wrong-passphrase' || result === 'integrity' ? result : 'not-pkcs12' };
}
