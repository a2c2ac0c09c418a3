/**
 * What a u-blox cellular module can do, as data. Source: the u-blox AT commands manual,
 * "Device and data security" (seeds/003: +USECCHIP, +USECMNG, +USECPRF, Table 26 and
 * "Cipher suite applicability"; `l. n` below is a line of that file), and for sockets the
 * SARA-R5 AT commands manual UBX-19047455, "Internet protocol transport layer" (+USOCR … +UUSOCL).
 *
 * Used by the u-blox adapter (to refuse what a module cannot do before sending anything).
 * Must never: hold behaviour — only values, each with the manual's words next to it.
 */
import { cipherSuiteByCode } from '../../tls/ciphers';
import type { CertType } from '../../tls/certificates';

/** +USECMNG `<type>` (l. 241–251): 0 trusted root CA, 1 client certificate, 2 client private key. */
export const USECMNG_TYPE: Readonly<Record<CertType, number>> = { ca: 0, cert: 1, key: 2 };

/**
 * +USECMNG `<type>` 3, "server certificate" (l. 247, allowed l. 251; "SC" in the list, l. 258): the
 * certificate a profile pins the server to (+USECPRF op 12). The vendor-neutral types have no
 * name for it: it is a `ca` upload with `vendorOptions.serverCertificate` (options.ts).
 */
export const SERVER_CERTIFICATE_TYPE = 3;

/**
 * What each stored `<type>` is in vendor-neutral words: the certificate type, and the upload
 * options that choose it when the type alone does not (a list row gives them back, so the item
 * can be removed or checked with the same words it was stored with).
 */
export const STORED_KINDS: Readonly<Record<number, { certType: CertType; vendorOptions?: Readonly<Record<string, unknown>> }>> = {
  0: { certType: 'ca' },
  1: { certType: 'cert' },
  2: { certType: 'key' },
  [SERVER_CERTIFICATE_TYPE]: { certType: 'ca', vendorOptions: { serverCertificate: true } },
};

/**
 * +USECMNG `<cert_type>` of the list (op 3) → `<type>` (l. 252–262). "VC" and "PU" are defined but
 * not among the allowed values (l. 261–262): rows of them are not reported.
 */
export const LIST_TYPE: Readonly<Record<string, number>> = { CA: 0, CC: 1, PK: 2, SC: SERVER_CERTIFICATE_TYPE };

/** +USECMNG limits (Defined values). */
export const USECMNG_LIMITS = {
  /** `<internal_name>` of an imported item. */
  nameLength: 30,
  /** `<internal_name>` of a pre-installed item. */
  preinstalledNameLength: 60,
  /** `<data_size>` and the size of an FS file imported with op 1. */
  maxBytes: 8192,
  /** `<password>` (PKCS#8 encrypted keys). */
  passwordLength: 128,
  /** `<filename>` of op 1. */
  filenameLength: 63,
  /** "Up to 10 certificates or private keys can be imported" (l. 149); the pre-installed ones do not count. */
  maxItems: 10,
  /** The stream-of-bytes import ends with an error after a 20 s guard time. */
  guardMs: 20000,
} as const;

/** +USECMNG Notes: pre-installed on the module, cannot be deleted or changed via AT commands. */
export const PREINSTALLED: Readonly<Record<string, { commonName: string; notAfter: string }>> = {
  ubx_digicert_global_root_ca: { commonName: 'DigiCert Global Root CA', notAfter: '2031/11/10 00:00:00' },
  ubx_digicert_global_root_g2: { commonName: 'DigiCert Global Root G2', notAfter: '2038/01/15 12:00:00' },
  ubx_digicert_trusted_root_g4: { commonName: 'DigiCert Trusted Root G4', notAfter: '2038/01/15 12:00:00' },
  ubx_digicert_eccp384_root_g5: { commonName: 'DigiCert TLS ECC P384 Root G5', notAfter: '2046/01/14 23:59:59' },
  ubx_digicert_rsa4096_root_g5: { commonName: 'DigiCert TLS RSA4096 Root G5', notAfter: '2046/01/14 23:59:59' },
  ubx_baltimore_cybertrust_root: { commonName: 'Baltimore CyberTrust Root', notAfter: '2025/05/12 23:59:00' },
  ubx_tmo_usa_enterprise_root_ca: { commonName: 'T-Mobile USA Enterprise Root CA', notAfter: '2040/11/03 20:28:54' },
  ubx_starfield_service_root_ca_g2: { commonName: 'Starfield Services Root Certificate Authority - G2', notAfter: '2034/06/28 17:39:16' },
};

