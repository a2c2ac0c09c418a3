/**
 * Cipher-suite names: the IANA names modem manuals and our profiles use, and the names OpenSSL
 * (hence `node:tls`) takes. Vendor-neutral: adapters use it to explain a suite, the simulator to
 * offer one with `node:tls`.
 *
 * Owns: one table, suite by suite — IANA name and code point from the IANA "TLS Cipher Suites"
 * registry (https://www.iana.org/assignments/tls-parameters/, defined by RFC 5246 App. A.5,
 * RFC 5288, RFC 5289, RFC 8422 §6, RFC 6655, RFC 7251, RFC 7905, RFC 4279/5487, RFC 5489 and RFC 8446 §B.4),
 * and the OpenSSL name from OpenSSL's ciphers(1) manual, section "CIPHER SUITE NAMES" (the same
 * mapping curl keeps in docs/CIPHERS-TLS12.md). TLS 1.3 suites have one name in both worlds
 * (RFC 8446 §B.4; OpenSSL's `-ciphersuites`).
 * Must never: decide what a vendor supports (that is the adapters' capability data) or guess a
 * name that is not in the table — an unknown name is `undefined`, not a near miss.
 */
import * as tls from 'node:tls';

export type SuiteVersion = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface CipherSuiteInfo {
  /** IANA name, e.g. `TLS_RSA_WITH_AES_128_CBC_SHA`. */
  iana: string;
  /** Two-octet code point, e.g. 0x002f. */
  code: number;
  /**
   * OpenSSL's name (`AES128-SHA`); for TLS 1.3 the IANA name. Undefined when OpenSSL never had the
   * suite. A name here does not mean this Node's OpenSSL still offers it: see `isAvailable`.
   */
  openssl?: string;
  /** Older OpenSSL spellings that `toIana` also accepts. */
  aliases?: readonly string[];
  /** Lowest and highest protocol version the suite can be negotiated in (RFC 5246 §1.2, RFC 8446 §4.1.3). */
  minVersion: SuiteVersion;
  maxVersion: SuiteVersion;
  /**
   * Weak by today's standards (RC4, 3DES, NULL encryption, MD5 MAC): OpenSSL 3 refuses it at its
   * default security level (RFC 7465 prohibits RC4; RFC 8996 deprecates TLS < 1.2).
   */
  legacy?: boolean;
  /** Why OpenSSL cannot offer it now, when that is the case everywhere, not just in one build. */
  note?: string;
}

const STATIC_ECDH = 'static ECDH suites were removed in OpenSSL 1.1.0';
const NOT_IN_OPENSSL = 'not implemented by OpenSSL';
const EXPORT = 'export-grade suites were removed in OpenSSL 1.1.0';

type Row = [iana: string, code: number, openssl: string | undefined, minVersion: SuiteVersion, extra?: Partial<CipherSuiteInfo>];

