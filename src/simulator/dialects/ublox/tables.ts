/**
 * The data of the simulated u-blox module, each table with where it comes from: the u-blox
 * "Device and data security" manual (`seeds/003`: +USECMNG, +USECPRF, Table 26 and "Cipher suite
 * applicability"), and for sockets the public SARA-R5 series AT commands manual (UBX-19047455),
 * chapter "Internet protocol transport layer" and its appendix "Internal TCP/UDP/IP stack class
 * error codes".
 *
 * Owns: platforms, limits, the cipher-suite table, the pre-installed certificates, the socket
 * error numbers. Must never: hold behaviour — the command modules look things up here.
 */

/** Limits of +USECMNG and +USECPRF ("Defined values" of each command). */
export const LIMITS = {
  /** +USECMNG `<data_size>` and the `<filename>` file: "The maximum allowed size is 8192 bytes". */
  dataSize: 8192,
  /** +USECMNG `<internal_name>`: "maximum length for the imported certs/keys is 30 characters". */
  name: 30,
  /** "The maximum length for the preinstalled certs/keys is 60 characters". */
  preinstalledName: 60,
  /** +USECMNG `<password>` (PKCS#8 decryption): 128 characters. */
  importPassword: 128,
  /** +USECMNG `<filename>`: "The maximum filename length is 63 characters". */
  filename: 63,
  /** +USECMNG description: "Up to 10 certificates or private keys can be imported". */
  userEntries: 10,
  /** +USECMNG stream import: "a guard timer of 20 s will ensure the termination of the data transmission". */
  importGuardMs: 20_000,
  /** +USECPRF `<profile_id>`: "in range 0-4". */
  profiles: 5,
  /** Notes of +USECMNG: "allows 4 concurrent SSL/TLS connections". */
  tlsConnections: 4,
  /** "During the handshake an inactivity timer is started … The timeout … is set to 60 s". */
  handshakeMs: 60_000,
  /** UBX-19047455 +USOCR: "<socket> … The range goes from 0 to 6". */
  sockets: 7,
  /** UBX-19047455 +USOWR/+USORD: at most 1024 bytes per command in binary/base syntax. */
  socketChunk: 1024,
  /** +USOWR base syntax in HEX mode: `<length>` 1-512 (UBX-17003787 §19.10.3). */
  socketHexChunk: 512,
  /** UBX-19047455 +UDWNFILE: the module waits for the announced bytes, then gives up. */
  fileGuardMs: 20_000,
  /**
   * Bytes a socket holds for the host before the module stops reading the network, so that TCP
   * flow control holds the server back until the host reads. The manuals give no size for a
   * socket's receive buffer: this is the simulator's choice (as the Fibocom dialect's).
   */
  receiveBuffer: 65_536,
} as const;

/** +USECPRF string limits ("Defined values"), by op code. */
export const STRING_LIMITS: Readonly<Record<number, number>> = {
  3: 200, // <root_cert_int_name>
  4: 256, // <srv_hostname>
  5: 200, // <cli_cert_int_name>
  6: 200, // <cli_priv_key_int_name>
  7: 128, // <cli_priv_key_pwd>
  10: 128, // <SNI>
  12: 200, // <server_certificate>
  15: 255, // <ALPN_string_type>
};

/** +USECMNG `<type>` and the verbose `<cert_type>` of the list (op 3). */
export const DATA_TYPES = ['CA', 'CC', 'PK', 'SC'] as const;
export type DataType = 0 | 1 | 2 | 3;

/**
 * What a platform accepts. The manual's "Allowed values" lines and its +USECPRF Notes are the
 * restrictions of one product; the simulator attributes them to SARA-R5 (the default) and offers
 * `generic`, a module that takes every value the manual's syntax defines, so that every documented
 * form can be exercised.
 */