/**
 * A name as a profile or the list shows it: printable ASCII without a quote (the command line would
 * break), at most 60 characters (pre-installed ones, l. 266).
 */
export const NAME_PATTERN = /^[\x20\x21\x23-\x7e]{1,60}$/;

/** +USECMNG: "for RSA keys at least 1024-bits, for ECDSA keys at least 192-bits" (also for the keys of certificates). */
export const MIN_KEY_BITS = { rsa: 1024, ec: 192 } as const;

/** +USECPRF `<op_code>` (Defined values). */
export const OP = {
  validation: 0,
  tlsVersion: 1,
  cipher: 2,
  ca: 3,
  hostname: 4,
  cert: 5,
  key: 6,
  keyPassword: 7,
  psk: 8,
  pskIdentity: 9,
  sni: 10,
  rotPsk: 11,
  pinning: 12,
  session: 13,
  ztp: 14,
  alpn: 15,
  database: 16,
} as const;

/** "Allowed values: 0, 1, …, 10, 12, 13, 15, 16" (l. 823–824): ops 11 (RoT PSK) and 14 (ZTP) are listed but not allowed on these modules. */
export const OPS_NOT_ALLOWED: readonly number[] = [OP.rotPsk, OP.ztp];

/** +USECPRF string limits (Defined values), in characters. */
export const USECPRF_LIMITS = {
  profiles: { min: 0, max: 4 },
  /** `<root_cert_int_name>`, `<cli_cert_int_name>`, `<cli_priv_key_int_name>`, `<server_certificate>`. */
  name: 200,
  hostname: 256,
  keyPassword: 128,
  pskAscii: 64,
  pskHex: 128,
  /** Notes: `<preshared_key_id>` is ASCII only (no string type), at most 128 characters. */
  pskIdentity: 128,
  sni: 128,
  alpn: 255,
} as const;

/** `<validation_lvl>`: what each level checks (Description). */
export const VALIDATION_LEVELS: Readonly<Record<number, string>> = {
  0: 'no validation',
  1: 'root certificate validation',
  2: 'root certificate validation and host name (URL integrity) check',
  3: 'root certificate validation, host name check and validity dates check',
};

/**
 * `<tls_ver>`: the version the connection uses — exactly that one ("connection allowed only to
 * servers which support TLS v1.x"), not a minimum. 0 "any" is, per the Notes, TLS 1.2 only on
 * these modules; 4 (TLS 1.3) is not supported (Notes).
 */
export const TLS_VERSIONS: Readonly<Record<string, { value: number; name: string }>> = {
  auto: { value: 0, name: 'any version the module supports (TLS 1.2 only on these modules, manual Notes)' },
  '1.0': { value: 1, name: 'TLS 1.0 only' },
  '1.1': { value: 2, name: 'TLS 1.1 only' },
  '1.2': { value: 3, name: 'TLS 1.2 only' },
};

/**
 * `<sess_type>` (l. 930–940): 0 session ID, 1 session ticket, 3 PSK-based ticket, 10, 11, 13 the
 * same with local encryption — "Allowed values: 1" (l. 939–940): the session ticket only.
 */
export const SESSION_TYPES: readonly number[] = [1];

/** `<sess_tag>` (l. 909–921): "Allowed values: 0, 1, 3" — status, type, and the data of a session ticket. */
export const SESSION_TAGS_ALLOWED: readonly number[] = [0, 1, 3];

/** `<sess_tag>` 5 and 15: "TLS v1.3 must be enabled (+USECPRF: <profile_id>,1,4)" (l. 916, 919), which these modules do not support (Notes, l. 986). */
export const SESSION_TAGS_TLS13: readonly number[] = [5, 15];