/** TLS 1.2 and earlier suites (max version TLS 1.2; TLS 1.3 defines its own, RFC 8446 §4.1.3). */
const CLASSIC: readonly Row[] = [
  // RFC 5246 App. A.5
  ['TLS_RSA_WITH_NULL_MD5', 0x0001, 'NULL-MD5', 'SSLv3', { legacy: true }],
  ['TLS_RSA_WITH_NULL_SHA', 0x0002, 'NULL-SHA', 'SSLv3', { legacy: true }],
  ['TLS_RSA_WITH_RC4_128_MD5', 0x0004, 'RC4-MD5', 'SSLv3', { legacy: true }],
  ['TLS_RSA_WITH_RC4_128_SHA', 0x0005, 'RC4-SHA', 'SSLv3', { legacy: true }],
  ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 0x000a, 'DES-CBC3-SHA', 'SSLv3', { legacy: true }],
  ['TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', 0x0016, 'DHE-RSA-DES-CBC3-SHA', 'SSLv3', { legacy: true, aliases: ['EDH-RSA-DES-CBC3-SHA'] }],
  ['TLS_RSA_WITH_AES_128_CBC_SHA', 0x002f, 'AES128-SHA', 'SSLv3'],
  ['TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 0x0033, 'DHE-RSA-AES128-SHA', 'SSLv3'],
  ['TLS_RSA_WITH_AES_256_CBC_SHA', 0x0035, 'AES256-SHA', 'SSLv3'],
  ['TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 0x0039, 'DHE-RSA-AES256-SHA', 'SSLv3'],
  ['TLS_RSA_WITH_NULL_SHA256', 0x003b, 'NULL-SHA256', 'TLSv1.2', { legacy: true }],
  ['TLS_RSA_WITH_AES_128_CBC_SHA256', 0x003c, 'AES128-SHA256', 'TLSv1.2'],
  ['TLS_RSA_WITH_AES_256_CBC_SHA256', 0x003d, 'AES256-SHA256', 'TLSv1.2'],
  ['TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 0x0067, 'DHE-RSA-AES128-SHA256', 'TLSv1.2'],
  ['TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', 0x006b, 'DHE-RSA-AES256-SHA256', 'TLSv1.2'],
  // RFC 4279, RFC 5487 (pre-shared keys)
  ['TLS_PSK_WITH_3DES_EDE_CBC_SHA', 0x008b, 'PSK-3DES-EDE-CBC-SHA', 'SSLv3', { legacy: true }],
  ['TLS_PSK_WITH_AES_128_CBC_SHA', 0x008c, 'PSK-AES128-CBC-SHA', 'SSLv3'],
  ['TLS_PSK_WITH_AES_256_CBC_SHA', 0x008d, 'PSK-AES256-CBC-SHA', 'SSLv3'],
  ['TLS_PSK_WITH_AES_128_GCM_SHA256', 0x00a8, 'PSK-AES128-GCM-SHA256', 'TLSv1.2'],
  ['TLS_PSK_WITH_AES_256_GCM_SHA384', 0x00a9, 'PSK-AES256-GCM-SHA384', 'TLSv1.2'],
  ['TLS_DHE_PSK_WITH_AES_128_GCM_SHA256', 0x00aa, 'DHE-PSK-AES128-GCM-SHA256', 'TLSv1.2'],
  ['TLS_DHE_PSK_WITH_AES_256_GCM_SHA384', 0x00ab, 'DHE-PSK-AES256-GCM-SHA384', 'TLSv1.2'],
  ['TLS_RSA_PSK_WITH_AES_128_GCM_SHA256', 0x00ac, 'RSA-PSK-AES128-GCM-SHA256', 'TLSv1.2'],
  ['TLS_RSA_PSK_WITH_AES_256_GCM_SHA384', 0x00ad, 'RSA-PSK-AES256-GCM-SHA384', 'TLSv1.2'],
  ['TLS_PSK_WITH_AES_128_CBC_SHA256', 0x00ae, 'PSK-AES128-CBC-SHA256', 'TLSv1.2'],
  ['TLS_PSK_WITH_AES_256_CBC_SHA384', 0x00af, 'PSK-AES256-CBC-SHA384', 'TLSv1.2'],
  // RFC 5288
  ['TLS_RSA_WITH_AES_128_GCM_SHA256', 0x009c, 'AES128-GCM-SHA256', 'TLSv1.2'],
  ['TLS_RSA_WITH_AES_256_GCM_SHA384', 0x009d, 'AES256-GCM-SHA384', 'TLSv1.2'],
  ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 0x009e, 'DHE-RSA-AES128-GCM-SHA256', 'TLSv1.2'],
  ['TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 0x009f, 'DHE-RSA-AES256-GCM-SHA384', 'TLSv1.2'],
  // RFC 8422 §6 (formerly RFC 4492)
  ['TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA', 0xc003, 'ECDH-ECDSA-DES-CBC3-SHA', 'TLSv1', { legacy: true, note: STATIC_ECDH }],
  ['TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA', 0xc004, 'ECDH-ECDSA-AES128-SHA', 'TLSv1', { note: STATIC_ECDH }],
  ['TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA', 0xc005, 'ECDH-ECDSA-AES256-SHA', 'TLSv1', { note: STATIC_ECDH }],
  ['TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA', 0xc008, 'ECDHE-ECDSA-DES-CBC3-SHA', 'TLSv1', { legacy: true }],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 0xc009, 'ECDHE-ECDSA-AES128-SHA', 'TLSv1'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 0xc00a, 'ECDHE-ECDSA-AES256-SHA', 'TLSv1'],
  ['TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA', 0xc00d, 'ECDH-RSA-DES-CBC3-SHA', 'TLSv1', { legacy: true, note: STATIC_ECDH }],
  ['TLS_ECDH_RSA_WITH_AES_128_CBC_SHA', 0xc00e, 'ECDH-RSA-AES128-SHA', 'TLSv1', { note: STATIC_ECDH }],
  ['TLS_ECDH_RSA_WITH_AES_256_CBC_SHA', 0xc00f, 'ECDH-RSA-AES256-SHA', 'TLSv1', { note: STATIC_ECDH }],
  ['TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 0xc012, 'ECDHE-RSA-DES-CBC3-SHA', 'TLSv1', { legacy: true }],
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 0xc013, 'ECDHE-RSA-AES128-SHA', 'TLSv1'],
  ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 0xc014, 'ECDHE-RSA-AES256-SHA', 'TLSv1'],
  // RFC 5289
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 0xc023, 'ECDHE-ECDSA-AES128-SHA256', 'TLSv1.2'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 0xc024, 'ECDHE-ECDSA-AES256-SHA384', 'TLSv1.2'],
  ['TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256', 0xc025, 'ECDH-ECDSA-AES128-SHA256', 'TLSv1.2', { note: STATIC_ECDH }],
  ['TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384', 0xc026, 'ECDH-ECDSA-AES256-SHA384', 'TLSv1.2', { note: STATIC_ECDH }],
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 0xc027, 'ECDHE-RSA-AES128-SHA256', 'TLSv1.2'],
  ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 0xc028, 'ECDHE-RSA-AES256-SHA384', 'TLSv1.2'],
  ['TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256', 0xc029, 'ECDH-RSA-AES128-SHA256', 'TLSv1.2', { note: STATIC_ECDH }],
  ['TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384', 0xc02a, 'ECDH-RSA-AES256-SHA384', 'TLSv1.2', { note: STATIC_ECDH }],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 0xc02b, 'ECDHE-ECDSA-AES128-GCM-SHA256', 'TLSv1.2'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 0xc02c, 'ECDHE-ECDSA-AES256-GCM-SHA384', 'TLSv1.2'],
  ['TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', 0xc02d, 'ECDH-ECDSA-AES128-GCM-SHA256', 'TLSv1.2', { note: STATIC_ECDH }],
  ['TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384', 0xc02e, 'ECDH-ECDSA-AES256-GCM-SHA384', 'TLSv1.2', { note: STATIC_ECDH }],
  ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 0xc02f, 'ECDHE-RSA-AES128-GCM-SHA256', 'TLSv1.2'],
  ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 0xc030, 'ECDHE-RSA-AES256-GCM-SHA384', 'TLSv1.2'],
  ['TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256', 0xc031, 'ECDH-RSA-AES128-GCM-SHA256', 'TLSv1.2', { note: STATIC_ECDH }],
  ['TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384', 0xc032, 'ECDH-RSA-AES256-GCM-SHA384', 'TLSv1.2', { note: STATIC_ECDH }],
  // RFC 5489 (ECDHE with pre-shared keys)
  ['TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256', 0xc037, 'ECDHE-PSK-AES128-CBC-SHA256', 'TLSv1.2'],
  ['TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384', 0xc038, 'ECDHE-PSK-AES256-CBC-SHA384', 'TLSv1.2'],
  // RFC 6655, RFC 7251
  ['TLS_RSA_WITH_AES_128_CCM', 0xc09c, 'AES128-CCM', 'TLSv1.2'],
  ['TLS_RSA_WITH_AES_256_CCM', 0xc09d, 'AES256-CCM', 'TLSv1.2'],
  ['TLS_RSA_WITH_AES_128_CCM_8', 0xc0a0, 'AES128-CCM8', 'TLSv1.2'],
  ['TLS_RSA_WITH_AES_256_CCM_8', 0xc0a1, 'AES256-CCM8', 'TLSv1.2'],
  ['TLS_DHE_RSA_WITH_AES_128_CCM', 0xc09e, 'DHE-RSA-AES128-CCM', 'TLSv1.2'],
  ['TLS_DHE_RSA_WITH_AES_256_CCM', 0xc09f, 'DHE-RSA-AES256-CCM', 'TLSv1.2'],
  ['TLS_DHE_RSA_WITH_AES_128_CCM_8', 0xc0a2, 'DHE-RSA-AES128-CCM8', 'TLSv1.2'],
  ['TLS_DHE_RSA_WITH_AES_256_CCM_8', 0xc0a3, 'DHE-RSA-AES256-CCM8', 'TLSv1.2'],
  ['TLS_PSK_WITH_AES_128_CCM', 0xc0a4, 'PSK-AES128-CCM', 'TLSv1.2'],
  ['TLS_PSK_WITH_AES_256_CCM', 0xc0a5, 'PSK-AES256-CCM', 'TLSv1.2'],
  ['TLS_DHE_PSK_WITH_AES_128_CCM', 0xc0a6, 'DHE-PSK-AES128-CCM', 'TLSv1.2'],
  ['TLS_DHE_PSK_WITH_AES_256_CCM', 0xc0a7, 'DHE-PSK-AES256-CCM', 'TLSv1.2'],
  ['TLS_PSK_WITH_AES_128_CCM_8', 0xc0a8, 'PSK-AES128-CCM8', 'TLSv1.2'],
  ['TLS_PSK_WITH_AES_256_CCM_8', 0xc0a9, 'PSK-AES256-CCM8', 'TLSv1.2'],
  // The registry's own spelling: PSK_DHE, not DHE_PSK, for these two (RFC 6655 §4).
  ['TLS_PSK_DHE_WITH_AES_128_CCM_8', 0xc0aa, 'DHE-PSK-AES128-CCM8', 'TLSv1.2'],
  ['TLS_PSK_DHE_WITH_AES_256_CCM_8', 0xc0ab, 'DHE-PSK-AES256-CCM8', 'TLSv1.2'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CCM', 0xc0ac, 'ECDHE-ECDSA-AES128-CCM', 'TLSv1.2'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_CCM', 0xc0ad, 'ECDHE-ECDSA-AES256-CCM', 'TLSv1.2'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', 0xc0ae, 'ECDHE-ECDSA-AES128-CCM8', 'TLSv1.2'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8', 0xc0af, 'ECDHE-ECDSA-AES256-CCM8', 'TLSv1.2'],
  // RFC 8492 (password-based; no OpenSSL implementation)
  ['TLS_ECCPWD_WITH_AES_128_GCM_SHA256', 0xc0b0, undefined, 'TLSv1.2', { note: NOT_IN_OPENSSL }],
  // RFC 7905
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 0xcca8, 'ECDHE-RSA-CHACHA20-POLY1305', 'TLSv1.2'],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 0xcca9, 'ECDHE-ECDSA-CHACHA20-POLY1305', 'TLSv1.2'],
  ['TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 0xccaa, 'DHE-RSA-CHACHA20-POLY1305', 'TLSv1.2'],
  ['TLS_PSK_WITH_CHACHA20_POLY1305_SHA256', 0xccab, 'PSK-CHACHA20-POLY1305', 'TLSv1.2'],
  // Older suites that modem firmware still proposes, kept so their names are known and explained.
  // RFC 5246 App. A.5 (DSS key exchange); RFC 4346 App. A.5 and RFC 5469 (single DES, export-grade:
  // not to be negotiated in TLS 1.1 and TLS 1.2 respectively); RFC 5932 (Camellia); RFC 4162
  // (SEED); RFC 5054 (SRP); RFC 8422 §6 (RC4 with elliptic curves); RFC 5746 §3.3 (a signalling
  // value that travels in the suite list).
  ['TLS_RSA_EXPORT_WITH_RC4_40_MD5', 0x0003, 'EXP-RC4-MD5', 'SSLv3', { legacy: true, maxVersion: 'TLSv1', note: EXPORT }],
  ['TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5', 0x0006, 'EXP-RC2-CBC-MD5', 'SSLv3', { legacy: true, maxVersion: 'TLSv1', note: EXPORT }],
  ['TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', 0x0008, 'EXP-DES-CBC-SHA', 'SSLv3', { legacy: true, maxVersion: 'TLSv1', note: EXPORT }],
  ['TLS_RSA_WITH_DES_CBC_SHA', 0x0009, 'DES-CBC-SHA', 'SSLv3', { legacy: true, maxVersion: 'TLSv1.1' }],
  ['TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA', 0x0011, 'EXP-DHE-DSS-DES-CBC-SHA', 'SSLv3', { legacy: true, maxVersion: 'TLSv1', note: EXPORT, aliases: ['EXP-EDH-DSS-DES-CBC-SHA'] }],
  ['TLS_DHE_DSS_WITH_DES_CBC_SHA', 0x0012, 'DHE-DSS-DES-CBC-SHA', 'SSLv3', { legacy: true, maxVersion: 'TLSv1.1', aliases: ['EDH-DSS-DES-CBC-SHA'] }],
  ['TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA', 0x0013, 'DHE-DSS-DES-CBC3-SHA', 'SSLv3', { legacy: true, aliases: ['EDH-DSS-DES-CBC3-SHA'] }],
  ['TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA', 0x0014, 'EXP-DHE-RSA-DES-CBC-SHA', 'SSLv3', { legacy: true, maxVersion: 'TLSv1', note: EXPORT, aliases: ['EXP-EDH-RSA-DES-CBC-SHA'] }],
  ['TLS_DHE_RSA_WITH_DES_CBC_SHA', 0x0015, 'DHE-RSA-DES-CBC-SHA', 'SSLv3', { legacy: true, maxVersion: 'TLSv1.1', aliases: ['EDH-RSA-DES-CBC-SHA'] }],
  ['TLS_DHE_DSS_WITH_AES_128_CBC_SHA', 0x0032, 'DHE-DSS-AES128-SHA', 'SSLv3'],
  ['TLS_DHE_DSS_WITH_AES_256_CBC_SHA', 0x0038, 'DHE-DSS-AES256-SHA', 'SSLv3'],
  ['TLS_DHE_DSS_WITH_AES_128_CBC_SHA256', 0x0040, 'DHE-DSS-AES128-SHA256', 'TLSv1.2'],
  ['TLS_RSA_WITH_CAMELLIA_128_CBC_SHA', 0x0041, 'CAMELLIA128-SHA', 'SSLv3'],
  ['TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA', 0x0044, 'DHE-DSS-CAMELLIA128-SHA', 'SSLv3'],
  ['TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA', 0x0045, 'DHE-RSA-CAMELLIA128-SHA', 'SSLv3'],
  ['TLS_DHE_DSS_WITH_AES_256_CBC_SHA256', 0x006a, 'DHE-DSS-AES256-SHA256', 'TLSv1.2'],
  ['TLS_RSA_WITH_CAMELLIA_256_CBC_SHA', 0x0084, 'CAMELLIA256-SHA', 'SSLv3'],
  ['TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA', 0x0087, 'DHE-DSS-CAMELLIA256-SHA', 'SSLv3'],
  ['TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA', 0x0088, 'DHE-RSA-CAMELLIA256-SHA', 'SSLv3'],
  // RFC 5932 (Camellia with SHA-256/384 over TLS 1.2) and RFC 6367 (Camellia GCM, which OpenSSL never
  // implemented), the suites of Fibocom's +GTSSLCIPHER table (seeds/004) among them.
  ['TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256', 0x00c4, 'DHE-RSA-CAMELLIA256-SHA256', 'TLSv1.2'],
  ['TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384', 0xc073, 'ECDHE-ECDSA-CAMELLIA256-SHA384', 'TLSv1.2'],
  ['TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384', 0xc077, 'ECDHE-RSA-CAMELLIA256-SHA384', 'TLSv1.2'],
  ['TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384', 0xc07d, undefined, 'TLSv1.2', { note: NOT_IN_OPENSSL }],
  ['TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384', 0xc087, undefined, 'TLSv1.2', { note: NOT_IN_OPENSSL }],
  ['TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384', 0xc08b, undefined, 'TLSv1.2', { note: NOT_IN_OPENSSL }],
  ['TLS_RSA_WITH_SEED_CBC_SHA', 0x0096, 'SEED-SHA', 'SSLv3'],
  ['TLS_DHE_DSS_WITH_SEED_CBC_SHA', 0x0099, 'DHE-DSS-SEED-SHA', 'SSLv3'],
  ['TLS_DHE_RSA_WITH_SEED_CBC_SHA', 0x009a, 'DHE-RSA-SEED-SHA', 'SSLv3'],
  ['TLS_DHE_DSS_WITH_AES_128_GCM_SHA256', 0x00a2, 'DHE-DSS-AES128-GCM-SHA256', 'TLSv1.2'],
  ['TLS_DHE_DSS_WITH_AES_256_GCM_SHA384', 0x00a3, 'DHE-DSS-AES256-GCM-SHA384', 'TLSv1.2'],
  ['TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 0x00ff, undefined, 'SSLv3', { note: 'a signalling value (RFC 5746 §3.3), not a suite: a TLS stack adds it by itself' }],
  ['TLS_ECDH_ECDSA_WITH_RC4_128_SHA', 0xc002, 'ECDH-ECDSA-RC4-SHA', 'TLSv1', { legacy: true, note: STATIC_ECDH }],
  ['TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 0xc007, 'ECDHE-ECDSA-RC4-SHA', 'TLSv1', { legacy: true }],
  ['TLS_ECDH_RSA_WITH_RC4_128_SHA', 0xc00c, 'ECDH-RSA-RC4-SHA', 'TLSv1', { legacy: true, note: STATIC_ECDH }],
  ['TLS_ECDHE_RSA_WITH_RC4_128_SHA', 0xc011, 'ECDHE-RSA-RC4-SHA', 'TLSv1', { legacy: true }],
  ['TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA', 0xc01b, 'SRP-RSA-3DES-EDE-CBC-SHA', 'SSLv3', { legacy: true }],
  ['TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA', 0xc01c, 'SRP-DSS-3DES-EDE-CBC-SHA', 'SSLv3', { legacy: true }],
  ['TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA', 0xc01e, 'SRP-RSA-AES-128-CBC-SHA', 'SSLv3'],
  ['TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA', 0xc01f, 'SRP-DSS-AES-128-CBC-SHA', 'SSLv3'],
  ['TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA', 0xc021, 'SRP-RSA-AES-256-CBC-SHA', 'SSLv3'],
  ['TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA', 0xc022, 'SRP-DSS-AES-256-CBC-SHA', 'SSLv3'],
];

/** RFC 8446 §B.4; RFC 8998 adds the ShangMi suites OpenSSL does not implement. */
const TLS13: readonly Row[] = [
  ['TLS_AES_128_GCM_SHA256', 0x1301, 'TLS_AES_128_GCM_SHA256', 'TLSv1.3'],
  ['TLS_AES_256_GCM_SHA384', 0x1302, 'TLS_AES_256_GCM_SHA384', 'TLSv1.3'],
  ['TLS_CHACHA20_POLY1305_SHA256', 0x1303, 'TLS_CHACHA20_POLY1305_SHA256', 'TLSv1.3'],
  ['TLS_AES_128_CCM_SHA256', 0x1304, 'TLS_AES_128_CCM_SHA256', 'TLSv1.3'],
  ['TLS_AES_128_CCM_8_SHA256', 0x1305, 'TLS_AES_128_CCM_8_SHA256', 'TLSv1.3'],
  ['TLS_SM4_GCM_SM3', 0x00c6, undefined, 'TLSv1.3', { note: NOT_IN_OPENSSL }],
  ['TLS_SM4_CCM_SM3', 0x00c7, undefined, 'TLSv1.3', { note: NOT_IN_OPENSSL }],
];

export const CIPHER_SUITES: readonly CipherSuiteInfo[] = [
  ...CLASSIC.map(([iana, code, openssl, minVersion, extra]): CipherSuiteInfo => ({ iana, code, openssl, minVersion, maxVersion: 'TLSv1.2', ...extra })),
  ...TLS13.map(([iana, code, openssl, minVersion, extra]): CipherSuiteInfo => ({ iana, code, openssl, minVersion, maxVersion: 'TLSv1.3', ...extra })),
];

const BY_IANA = new Map(CIPHER_SUITES.map((suite) => [suite.iana, suite]));
const BY_OPENSSL = new Map<string, CipherSuiteInfo>();
for (const suite of CIPHER_SUITES) {
  for (const name of [suite.openssl, ...(suite.aliases ?? [])]) if (name) BY_OPENSSL.set(name.toUpperCase(), suite);
}
const BY_CODE = new Map(CIPHER_SUITES.map((suite) => [suite.code, suite]));

/** Suites in the table that OpenSSL has never had: nothing to map them to. */
export const NO_OPENSSL_EQUIVALENT: readonly string[] = CIPHER_SUITES.filter((suite) => suite.openssl === undefined).map((suite) => suite.iana);

function normaliseIana(name: string): string {
  return name.trim().toUpperCase();
}

/** Everything known about a suite, by IANA name (case-insensitive). */
export function cipherSuite(iana: string): CipherSuiteInfo | undefined {
  return BY_IANA.get(normaliseIana(iana));
}

/** A suite by its two-octet code point (e.g. Telit's `0x002F`). */
export function cipherSuiteByCode(code: number): CipherSuiteInfo | undefined {
  return BY_CODE.get(code);
}

/** `TLS_RSA_WITH_AES_128_CBC_SHA` → `AES128-SHA`; TLS 1.3 names are returned unchanged. */
export function toOpenSsl(iana: string): string | undefined {
  return cipherSuite(iana)?.openssl;
}

/** `AES128-SHA` → `TLS_RSA_WITH_AES_128_CBC_SHA` (case-insensitive; also accepts TLS 1.3 names). */
export function toIana(openssl: string): string | undefined {
  return BY_OPENSSL.get(openssl.trim().toUpperCase())?.iana;
}

/** Every IANA name in the table. */
export function ianaSuiteNames(): string[] {
  return CIPHER_SUITES.map((suite) => suite.iana);
}

let available: Set<string> | undefined;

/**
 * Whether this Node's OpenSSL can offer the suite: its OpenSSL name is in `tls.getCiphers()`.
 * (That list is what the library was built with; some entries, e.g. TLS 1.3 CCM, still need to be
 * asked for explicitly.)
 */
export function isAvailable(iana: string): boolean {
  const name = toOpenSsl(iana);
  if (name === undefined) return false;
  available ??= new Set(tls.getCiphers().map((cipher) => cipher.toLowerCase()));
  return available.has(name.toLowerCase());
}
