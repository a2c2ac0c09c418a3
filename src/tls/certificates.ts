/**
 * Security data as users hand it to us — a PEM string, a PEM or DER Buffer — parsed,
 * checked and converted before anything goes near a modem.
 *
 * Owns: recognising certificates and private keys in PEM or DER, converting between
 * the two, the checks load-cert makes before writing (validity dates, key matches
 * certificate), fingerprints (MD5 of the DER, as u-blox reports it).
 * Must never: put key material into an error message, a log or a returned summary.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { parameterError } from '../at/errors';

export type CertType = 'ca' | 'cert' | 'key';
export type DataFormat = 'pem' | 'der';

export interface ParsedCertificate {
  kind: 'certificate';
  der: Buffer;
  x509: X509Certificate;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  selfSigned: boolean;
  /** Certificates after the first in a PEM bundle (a chain), in order. */
  chain: X509Certificate[];
}

export interface ParsedKey {
  kind: 'key';
  der: Buffer;
  key: KeyObject;
  /** `rsa`, `ec`, `ed25519`, … */
  algorithm: string;
  /** The PEM label the key came with: `RSA PRIVATE KEY` (PKCS#1), `PRIVATE KEY` (PKCS#8), `EC PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`. */
  pemLabel?: string;
  encrypted: boolean;
}

export type ParsedSecurityData = ParsedCertificate | ParsedKey;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

interface PemBlock {
  label: string;
  der: Buffer;
}

/** The PEM blocks of a text, in order. Text around them (comments, `Bag Attributes`) is ignored. */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const body = m[2].replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
    blocks.push({ label: m[1], der: Buffer.from(body, 'base64') });
  }
  return blocks;
}

/** RFC 7468 textual encoding: 64-character lines, LF line endings, a final LF. */
export function toPem(label: string, der: Buffer): string {
  const b64 = der.toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function looksLikePem(data: Buffer | string): boolean {
  const text = typeof data === 'string' ? data : data.subarray(0, 4096).toString('latin1');
  return text.includes('-----BEGIN ');
}

/**
 * Parses what a flow supplied as `msg.payload` for a given kind of security data.
 * `field` names the message property in errors (`msg.payload`).
 */
export function parseSecurityData(input: unknown, certType: CertType, options: { password?: string; field?: string } = {}): ParsedSecurityData {
  const field = options.field ?? 'msg.payload';
  let data: Buffer | string;
  if (typeof input === 'string') data = input;
  else if (Buffer.isBuffer(input)) data = input;
  else if (input instanceof Uint8Array) data = Buffer.from(input);
  else throw parameterError(field, `must be a PEM string or a PEM/DER Buffer, got ${input === null ? 'null' : typeof input}`);
  if (data.length === 0) throw parameterError(field, 'is empty');
  return certType === 'key' ? parseKey(data, field, options.password) : parseCertificate(data, field);
}

function parseCertificate(data: Buffer | string, field: string): ParsedCertificate {
  let ders: Buffer[];
  if (looksLikePem(data)) {
    const text = typeof data === 'string' ? data : data.toString('latin1');
    const blocks = pemBlocks(text);
    const certs = blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE' || b.label === 'X509 CERTIFICATE');
    if (certs.length === 0) {
      const labels = blocks.map((b) => b.label).join(', ') || 'none';
      throw parameterError(field, `holds no certificate (PEM blocks found: ${labels})`);
    }
    ders = certs.map((b) => b.der);
  } else if (typeof data === 'string') {
    throw parameterError(field, 'is text but not PEM (no -----BEGIN CERTIFICATE----- line)');
  } else {
    ders = [data];
  }
  const pem = looksLikePem(data);
  const x509s = ders.map((der, i) => {
    try {
      return new X509Certificate(der);
    } catch {
      // The library's words ("no start line") describe its own attempt, not what is wrong with the input.
      throw parameterError(field, pem
        ? `is not a valid X.509 certificate: PEM block ${i + 1} of ${ders.length} (-----BEGIN CERTIFICATE-----) does not decode to one — its base64 text is damaged or cut short`
        : 'is not a valid X.509 certificate: neither PEM text (a -----BEGIN CERTIFICATE----- block) nor DER (binary ASN.1)');
    }
  });
  const x509 = x509s[0];
  return {
    kind: 'certificate',
    der: Buffer.from(x509.raw),
    x509,
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    isCa: x509.ca,
    selfSigned: x509.subject === x509.issuer && safeVerify(x509, x509.publicKey),
    chain: x509s.slice(1),
  };
}

function safeVerify(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.verify(key);
  } catch {
    return false;
  }
}

function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

