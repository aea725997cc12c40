// Real test files built on the fly with the openssl CLI and the test zip writer: PKCS#12 certificates (modern
// and legacy encryption, with chosen validity dates), signed .pkpass archives (good and broken) and PNG images.
// Shared by the unit, integration, e2e suites and the benchmarks; every builder writes into a caller-owned dir.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { crc32, writeZip, type ZipEntrySpec } from './zip-writer';

const run = promisify(execFile);

/** Runs the openssl command in `cwd` (p12Pass reaches it as $ED_TEST_P12_PASS); resolves to its output. */
export async function openssl(args: string[], cwd: string, p12Pass?: string): Promise<string> {
  const bridge = process.platform === 'win32' ? process.env.ENGAGEMENT_DESK_OPENSSL_BRIDGE : undefined;
  if (bridge) {
    // The Windows lane under Wine, which cannot start Linux's openssl: tools/windows/openssl-bridge.mjs runs it.
    const answer = (await (await fetch(bridge, { method: 'POST', body: JSON.stringify({ args, cwd, p12Pass }) })).json()) as {
      code: number;
      stdout: string;
      stderr: string;
    };
    if (answer.code !== 0) throw new Error(`openssl ${args[0]} failed (${answer.code}): ${answer.stderr}`);
    return answer.stdout;
  }
  const env = p12Pass === undefined ? process.env : { ...process.env, ED_TEST_P12_PASS: p12Pass };
  const { stdout } = await run('openssl', args, { cwd, env, maxBuffer: 10 * 1024 * 1024 });
  return stdout;
}

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** openssl ca wants YYYYMMDDHHMMSSZ. */
function caDate(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

export interface CertificateOptions {
  /** Subject in openssl's /K=V form; default a CN unique to the call. */
  subject?: string;
  /** Valid from now for this many days (default 365). Ignored when notBefore/notAfter are given. */
  days?: number;
  /** Exact validity window (uses `openssl ca -selfsign`, since OpenSSL 3.0 req/x509 cannot backdate). */
  notBefore?: Date;
  notAfter?: Date;
}

export interface CertificateFiles {
  certPath: string;
  keyPath: string;
  /** `openssl x509 -fingerprint -sha256` value (upper-case colon hex). */
  sha256Fingerprint: string;
  /** `openssl x509 -serial` value (upper-case hex). */
  serialNumber: string;
}

/** A self-signed RSA 2048 certificate and its unencrypted key, as PEM files in `dir`. */
export async function makeCertificate(dir: string, options: CertificateOptions = {}): Promise<CertificateFiles> {
  const base = unique('cert');
  const keyPath = join(dir, `${base}.key.pem`);
  const certPath = join(dir, `${base}.cert.pem`);
  const subject = options.subject ?? `/CN=Engagement Desk Test ${base}/O=Example Org`;
  if (options.notBefore || options.notAfter) {
    const caDir = join(dir, `${base}-ca`);
    await mkdir(caDir, { recursive: true });
    await writeFile(join(caDir, 'index.txt'), '');
    await writeFile(join(caDir, 'serial'), `${Date.now().toString(16).padStart(16, '0')}\n`);
    await writeFile(
      join(caDir, 'ca.cnf'),
      [
        '[ ca ]',
        'default_ca = CA_default',
        '[ CA_default ]',
        'database = index.txt',
        'new_certs_dir = .',
        'serial = serial',
        'default_md = sha256',
        'policy = policy_any',
        'unique_subject = no',
        'preserve = yes',
        'email_in_dn = no',
        '[ policy_any ]',
        'userId = optional',
        'commonName = supplied',
        'organizationalUnitName = optional',
        'organizationName = optional',
        'countryName = optional',
        '',
      ].join('\n'),
    );
    const reqPath = join(caDir, 'req.pem');
    await openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', reqPath, '-subj', subject], caDir);
    const notBefore = options.notBefore ?? new Date();
    const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 365 * 86_400_000);
    await openssl(
      ['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', keyPath, '-in', reqPath, '-out', certPath, '-notext',
        '-startdate', caDate(notBefore), '-enddate', caDate(notAfter)],
      caDir,
    );
  } else {
    await openssl(
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', String(options.days ?? 365), '-subj', subject],
      dir,
    );
  }
  const facts = await openssl(['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256', '-serial'], dir);
  return {
    certPath,
    keyPath,
    sha256Fingerprint: /Fingerprint=([0-9A-F:]+)/.exec(facts)?.[1] ?? '',
    serialNumber: /serial=([0-9A-F]+)/.exec(facts)?.[1] ?? '',
  };
}

export interface P12Options extends CertificateOptions {
  passphrase: string;
  /**
   * true: `-legacy` (RC2-40 certificates, 3DES key, SHA-1 MAC) like old OpenSSL and Windows exports;
   * '3des': 3DES for both, SHA-1 MAC (Windows "TripleDES-SHA1" export) without the legacy provider;
   * false/absent: OpenSSL 3 default (PBES2 AES-256-CBC, hmacWithSHA256, SHA-256 MAC).
   */
  legacy?: boolean | '3des';
  /** Export only the certificate (`-nokeys`). */
  noKey?: boolean;
  /** Export only the key (`-nocerts`). */
  noCert?: boolean;
  /** Reuse an existing certificate instead of making one. */
  certificate?: CertificateFiles;
}