/** Session data limits (l. 941–958): base64 session ID ≤ 44, master secret ≤ 64, session data ≤ 8192 characters. */
export const SESSION_LIMITS = { sessionId: 44, masterSecret: 64, data: 8192 } as const;

/** `<db_to_use>` (op 16). */
export const DATABASES: Readonly<Record<string, number>> = { all: 0, user: 1, preinstalled: 2 };

/**
 * "Cipher suite applicability" (l. 1693–1766): the suites these modules offer, by IANA code point,
 * `D` where the suite is in the default list of `<legacy_cs>` 0. Names come from the IANA table of
 * `src/tls/ciphers.ts`, so they are the registry's — the manual misprints 0x009F (l. 1715) as
 * TLS_RSA_WITH_AES_256_GCM_SHA384; the code is TLS_DHE_RSA_WITH_AES_256_GCM_SHA384.
 */
const D = true;
const APPLICABLE: ReadonlyArray<readonly [code: number, isDefault?: true]> = [
  [0x000a], [0x002f], [0x0035], [0x003c], [0x003d],
  // Pre-shared keys (RFC 4279, 5487).
  [0x008b], [0x008c], [0x008d],
  [0x009c, D], [0x009d, D], [0x009e, D], [0x009f, D],
  [0x00a8, D], [0x00a9, D], [0x00aa, D], [0x00ab, D], [0x00ac, D], [0x00ad, D], [0x00ae, D], [0x00af, D],
  // Elliptic curves (RFC 8422), 3DES included.
  [0xc003], [0xc004], [0xc005], [0xc008], [0xc009], [0xc00a], [0xc00d], [0xc00e], [0xc00f], [0xc012], [0xc013], [0xc014],
  [0xc023, D], [0xc024], [0xc025], [0xc026], [0xc027], [0xc028], [0xc029], [0xc02a],
  [0xc02b, D], [0xc02c, D], [0xc02d, D], [0xc02f, D], [0xc030, D], [0xc031], [0xc032],
  // ECDHE with pre-shared keys (RFC 5489).
  [0xc037, D], [0xc038, D],
  // AES-CCM (RFC 6655, RFC 7251).
  [0xc09c, D], [0xc0a1, D], [0xc0a4, D], [0xc0a5, D], [0xc0a6, D], [0xc0a7, D], [0xc0a8, D], [0xc0a9, D],
  [0xc0aa, D], [0xc0ab, D], [0xc0ac, D], [0xc0ad, D], [0xc0ae, D], [0xc0af, D],
];

/** The IANA name of an applicable suite; every code above must be in the shared table. */
function ianaName(code: number): string {
  const suite = cipherSuiteByCode(code);
  if (!suite) throw new Error(`u-blox tables: 0x${code.toString(16).padStart(4, '0')} is not in src/tls/ciphers.ts`);
  return suite.iana;
}

export interface UbloxSuite {
  code: number;
  iana: string;
  /** Proposed by `<legacy_cs>` 0. */
  isDefault: boolean;
  /** `<iana_b1>`, `<iana_b2>` as the manual writes them: two upper-case hex digits each. */
  bytes: [string, string];
}

const hexByte = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

export const SUITES: readonly UbloxSuite[] = APPLICABLE.map(([code, isDefault]) => ({
  code,
  iana: ianaName(code),
  isDefault: isDefault === true,
  bytes: [hexByte(code >> 8), hexByte(code & 0xff)],
}));

const BY_NAME = new Map(SUITES.map((s) => [s.iana, s]));
const BY_CODE = new Map(SUITES.map((s) => [s.code, s]));

export function suiteByName(iana: string): UbloxSuite | undefined {
  return BY_NAME.get(iana.trim().toUpperCase());
}

export function suiteByCode(code: number): UbloxSuite | undefined {
  return BY_CODE.get(code);
}