function parseKey(data: Buffer | string, field: string, password?: string): ParsedKey {
  let key: KeyObject;
  let pemLabel: string | undefined;
  let encrypted = false;
  try {
    if (looksLikePem(data)) {
      const text = typeof data === 'string' ? data : data.toString('latin1');
      const block = pemBlocks(text).find((b) => /PRIVATE KEY$/.test(b.label));
      if (!block) throw parameterError(field, 'holds no private key (no -----BEGIN … PRIVATE KEY----- block)');
      pemLabel = block.label;
      // Legacy OpenSSL encryption keeps its parameters in headers (`Proc-Type`, `DEK-Info`),
      // so that form must be read from the original text, headers included.
      const legacyEncrypted = /Proc-Type: 4,ENCRYPTED/.test(text);
      encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || legacyEncrypted;
      if (encrypted && !password) throw parameterError('password', 'the private key is encrypted: give its password');
      key = createPrivateKey({ key: legacyEncrypted ? text : toPem(block.label, block.der), format: 'pem', passphrase: password });
    } else if (typeof data === 'string') {
      throw parameterError(field, 'is text but not PEM (no -----BEGIN … PRIVATE KEY----- line)');
    } else if (isEncryptedPkcs8(data)) {
      encrypted = true;
      if (!password) throw parameterError('password', 'the private key is encrypted: give its password');
      key = createPrivateKey({ key: data, format: 'der', type: 'pkcs8', passphrase: password });
    } else {
      key = derKey(data);
    }
  } catch (err) {
    if ((err as { kind?: string }).kind === 'PARAMETER') throw err;
    // The library's message can quote the input; never let key material reach an error.
    // An encrypted key that fails to open with a password given was most likely given the wrong one:
    // one wrong password in a few hundred decrypts to a valid padding and fails later, as garbage.
    const wrongPassword = (encrypted && password !== undefined) || /bad decrypt|interrupted or cancelled|passphrase/i.test((err as Error).message);
    throw parameterError(wrongPassword ? 'password' : field, wrongPassword ? 'does not decrypt the private key' : 'is not a readable private key');
  }
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return { kind: 'key', der, key, algorithm: key.asymmetricKeyType ?? 'unknown', pemLabel, encrypted };
}

/**
 * Whether `der` is a PKCS#8 EncryptedPrivateKeyInfo (RFC 5208 §6): a SEQUENCE whose first element
 * is the encryption AlgorithmIdentifier, a SEQUENCE — where a plain PKCS#8, PKCS#1 or SEC1 key
 * starts with its version, an INTEGER.
 */
function isEncryptedPkcs8(der: Buffer): boolean {
  if (der.length < 4 || der[0] !== 0x30) return false;
  const lengthBytes = der[1]! < 0x80 ? 0 : der[1]! & 0x7f;
  return der[2 + lengthBytes] === 0x30;
}

function derKey(der: Buffer): KeyObject {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  throw new Error('not a DER private key');
}

/** Whether `key` is the private half of `cert`'s public key. */
export function keyMatchesCertificate(key: ParsedKey, cert: ParsedCertificate): boolean {
  try {
    return cert.x509.checkPrivateKey(key.key);
  } catch {
    const pub = createPublicKey(key.key).export({ format: 'der', type: 'spki' });
    return pub.equals(cert.x509.publicKey.export({ format: 'der', type: 'spki' }));
  }
}

export interface ValidityProblem {
  problem: 'expired' | 'not-yet-valid';
  message: string;
}

/** Checks a certificate's dates against `now` (the modem's clock when known, else this host's). */
export function checkValidity(cert: ParsedCertificate, now: Date): ValidityProblem | null {
  if (now.getTime() > cert.notAfter.getTime()) {
    return { problem: 'expired', message: `the certificate "${cert.subject}" expired on ${cert.notAfter.toISOString()}` };
  }
  if (now.getTime() < cert.notBefore.getTime()) {
    return { problem: 'not-yet-valid', message: `the certificate "${cert.subject}" is not valid before ${cert.notBefore.toISOString()}` };
  }
  return null;
}

/** MD5 of the DER encoding, lower-case hex — what u-blox `+USECMNG` op 4 reports. */
export function md5(der: Buffer): string {
  return createHash('md5').update(der).digest('hex');
}

/** SHA-256 fingerprint of the DER encoding, lower-case hex. */
export function sha256(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * Encodes parsed security data for a modem.
 * - `pem`: RFC 7468 text with LF-only lines (Telit §6.5 demands exactly that). Keys keep
 *   their PKCS#1 form when `rsaPkcs1` is asked for, as older modules expect `RSA PRIVATE KEY`.
 * - `der`: the binary encoding.
 */
export function encodeSecurityData(parsed: ParsedSecurityData, format: DataFormat, options: { rsaPkcs1?: boolean } = {}): Buffer {
  if (parsed.kind === 'certificate') {
    return format === 'der' ? parsed.der : Buffer.from(toPem('CERTIFICATE', parsed.der), 'latin1');
  }
  if (options.rsaPkcs1 && parsed.algorithm === 'rsa') {
    const pkcs1 = parsed.key.export({ format: 'der', type: 'pkcs1' });
    return format === 'der' ? pkcs1 : Buffer.from(toPem('RSA PRIVATE KEY', pkcs1), 'latin1');
  }
  return format === 'der' ? parsed.der : Buffer.from(toPem('PRIVATE KEY', parsed.der), 'latin1');
}

/** A summary safe to put in `msg.payload`: never key material. */
export function describeSecurityData(parsed: ParsedSecurityData): { subject?: string; notAfter?: string; algorithm?: string } {
  if (parsed.kind === 'certificate') return { subject: parsed.subject, notAfter: parsed.notAfter.toISOString() };
  return { algorithm: parsed.algorithm };
}
