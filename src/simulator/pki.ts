/**
 * A small X.509 certificate issuer for tests and the demo: keys, CAs, server and client
 * certificates, in every form a modem is fed (PEM and DER certificates; PKCS#8, PKCS#1 and
 * encrypted PKCS#8 keys), built with `node:crypto` alone.
 *
 * Owns: a minimal DER encoder (ITU-T X.690) and the TBSCertificate of RFC 5280 §4.1, signed with
 * `crypto.sign`. Must never: protect anything real (no revocation, no policies, private keys held
 * unprotected in memory), or pull in a third-party crypto library — OpenSSL, through
 * `X509Certificate` and real `node:tls` handshakes in the tests, is the judge of what it emits.
 *
 * ```
 * const pki = createTestPki();                      // CA, server for localhost/127.0.0.1/::1, client, bad ones
 * tls.createServer({ cert: pki.server.cert, key: pki.server.key });
 * const root = createCertificateAuthority({ subject: { CN: 'My root' }, keyType: 'ec' });
 * const leaf = issueCertificate({ issuer: root, subject: { CN: 'device-7' }, extendedKeyUsage: ['clientAuth'] });
 * ```
 */
import * as crypto from 'node:crypto';
import * as net from 'node:net';

// ---------------------------------------------------------------------------------------------
// DER (ITU-T X.690 §8 basic encoding restricted by §10/§11 distinguished rules)
// ---------------------------------------------------------------------------------------------

const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  PrintableString: 0x13,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Definite-length form, shortest encoding (X.690 §10.1). */
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(TAG.SEQUENCE, ...items);
/** DER orders the elements of a SET OF by their encodings (X.690 §11.6). */
const set = (...items: Buffer[]): Buffer => tlv(TAG.SET, ...[...items].sort(Buffer.compare));
const derNull = (): Buffer => Buffer.from([TAG.NULL, 0]);
const boolean = (value: boolean): Buffer => Buffer.from([TAG.BOOLEAN, 1, value ? 0xff : 0x00]); // X.690 §11.1
const octetString = (value: Buffer): Buffer => tlv(TAG.OCTET_STRING, value);
/** Context-specific constructed tag `[n]` around an encoding (EXPLICIT tagging). */
const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
/** Context-specific primitive tag `[n]` replacing a primitive type's own tag (IMPLICIT tagging). */
const implicitPrimitive = (n: number, content: Buffer): Buffer => tlv(0x80 | n, content);

/** A non-negative INTEGER from its big-endian magnitude: minimal two's complement (X.690 §8.3.2). */
function unsignedInteger(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let body = magnitude.subarray(start);
  if (body.length === 0) body = Buffer.from([0]);
  if (body[0]! & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(TAG.INTEGER, body);
}

function smallInteger(value: number): Buffer {
  const hex = value.toString(16);
  return unsignedInteger(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}

/** OBJECT IDENTIFIER: first two arcs folded into one, then base-128 (X.690 §8.19). */
function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const values = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const value of values) {
    const group: number[] = [Number(value & 0x7fn)];
    for (let v = value >> 7n; v > 0n; v >>= 7n) group.unshift(Number(v & 0x7fn) | 0x80);
    bytes.push(...group);
  }
  return tlv(TAG.OID, Buffer.from(bytes));
}

/** BIT STRING holding whole octets (keys, signatures): no unused bits. */
const bitStringOctets = (value: Buffer): Buffer => tlv(TAG.BIT_STRING, Buffer.from([0]), value);

/**
 * A named-bit BIT STRING (KeyUsage): bit 0 is the most significant bit of the first octet, and DER
 * drops trailing zero bits, stating how many bits of the last octet are unused (X.690 §11.2.2).
 */