export interface UbloxPlatform {
  id: UbloxPlatformId;
  model: string;
  revision: string;
  /** +USECPRF `<op_code>` values accepted ("Allowed values: 0, 1, 2, … 16" without 11 and 14). */
  opCodes: readonly number[];
  /** TLS 1.3 (`<tls_ver>` 4): Notes, "TLS v1.3 is not supported". */
  tls13: boolean;
  /** Notes: "If <op_code>=1 … and <param_val1>=0 (default) the server can use only TLS v1.2". */
  anyMeansTls12: boolean;
  /** Notes: "<legacy_cs>=100 … is not supported". */
  cipherList: boolean;
  /** Notes: "<legacy_cs>=10,11,12,15,16 are not supported". */
  unsupportedLegacy: readonly number[];
  /** Notes: "If <op_code>=9 … the <string_type> parameter is not supported". */
  pskIdStringType: boolean;
  /**
   * "<sess_tag> Allowed values: 0, 1, 3" and "<sess_type> Allowed values: 1". The first type is the
   * one a profile starts with (the manual gives no factory value; a module holds one it allows).
   */
  sessionTags: readonly number[];
  sessionTypes: readonly number[];
  /** Suites selectable with 99/100: the "Cipher suite applicability" list, or every Table 26 code. */
  suites: 'applicable' | 'table';
}

export type UbloxPlatformId = 'SARA-R5' | 'generic';

const ALL_OP_CODES = Array.from({ length: 17 }, (_, i) => i);

export const PLATFORMS: Readonly<Record<UbloxPlatformId, UbloxPlatform>> = {
  'SARA-R5': {
    id: 'SARA-R5',
    model: 'SARA-R510M8S',
    revision: '03.15',
    opCodes: ALL_OP_CODES.filter((op) => op !== 11 && op !== 14),
    tls13: false,
    anyMeansTls12: true,
    cipherList: false,
    unsupportedLegacy: [10, 11, 12, 15, 16],
    pskIdStringType: false,
    sessionTags: [0, 1, 3],
    sessionTypes: [1],
    suites: 'applicable',
  },
  generic: {
    id: 'generic',
    model: 'u-blox simulated (all options)',
    revision: '00.00',
    opCodes: ALL_OP_CODES,
    tls13: true,
    anyMeansTls12: false,
    cipherList: true,
    unsupportedLegacy: [],
    pskIdStringType: true,
    sessionTags: [0, 1, 2, 3, 5, 12, 13, 15],
    sessionTypes: [0, 1, 3, 10, 11, 13],
    suites: 'table',
  },
};

export const DEFAULT_PLATFORM: UbloxPlatformId = 'SARA-R5';

/**
 * Table 26 "Supported cipher suite": IANA code, name as the manual prints it (the CHACHA20 rows'
 * "POL1305" typo corrected to RFC 7905's POLY1305), and the `<legacy_cs>` number where it has one.
 */