export interface P12Fixture extends CertificateFiles {
  path: string;
}

/** A .p12 built by `openssl pkcs12 -export`. The passphrase goes through an env var, never argv. */
export async function makeP12(dir: string, options: P12Options): Promise<P12Fixture> {
  const certificate = options.certificate ?? (await makeCertificate(dir, options));
  const path = join(dir, `${unique('identity')}.p12`);
  const args = ['pkcs12', '-export', '-out', path, '-passout', 'env:ED_TEST_P12_PASS'];
  if (!options.noKey) args.push('-inkey', certificate.keyPath);
  if (options.noCert) args.push('-nocerts');
  else args.push('-in', certificate.certPath);
  if (options.noKey) args.push('-nokeys');
  if (options.legacy === true) args.push('-legacy');
  if (options.legacy === '3des') args.push('-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1');
  await openssl(args, dir, options.passphrase);
  return { ...certificate, path };
}

// ---------------------------------------------------------------------------------------------------------------
// PNG

/** A valid RGBA PNG of the given size filled with one colour (real IHDR/IDAT/IEND chunks with CRCs). */
export function makePng(width: number, height: number, rgba: [number, number, number, number] = [40, 90, 160, 255]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const row = Buffer.alloc(1 + width * 4);
  for (let x = 0; x < width; x++) row.set(rgba, 1 + x * 4);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// .pkpass

export const TEST_PASS_TYPE_ID = 'pass.com.example.engagementdesk';
export const TEST_TEAM_ID = 'ABCDE12345';

/** A minimal valid storeCard pass.json; spread overrides on top (set a key to undefined to drop it). */
export function samplePassJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const pass: Record<string, unknown> = {
    formatVersion: 1,
    passTypeIdentifier: TEST_PASS_TYPE_ID,
    serialNumber: 'SN-0001',
    teamIdentifier: TEST_TEAM_ID,
    organizationName: 'Example Org',
    description: 'Example loyalty card',
    logoText: 'Example',
    foregroundColor: 'rgb(255, 255, 255)',
    backgroundColor: 'rgb(60, 65, 76)',
    labelColor: 'rgb(200, 200, 200)',
    storeCard: {
      headerFields: [{ key: 'points', label: 'POINTS', value: 1250 }],
      primaryFields: [{ key: 'balance', label: 'BALANCE', value: '21.75 EUR' }],
      secondaryFields: [{ key: 'member', label: 'MEMBER', value: 'Ada Lovelace' }],
      auxiliaryFields: [{ key: 'level', label: 'LEVEL', value: 'Gold' }],
      backFields: [{ key: 'terms', label: 'TERMS', value: 'No cash value.' }],
    },
    barcodes: [{ format: 'PKBarcodeFormatQR', message: 'SN-0001', messageEncoding: 'iso-8859-1' }],
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete pass[key];
    else pass[key] = value;
  }
  return pass;
}

/** The usual images of a small pass: icon, icon@2x, logo, logo@2x, strip. */
export function samplePassImages(): Record<string, Buffer> {
  return {
    'icon.png': makePng(29, 29),
    'icon@2x.png': makePng(58, 58),
    'logo.png': makePng(160, 50),
    'logo@2x.png': makePng(320, 100),
    'strip.png': makePng(375, 123, [200, 60, 60, 255]),
  };
}

export interface PkpassOptions {
  /** File name in dir (default unique). */
  name?: string;
  /** pass.json content: an object (serialised) or raw text. Default samplePassJson(). */
  passJson?: Record<string, unknown> | string;
  /**
   * Files besides pass.json (default samplePassImages()), all listed in the manifest; localisation goes here too,
   * e.g. {...samplePassImages(), 'en.lproj/pass.strings': '"BALANCE" = "Balance";'}.
   */
  files?: Record<string, Uint8Array | string>;
  /** Manifest tampering. */
  manifest?: {
    /** Names left out of manifest.json (the files stay in the zip: "extra" files). */
    omit?: string[];
    /** Names whose hash is replaced by a wrong one. */
    wrongHash?: string[];
    /** Entries listed in manifest.json that are not in the zip. */
    phantom?: Record<string, string>;
  };
  /**
   * How to sign: 'generate' (default) makes a valid signing certificate; an object reuses one; false leaves the
   * signature out entirely. Signing uses `openssl smime -sign -binary -outform DER` over manifest.json.
   */
  sign?: 'generate' | false | CertificateFiles;
  /** Options for the generated signing certificate (validity, subject). */
  signer?: CertificateOptions;
  /** Keep signed attributes (signing time, message digest) in the signature; default -noattr like many tools. */
  signedAttributes?: boolean;
  /** Change pass.json AFTER signing (a tampered pass: manifest mismatch). */
  tamperPassJson?: boolean;
  /** Raw zip entries appended as they are (unsafe names, bombs, duplicates); not in the manifest. */
  rawEntries?: ZipEntrySpec[];
  /** Leave these names out of the zip (e.g. 'manifest.json'). */
  leaveOut?: string[];
}

