// A self-signed certificate for the emulator's HTTPS option: made at start-up for its host, never trusted by
// anyone, so tests can show that the client refuses an untrusted server instead of silently accepting it.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface TlsIdentity {
  key: string;
  cert: string;
}

export function selfSignedIdentity(host: string): TlsIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 7 * 86_400_000);
  const subject = [{ name: 'commonName', value: host }, { name: 'organizationName', value: 'Engagement Desk emulator' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const isIp = /^[\d.]+$|:/.test(host);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'subjectAltName', altNames: [isIp ? { type: 7, ip: host } : { type: 2, value: host }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { key: keyPem, cert: forge.pki.certificateToPem(cert) };
}
