// The bound on a PKCS#12 file's key derivations (issue #18): the file itself says how many rounds to run, and
// forge runs them on the calling thread, so counts are read and capped before (and while) anything is derived.
import forge from 'node-forge';
import { fromDer } from './certificate-info';

/** A PKCS#12 file that cannot be read, with the check code it is reported as. */
export class Pkcs12ReadError extends Error {
  constructor(
    readonly code: 'p12-not-pkcs12' | 'p12-wrong-passphrase' | 'p12-unsupported' | 'p12-integrity',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Key derivations are the slow part of opening a PKCS#12 file (forge runs them on the calling thread, which is the
 * app's main process), and the file itself says how many rounds to run. Real tools write 2,048 (OpenSSL 1.x and 3)
 * or 2,000 to 10,000 (Windows, Java keytool); 50,000 leaves room above all of them. The total (a file needs three
 * derivations, plus the empty-passphrase retry) keeps one check to 0.6 to 2 s of forge on a busy 2-core machine.
 */
export const MAX_P12_KDF_ITERATIONS = 50_000;
export const MAX_P12_KDF_TOTAL_ITERATIONS = 100_000;

const PKCS12_PBE_OID = /^1\.2\.840\.113549\.1\.12\.1\.\d$/;
const PBKDF2_OID = '1.2.840.113549.1.5.12';

function tooManyIterations(count: number, what: string): Pkcs12ReadError {
  return new Pkcs12ReadError(
    'p12-unsupported',
    `The certificate file asks for ${count.toLocaleString('en')} key-derivation rounds (${what}); at most ${MAX_P12_KDF_ITERATIONS.toLocaleString('en')} are accepted, and tools write 2,048 to 10,000. Export the certificate again with the usual settings (for example openssl pkcs12 -export without -iter).`,
  );
}

export function integerValue(node: forge.asn1.Asn1 | undefined): number | undefined {
  if (!node || node.type !== forge.asn1.Type.INTEGER || typeof node.value !== 'string') return undefined;
  // More than 6 bytes is beyond any limit; Infinity keeps the comparison honest without losing precision.
  if (node.value.length > 6) return Infinity;
  let value = 0;
  for (let i = 0; i < node.value.length; i++) value = value * 256 + node.value.charCodeAt(i);
  return value;
}

/**
 * Reads the MAC and PBE iteration counts the file shows in the clear and refuses a count above the limit before
 * anything is derived. Counts inside encrypted parts are held by withKdfBudget while forge opens the file.
 */
export function refuseCostlyIterations(pfx: forge.asn1.Asn1): void {
  const parts = Array.isArray(pfx.value) ? pfx.value : [];
  const macData = parts[2]?.value;
  const macCount = Array.isArray(macData) ? integerValue(macData[2]) : undefined;
  if (macCount !== undefined && macCount > MAX_P12_KDF_ITERATIONS) throw tooManyIterations(macCount, 'MAC');
  const visit = (node: forge.asn1.Asn1, depth: number): void => {
    if (depth > 40) return;
    if (Array.isArray(node.value)) {
      const [first, params] = node.value;
      if (first?.type === forge.asn1.Type.OID && typeof first.value === 'string' && Array.isArray(params?.value)) {
        const oid = forge.asn1.derToOid(first.value);
        if (PKCS12_PBE_OID.test(oid) || oid === PBKDF2_OID) {
          const count = integerValue(params.value[1]);
          if (count !== undefined && count > MAX_P12_KDF_ITERATIONS) throw tooManyIterations(count, 'encryption');
        }
      }
      for (const child of node.value) visit(child, depth + 1);
      return;
    }
    if (node.type === forge.asn1.Type.OCTETSTRING && typeof node.value === 'string' && node.value.charCodeAt(0) === 0x30) {
      let inner: forge.asn1.Asn1;
      try {
        inner = fromDer(node.value, { strict: false, parseAllBytes: false, decodeBitStrings: false });
      } catch {
        return; // not nested DER
      }
      visit(inner, depth + 1);
    }
  };
  if (parts[1]) visit(parts[1], 0);
  // A PBMAC1 MAC (RFC 9579) names its PBKDF2 rounds inside the MacData.
  if (parts[2]) visit(parts[2], 0);
}

/**
 * Counts the rounds of every derivation forge runs during one synchronous call (those inside encrypted bags are only
 * seen then) and stops past the limits, so no file can keep the thread busy for long.
 */
export function withKdfBudget<T>(run: () => T): T {
  const pbe = (forge.pki as unknown as { pbe: { generatePkcs12Key: (...args: unknown[]) => unknown } }).pbe;
  const p12 = forge.pkcs12 as unknown as { generateKey: (...args: unknown[]) => unknown };
  const pkcs5 = forge.pkcs5 as unknown as { pbkdf2: (...args: unknown[]) => unknown };
  const originals = { pkcs12Key: pbe.generatePkcs12Key, macKey: p12.generateKey, pbkdf2: pkcs5.pbkdf2 };
  let total = 0;
  const spend = (count: unknown, what: string): void => {
    const rounds = typeof count === 'number' ? count : Number(count);
    if (!(rounds <= MAX_P12_KDF_ITERATIONS)) throw tooManyIterations(rounds, what);
    total += rounds;
    if (total > MAX_P12_KDF_TOTAL_ITERATIONS) {
      throw new Pkcs12ReadError(
        'p12-unsupported',
        `The certificate file asks for more than ${MAX_P12_KDF_TOTAL_ITERATIONS.toLocaleString('en')} key-derivation rounds in all (too many encrypted parts). Export the certificate again with the usual settings.`,
      );
    }
  };
  pbe.generatePkcs12Key = (...args) => (spend(args[3], 'encryption'), originals.pkcs12Key.apply(pbe, args));
  p12.generateKey = (...args) => (spend(args[3], 'MAC'), originals.macKey.apply(p12, args));
  pkcs5.pbkdf2 = (...args) => (spend(args[2], 'encryption'), originals.pbkdf2.apply(pkcs5, args));
  try {
    return run();
  } finally {
    pbe.generatePkcs12Key = originals.pkcs12Key;
    p12.generateKey = originals.macKey;
    pkcs5.pbkdf2 = originals.pbkdf2;
  }
}