export interface PkpassFixture {
  path: string;
  manifest: Record<string, string>;
  /** manifest.json exactly as written into the pass. */
  manifestText: string;
  passJson: string;
  signer?: CertificateFiles;
  signature?: Buffer;
}

/**
 * A detached PKCS#7 signature (DER) over the manifest text, as Apple's signpass makes it:
 * `openssl smime -sign -binary -outform DER` (with -noattr unless signedAttributes).
 */
export async function signManifest(
  dir: string,
  manifestText: string,
  signer: CertificateFiles,
  options: { signedAttributes?: boolean } = {},
): Promise<Buffer> {
  const base = join(dir, unique('manifest'));
  await writeFile(`${base}.json`, manifestText);
  const args = ['smime', '-sign', '-binary', '-in', `${base}.json`, '-signer', signer.certPath, '-inkey', signer.keyPath,
    '-outform', 'DER', '-out', `${base}.sig`, '-md', 'sha256'];
  if (!options.signedAttributes) args.push('-noattr');
  await openssl(args, dir);
  return readFile(`${base}.sig`);
}

/** Subject of an Apple-style pass signing certificate for the test pass type and team. */
export const TEST_SIGNER_SUBJECT = `/UID=${TEST_PASS_TYPE_ID}/CN=Pass Type ID: ${TEST_PASS_TYPE_ID}/OU=${TEST_TEAM_ID}/O=Example Org/C=US`;

function sha1Hex(bytes: Uint8Array | string): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Build a .pkpass in dir; default: a valid, signed storeCard pass that passes every check. */
export async function makePkpass(dir: string, options: PkpassOptions = {}): Promise<PkpassFixture> {
  const passJson =
    typeof options.passJson === 'string' ? options.passJson : JSON.stringify(options.passJson ?? samplePassJson(), null, 2);
  const files: Record<string, Uint8Array | string> = { 'pass.json': passJson, ...(options.files ?? samplePassImages()) };
  const manifest: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    if (options.manifest?.omit?.includes(name)) continue;
    manifest[name] = options.manifest?.wrongHash?.includes(name) ? sha1Hex(`not ${name}`) : sha1Hex(content);
  }
  Object.assign(manifest, options.manifest?.phantom ?? {});
  const manifestText = JSON.stringify(manifest, null, 2);

  let signature: Buffer | undefined;
  let signer: CertificateFiles | undefined;
  const sign = options.sign ?? 'generate';
  if (sign !== false) {
    signer =
      sign === 'generate'
        ? await makeCertificate(dir, { subject: TEST_SIGNER_SUBJECT, ...options.signer })
        : sign;
    signature = await signManifest(dir, manifestText, signer, { signedAttributes: options.signedAttributes ?? false });
  }

  if (options.tamperPassJson) files['pass.json'] = passJson.replace('"SN-0001"', '"SN-9999"');
  const entries: ZipEntrySpec[] = [];
  for (const [name, content] of Object.entries(files)) entries.push({ name, data: content });
  entries.push({ name: 'manifest.json', data: manifestText });
  if (signature) entries.push({ name: 'signature', data: signature });
  entries.push(...(options.rawEntries ?? []));
  const kept = entries.filter((entry) => !options.leaveOut?.includes(entry.name));
  const path = join(dir, options.name ?? `${unique('pass')}.pkpass`);
  await writeFile(path, writeZip(kept));
  const fixture: PkpassFixture = { path, manifest, manifestText, passJson };
  if (signer) fixture.signer = signer;
  if (signature) fixture.signature = signature;
  return fixture;
}

/** The documented import passContent (engagement-api.md B2), for benchmarks and tests that need a typical one. */
export function samplePassContent(): Record<string, unknown> {
  return {
    recipients: { recipient: [{ id: '48494' }] },
    passIntegrationConfig: {
      passIssueNotificationDetails: [
        { channel: 'SMS', enabled: true, messageContent: 'Get it: ##SMS Pass Link##' },
        {
          channel: 'EMAIL',
          enabled: true,
          subject: 'Pass Issued',
          senderName: 'Test User',
          senderEmail: 'abcd@example.com',
          messageContent: "<a href='##Email Pass Link##'>click here</a>",
        },
      ],
      passUpdateNotificationDetails: [
        { channel: 'SMS', enabled: true, messageContent: 'Pass Update SMS' },
        { channel: 'EMAIL', enabled: true, subject: 'Pass Update', senderName: 'Ops', senderEmail: 'ops@example.com', messageContent: 'Updated' },
      ],
    },
    priority: true,
    startTimeStamp: 0,
    endTimeStamp: 0,
  };
}
