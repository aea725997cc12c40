// PBMAC1-protected PKCS#12 files (RFC 9579) for tests: Debian 12's OpenSSL 3.0 cannot write them (3.4 can, with
// -pbmac1_pbkdf2), so an OpenSSL file gets its MacData replaced by a PBMAC1 one computed with node:crypto: PBKDF2 over
// the UTF-8 passphrase, HMAC-SHA-256 over the authSafe content.
import { createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { fromDer, toBinaryString } from '../../main/core/certificate-info';

export const PBMAC1_OIDS = { pbmac1: '1.2.840.113549.1.5.14', pbkdf2: '1.2.840.113549.1.5.12', hmacSha256: '1.2.840.113549.2.9', hmacSha224: '1.2.840.113549.2.8' };
const OIDS = PBMAC1_OIDS;

export interface Pbmac1Options {
  /** The passphrase the MAC is keyed with (the contents' own, unless a mismatch is wanted). */
  passphrase: string;
  iterations?: number;
  prf?: string;
  /** Changes one byte of the MAC after computing it. */
  forge?: boolean;
}

const { asn1 } = forge;
const seq = (...items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const oid = (dotted: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
const octets = (bytes: Buffer) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString('latin1'));
const int = (value: number) => asn1.integerToDer(value).getBytes();
const integer = (value: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, int(value));

/** The OpenSSL file with its MacData replaced by a PBMAC1 (PBKDF2-HMAC-SHA-256, HMAC-SHA-256) one. */
export function withPbmac1(p12: Uint8Array, options: Pbmac1Options): Buffer {
  const pfx = fromDer(toBinaryString(p12), { strict: false, parseAllBytes: false, decodeBitStrings: false });
  const parts = pfx.value as forge.asn1.Asn1[];
  const authSafe = parts[1]!.value as forge.asn1.Asn1[];
  const content = Buffer.from(((authSafe[1]!.value as forge.asn1.Asn1[])[0]!.value as string), 'latin1');
  const salt = randomBytes(16);
  const iterations = options.iterations ?? 2048;
  // A file that asks for more rounds than the reader allows is refused before any derivation: its MAC needs no more.
  const key = pbkdf2Sync(Buffer.from(options.passphrase, 'utf8'), salt, Math.min(iterations, 4096), 32, 'sha256');
  const mac = createHmac('sha256', key).update(content).digest();
  if (options.forge) mac[0]! ^= 0x01;
  const params = seq(
    seq(oid(OIDS.pbkdf2), seq(octets(salt), integer(iterations), integer(32), seq(oid(options.prf ?? OIDS.hmacSha256)))),
    seq(oid(OIDS.hmacSha256)),
  );
  // RFC 9579: macSalt and iterations of MacData are not used by PBMAC1 (OpenSSL writes "NOT USED" and 1).
  const macData = seq(seq(seq(oid(OIDS.pbmac1), params), octets(mac)), octets(Buffer.from('NOT USED')), integer(1));
  const rebuilt = seq(parts[0]!, parts[1]!, macData);
  return Buffer.from(asn1.toDer(rebuilt).getBytes(), 'latin1');
}