/** Table 26 `<legacy_cs>` → IANA code point. */
export const LEGACY_SUITES: Readonly<Record<number, number>> = {
  1: 0x002f, 2: 0x003c, 3: 0x0035, 4: 0x003d, 5: 0x000a, 6: 0x008c, 7: 0x008d, 8: 0x008b,
  9: 0x0094, 10: 0x0095, 11: 0x0093, 12: 0x00ae, 13: 0x00af, 14: 0x00b6, 15: 0x00b7, 16: 0x00a8,
  17: 0x00a9, 18: 0x00ac, 19: 0x00ad, 20: 0xc008, 21: 0xc009, 22: 0xc00a, 23: 0xc012, 24: 0xc013,
  25: 0xc014, 26: 0xc023, 27: 0xc024, 28: 0xc027, 29: 0xc028, 30: 0xc02b, 31: 0xc02c, 32: 0xc02f, 33: 0xc030,
};

/** Notes: "`<legacy_cs>`=10,11,12,15,16 are not supported"; 9 and 14 name suites outside the applicability list. */
export const LEGACY_ALLOWED: readonly number[] = Object.entries(LEGACY_SUITES)
  .filter(([n, code]) => ![10, 11, 12, 15, 16].includes(Number(n)) && BY_CODE.has(code))
  .map(([n]) => Number(n));

/** SARA-R5 "Internet protocol transport layer". */
export const SOCKETS = {
  /** +USOCR: up to 7 sockets, numbered 0..6. */
  ids: { min: 0, max: 6 },
  /** +USECMNG Notes: "4 concurrent SSL/TLS connections". */
  maxTls: 4,
  /** +USOWR binary form and +USORD: at most 1024 bytes per command. */
  maxChunk: 1024,
  /** +USOWR binary syntax: the module invites the bytes with `@`… */
  prompt: '@',
  /** …and the host waits at least 50 ms after it before sending them (UBX-19047455, +USOWR notes). */
  promptDelayMs: 50,
  /**
   * …and gives the input up, sending none of it, once the bytes stop coming for a guard time. The
   * socket manual names no value; the 20 s of the +USECMNG stream import ("a guard timer of 20 s
   * will ensure the termination of the data transmission") is taken as the bound. A prompt left open
   * by a lost link is left by silence that long: any filler would be the connection's data.
   */
  promptGuardMs: 20000,
  /** +USOWR base syntax in HEX mode: `<length>` 1-512, the data as twice as many hex digits (UBX-17003787 §19.10.3). */
  maxHexChunk: 512,
  /** +UDCONF `<op_code>` 1: HEX mode of +USOWR, +USOST, +USORD and +USORF (1 on, 0 off, the default). */
  hexModeOp: 1,
  /** +USOCR `<protocol>` 6: TCP. */
  tcp: 6,
  /** +USOSEC `<ssl_tls_status>` 1: enable the security layer. */
  secure: 1,
  /** +USOCTL `<param_id>` 1: last socket error. */
  lastError: 1,
  /** +USOCO may take minutes on a slow network (DNS, TCP, TLS handshake). */
  connectTimeoutMs: 130000,
} as const;

/**
 * +USODL, direct link (UBX-17003787 §19.16, and the same chapter of UBX-19047455): `AT+USODL=<socket>`
 * answers `CONNECT`, and from then on the serial line carries the socket's bytes both ways.
 */
export const DIRECT_LINK = {
  connect: 'CONNECT',
  /** What the module prints when it leaves direct link (+UDCONF=10: "<CR><LF>DISCONNECT<CR><LF>"), after the escape or by itself. */
  disconnect: 'DISCONNECT',
  /** S12, the escape guard time, counts fiftieths of a second (UBX-17003787 §10.18 "Escape prompt delay (EPD) S12"). */
  guardUnitMs: 20,
  /** Bytes per write while sending: stopping after `DISCONNECT` leaves at most this much on its way. */
  writeChunk: 8192,
  /**
   * Silence added to the guard time before the escape: the host knows when its last byte left only
   * from the line rate, and a module that heard a byte less than a guard time before `+++` takes
   * the three pluses as data.
   */
  guardMarginMs: 100,
} as const;