function namedBits(bits: readonly number[]): Buffer {
  if (bits.length === 0) return tlv(TAG.BIT_STRING, Buffer.from([0]));
  const highest = Math.max(...bits);
  const octets = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) octets[Math.floor(bit / 8)]! |= 0x80 >> bit % 8;
  const unused = 7 - (highest % 8);
  return tlv(TAG.BIT_STRING, Buffer.from([unused]), octets);
}

/**
 * RFC 5280 §4.1.2.5: dates through 2049 MUST be UTCTime (YYMMDDHHMMSSZ, YY ≥ 50 meaning 19YY), dates
 * from 2050 on MUST be GeneralizedTime (YYYYMMDDHHMMSSZ); both in Zulu time with seconds and without
 * fractions (§4.1.2.5.1, §4.1.2.5.2).
 */
function time(date: Date): Buffer {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const year = date.getUTCFullYear();
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  if (year >= 1950 && year < 2050) return tlv(TAG.UTCTime, Buffer.from(`${pad(year % 100)}${rest}`, 'ascii'));
  return tlv(TAG.GeneralizedTime, Buffer.from(`${pad(year, 4)}${rest}`, 'ascii'));
}

/** Reads one TLV at `offset`: just enough DER decoding to take a SubjectPublicKeyInfo apart. */
function readTlv(der: Buffer, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    start += count;
  }
  return { tag, start, end: start + length };
}

// ---------------------------------------------------------------------------------------------
// Object identifiers (RFC 5280 §4.1.2.4, §4.2; RFC 4055 §5; RFC 5758 §3.2; X.520)
// ---------------------------------------------------------------------------------------------

const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** Name attributes, in the order they are written (most significant first, as X.501 DNs read). */
const NAME_ATTRIBUTES = [
  ['C', '2.5.4.6'],
  ['ST', '2.5.4.8'],
  ['L', '2.5.4.7'],
  ['O', '2.5.4.10'],
  ['OU', '2.5.4.11'],
  ['CN', '2.5.4.3'],
] as const;

export type NameAttribute = (typeof NAME_ATTRIBUTES)[number][0];

/** A distinguished name: `{ CN: 'localhost', O: 'Example' }`. */
export type DistinguishedName = Partial<Record<NameAttribute, string>>;

/**
 * Name ::= SEQUENCE OF RelativeDistinguishedName, each a SET of one AttributeTypeAndValue.
 * RFC 5280 §4.1.2.4: new certificates use UTF8String for DirectoryString; countryName is a
 * PrintableString of two letters (X.520, RFC 5280 Appendix A).
 */
function encodeName(name: DistinguishedName): Buffer {
  const rdns: Buffer[] = [];
  for (const [key, attributeOid] of NAME_ATTRIBUTES) {
    const value = name[key];
    if (value === undefined) continue;
    const encoded = key === 'C' ? tlv(TAG.PrintableString, Buffer.from(value, 'ascii')) : tlv(TAG.UTF8String, Buffer.from(value, 'utf8'));
    rdns.push(set(sequence(oid(attributeOid), encoded)));
  }
  return sequence(...rdns);
}

