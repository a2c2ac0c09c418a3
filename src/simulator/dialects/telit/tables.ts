/**
 * What the simulated Telit module is, platform by platform, as data written from the SSL/TLS User
 * Guide 1vv0300989 Rev. 23 (seeds/001): the cipher suites of each platform with their decimal and
 * hex `<CipherSuite>` values and the protocol versions the §12.1 tables mark for each, the
 * #SSLSECCFG2 and #SSLCFG parameter lists, the limits, and the module's identity. Each entry names
 * the section and, where it matters, the line of the guide it was read from.
 *
 * Owns: data only. Must never: hold behaviour, or import anything from `src/adapters`. The
 * product keeps its own tables (`adapters/telit/platforms.ts`); the two are written separately
 * from the guide and compared entry by entry by `test/unit/simulator/telit-tables-agree.test.ts`,
 * so a wrong number on one side shows up there instead of passing on both.
 */
import { range, values, type Allowed } from './args';

export type TelitPlatformId = '10' | '13' | '16' | '12' | '20' | '23' | '25-linux' | '25-threadx' | '30' | '37' | '52';

export type TlsVersion = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** The optional #SSLCFG parameters after `<txTo>`, in order (§6.7). */
export type SslcfgExtra = 'sslSRingMode' | 'noCarrierMode' | 'skipHostMismatch' | 'equalizeTx' | 'connTo' | 'unused1';

/** The three forms of #SSLSECCFG2 (§6.3), or none (2G, §6.3.1). */
export type Seccfg2Form = 'none' | 'version' | 'version-sni' | 'version-sni-ca-min';

/** One row of a §12.1 table. */
export interface SuiteRow {
  /** IANA name. */
  readonly name: string;
  /** Decimal `<CipherSuite>` that selects it alone, if it has one. */
  readonly selector?: number;
  /** Hex `<CipherSuite>` that selects it alone (§12.1.7, §12.1.8), if the platform takes hex codes. */
  readonly hex?: number;
  /** The protocol columns marked for it. */
  readonly versions: readonly TlsVersion[];
  /** Whether `<CipherSuite>` 0 proposes it. */
  readonly zero: boolean;
  /** Line of the guide the row is printed on. */
  readonly line: number;
}

export interface PlatformIdentity {
  /** `+CGMM` (§6.8.1 prints `HE910` for platform 12, §6.8.2 `LE866-SV1` for 23). */
  model: string;
  /** `+CGMR`: the platform ID is the major version (Table 1 note: "10 for SW version 10.xx.xxx"). */
  revision: string;
  /** `#PORTCFG?` (§6.8.1 shows `0,0` on an HE910, §6.8.2 `1,1` on an LE866). */
  portcfg: string;
}

export interface SimulatedPlatform {
  id: TelitPlatformId;
  technology: '2G' | '3G' | '4G';
  /** Secure socket ids 1..n. */
  sslSockets: number;
  suites: readonly SuiteRow[];
  /** Every version some suite of the platform is marked for. */
  versions: readonly TlsVersion[];
  seccfg2: Seccfg2Form;
  /** Whether #SSLSECCFG takes `<cert_format>`. */
  certFormatParam: boolean;
  /** Whether security data can be uploaded as DER. */
  der: boolean;
  /** Whether #SSLSECDATA has `<Action>` 3, store in RAM. */
  ramStorage: boolean;
  /** Largest `<Size>` of #SSLSECDATA. */
  maxSecurityData: number;
  sslcfgExtras: readonly SslcfgExtra[];
  /** `<ClosureType>` 1 and #SSLFASTD. */
  fastDial: boolean;
  /** Largest `<dataLen>` of one `SSLSRING:` in mode 2. */
  sringChunk: number;
  /** The `<cid>` range of #SSLCFG. */
  sslCids: Allowed;
  /** `<version>` of #SSLSECCFG2 after power-on. */
  defaultVersion: number;
  identity: PlatformIdentity;
}

// ---- protocol columns ------------------------------------------------------------------------

