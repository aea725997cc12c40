// A real .p12 rewritten to ask for another number of key-derivation rounds (MAC and every PBE or PBKDF2 it shows in
// the clear), the way a hostile file would: nothing else changes, so only the count can explain a refusal.
import forge from 'node-forge';
import { fromDer } from '../../main/core/certificate-info';

const PBE_OID = /^1\.2\.840\.113549\.1\.(12\.1\.\d|5\.12)$/;

function setCount(node: forge.asn1.Asn1, count: number): boolean {
  if (!Array.isArray(node.value)) {
    if (node.type !== forge.asn1.Type.OCTETSTRING || typeof node.value !== 'string' || node.value.charCodeAt(0) !== 0x30) return false;
    let inner: forge.asn1.Asn1;
    try {
      inner = fromDer(node.value, { strict: false, parseAllBytes: true, decodeBitStrings: false });
    } catch {
      return false;
    }
    if (!setCount(inner, count)) return false;
    node.value = forge.asn1.toDer(inner).getBytes();
    return true;
  }
  let changed = false;
  const [first, params] = node.value;
  if (first?.type === forge.asn1.Type.OID && PBE_OID.test(forge.asn1.derToOid(first.value as string)) && Array.isArray(params?.value)) {
    const counter = params.value[1];
    if (counter?.type === forge.asn1.Type.INTEGER) {
      counter.value = forge.asn1.integerToDer(count).getBytes();
      changed = true;
    }
  }
  for (const child of node.value) changed = setCount(child, count) || changed;
  return changed;
}

/** The bytes of `p12` with `count` rounds for the MAC and for each encryption shown outside encrypted parts. */
export function withIterations(p12: Uint8Array, count: number, parts: { mac?: boolean; encryption?: boolean } = {}): Buffer {
  const pfx = fromDer(forge.util.binary.raw.encode(p12), { strict: false, decodeBitStrings: false });
  const top = pfx.value as forge.asn1.Asn1[];
  if (parts.encryption !== false && !setCount(top[1]!, count)) throw new Error('no iteration count found outside the MAC');
  const mac = (top[2]?.value as forge.asn1.Asn1[] | undefined)?.[2];
  if (parts.mac !== false) {
    if (mac?.type !== forge.asn1.Type.INTEGER) throw new Error('no MAC iteration count');
    mac.value = forge.asn1.integerToDer(count).getBytes();
  }
  return Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary');
}