export const CIPHER_TABLE: ReadonlyArray<readonly [code: number, name: string, legacy?: number]> = [
  [0x0000, 'TLS_NULL_WITH_NULL_NULL'],
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 5],
  [0x0013, 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA'],
  [0x0015, 'TLS_DHE_RSA_WITH_DES_CBC_SHA'],
  [0x0016, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x001a, 'TLS_DH_anon_WITH_DES_CBC_SHA'],
  [0x001b, 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA'],
  [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA', 1],
  [0x0032, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA'],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA'],
  [0x0034, 'TLS_DH_anon_WITH_AES_128_CBC_SHA'],
  [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA', 3],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'],
  [0x003a, 'TLS_DH_anon_WITH_AES_256_CBC_SHA'],
  [0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256', 2],
  [0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256', 4],
  [0x0040, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256'],
  [0x0041, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0045, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'],
  [0x006c, 'TLS_DH_anon_WITH_AES_128_CBC_SHA256'],
  [0x006d, 'TLS_DH_anon_WITH_AES_256_CBC_SHA256'],
  [0x0084, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0088, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x008a, 'TLS_PSK_WITH_RC4_128_SHA'],
  [0x008b, 'TLS_PSK_WITH_3DES_EDE_CBC_SHA', 8],
  [0x008c, 'TLS_PSK_WITH_AES_128_CBC_SHA', 6],
  [0x008d, 'TLS_PSK_WITH_AES_256_CBC_SHA', 7],
  [0x008e, 'TLS_DHE_PSK_WITH_RC4_128_SHA'],
  [0x008f, 'TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0x0090, 'TLS_DHE_PSK_WITH_AES_128_CBC_SHA'],
  [0x0091, 'TLS_DHE_PSK_WITH_AES_256_CBC_SHA'],
  [0x0092, 'TLS_RSA_PSK_WITH_RC4_128_SHA'],
  [0x0093, 'TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA', 11],
  [0x0094, 'TLS_RSA_PSK_WITH_AES_128_CBC_SHA', 9],
  [0x0095, 'TLS_RSA_PSK_WITH_AES_256_CBC_SHA', 10],
  [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0x00a8, 'TLS_PSK_WITH_AES_128_GCM_SHA256', 16],
  [0x00a9, 'TLS_PSK_WITH_AES_256_GCM_SHA384', 17],
  [0x00aa, 'TLS_DHE_PSK_WITH_AES_128_GCM_SHA256'],
  [0x00ab, 'TLS_DHE_PSK_WITH_AES_256_GCM_SHA384'],
  [0x00ac, 'TLS_RSA_PSK_WITH_AES_128_GCM_SHA256', 18],
  [0x00ad, 'TLS_RSA_PSK_WITH_AES_256_GCM_SHA384', 19],
  [0x00ae, 'TLS_PSK_WITH_AES_128_CBC_SHA256', 12],
  [0x00af, 'TLS_PSK_WITH_AES_256_CBC_SHA384', 13],
  [0x00b2, 'TLS_DHE_PSK_WITH_AES_128_CBC_SHA256'],
  [0x00b3, 'TLS_DHE_PSK_WITH_AES_256_CBC_SHA384'],
  [0x00b6, 'TLS_RSA_PSK_WITH_AES_128_CBC_SHA256', 14],
  [0x00b7, 'TLS_RSA_PSK_WITH_AES_256_CBC_SHA384', 15],
  [0x00ba, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00be, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00c0, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c4, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0xc002, 'TLS_ECDH_ECDSA_WITH_RC4_128_SHA'],
  [0xc003, 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc004, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc005, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc007, 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA'],
  [0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA', 20],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 21],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 22],
  [0xc00c, 'TLS_ECDH_RSA_WITH_RC4_128_SHA'],
  [0xc00d, 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc00e, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA'],
  [0xc00f, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA'],
  [0xc010, 'TLS_ECDHE_RSA_WITH_NULL_SHA'],
  [0xc011, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA'],
  [0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 23],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 24],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 25],
  [0xc017, 'TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA'],
  [0xc018, 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA'],
  [0xc019, 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA'],
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 26],
  [0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 27],
  [0xc025, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xc026, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 28],
  [0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 29],
  [0xc029, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc02a, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 30],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 31],
  [0xc02d, 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256'],
  [0xc02e, 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384'],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 32],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 33],
  [0xc031, 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256'],
  [0xc032, 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384'],
  [0xc033, 'TLS_ECDHE_PSK_WITH_RC4_128_SHA'],
  [0xc034, 'TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0xc035, 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA'],
  [0xc036, 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA'],
  [0xc037, 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256'],
  [0xc038, 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384'],
  ...[
    [0xc072, 'ECDHE_ECDSA', 128, 'CBC_SHA256'], [0xc073, 'ECDHE_ECDSA', 256, 'CBC_SHA384'], [0xc074, 'ECDH_ECDSA', 128, 'CBC_SHA256'],
    [0xc075, 'ECDH_ECDSA', 256, 'CBC_SHA384'], [0xc076, 'ECDHE_RSA', 128, 'CBC_SHA256'], [0xc077, 'ECDHE_RSA', 256, 'CBC_SHA384'],
    [0xc078, 'ECDH_RSA', 128, 'CBC_SHA256'], [0xc079, 'ECDH_RSA', 256, 'CBC_SHA384'], [0xc07a, 'RSA', 128, 'GCM_SHA256'],
    [0xc07b, 'RSA', 256, 'GCM_SHA384'], [0xc07c, 'DHE_RSA', 128, 'GCM_SHA256'], [0xc07d, 'DHE_RSA', 256, 'GCM_SHA384'],
    [0xc086, 'ECDHE_ECDSA', 128, 'GCM_SHA256'], [0xc087, 'ECDHE_ECDSA', 256, 'GCM_SHA384'], [0xc088, 'ECDH_ECDSA', 128, 'GCM_SHA256'],
    [0xc089, 'ECDH_ECDSA', 256, 'GCM_SHA384'], [0xc08a, 'ECDHE_RSA', 128, 'GCM_SHA256'], [0xc08b, 'ECDHE_RSA', 256, 'GCM_SHA384'],
    [0xc08c, 'ECDH_RSA', 128, 'GCM_SHA256'], [0xc08d, 'ECDH_RSA', 256, 'GCM_SHA384'], [0xc08e, 'PSK', 128, 'GCM_SHA256'],
    [0xc08f, 'PSK', 256, 'GCM_SHA384'], [0xc090, 'DHE_PSK', 128, 'GCM_SHA256'], [0xc091, 'DHE_PSK', 256, 'GCM_SHA384'],
    [0xc092, 'RSA_PSK', 128, 'GCM_SHA256'], [0xc093, 'RSA_PSK', 256, 'GCM_SHA384'], [0xc094, 'PSK', 128, 'CBC_SHA256'],
    [0xc095, 'PSK', 256, 'CBC_SHA384'], [0xc096, 'DHE_PSK', 128, 'CBC_SHA256'], [0xc097, 'DHE_PSK', 256, 'CBC_SHA384'],
    [0xc098, 'RSA_PSK', 128, 'CBC_SHA256'], [0xc099, 'RSA_PSK', 256, 'CBC_SHA384'], [0xc09a, 'ECDHE_PSK', 128, 'CBC_SHA256'],
    [0xc09b, 'ECDHE_PSK', 256, 'CBC_SHA384'],
  ].map(([code, kx, bits, mode]) => [code as number, `TLS_${kx as string}_WITH_CAMELLIA_${bits as number}_${mode as string}`] as const),
  [0xc09c, 'TLS_RSA_WITH_AES_128_CCM'],
  [0xc09d, 'TLS_RSA_WITH_AES_256_CCM'],
  [0xc09e, 'TLS_DHE_RSA_WITH_AES_128_CCM'],
  [0xc09f, 'TLS_DHE_RSA_WITH_AES_256_CCM'],
  [0xc0a0, 'TLS_RSA_WITH_AES_128_CCM_8'],
  [0xc0a1, 'TLS_RSA_WITH_AES_256_CCM_8'],
  [0xc0a2, 'TLS_DHE_RSA_WITH_AES_128_CCM_8'],
  [0xc0a3, 'TLS_DHE_RSA_WITH_AES_256_CCM_8'],
  [0xc0a4, 'TLS_PSK_WITH_AES_128_CCM'],
  [0xc0a5, 'TLS_PSK_WITH_AES_256_CCM'],
  [0xc0a6, 'TLS_DHE_PSK_WITH_AES_128_CCM'],
  [0xc0a7, 'TLS_DHE_PSK_WITH_AES_256_CCM'],
  [0xc0a8, 'TLS_PSK_WITH_AES_128_CCM_8'],
  [0xc0a9, 'TLS_PSK_WITH_AES_256_CCM_8'],
  [0xc0aa, 'TLS_PSK_DHE_WITH_AES_128_CCM_8'],
  [0xc0ab, 'TLS_PSK_DHE_WITH_AES_256_CCM_8'],
  [0xc0ac, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM'],
  [0xc0ad, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM'],
  [0xc0ae, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8'],
  [0xc0af, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8'],
  [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccaa, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccab, 'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccac, 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccad, 'TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccae, 'TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0x1301, 'TLS_AES_128_GCM_SHA256'],
  [0x1302, 'TLS_AES_256_GCM_SHA384'],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
  [0x1304, 'TLS_AES_128_CCM_SHA256'],
  [0x1305, 'TLS_AES_128_CCM_8_SHA256'],
];

export const SUITE_BY_CODE: ReadonlyMap<number, string> = new Map(CIPHER_TABLE.map(([code, name]) => [code, name]));
export const CODE_BY_LEGACY: ReadonlyMap<number, number> = new Map(
  CIPHER_TABLE.filter((row) => row[2] !== undefined).map(([code, , legacy]) => [legacy as number, code]),
);

/**
 * "Cipher suite applicability": the suites the module has, `true` for the (D) ones it proposes
 * with `<legacy_cs>` 0. The manual prints 0x009F as "TLS_RSA_WITH_AES_256_GCM_SHA384"; the code
 * is IANA's TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, and the code is what counts.
 */
export const APPLICABLE_SUITES: ReadonlyMap<number, boolean> = new Map([
  [0x000a, false], [0x002f, false], [0x0035, false], [0x003c, false], [0x003d, false], [0x008b, false],
  [0x008c, false], [0x008d, false], [0x009c, true], [0x009d, true], [0x009e, true], [0x009f, true],
  [0x00a8, true], [0x00a9, true], [0x00aa, true], [0x00ab, true], [0x00ac, true], [0x00ad, true],
  [0x00ae, true], [0x00af, true], [0xc003, false], [0xc004, false], [0xc005, false], [0xc008, false],
  [0xc009, false], [0xc00a, false], [0xc00d, false], [0xc00e, false], [0xc00f, false], [0xc012, false],
  [0xc013, false], [0xc014, false], [0xc023, true], [0xc024, false], [0xc025, false], [0xc026, false],
  [0xc027, false], [0xc028, false], [0xc029, false], [0xc02a, false], [0xc02b, true], [0xc02c, true],
  [0xc02d, true], [0xc02f, true], [0xc030, true], [0xc031, false], [0xc032, false], [0xc037, true],
  [0xc038, true], [0xc09c, true], [0xc0a1, true], [0xc0a4, true], [0xc0a5, true], [0xc0a6, true],
  [0xc0a7, true], [0xc0a8, true], [0xc0a9, true], [0xc0aa, true], [0xc0ab, true], [0xc0ac, true],
  [0xc0ad, true], [0xc0ae, true], [0xc0af, true],
]);

/** TLS 1.3 suites (RFC 8446 §B.4) proposed with `<legacy_cs>` 0 where the platform speaks TLS 1.3. */
export const TLS13_DEFAULTS = [0x1301, 0x1302, 0x1303];

/**
 * Notes of +USECMNG: "The following certificates are pre-installed on the module and cannot be
 * deleted/changed". The simulator cannot hold DigiCert's private keys, so each is a stand-in with
 * the same common name and expiry, generated on first use; tests pass their own (`preinstalled`).
 */
export const PREINSTALLED: ReadonlyArray<readonly [name: string, commonName: string, expires: string]> = [
  ['ubx_digicert_global_root_ca', 'DigiCert Global Root CA', '2031-11-10T00:00:00Z'],
  ['ubx_digicert_global_root_g2', 'DigiCert Global Root G2', '2038-01-15T12:00:00Z'],
  ['ubx_digicert_trusted_root_g4', 'DigiCert Trusted Root G4', '2038-01-15T12:00:00Z'],
  ['ubx_digicert_eccp384_root_g5', 'DigiCert TLS ECC P384 Root G5', '2046-01-14T23:59:59Z'],
  ['ubx_digicert_rsa4096_root_g5', 'DigiCert TLS RSA4096 Root G5', '2046-01-14T23:59:59Z'],
  ['ubx_baltimore_cybertrust_root', 'Baltimore CyberTrust Root', '2025-05-12T23:59:00Z'],
  ['ubx_tmo_usa_enterprise_root_ca', 'T-Mobile USA Enterprise Root CA', '2040-11-03T20:28:54Z'],
  ['ubx_starfield_service_root_ca_g2', 'Starfield Services Root Certificate Authority - G2', '2034-06-28T17:39:16Z'],
];

/**
 * UBX-19047455, appendix "Internal TCP/UDP/IP stack class error codes" (BSD errno numbers), the
 * ones this simulator reports through +USOER and +USOCTL=<socket>,1.
 */
export const ERRNO = {
  none: 0,
  EBADF: 9, // Bad file descriptor
  ENOMEM: 12, // Out of memory
  EINVAL: 22, // Invalid argument
  EPROTO: 71, // Protocol error
  EPROTONOSUPPORT: 93, // Protocol not supported
  EOPNOTSUPP: 95, // Operation not supported on transport endpoint
  ECONNABORTED: 103, // Software caused connection abort
  ECONNRESET: 104, // Connection reset by peer
  ENOBUFS: 105, // No buffer space available
  EISCONN: 106, // Transport endpoint is already connected
  ENOTCONN: 107, // Transport endpoint is not connected
  ETIMEDOUT: 110, // Connection timed out
  ECONNREFUSED: 111, // Connection refused
  EHOSTUNREACH: 113, // No route to host
  EINPROGRESS: 115, // Operation now in progress
} as const;

/** UBX-19047455 +USOCTL `<param_id>` 10: TCP states as RFC 793 names them. */
export const TCP_STATE = { closed: 0, synSent: 2, established: 4, closeWait: 7 } as const;