/** The one-line form used in `subject` fields: `O=Example, CN=localhost` (encoding order). */
function formatName(name: DistinguishedName): string {
  return NAME_ATTRIBUTES.filter(([key]) => name[key] !== undefined)
    .map(([key]) => `${key}=${name[key]}`)
    .join(', ');
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

export type KeyType = 'rsa' | 'ec';

export interface KeyPair {
  type: KeyType;
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
}

/** RSA 2048 (what Telit modules take for client keys) or EC P-256 (quick to generate). */
export function generateKeyPair(type: KeyType = 'rsa'): KeyPair {
  const { privateKey, publicKey } =
    type === 'rsa'
      ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
      : crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { type, privateKey, publicKey };
}

function keyTypeOf(key: crypto.KeyObject): KeyType {
  if (key.asymmetricKeyType === 'rsa') return 'rsa';
  if (key.asymmetricKeyType === 'ec') return 'ec';
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'}: use an RSA or EC P-256 key`);
}

/**
 * AlgorithmIdentifier of the signature: RSA carries explicit NULL parameters (RFC 4055 §5 via
 * RFC 5280 §4.1.1.2), ECDSA omits them (RFC 5758 §3.2).
 */
function signatureAlgorithm(type: KeyType): Buffer {
  return type === 'rsa' ? sequence(oid(OID.sha256WithRSAEncryption), derNull()) : sequence(oid(OID.ecdsaWithSHA256));
}

/**
 * Key identifier by method 1 of RFC 5280 §4.2.1.2: SHA-1 of the subjectPublicKey BIT STRING's
 * value, without tag, length and unused-bits octet.
 */
function keyIdentifier(publicKey: crypto.KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const outer = readTlv(spki, 0);
  const algorithm = readTlv(spki, outer.start);
  const bits = readTlv(spki, algorithm.end);
  return crypto.createHash('sha1').update(spki.subarray(bits.start + 1, bits.end)).digest();
}

// ---------------------------------------------------------------------------------------------
// Extensions (RFC 5280 §4.2)
// ---------------------------------------------------------------------------------------------

/** KeyUsage named bits (RFC 5280 §4.2.1.3). */
export const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;

export type KeyUsage = keyof typeof KEY_USAGE_BITS;
export type ExtendedKeyUsage = 'serverAuth' | 'clientAuth';

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } — DER omits a default FALSE (X.690 §11.5). */
function extension(extnId: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(extnId), boolean(true), octetString(value)) : sequence(oid(extnId), octetString(value));
}

/**
 * GeneralNames of subjectAltName (RFC 5280 §4.2.1.6): dNSName `[2] IA5String`, iPAddress `[7] OCTET
 * STRING` of 4 (IPv4) or 16 (IPv6) octets in network byte order.
 */