const SSL3_TO_12: readonly TlsVersion[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'];
const TLS10: readonly TlsVersion[] = ['TLSv1'];
const TLS10_TO_11: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1'];
const TLS10_TO_12: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2'];
const TLS12: readonly TlsVersion[] = ['TLSv1.2'];
const TLS13: readonly TlsVersion[] = ['TLSv1.3'];

/**
 * `#SSLSECCFG2 <version>` numbers. The guide prints only examples (§6.8.3.1 line 1279 `1` on an
 * HE910, §10.1.2 `3`); the numbering is the AT reference guides' (e.g. 80529ST10815A #SSLSECCFG2).
 */
export const VERSION_NUMBERS: Readonly<Record<TlsVersion, number>> = { SSLv3: 0, TLSv1: 1, 'TLSv1.1': 2, 'TLSv1.2': 3, 'TLSv1.3': 4 };

// ---- row builders ----------------------------------------------------------------------------

/** A suite `<CipherSuite>` n selects alone and 0 also proposes ("0, n" in the table). */
const pick = (line: number, selector: number, name: string, versions: readonly TlsVersion[]): SuiteRow => ({ name, selector, versions, zero: true, line });
/** A suite only 0 proposes ("0"). */
const zeroOnly = (line: number, name: string, versions: readonly TlsVersion[]): SuiteRow => ({ name, versions, zero: true, line });
/** A suite only its own number selects (NULL_SHA, "4"). */
const alone = (line: number, selector: number, name: string, versions: readonly TlsVersion[]): SuiteRow => ({ name, selector, versions, zero: false, line });
/** A row of §12.1.7 / §12.1.8: hex code, optional decimal selector, and whether 0 proposes it. */
const hexRow = (line: number, hex: number, name: string, versions: readonly TlsVersion[], options: { selector?: number; zero: boolean }): SuiteRow => ({
  name,
  hex,
  versions,
  zero: options.zero,
  line,
  ...(options.selector !== undefined ? { selector: options.selector } : {}),
});

// ---- §12.1.1, Table 4 (lines 3042-3047); numbering also §6.2.1 lines 315-321 ------------------

const SUITES_2G: readonly SuiteRow[] = [
  pick(3042, 1, 'TLS_RSA_WITH_RC4_128_MD5', TLS10), // the only TLS 1.0-only row of the guide
  pick(3043, 2, 'TLS_RSA_WITH_RC4_128_SHA', TLS10_TO_12),
  pick(3044, 3, 'TLS_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12),
  pick(3045, 4, 'TLS_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  pick(3046, 5, 'TLS_RSA_WITH_AES_256_CBC_SHA256', TLS12),
  pick(3047, 6, 'TLS_RSA_WITH_AES_128_GCM_SHA256', TLS12),
];

// ---- §12.1.2, Table 5 (lines 3057-3069); numbering also §6.2.2 lines 357-361 ------------------
// NULL_SHA is the only row with a mark under SSL v3.0 ("+", line 3060): "generally supported by
// all protocols" (line 3073). 0 leaves it out (line 353, line 3053).

const SUITES_12: readonly SuiteRow[] = [
  pick(3057, 1, 'TLS_RSA_WITH_RC4_128_MD5', TLS10_TO_12),
  pick(3058, 2, 'TLS_RSA_WITH_RC4_128_SHA', TLS10_TO_12),
  pick(3059, 3, 'TLS_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12),
  alone(3060, 4, 'TLS_RSA_WITH_NULL_SHA', SSL3_TO_12),
  pick(3061, 5, 'TLS_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12),
  zeroOnly(3062, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', TLS12),
  zeroOnly(3063, 'TLS_RSA_WITH_AES_256_CBC_SHA256', TLS12),
  zeroOnly(3064, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3065, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3066, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3068, 'TLS_RSA_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3069, 'TLS_RSA_WITH_AES_128_CBC_SHA256', TLS12),
];

// ---- §12.1.3, Table 6 (lines 3081-3093) ------------------------------------------------------

const SUITES_20: readonly SuiteRow[] = [
  pick(3081, 1, 'TLS_RSA_WITH_RC4_128_MD5', SSL3_TO_12),
  pick(3082, 2, 'TLS_RSA_WITH_RC4_128_SHA', SSL3_TO_12),
  pick(3083, 3, 'TLS_RSA_WITH_AES_128_CBC_SHA', SSL3_TO_12),
  alone(3084, 4, 'TLS_RSA_WITH_NULL_SHA', SSL3_TO_12),
  // Printed "TLS_RSA_WITH_AES_256_CBC_SHA1"; §6.2.2 (line 361) names value 5 TLS_RSA_WITH_AES_256_CBC_SHA.
  pick(3085, 5, 'TLS_RSA_WITH_AES_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3086, 'TLS_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3087, 'TLS_RSA_WITH_AES_256_CBC_SHA256', TLS12),
  zeroOnly(3088, 'TLS_RSA_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3089, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3090, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3091, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', TLS12),
  zeroOnly(3092, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3093, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', TLS12),
];

// ---- §12.1.4, Table 7 (lines 3105-3190): 80 rows; 0 proposes all of them but NULL_SHA (line 3101)
// The columns are copied as printed, even where they cannot be right (line 3129 marks a GCM suite
// for SSL v3.0, which has no AEAD suites); the TLS stack decides what really goes on the wire.

const SUITES_23: readonly SuiteRow[] = [
  pick(3105, 1, 'TLS_RSA_WITH_RC4_128_MD5', SSL3_TO_12),
  pick(3106, 2, 'TLS_RSA_WITH_RC4_128_SHA', SSL3_TO_12),
  pick(3107, 3, 'TLS_RSA_WITH_AES_128_CBC_SHA', SSL3_TO_12),
  alone(3108, 4, 'TLS_RSA_WITH_NULL_SHA', SSL3_TO_12),
  pick(3109, 5, 'TLS_RSA_WITH_AES_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3110, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', TLS12),
  zeroOnly(3111, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', TLS12),
  zeroOnly(3112, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', TLS12),
  zeroOnly(3113, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', TLS12),
  zeroOnly(3114, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3115, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3116, 'TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3117, 'TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3118, 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384', TLS12),
  zeroOnly(3119, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', TLS12),
  zeroOnly(3120, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', TLS12),
  zeroOnly(3121, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256', TLS12),
  zeroOnly(3122, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3123, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3124, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3128, 'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA', TLS10_TO_12),
  zeroOnly(3129, 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384', ['SSLv3', 'TLSv1.2']),
  zeroOnly(3130, 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384', TLS12),
  zeroOnly(3131, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384', TLS12),
  zeroOnly(3132, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384', TLS12),
  zeroOnly(3133, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3134, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3135, 'TLS_RSA_WITH_AES_256_GCM_SHA384', TLS12),
  zeroOnly(3136, 'TLS_RSA_WITH_AES_256_CBC_SHA256', TLS12),
  zeroOnly(3137, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA', SSL3_TO_12),
  zeroOnly(3138, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', SSL3_TO_12),
  zeroOnly(3139, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA', SSL3_TO_12),
  zeroOnly(3140, 'TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA', SSL3_TO_12),
  zeroOnly(3141, 'TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA', SSL3_TO_12),
  zeroOnly(3142, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', SSL3_TO_12),
  zeroOnly(3143, 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA', SSL3_TO_12),
  zeroOnly(3144, 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA', SSL3_TO_12),
  zeroOnly(3145, 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA', SSL3_TO_12),
  zeroOnly(3146, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', SSL3_TO_12),
  zeroOnly(3147, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3148, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3149, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3150, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3151, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', SSL3_TO_12),
  zeroOnly(3152, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', SSL3_TO_12),
  zeroOnly(3153, 'TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA', SSL3_TO_12),
  zeroOnly(3154, 'TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA', SSL3_TO_12),
  zeroOnly(3155, 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3156, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3157, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3161, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3162, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', SSL3_TO_12),
  zeroOnly(3163, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA', SSL3_TO_12),
  zeroOnly(3164, 'TLS_DHE_RSA_WITH_SEED_CBC_SHA', SSL3_TO_12),
  zeroOnly(3165, 'TLS_DHE_DSS_WITH_SEED_CBC_SHA', SSL3_TO_12),
  zeroOnly(3166, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA', SSL3_TO_12),
  zeroOnly(3167, 'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA', SSL3_TO_12),
  zeroOnly(3168, 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3169, 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3170, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3171, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3172, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA', SSL3_TO_12),
  zeroOnly(3173, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA', SSL3_TO_12),
  zeroOnly(3174, 'TLS_RSA_WITH_AES_128_GCM_SHA256', TLS12),
  zeroOnly(3175, 'TLS_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  zeroOnly(3176, 'TLS_RSA_WITH_SEED_CBC_SHA', SSL3_TO_12),
  zeroOnly(3177, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA', SSL3_TO_12),
  zeroOnly(3178, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA', SSL3_TO_12),
  zeroOnly(3179, 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', SSL3_TO_12),
  zeroOnly(3180, 'TLS_ECDH_RSA_WITH_RC4_128_SHA', SSL3_TO_12),
  zeroOnly(3181, 'TLS_ECDH_ECDSA_WITH_RC4_128_SHA', SSL3_TO_12),
  zeroOnly(3182, 'TLS_DHE_RSA_WITH_DES_CBC_SHA', SSL3_TO_12),
  zeroOnly(3183, 'TLS_DHE_DSS_WITH_DES_CBC_SHA', SSL3_TO_12),
  zeroOnly(3184, 'TLS_RSA_WITH_DES_CBC_SHA', SSL3_TO_12),
  zeroOnly(3185, 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA', SSL3_TO_12),
  zeroOnly(3186, 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA', SSL3_TO_12),
  zeroOnly(3187, 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', SSL3_TO_12),
  zeroOnly(3188, 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5', SSL3_TO_12),
  zeroOnly(3189, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', SSL3_TO_12),
  // A signalling value (RFC 5746 §3.3), not a suite, but a row of the table all the same.
  zeroOnly(3190, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', SSL3_TO_12),
];

// ---- §12.1.5, Table 8 (lines 3202-3211); numbering also §6.2.3 lines 400-409 ------------------

const SUITES_25_LINUX: readonly SuiteRow[] = [
  pick(3202, 1, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', TLS10_TO_12),
  pick(3203, 2, 'TLS_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12),
  pick(3204, 3, 'TLS_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  pick(3205, 4, 'TLS_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12),
  pick(3206, 5, 'TLS_RSA_WITH_AES_256_CBC_SHA256', TLS12),
  pick(3207, 6, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12),
  pick(3208, 7, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12),
  pick(3209, 8, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', TLS10_TO_11), // no TLS 1.2 mark
  pick(3210, 9, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  pick(3211, 10, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', TLS12),
];

// ---- §12.1.6, Table 9 (lines 3221-3228) ------------------------------------------------------
// The three TLS 1.3 rows (lines 3229-3231) are "+": "only for FTP service" (line 3235), so they
// are not suites of the SSL sockets.

const SUITES_30: readonly SuiteRow[] = [
  pick(3221, 3, 'TLS_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12),
  pick(3222, 5, 'TLS_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12),
  pick(3223, 7, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12),
  pick(3224, 9, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12),
  pick(3225, 10, 'TLS_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  pick(3226, 11, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', TLS12),
  pick(3227, 12, 'TLS_RSA_WITH_AES_256_CBC_SHA256', TLS12),
  pick(3228, 13, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', TLS12),
];

// ---- §12.1.7, Table 10 (lines 3245-3279), platforms 37 and 25 ThreadX -------------------------
// The gray area (lines 3245-3252) takes a decimal value or the hex code, and is what 0 proposes;
// every other row takes only its hex code (lines 3239-3241). The TLS 1.3 rows are "+": from
// software version xx2 (line 3283).
//
// 25 ThreadX: §6.2.4 (lines 450-459) numbers the same eight suites 1-8 in another order, and this
// table numbers them 3, 5, 7, 9-13. The simulated module follows this table, for three reasons:
// §6.3.4 sends the reader here for ThreadX's "supported protocols and preinstalled cipher suites";
// everything else the guide says of ThreadX's security commands groups it with platform 37
// (§6.3.4 #SSLSECCFG2, §6.7.3 #SSLCFG, this table's hex codes and TLS 1.3), whose numbers these
// are, as they are platform 30's (§12.1.6) and, for the suites they share, the 3G/4G modules'
// (3 = AES_128_CBC_SHA, 5 = AES_256_CBC_SHA, §6.2.2); and the §6.2.4 list is §6.2.3's (Linux)
// with its two 3DES suites struck out and the rest renumbered, the shape of an edited copy.
// `THREADX_6_2_4` keeps the other numbering for the comparison with the product's tables.

const SUITES_37: readonly SuiteRow[] = [
  hexRow(3245, 0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12, { selector: 3, zero: true }),
  hexRow(3246, 0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12, { selector: 5, zero: true }),
  hexRow(3247, 0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12, { selector: 7, zero: true }),
  hexRow(3248, 0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12, { selector: 9, zero: true }),
  hexRow(3249, 0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256', TLS12, { selector: 10, zero: true }),
  hexRow(3250, 0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', TLS12, { selector: 11, zero: true }),
  hexRow(3251, 0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256', TLS12, { selector: 12, zero: true }),
  hexRow(3252, 0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', TLS12, { selector: 13, zero: true }),
  hexRow(3253, 0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256', TLS12, { zero: false }),
  hexRow(3254, 0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384', TLS12, { zero: false }),
  hexRow(3255, 0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', TLS12, { zero: false }),
  hexRow(3256, 0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', TLS12, { zero: false }),
  hexRow(3257, 0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', TLS10_TO_12, { zero: false }),
  hexRow(3258, 0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', TLS10_TO_12, { zero: false }),
  hexRow(3259, 0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12, { zero: false }),
  hexRow(3260, 0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12, { zero: false }),
  hexRow(3261, 0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', TLS12, { zero: false }),
  hexRow(3265, 0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', TLS12, { zero: false }),
  hexRow(3266, 0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', TLS12, { zero: false }),
  hexRow(3267, 0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', TLS12, { zero: false }),
  hexRow(3268, 0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', TLS12, { zero: false }),
  hexRow(3269, 0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', TLS12, { zero: false }),
  hexRow(3270, 0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', TLS12, { zero: false }),
  hexRow(3271, 0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', TLS12, { zero: false }),
  hexRow(3272, 0xc0a0, 'TLS_RSA_WITH_AES_128_CCM_8', TLS12, { zero: false }),
  hexRow(3273, 0xc0a1, 'TLS_RSA_WITH_AES_256_CCM_8', TLS12, { zero: false }),
  hexRow(3274, 0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', TLS12, { zero: false }),
  hexRow(3275, 0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', TLS12, { zero: false }),
  hexRow(3276, 0xccaa, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', TLS12, { zero: false }),
  hexRow(3277, 0x1301, 'TLS_AES_128_GCM_SHA256', TLS13, { zero: false }),
  hexRow(3278, 0x1302, 'TLS_AES_256_GCM_SHA384', TLS13, { zero: false }),
  hexRow(3279, 0x1303, 'TLS_CHACHA20_POLY1305_SHA256', TLS13, { zero: false }),
];

/** §6.2.4 (lines 452-459): the numbering of the same eight suites the simulated ThreadX module does not use. */
export const THREADX_6_2_4: Readonly<Record<number, string>> = {
  1: 'TLS_RSA_WITH_AES_128_CBC_SHA',
  2: 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  3: 'TLS_RSA_WITH_AES_256_CBC_SHA',
  4: 'TLS_RSA_WITH_AES_256_CBC_SHA256',
  5: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
  6: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA',
  7: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
  8: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
};

// ---- §12.1.8, Table 11 (lines 3291-3331): every row "0, <hex>" --------------------------------
// The "+" in the TLS v1.3 column means "not supported" here (line 3335).

const SUITES_52: readonly SuiteRow[] = [
  hexRow(3291, 0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3292, 0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3293, 0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3294, 0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3295, 0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256', TLS12, { zero: true }),
  hexRow(3296, 0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256', TLS12, { zero: true }),
  hexRow(3297, 0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', TLS12, { zero: true }),
  hexRow(3298, 0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', TLS12, { zero: true }),
  hexRow(3299, 0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256', TLS12, { zero: true }),
  hexRow(3300, 0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384', TLS12, { zero: true }),
  hexRow(3301, 0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', TLS12, { zero: true }),
  hexRow(3302, 0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', TLS12, { zero: true }),
  hexRow(3303, 0xc004, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3304, 0xc005, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3305, 0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3306, 0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3307, 0xc00e, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3308, 0xc00f, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3309, 0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3310, 0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', TLS10_TO_12, { zero: true }),
  hexRow(3311, 0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', TLS12, { zero: true }),
  hexRow(3312, 0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', TLS12, { zero: true }),
  hexRow(3313, 0xc025, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256', TLS12, { zero: true }),
  hexRow(3317, 0xc026, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384', TLS12, { zero: true }),
  hexRow(3318, 0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', TLS12, { zero: true }),
  hexRow(3319, 0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', TLS12, { zero: true }),
  hexRow(3320, 0xc029, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256', TLS12, { zero: true }),
  hexRow(3321, 0xc02a, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384', TLS12, { zero: true }),
  hexRow(3322, 0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', TLS12, { zero: true }),
  hexRow(3323, 0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', TLS12, { zero: true }),
  hexRow(3324, 0xc02d, 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', TLS12, { zero: true }),
  hexRow(3325, 0xc02e, 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384', TLS12, { zero: true }),
  hexRow(3326, 0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', TLS12, { zero: true }),
  hexRow(3327, 0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', TLS12, { zero: true }),
  hexRow(3328, 0xc031, 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256', TLS12, { zero: true }),
  hexRow(3329, 0xc032, 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384', TLS12, { zero: true }),
  hexRow(3330, 0xc0a0, 'TLS_RSA_WITH_AES_128_CCM_8', TLS12, { zero: true }),
  hexRow(3331, 0xc0a1, 'TLS_RSA_WITH_AES_256_CCM_8', TLS12, { zero: true }),
];

// ---- platforms -------------------------------------------------------------------------------

/** The `<cid>` range of #SSLCFG where the guide shows none: what §6.8.2's LE866 answers (line 1045). */
export const CID_RANGE = range(1, 5);

const SSLCFG_BASIC: readonly SslcfgExtra[] = ['sslSRingMode', 'noCarrierMode']; // §6.7.1 lines 836-837
const SSLCFG_LATEST: readonly SslcfgExtra[] = ['sslSRingMode', 'noCarrierMode', 'skipHostMismatch', 'equalizeTx', 'connTo', 'unused1']; // §6.7.3 lines 889-907

const ORDER: readonly TlsVersion[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

type Spec = Omit<SimulatedPlatform, 'versions'>;

function platform(spec: Spec): SimulatedPlatform {
  const marked = new Set(spec.suites.flatMap((s) => s.versions));
  return { ...spec, versions: ORDER.filter((v) => marked.has(v)) };
}

/**
 * Limits the guide leaves to the module: the number of secure sockets (§6.1 "use the AT#SSLEN=?
 * test command") where no transcript shows it, and the largest security data (§6.5 line 620:
 * "depends on the used module"). Those values are the AT reference guides' test-command ranges.
 */
const REFERENCE_GUIDE_LIMITS = { sockets: 6, data3g4g: 4096, dataLarge: 8192, data2g: 2047 } as const;

function twoG(id: '10' | '13' | '16', identity: PlatformIdentity): SimulatedPlatform {
  return platform({
    id,
    technology: '2G',
    sslSockets: 1, // §6.2.1 line 309: "Only one secure socket is available."
    suites: SUITES_2G,
    seccfg2: 'none', // §6.3.1
    certFormatParam: false, // §6.2.1 line 305
    der: false, // §6.5 Table 2: 2G takes PEM only
    ramStorage: false, // §6.5 line 642
    maxSecurityData: REFERENCE_GUIDE_LIMITS.data2g,
    sslcfgExtras: SSLCFG_BASIC,
    fastDial: true, // §7 Table 3 line 1632; §7.3
    sringChunk: 256, // §7.1.2.2 line 1769
    sslCids: CID_RANGE,
    defaultVersion: VERSION_NUMBERS['TLSv1.2'],
    identity,
  });
}

/** 3G/4G modules of §6.2.2, §6.2.3, §6.2.4 (with `<cert_format>`, DER) and §6.2.5 (without). */
function fourG(spec: Omit<Spec, 'technology' | 'fastDial' | 'sringChunk' | 'defaultVersion' | 'sslCids'> & Partial<Pick<Spec, 'technology' | 'defaultVersion' | 'sslCids'>>): SimulatedPlatform {
  return platform({
    technology: '4G',
    fastDial: false, // §7 Table 3 lines 1633-1637
    sringChunk: 1300, // §7.1.2.2 line 1770
    defaultVersion: VERSION_NUMBERS['TLSv1.2'],
    sslCids: CID_RANGE,
    ...spec,
  });
}

export const PLATFORMS: Readonly<Record<TelitPlatformId, SimulatedPlatform>> = {
  '10': twoG('10', { model: 'GL865-QUAD', revision: '10.01.157', portcfg: '0,0' }),
  '13': twoG('13', { model: 'GE910-QUAD', revision: '13.00.007', portcfg: '0,0' }),
  '16': twoG('16', { model: 'GE910-QUAD V3', revision: '16.00.153', portcfg: '0,0' }),
  '12': fourG({
    id: '12',
    technology: '3G',
    sslSockets: 1, // §6.8.1 line 939, §6.8.3.1 line 1235: (1)
    suites: SUITES_12,
    seccfg2: 'version', // §6.3.2
    certFormatParam: true, // §6.2.2
    der: true,
    ramStorage: false,
    maxSecurityData: REFERENCE_GUIDE_LIMITS.data3g4g,
    sslcfgExtras: SSLCFG_BASIC,
    sslCids: range(1, 1), // §6.8.1 line 939: `#SSLCFG: (1),(1),…`
    defaultVersion: VERSION_NUMBERS.TLSv1, // §6.8.3.1 line 1279: `#SSLSECCFG2: 1,1,0,0,0,0`
    identity: { model: 'HE910', revision: '12.00.026', portcfg: '0,0' },
  }),
  '20': fourG({
    id: '20',
    sslSockets: REFERENCE_GUIDE_LIMITS.sockets,
    suites: SUITES_20,
    seccfg2: 'version', // §6.3.2
    certFormatParam: true, // §6.2.2
    der: true,
    ramStorage: false,
    maxSecurityData: REFERENCE_GUIDE_LIMITS.data3g4g,
    sslcfgExtras: SSLCFG_BASIC,
    identity: { model: 'LE910-EU V2', revision: '20.00.412', portcfg: '0,0' },
  }),
  '23': fourG({
    id: '23',
    sslSockets: 6, // §6.8.2 line 1045: (1-6)
    suites: SUITES_23,
    seccfg2: 'version-sni', // §6.3.3
    certFormatParam: true, // §6.2.2
    der: true,
    ramStorage: true, // §6.5 line 642
    maxSecurityData: REFERENCE_GUIDE_LIMITS.data3g4g,
    sslcfgExtras: SSLCFG_BASIC,
    sslCids: range(1, 5), // §6.8.2 line 1045: `#SSLCFG: (1-6),(1-5),…`
    identity: { model: 'LE866-SV1', revision: '23.00.002', portcfg: '1,1' },
  }),
  '25-linux': fourG({
    id: '25-linux',
    sslSockets: REFERENCE_GUIDE_LIMITS.sockets,
    suites: SUITES_25_LINUX,
    seccfg2: 'version', // §6.3.2
    certFormatParam: true, // §6.2.3
    der: true,
    ramStorage: false,
    maxSecurityData: REFERENCE_GUIDE_LIMITS.dataLarge,
    sslcfgExtras: ['sslSRingMode', 'noCarrierMode', 'skipHostMismatch'], // §6.7.2 line 857
    identity: { model: 'LE910C1-EU', revision: '25.20.676', portcfg: '0,0' },
  }),
  '25-threadx': fourG({
    id: '25-threadx',
    sslSockets: REFERENCE_GUIDE_LIMITS.sockets,
    suites: SUITES_37,
    seccfg2: 'version-sni-ca-min', // §6.3.4
    certFormatParam: true, // §6.2.4 line 440
    der: true,
    ramStorage: false,
    maxSecurityData: REFERENCE_GUIDE_LIMITS.dataLarge,
    sslcfgExtras: SSLCFG_LATEST, // §6.7.3 line 898
    identity: { model: 'LE910C1-WWX', revision: '25.30.226', portcfg: '0,0' },
  }),
  '30': fourG({
    id: '30',
    sslSockets: REFERENCE_GUIDE_LIMITS.sockets,
    suites: SUITES_30,
    seccfg2: 'version-sni', // §6.3.3
    certFormatParam: false, // §6.2.5 line 496
    der: false, // §6.5 line 678
    ramStorage: false,
    maxSecurityData: REFERENCE_GUIDE_LIMITS.data3g4g,
    sslcfgExtras: ['sslSRingMode', 'noCarrierMode', 'skipHostMismatch', 'equalizeTx'], // §6.7.3 line 880
    identity: { model: 'ME910C1-WW', revision: '30.00.407', portcfg: '0,0' },
  }),
  '37': fourG({
    id: '37',
    sslSockets: REFERENCE_GUIDE_LIMITS.sockets,
    suites: SUITES_37,
    seccfg2: 'version-sni-ca-min', // §6.3.4
    certFormatParam: false, // §6.2.5 line 496
    der: false,
    ramStorage: false,
    maxSecurityData: REFERENCE_GUIDE_LIMITS.dataLarge,
    sslcfgExtras: SSLCFG_LATEST, // §6.7.3 line 889
    identity: { model: 'ME310G1-WW', revision: '37.00.021', portcfg: '0,0' },
  }),
  '52': fourG({
    id: '52',
    sslSockets: REFERENCE_GUIDE_LIMITS.sockets,
    suites: SUITES_52,
    seccfg2: 'version-sni-ca-min', // §6.3.4
    certFormatParam: false, // §6.2.5 line 496
    der: false,
    ramStorage: false,
    maxSecurityData: REFERENCE_GUIDE_LIMITS.dataLarge,
    sslcfgExtras: SSLCFG_LATEST, // §6.7.3 line 907
    identity: { model: 'LE910Q1-EL', revision: '52.00.102', portcfg: '0,0' },
  }),
};

/** `30`, `25-linux`, and `25` (the Linux build, the one §6.2.3 calls "ID 25 Linux"). */
export function simulatedPlatform(id: string | undefined): SimulatedPlatform | undefined {
  const key = (id ?? '').trim().toLowerCase();
  if (key === '25') return PLATFORMS['25-linux'];
  return (PLATFORMS as Record<string, SimulatedPlatform>)[key];
}

/** The `<cid>` an SSL socket may use (#SSLCFG). */
export function sslCidRange(platform: SimulatedPlatform): Allowed {
  return platform.sslCids;
}

/** `<SSId>` range: 1 to the number of secure sockets (§6.2: "Use the test command to know the range"). */
export function ssidRange(platform: SimulatedPlatform): Allowed {
  return range(1, platform.sslSockets);
}

// ---- #SSLCFG (§6.7) ---------------------------------------------------------------------------

/** The six parameters every platform has, with the ranges of the §6.8.1/§6.8.2 test responses. */
export const SSLCFG_BASE = {
  pktSz: range(0, 1500),
  maxTo: range(0, 65535),
  defTo: range(10, 5000),
  txTo: range(0, 255),
} as const;

/** §6.8.3.1 (`#SSLCFG: 1,1,300,90,100,50,0,0,0,0`, line 1295): the defaults after power-on. */
export const SSLCFG_DEFAULTS = { cid: 1, pktSz: 300, maxTo: 90, defTo: 100, txTo: 50 } as const;

/**
 * The optional parameters after `<txTo>` (§6.7): range and default of each. §6.7 describes the
 * first two; the ranges of the later ones are the AT reference guides' (on/off flags, `<connTo>`
 * in 100 ms units with 0 meaning the #SSLD `<Timeout>`, `<unused1>` fixed at 0).
 */
export const SSLCFG_EXTRAS: Readonly<Record<SslcfgExtra, { allowed: Allowed; fallback: number }>> = {
  sslSRingMode: { allowed: range(0, 2), fallback: 0 },
  noCarrierMode: { allowed: range(0, 2), fallback: 0 },
  skipHostMismatch: { allowed: values(0, 1), fallback: 0 },
  equalizeTx: { allowed: values(0, 1), fallback: 0 },
  connTo: { allowed: range(0, 1200), fallback: 0 },
  unused1: { allowed: range(0, 0), fallback: 0 },
};

/**
 * The two platforms the guide shows (§6.8.1 HE910, §6.8.2 LE866, both with `<sslSRingMode>` and
 * `<noCarrierMode>` only) answer the test form with `…,(0-2),(0),(0)`, and their read form carries
 * four values after `<txTo>` (§6.8.3.1 `…,50,0,0,0,0`). The simulator prints exactly that on every
 * platform of that generation; its writes still take `<noCarrierMode>` 0–2, as §6.7.1 describes the
 * verbose modes (the guide is not consistent here, and the transcripts are what a host sees).
 * Writes may repeat the two trailing reserved zeros the read form shows.
 */
export const SSLCFG_BASIC_TEST_TAIL = '(0-2),(0),(0)';
export const SSLCFG_MIN_READ_EXTRAS = 4;

// ---- #SSLSECCFG2 (§6.3) ----------------------------------------------------------------------

/** `<version>` numbers the platform speaks. */
export function versionNumbers(platform: SimulatedPlatform): number[] {
  return platform.versions.map((v) => VERSION_NUMBERS[v]);
}

/** The version a `<version>` or `<MinVersion>` number stands for. */
export function versionName(n: number): TlsVersion | undefined {
  return (Object.keys(VERSION_NUMBERS) as TlsVersion[]).find((v) => VERSION_NUMBERS[v] === n);
}

/** Whether `v` lies within `min`..`max`. */
export function versionWithin(v: TlsVersion, min: TlsVersion, max: TlsVersion): boolean {
  return ORDER.indexOf(v) >= ORDER.indexOf(min) && ORDER.indexOf(v) <= ORDER.indexOf(max);
}

/** `<customCA>` and `<PreloadedCA>` masks (§6.3.4): one bit per CA slot, 8 slots. */
export const CA_MASK = range(0, 255);

// ---- #SSLSECDATA (§6.5) ----------------------------------------------------------------------

/** `<DataType>`: 0 client certificate, 1 CA certificate, 2 client private key (§6.5 lines 646-650). */
export type DataType = 0 | 1 | 2;
export const DATA_TYPES = range(0, 2);

// ---- data commands (§7.1.2) ------------------------------------------------------------------

/**
 * Limits of the data commands, from the AT reference guides: #SSLSEND takes at most 1023 bytes
 * per command, #SSLSENDEXT 1–1500, #SSLRECV returns at most 1000; timeouts are in 100 ms units.
 */
export const DATA_LIMITS = {
  sslsendMax: 1023,
  sslsendext: range(1, 1500),
  sslrecv: range(1, 1000),
  /** `<Timeout>` of #SSLSEND, #SSLSENDEXT and #SSLRECV (100 ms units; §6.8.1's `<defTo>` range). */
  timeout: range(10, 5000),
  /** `<Timeout>` of #SSLD (100 ms units, default 100, AT reference guides). */
  dialTimeout: range(1, 1000),
  dialTimeoutDefault: 100,
  /**
   * Bytes a secure socket holds unread (modes 0 and 1, or ONLINE mode suspended) before the module
   * stops reading the connection, so TCP flow control holds the server back. The guide gives no
   * size: the simulator's choice.
   */
  receiveBuffer: 65_536,
} as const;

/** `NO CARRIER` causes of `<noCarrierMode>` 2, numbered as #SLASTCLOSURE's (AT reference guides). */
export const CLOSURE_CAUSE = {
  notAvailable: 0,
  remoteClosed: 1,
  remoteReset: 2,
  inactivity: 3,
  networkDeactivation: 4,
} as const;

// ---- #SCFG (§8.2) ----------------------------------------------------------------------------

/** §8.2 and §9.1: `#SCFG?` of a module nobody configured, six plain sockets. */
export const SCFG_DEFAULTS: ReadonlyArray<readonly [number, number, number, number, number, number]> = [
  [1, 1, 300, 90, 600, 50],
  [2, 1, 300, 90, 600, 50],
  [3, 1, 300, 90, 600, 50],
  [4, 2, 300, 90, 600, 50],
  [5, 2, 300, 90, 600, 50],
  [6, 2, 300, 90, 600, 50],
];
