/**
 * What a u-blox cellular module can do, as data. Source: the u-blox AT commands manual,
 * "Device and data security" (seeds/003: +USECCHIP, +USECMNG, +USECPRF, Table 26 and
 * "Cipher suite applicability"), and for sockets the SARA-R5 AT commands manual
 * UBX-19047455, "Internet protocol transport layer" (+USOCR … +UUSOCL).
 *
 * Used by the u-blox adapter (to refuse what a module cannot do before sending anything).
 * Must never: hold behaviour — only values, each with the manual's words next to it.
 */
import type { CertType } from '../../tls/certificates';

/** +USECMNG `<type>`: 0 trusted root CA, 1 client certificate, 2 client private key. */
export const USECMNG_TYPE: Readonly<Record<CertType, number>> = { ca: 0, cert: 1, key: 2 };

/** +USECMNG `<cert_type>` of the list (op 3), verbose: "CA", "CC", "PK" (also "SC", "VC", "PU", which we do not manage). */
export const LIST_TYPE: Readonly<Record<string, CertType>> = { CA: 'ca', CC: 'cert', PK: 'key' };

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
  /** "Up to 10 certificates or private keys can be imported." */
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

/** "Allowed values: 0, 1, …, 10, 12, 13, 15, 16": ops 11 (RoT PSK) and 14 (ZTP) are listed but not allowed on these modules. */
export const OPS_NOT_ALLOWED: readonly number[] = [OP.rotPsk, OP.ztp];

/** +USECPRF ops whose value is a secret: written when given, never read back, never traced. */
export const SECRET_OPS: readonly number[] = [OP.keyPassword, OP.psk, OP.pskIdentity];

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

/** `<sess_type>` values accepted: 3 and 13 need TLS 1.3, which these modules do not support (Notes). */
export const SESSION_TYPES: readonly number[] = [0, 1, 10, 11];

/** `<db_to_use>` (op 16). */
export const DATABASES: Readonly<Record<string, number>> = { all: 0, user: 1, preinstalled: 2 };

/**
 * "Cipher suite applicability": the suites these modules offer, by IANA code point, with the
 * default list of `<legacy_cs>` 0 marked (D). Names are the IANA registry's (the manual
 * misprints 0x009F as TLS_RSA_WITH_AES_256_GCM_SHA384; it is the DHE_RSA suite).
 */
const APPLICABLE: ReadonlyArray<[code: number, iana: string, isDefault?: true]> = [
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA'],
  [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA'],
  [0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256'],
  [0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256'],
  [0x008b, 'TLS_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0x008c, 'TLS_PSK_WITH_AES_128_CBC_SHA'],
  [0x008d, 'TLS_PSK_WITH_AES_256_CBC_SHA'],
  [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256', true],
  [0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384', true],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', true],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', true],
  [0x00a8, 'TLS_PSK_WITH_AES_128_GCM_SHA256', true],
  [0x00a9, 'TLS_PSK_WITH_AES_256_GCM_SHA384', true],
  [0x00aa, 'TLS_DHE_PSK_WITH_AES_128_GCM_SHA256', true],
  [0x00ab, 'TLS_DHE_PSK_WITH_AES_256_GCM_SHA384', true],
  [0x00ac, 'TLS_RSA_PSK_WITH_AES_128_GCM_SHA256', true],
  [0x00ad, 'TLS_RSA_PSK_WITH_AES_256_GCM_SHA384', true],
  [0x00ae, 'TLS_PSK_WITH_AES_128_CBC_SHA256', true],
  [0x00af, 'TLS_PSK_WITH_AES_256_CBC_SHA384', true],
  [0xc003, 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc004, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc005, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc00d, 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc00e, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA'],
  [0xc00f, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA'],
  [0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'],
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', true],
  [0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc025, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xc026, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc029, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc02a, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', true],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', true],
  [0xc02d, 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', true],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', true],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', true],
  [0xc031, 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256'],
  [0xc032, 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384'],
  [0xc037, 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256', true],
  [0xc038, 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384', true],
  [0xc09c, 'TLS_RSA_WITH_AES_128_CCM', true],
  [0xc0a1, 'TLS_RSA_WITH_AES_256_CCM_8', true],
  [0xc0a4, 'TLS_PSK_WITH_AES_128_CCM', true],
  [0xc0a5, 'TLS_PSK_WITH_AES_256_CCM', true],
  [0xc0a6, 'TLS_DHE_PSK_WITH_AES_128_CCM', true],
  [0xc0a7, 'TLS_DHE_PSK_WITH_AES_256_CCM', true],
  [0xc0a8, 'TLS_PSK_WITH_AES_128_CCM_8', true],
  [0xc0a9, 'TLS_PSK_WITH_AES_256_CCM_8', true],
  [0xc0aa, 'TLS_PSK_DHE_WITH_AES_128_CCM_8', true],
  [0xc0ab, 'TLS_PSK_DHE_WITH_AES_256_CCM_8', true],
  [0xc0ac, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM', true],
  [0xc0ad, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM', true],
  [0xc0ae, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', true],
  [0xc0af, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8', true],
];

export interface UbloxSuite {
  code: number;
  iana: string;
  /** Proposed by `<legacy_cs>` 0. */
  isDefault: boolean;
  /** `<iana_b1>`, `<iana_b2>` as the manual writes them: two upper-case hex digits each. */
  bytes: [string, string];
}

const hexByte = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

export const SUITES: readonly UbloxSuite[] = APPLICABLE.map(([code, iana, isDefault]) => ({
  code,
  iana,
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
  /** +USOCR `<protocol>` 6: TCP. */
  tcp: 6,
  /** +USOSEC `<ssl_tls_status>` 1: enable the security layer. */
  secure: 1,
  /** +USOCTL `<param_id>` 1: last socket error. */
  lastError: 1,
  /** +USOCO may take minutes on a slow network (DNS, TCP, TLS handshake). */
  connectTimeoutMs: 130000,
} as const;