function generalNames(hosts: readonly string[]): Buffer {
  return sequence(
    ...hosts.map((host) => {
      const family = net.isIP(host);
      if (family === 0) return implicitPrimitive(2, Buffer.from(host, 'ascii'));
      return implicitPrimitive(7, family === 4 ? Buffer.from(host.split('.').map(Number)) : ipv6Bytes(host));
    }),
  );
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  // A trailing dotted quad (`::ffff:10.0.0.1`, RFC 4291 §2.2) is the last two 16-bit words.
  const word = (w: string): number[] => {
    if (!w.includes('.')) return [parseInt(w, 16)];
    const [a = 0, b = 0, c = 0, d = 0] = w.split('.').map(Number);
    return [(a << 8) | b, (c << 8) | d];
  };
  const words = (part: string): number[] => (part === '' ? [] : part.split(':').flatMap(word));
  const left = words(head);
  const right = tail === undefined ? [] : words(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  all.forEach((word, i) => out.writeUInt16BE(word, i * 2));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

export interface IssuedCertificate {
  /** The certificate, PEM. */
  cert: string;
  certDer: Buffer;
  /** The private key, unencrypted PKCS#8 PEM (`BEGIN PRIVATE KEY`). */
  key: string;
  /** The private key, unencrypted PKCS#8 DER. */
  keyDer: Buffer;
  /** RSA keys only: PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), the form Telit modules document. */
  keyRsaPem?: string;
  /** RSA keys only: PKCS#1 DER. */
  keyRsaDer?: Buffer;
  /** One-line subject, e.g. `O=node-red-contrib-modem-tls, CN=localhost`. */
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** Serial number, upper-case hex as `X509Certificate.serialNumber` shows it. */
  serialNumber: string;
  keyType: KeyType;
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  /** The private key encrypted with `password`: PKCS#8 by default (AES-256-CBC, PBES2), or legacy PKCS#1 PEM for RSA. */
  encryptedKey(password: string, format?: 'pkcs8' | 'pkcs1'): string;
}

/** A certificate that can sign others. */
export interface CertificateAuthority extends IssuedCertificate {
  readonly isCa: true;
  /** The DER Name written as `issuer` into what this CA signs. */
  readonly subjectName: Buffer;
  /** Its subjectKeyIdentifier, written as authorityKeyIdentifier into what it signs. */
  readonly keyIdentifier: Buffer;
}

export interface IssueOptions {
  /** Subject name; a string is taken as the CN. */
  subject: DistinguishedName | string;
  /** The signing CA; none: self-signed. */
  issuer?: CertificateAuthority;
  /** A key pair to certify (reuse one to save RSA generation time); default a new one of `keyType`. */
  keys?: KeyPair;
  /** Default `rsa` (ignored when `keys` is given). */
  keyType?: KeyType;
  /** Positive serial number (hex or bigint); default 16 random octets (RFC 5280 §4.1.2.2 allows up to 20). */
  serialNumber?: string | bigint;
  /** Default: one hour before now, to tolerate clock skew. */
  notBefore?: Date;
  /** Default: `notBefore` + `validityDays`. */
  notAfter?: Date;
  /** Default 365. */
  validityDays?: number;
  /** basicConstraints cA (RFC 5280 §4.2.1.9); default false. */
  isCa?: boolean;
  /** basicConstraints pathLenConstraint, CAs only. */
  pathLength?: number;
  /** Default: CA `keyCertSign, cRLSign`; RSA end entity `digitalSignature, keyEncipherment`; EC end entity `digitalSignature`. */
  keyUsage?: readonly KeyUsage[];
  extendedKeyUsage?: readonly ExtendedKeyUsage[];
  /** subjectAltName entries: DNS names and IPv4/IPv6 addresses, told apart by form. */
  hosts?: readonly string[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function serialBytes(serial: string | bigint | undefined): Buffer {
  if (serial === undefined) {
    const bytes = crypto.randomBytes(16);
    bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive and exactly 16 octets (RFC 5280 §4.1.2.2)
    return bytes;
  }
  const hex = typeof serial === 'bigint' ? serial.toString(16) : serial.replace(/^0x/i, '');
  if (!/^[0-9a-f]+$/i.test(hex) || /^0+$/.test(hex)) throw new Error(`serialNumber must be a positive hex number, got ${String(serial)}`);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/** As OpenSSL prints serials (BN_bn2hex): whole octets, no leading zero octets, upper case. */
function serialHex(serial: Buffer): string {
  let start = 0;
  while (start < serial.length - 1 && serial[start] === 0) start++;
  return serial.subarray(start).toString('hex').toUpperCase();
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Issues one v3 certificate (RFC 5280 §4.1), signed by `issuer` or by its own key. */
export function issueCertificate(options: IssueOptions): IssuedCertificate {
  return build(options) as IssuedCertificate;
}

/** A self-signed root (or, with `issuer`, an intermediate) CA. */
export function createCertificateAuthority(
  options: Omit<IssueOptions, 'isCa' | 'extendedKeyUsage' | 'hosts'> = { subject: { CN: 'Modem TLS Test CA' } },
): CertificateAuthority {
  return build({ ...options, isCa: true }) as CertificateAuthority;
}

function build(options: IssueOptions): IssuedCertificate | CertificateAuthority {
  const keys = options.keys ?? generateKeyPair(options.keyType ?? 'rsa');
  const keyType = keyTypeOf(keys.privateKey);
  const subjectName: DistinguishedName = typeof options.subject === 'string' ? { CN: options.subject } : options.subject;
  const isCa = options.isCa === true;

  const notBefore = truncateToSeconds(options.notBefore ?? new Date(Date.now() - HOUR));
  const notAfter = truncateToSeconds(options.notAfter ?? new Date(notBefore.getTime() + (options.validityDays ?? 365) * DAY));
  if (notAfter <= notBefore) throw new Error(`notAfter (${notAfter.toISOString()}) must be after notBefore (${notBefore.toISOString()})`);

  const subjectDer = encodeName(subjectName);
  const ownKeyId = keyIdentifier(keys.publicKey);
  const signer = options.issuer;
  const issuerDer = signer ? signer.subjectName : subjectDer;
  const signingKey = signer ? signer.privateKey : keys.privateKey;
  const signingType = signer ? signer.keyType : keyType;

  const keyUsage = options.keyUsage ?? (isCa ? ['keyCertSign', 'cRLSign'] : keyType === 'rsa' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature']);
  const basic = isCa
    ? sequence(boolean(true), ...(options.pathLength === undefined ? [] : [smallInteger(options.pathLength)]))
    : sequence(); // cA DEFAULT FALSE is left out in DER
  const extensions = [
    // §4.2.1.9: MUST be critical in CA certificates; marked critical in leaves too, as CAs commonly do.
    extension(OID.basicConstraints, true, basic),
    // §4.2.1.3: SHOULD be critical when present.
    extension(OID.keyUsage, true, namedBits(keyUsage.map((usage) => KEY_USAGE_BITS[usage]))),
    // §4.2.1.2: MUST appear in CA certificates, SHOULD in end-entity ones.
    extension(OID.subjectKeyIdentifier, false, octetString(ownKeyId)),
    // §4.2.1.1: MUST appear except in self-signed certificates, where it MAY; the keyIdentifier form `[0]`.
    extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, signer ? signer.keyIdentifier : ownKeyId))),
  ];
  if (options.extendedKeyUsage?.length) {
    extensions.push(extension(OID.extKeyUsage, false, sequence(...options.extendedKeyUsage.map((usage) => oid(OID[usage])))));
  }
  if (options.hosts?.length) {
    // §4.2.1.6: non-critical because the subject name is not empty.
    extensions.push(extension(OID.subjectAltName, false, generalNames(options.hosts)));
  }

  const algorithm = signatureAlgorithm(signingType);
  const serial = serialBytes(options.serialNumber);
  const tbs = sequence(
    explicit(0, smallInteger(2)), // version v3 (§4.1.2.1)
    unsignedInteger(serial),
    algorithm, // must equal signatureAlgorithm below (§4.1.2.3)
    issuerDer,
    sequence(time(notBefore), time(notAfter)),
    subjectDer,
    keys.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions)),
  );
  // ECDSA signatures come out as the DER Ecdsa-Sig-Value RFC 5758 §3.2 wants (dsaEncoding 'der').
  const signature = crypto.sign('sha256', tbs, signingKey);
  const certDer = sequence(tbs, algorithm, bitStringOctets(signature));

  const issued: IssuedCertificate = {
    cert: pem('CERTIFICATE', certDer),
    certDer,
    key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    keyDer: keys.privateKey.export({ type: 'pkcs8', format: 'der' }),
    subject: formatName(subjectName),
    issuer: signer ? signer.subject : formatName(subjectName),
    notBefore,
    notAfter,
    serialNumber: serialHex(serial),
    keyType,
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
    encryptedKey(password: string, format: 'pkcs8' | 'pkcs1' = 'pkcs8'): string {
      if (format === 'pkcs1' && keyType !== 'rsa') throw new Error('PKCS#1 is an RSA key format; use pkcs8 for EC keys');
      return keys.privateKey.export({ type: format, format: 'pem', cipher: 'aes-256-cbc', passphrase: password }) as string;
    },
  };
  if (keyType === 'rsa') {
    issued.keyRsaPem = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    issued.keyRsaDer = keys.privateKey.export({ type: 'pkcs1', format: 'der' });
  }
  if (!isCa) return issued;
  return Object.assign(issued, { isCa: true as const, subjectName: subjectDer, keyIdentifier: ownKeyId });
}

function truncateToSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

// ---------------------------------------------------------------------------------------------
// A ready-made set for tests
// ---------------------------------------------------------------------------------------------

export interface TestPki {
  /** The trusted root. */
  ca: CertificateAuthority;
  /** Server certificate for `hosts` (default localhost, 127.0.0.1, ::1), valid around `now`. */
  server: IssuedCertificate;
  /** Client certificate (clientAuth) from `ca`. */
  client: IssuedCertificate;
  /** Same hosts, valid only in the past (ended 30 days before `now`). */
  expiredServer: IssuedCertificate;
  /** Same hosts, valid from a year after `now`. */
  notYetValidServer: IssuedCertificate;
  /** Valid, from `ca`, but for `other.example` only. */
  wrongHostServer: IssuedCertificate;
  /** A second root nobody trusts. */
  unrelatedCa: CertificateAuthority;
  /** A valid server certificate for `hosts` from `unrelatedCa`. */
  unrelatedServer: IssuedCertificate;
  /** A client certificate from `unrelatedCa`. */
  unrelatedClient: IssuedCertificate;
  hosts: readonly string[];
  now: Date;
}

export interface TestPkiOptions {
  hosts?: string[];
  /** Default `rsa`; `ec` generates in microseconds instead of ~100 ms per RSA key. */
  keyType?: KeyType;
  /** The reference time for every validity window; default the host clock. */
  now?: Date;
}

const ORG = 'node-red-contrib-modem-tls';

/**
 * Four keys (two CAs, server, client): server-side certificates share the server key and both
 * client certificates share the client key, since only names, dates and signatures differ.
 */
export function createTestPki(options: TestPkiOptions = {}): TestPki {
  const keyType = options.keyType ?? 'rsa';
  const now = options.now ?? new Date();
  const hosts = options.hosts ?? ['localhost', '127.0.0.1', '::1'];
  const at = (offsetMs: number): Date => new Date(now.getTime() + offsetMs);
  const serverKeys = generateKeyPair(keyType);
  const clientKeys = generateKeyPair(keyType);
  const leafWindow = { notBefore: at(-DAY), notAfter: at(365 * DAY) };
  // Roots outlive every leaf below, so a leaf's own dates are what a date check trips over.
  const rootWindow = { notBefore: at(-5 * 365 * DAY), notAfter: at(10 * 365 * DAY) };

  const ca = createCertificateAuthority({ subject: { O: ORG, CN: 'Modem TLS Test CA' }, keyType, ...rootWindow });
  const unrelatedCa = createCertificateAuthority({ subject: { O: 'Unrelated', CN: 'Unrelated Test CA' }, keyType, ...rootWindow });
  const server = (issuer: CertificateAuthority, window: { notBefore: Date; notAfter: Date }, names: readonly string[] = hosts): IssuedCertificate =>
    issueCertificate({
      issuer,
      subject: { O: issuer === ca ? ORG : 'Unrelated', CN: names[0] ?? 'localhost' },
      keys: serverKeys,
      hosts: names,
      extendedKeyUsage: ['serverAuth'],
      ...window,
    });
  const client = (issuer: CertificateAuthority, cn: string): IssuedCertificate =>
    issueCertificate({ issuer, subject: { O: issuer === ca ? ORG : 'Unrelated', CN: cn }, keys: clientKeys, extendedKeyUsage: ['clientAuth'], ...leafWindow });

  return {
    ca,
    server: server(ca, leafWindow),
    client: client(ca, 'modem-client'),
    expiredServer: server(ca, { notBefore: at(-2 * 365 * DAY), notAfter: at(-30 * DAY) }),
    notYetValidServer: server(ca, { notBefore: at(365 * DAY), notAfter: at(2 * 365 * DAY) }),
    wrongHostServer: server(ca, leafWindow, ['other.example']),
    unrelatedCa,
    unrelatedServer: server(unrelatedCa, leafWindow),
    unrelatedClient: client(unrelatedCa, 'unrelated-client'),
    hosts,
    now,
  };
}
