/**
 * What each Telit platform can do, as data. Source: Telit SSL/TLS User Guide 1vv0300989
 * Rev.23 (seeds/001) — section numbers next to each entry. Where the guide defers to a
 * module's AT Commands Reference Guide, the value used here is the one that reference
 * gives and the comment says so; the adapter refines ranges at run time from the
 * module's own test commands (`AT#SSLEN=?`, `AT#SSLSECDATA=?`, `AT#SSLCFG=?`).
 *
 * Owns: the product's knowledge of each platform, used by the Telit adapter to refuse what a
 * module cannot do before sending anything. Must never: be imported by the simulated module,
 * which keeps its own tables written from the same guide; `telit-tables-agree.test.ts`
 * compares the two entry by entry.
 */

export type TelitPlatformId = '10' | '13' | '16' | '12' | '20' | '23' | '25-linux' | '25-threadx' | '30' | '37' | '52';

export type TlsVersionName = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/**
 * `#SSLSECCFG2 <version>` values. The guide shows them only in examples (§6.8.3.1 `1`,
 * §10.1.2 `3` for TLS 1.2); the numbering is the AT Commands Reference Guides' (e.g.
 * 80529ST10815A, #SSLSECCFG2): 0 SSLv3, 1 TLSv1.0, 2 TLSv1.1, 3 TLSv1.2, 4 TLSv1.3.
 */
export const TELIT_TLS_VERSIONS: Readonly<Record<number, TlsVersionName>> = {
  0: 'SSLv3',
  1: 'TLSv1',
  2: 'TLSv1.1',
  3: 'TLSv1.2',
  4: 'TLSv1.3',
};

/** `#SSLSECCFG2` parameter forms (§6.3). */
export type Seccfg2Form =
  /** not supported (2G, §6.3.1) */
  | 'none'
  /** `<SSId>,<version>[,<unused_A>…]` (§6.3.2) */
  | 'version'
  /** `<SSId>,<version>[,<SNI>[,<unused_A>…]]` (§6.3.3) */
  | 'version-sni'
  /** `<SSId>,<version>,<SNI>[,<customCA>[,<PreloadedCA>[,<MinVersion>]]]` (§6.3.4) */
  | 'version-sni-ca-min';

/** Optional trailing `#SSLCFG` parameters after `<txTo>`, in order (§6.7). */
export type SslcfgExtra = 'sslSRingMode' | 'noCarrierMode' | 'skipHostMismatch' | 'equalizeTx' | 'connTo' | 'unused1';

export interface TelitPlatform {
  id: TelitPlatformId;
  label: string;
  technology: '2G' | '3G' | '4G';
  products: string;
  /** Secure socket ids: 2G modules have exactly one (§6.2.1); §6.8.2 shows 1-6 on a 4G module. */
  sslSockets: number;
  /** `<CipherSuite>` values other than 0 and the suite each selects (IANA names), §6.2 and §12.1. */
  cipherSuites: Readonly<Record<number, string>>;
  /** The protocol versions the §12.1 table marks for each suite of `cipherSuites`. */
  suiteVersions: Readonly<Record<string, readonly TlsVersionName[]>>;
  /** Suites proposed with `<CipherSuite>` 0 (§12.1). */
  defaultSuites: readonly string[];
  /** Whether `<CipherSuite>` also takes the suite's hex code, e.g. `0x002F` (§12.1.7, §12.1.8). */
  hexCipherSuites: boolean;
  /**
   * Whether the adapter writes the hex code even for a suite that has a decimal value: where the
   * guide numbers the decimal values two ways (25 ThreadX), the hex code means one suite whichever
   * reading the firmware follows.
   */
  selectByHex: boolean;
  /**
   * Where the guide numbers the decimal values two ways (25 ThreadX): the section `cipherSuites`
   * follows, and the other section with its numbers.
   */
  otherNumbering?: { chosen: string; section: string; selectors: Readonly<Record<number, string>> };
  /** Protocol versions the module speaks on SSL sockets (columns of the §12.1 tables). */
  versions: readonly TlsVersionName[];
  seccfg2: Seccfg2Form;
  /** Whether `#SSLSECCFG` takes `<cert_format>` (§6.2.2–6.2.4); without it only PEM is accepted. */
  certFormatParam: boolean;
  /** DER upload by exact size (§6.5: 3G/4G, not platform 30). */
  der: boolean;
  /** `#SSLSECDATA` `<Action>` 3, storing in RAM (§6.5: platform 23 only). */
  ramStorage: boolean;
  /** Largest security data, in bytes (from the AT reference guides' `#SSLSECDATA=?` ranges). */
  maxSecurityData: number;
  /**
   * The `<cid>` range of #SSLCFG where the guide prints the module's test response (§6.8.1, §6.8.2);
   * elsewhere the adapter learns it from `AT#SSLCFG=?` when the modem comes up.
   */
  sslCids?: { min: number; max: number };
  /** Optional `#SSLCFG` parameters after `<txTo>` (§6.7). */
  sslcfgExtras: readonly SslcfgExtra[];
  /** `<ClosureType>` 1 and `#SSLFASTD` (§7, table 3; §7.3). */
  fastDial: boolean;
  /** Largest `<dataLen>` of one `SSLSRING:` in mode 2 (§7.1.2.2). */
  sringChunk: number;
  /**
   * Where `<CipherSuite>` 0 proposes suites nobody should still accept (export-grade, single DES),
   * the suites the adapter suggests instead: a warning, not a refusal, since the server decides.
   */
  recommendedSuites?: readonly string[];
}

const RSA = 'TLS_RSA_WITH_';

/** One `<CipherSuite>` value: the number (decimal or hex code), the suite, the versions its §12.1 row marks. */
type Row = readonly [value: number, name: string, versions: readonly TlsVersionName[]];

const TLS10: readonly TlsVersionName[] = ['TLSv1'];
const TLS10_11: readonly TlsVersionName[] = ['TLSv1', 'TLSv1.1'];
const TLS10_12: readonly TlsVersionName[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2'];
const SSL3_12: readonly TlsVersionName[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'];
const TLS12: readonly TlsVersionName[] = ['TLSv1.2'];
const TLS13: readonly TlsVersionName[] = ['TLSv1.3'];

// §6.2.1 and §12.1.1 (Table 4)
const SUITES_2G: readonly Row[] = [
  [1, `${RSA}RC4_128_MD5`, TLS10], // line 3042: TLS 1.0 only
  [2, `${RSA}RC4_128_SHA`, TLS10_12],
  [3, `${RSA}AES_256_CBC_SHA`, TLS10_12],
  [4, `${RSA}AES_128_CBC_SHA256`, TLS12],
  [5, `${RSA}AES_256_CBC_SHA256`, TLS12],
  [6, `${RSA}AES_128_GCM_SHA256`, TLS12],
];

// §6.2.2 and §12.1.2 (Table 5): SSL 3.0 is marked for NULL_SHA alone (line 3060).
const SUITES_12: readonly Row[] = [
  [1, `${RSA}RC4_128_MD5`, TLS10_12],
  [2, `${RSA}RC4_128_SHA`, TLS10_12],
  [3, `${RSA}AES_128_CBC_SHA`, TLS10_12],
  [4, `${RSA}NULL_SHA`, SSL3_12],
  [5, `${RSA}AES_256_CBC_SHA`, TLS10_12],
];

// §6.2.2 and §12.1.3, §12.1.4 (Tables 6, 7): every version for the five selectable suites.
const SUITES_20_23: readonly Row[] = [
  [1, `${RSA}RC4_128_MD5`, SSL3_12],
  [2, `${RSA}RC4_128_SHA`, SSL3_12],
  [3, `${RSA}AES_128_CBC_SHA`, SSL3_12],
  [4, `${RSA}NULL_SHA`, SSL3_12],
  [5, `${RSA}AES_256_CBC_SHA`, SSL3_12],
];

// §6.2.3 and §12.1.5 (Table 8)
const SUITES_25_LINUX: readonly Row[] = [
  [1, `${RSA}3DES_EDE_CBC_SHA`, TLS10_12],
  [2, `${RSA}AES_128_CBC_SHA`, TLS10_12],
  [3, `${RSA}AES_128_CBC_SHA256`, TLS12],
  [4, `${RSA}AES_256_CBC_SHA`, TLS10_12],
  [5, `${RSA}AES_256_CBC_SHA256`, TLS12],
  [6, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', TLS10_12],
  [7, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', TLS10_12],
  [8, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', TLS10_11], // line 3209: no TLS 1.2
  [9, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', TLS12],
  [10, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', TLS12],
];

/**
 * §12.1.6 (platform 30) and the grey area of §12.1.7 (platforms 37 and 25 ThreadX).
 *
 * 25 ThreadX: the guide contradicts itself. §6.2.4 (lines 450-459) numbers these eight suites
 * 1-8 in another order (`THREADX_6_2_4`); §12.1.7 (lines 3239-3252) gives them 3, 5, 7, 9-13 and
 * their hex codes. This table follows §12.1.7: §6.3.4 sends the reader there for ThreadX's
 * suites; everything else the guide says of ThreadX's security commands groups it with platform
 * 37 (§6.3.4, §6.7.3, the hex codes and TLS 1.3 of §12.1.7), whose numbers these are, as they are
 * platform 30's and, for the suites they share, the 3G/4G modules' (3 = AES_128_CBC_SHA,
 * 5 = AES_256_CBC_SHA, §6.2.2); and §6.2.4's list is §6.2.3's (Linux) with its two 3DES suites
 * struck out and the rest renumbered, the shape of an edited copy. Because 3, 5 and 7 name
 * different suites in the two lists, the adapter selects a ThreadX suite by its hex code
 * (`selectByHex`), which §12.1.7 allows for the grey area and which cannot be read two ways; its
 * messages name a ThreadX suite by both numbers.
 */
const SUITES_30_37: readonly Row[] = [
  [3, `${RSA}AES_128_CBC_SHA`, TLS10_12],
  [5, `${RSA}AES_256_CBC_SHA`, TLS10_12],
  [7, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', TLS10_12],
  [9, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', TLS10_12],
  [10, `${RSA}AES_128_CBC_SHA256`, TLS12],
  [11, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', TLS12],
  [12, `${RSA}AES_256_CBC_SHA256`, TLS12],
  [13, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', TLS12],
];

/** §6.2.4 (lines 452-459): the other numbering of the 25 ThreadX grey area (see `SUITES_30_37`). */
const THREADX_6_2_4: Readonly<Record<number, string>> = {
  1: `${RSA}AES_128_CBC_SHA`,
  2: `${RSA}AES_128_CBC_SHA256`,
  3: `${RSA}AES_256_CBC_SHA`,
  4: `${RSA}AES_256_CBC_SHA256`,
  5: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
  6: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA',
  7: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
  8: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
};

/** §12.1.7: suites of platforms 37 / 25 ThreadX selectable only by their hex code. */
const HEX_ONLY_37: readonly Row[] = [
  [0x009c, `${RSA}AES_128_GCM_SHA256`, TLS12],
  [0x009d, `${RSA}AES_256_GCM_SHA384`, TLS12],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', TLS12],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', TLS12],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', TLS10_12],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', TLS10_12],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', TLS10_12],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', TLS10_12],
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', TLS12],
  [0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', TLS12],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', TLS12],
  [0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', TLS12],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', TLS12],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', TLS12],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', TLS12],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', TLS12],
  [0xc0a0, `${RSA}AES_128_CCM_8`, TLS12],
  [0xc0a1, `${RSA}AES_256_CCM_8`, TLS12],
  [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', TLS12],
  [0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', TLS12],
  [0xccaa, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', TLS12],
  // "+": TLS 1.3 from software version xx2 (line 3283).
  [0x1301, 'TLS_AES_128_GCM_SHA256', TLS13],
  [0x1302, 'TLS_AES_256_GCM_SHA384', TLS13],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256', TLS13],
];

/** The grey-area suites of §12.1.7 also by hex code. */
const HEX_GREY_37: readonly Row[] = [
  [0x002f, `${RSA}AES_128_CBC_SHA`, TLS10_12],
  [0x0035, `${RSA}AES_256_CBC_SHA`, TLS10_12],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', TLS10_12],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', TLS10_12],
  [0x003c, `${RSA}AES_128_CBC_SHA256`, TLS12],
  [0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', TLS12],
  [0x003d, `${RSA}AES_256_CBC_SHA256`, TLS12],
  [0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', TLS12],
];

// §12.1.8 (Table 11): platform 52 takes 0 or the hex code of any suite in its table. Its "+" in
// the TLS 1.3 column means "not supported" (line 3335).
const SUITES_52: readonly Row[] = [
  [0x002f, `${RSA}AES_128_CBC_SHA`, TLS10_12],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', TLS10_12],
  [0x0035, `${RSA}AES_256_CBC_SHA`, TLS10_12],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', TLS10_12],
  [0x003c, `${RSA}AES_128_CBC_SHA256`, TLS12],
  [0x003d, `${RSA}AES_256_CBC_SHA256`, TLS12],
  [0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', TLS12],
  [0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', TLS12],
  [0x009c, `${RSA}AES_128_GCM_SHA256`, TLS12],
  [0x009d, `${RSA}AES_256_GCM_SHA384`, TLS12],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', TLS12],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', TLS12],
  [0xc004, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA', TLS10_12],
  [0xc005, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA', TLS10_12],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', TLS10_12],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', TLS10_12],
  [0xc00e, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA', TLS10_12],
  [0xc00f, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA', TLS10_12],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', TLS10_12],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', TLS10_12],
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', TLS12],
  [0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', TLS12],
  [0xc025, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256', TLS12],
  [0xc026, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384', TLS12],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', TLS12],
  [0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', TLS12],
  [0xc029, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256', TLS12],
  [0xc02a, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384', TLS12],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', TLS12],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', TLS12],
  [0xc02d, 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', TLS12],
  [0xc02e, 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384', TLS12],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', TLS12],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', TLS12],
  [0xc031, 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256', TLS12],
  [0xc032, 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384', TLS12],
  [0xc0a0, `${RSA}AES_128_CCM_8`, TLS12],
  [0xc0a1, `${RSA}AES_256_CCM_8`, TLS12],
];

// §12.1.2 – §12.1.4: what <CipherSuite> 0 proposes (NULL_SHA excluded, §6.2.2 line 353).
const DEFAULT_12 = [
  `${RSA}RC4_128_MD5`, `${RSA}RC4_128_SHA`, `${RSA}AES_128_CBC_SHA`, `${RSA}AES_256_CBC_SHA`,
  'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', `${RSA}AES_256_CBC_SHA256`, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
  `${RSA}AES_128_GCM_SHA256`, `${RSA}AES_128_CBC_SHA256`,
];
const DEFAULT_20 = [
  `${RSA}RC4_128_MD5`, `${RSA}RC4_128_SHA`, `${RSA}AES_128_CBC_SHA`, `${RSA}AES_256_CBC_SHA`,
  `${RSA}AES_128_CBC_SHA256`, `${RSA}AES_256_CBC_SHA256`, `${RSA}AES_128_GCM_SHA256`,
  'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
];
/**
 * §12.1.4 (Table 7, lines 3105-3190) has 80 rows; `<CipherSuite>` 0 proposes all of them but
 * NULL_SHA (line 3101), in the table's order — export-grade, single-DES and RC4 suites included
 * (and the renegotiation signalling value, which is a row of the table too).
 */
const DEFAULT_23 = [
  `${RSA}RC4_128_MD5`, `${RSA}RC4_128_SHA`, `${RSA}AES_128_CBC_SHA`, `${RSA}AES_256_CBC_SHA`,
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA', 'TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA', 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384',
  'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256',
  'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA', 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA',
  'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA', 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384', 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384', 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA', `${RSA}AES_256_GCM_SHA384`, `${RSA}AES_256_CBC_SHA256`,
  `${RSA}CAMELLIA_256_CBC_SHA`, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA', 'TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA', 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA',
  `${RSA}3DES_EDE_CBC_SHA`, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA', 'TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA',
  'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA',
  'TLS_DHE_RSA_WITH_SEED_CBC_SHA', 'TLS_DHE_DSS_WITH_SEED_CBC_SHA', 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA',
  'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA', 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA', `${RSA}AES_128_GCM_SHA256`, `${RSA}AES_128_CBC_SHA256`,
  `${RSA}SEED_CBC_SHA`, `${RSA}CAMELLIA_128_CBC_SHA`, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA',
  'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 'TLS_ECDH_RSA_WITH_RC4_128_SHA', 'TLS_ECDH_ECDSA_WITH_RC4_128_SHA',
  'TLS_DHE_RSA_WITH_DES_CBC_SHA', 'TLS_DHE_DSS_WITH_DES_CBC_SHA', `${RSA}DES_CBC_SHA`,
  'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA', 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA', 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA',
  'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5', 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
];

/** `<CipherSuite>` value → suite, from rows. */
const selectors = (...tables: ReadonlyArray<readonly Row[]>): Readonly<Record<number, string>> =>
  Object.fromEntries(tables.flatMap((rows) => rows.map(([value, name]) => [value, name])));
/** Suite → the versions its row marks, from rows. */
const versionsOf = (...tables: ReadonlyArray<readonly Row[]>): Readonly<Record<string, readonly TlsVersionName[]>> =>
  Object.fromEntries(tables.flatMap((rows) => rows.map(([, name, versions]) => [name, versions])));
const names = (rows: readonly Row[]): string[] => [...new Set(rows.map(([, name]) => name))];

const SSLCFG_BASIC: readonly SslcfgExtra[] = ['sslSRingMode', 'noCarrierMode'];
const SSLCFG_LATEST: readonly SslcfgExtra[] = ['sslSRingMode', 'noCarrierMode', 'skipHostMismatch', 'equalizeTx', 'connTo', 'unused1'];

function twoG(id: '10' | '13' | '16', products: string): TelitPlatform {
  return {
    id,
    label: `${id} — 2G (${products})`,
    technology: '2G',
    products,
    sslSockets: 1,
    cipherSuites: selectors(SUITES_2G),
    suiteVersions: versionsOf(SUITES_2G),
    defaultSuites: names(SUITES_2G),
    hexCipherSuites: false,
    selectByHex: false,
    versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
    seccfg2: 'none',
    certFormatParam: false,
    der: false,
    ramStorage: false,
    maxSecurityData: 2047,
    sslcfgExtras: SSLCFG_BASIC,
    fastDial: true,
    sringChunk: 256,
  };
}

export const TELIT_PLATFORMS: Readonly<Record<TelitPlatformId, TelitPlatform>> = {
  '10': twoG('10', 'GL865, GE865, GE864 V2, GL868-DUAL'),
  '13': twoG('13', 'GE910'),
  '16': twoG('16', 'GE910-QUAD V3, GE866, GL865 V3, GL868-DUAL V3'),
  '12': {
    id: '12',
    label: '12 — 3G (HE910, UE910, UL865, UE866)',
    technology: '3G',
    products: 'HE910, UE910, UL865, UE866',
    sslSockets: 1, // §6.8.1 / §6.8.3.1: AT#SSLEN=? → #SSLEN: (1),(0,1)
    sslCids: { min: 1, max: 1 }, // §6.8.1 line 939: #SSLCFG: (1),(1),…
    cipherSuites: selectors(SUITES_12),
    suiteVersions: versionsOf(SUITES_12),
    defaultSuites: DEFAULT_12,
    hexCipherSuites: false,
    selectByHex: false,
    versions: ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'],
    seccfg2: 'version',
    certFormatParam: true,
    der: true,
    ramStorage: false,
    maxSecurityData: 4096,
    sslcfgExtras: SSLCFG_BASIC,
    fastDial: false,
    sringChunk: 1300,
  },
  '20': {
    id: '20',
    label: '20 — 4G (LE910 Cat1, LE910 V2)',
    technology: '4G',
    products: 'LE910 Cat1, LE910 V2',
    sslSockets: 6,
    cipherSuites: selectors(SUITES_20_23),
    suiteVersions: versionsOf(SUITES_20_23),
    defaultSuites: DEFAULT_20,
    hexCipherSuites: false,
    selectByHex: false,
    versions: ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'],
    seccfg2: 'version',
    certFormatParam: true,
    der: true,
    ramStorage: false,
    maxSecurityData: 4096,
    sslcfgExtras: SSLCFG_BASIC,
    fastDial: false,
    sringChunk: 1300,
  },
  '23': {
    id: '23',
    label: '23 — 4G (LE866, ME866A1)',
    technology: '4G',
    products: 'LE866, ME866A1',
    sslSockets: 6, // §6.8.2: LE866-SV1 AT#SSLCFG=? → (1-6)
    sslCids: { min: 1, max: 5 }, // §6.8.2 line 1045: #SSLCFG: (1-6),(1-5),…
    cipherSuites: selectors(SUITES_20_23),
    suiteVersions: versionsOf(SUITES_20_23),
    defaultSuites: DEFAULT_23,
    hexCipherSuites: false,
    selectByHex: false,
    versions: ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'],
    seccfg2: 'version-sni',
    certFormatParam: true,
    der: true,
    ramStorage: true,
    maxSecurityData: 4096,
    sslcfgExtras: SSLCFG_BASIC,
    fastDial: false,
    sringChunk: 1300,
    // The two AES suites of the five `<CipherSuite>` selects alone (§6.2.2 lines 359, 361).
    recommendedSuites: [`${RSA}AES_256_CBC_SHA`, `${RSA}AES_128_CBC_SHA`],
  },
  '25-linux': {
    id: '25-linux',
    label: '25 — 4G LE910Cx (Linux)',
    technology: '4G',
    products: 'LE910Cx (Linux)',
    sslSockets: 6,
    cipherSuites: selectors(SUITES_25_LINUX),
    suiteVersions: versionsOf(SUITES_25_LINUX),
    defaultSuites: names(SUITES_25_LINUX),
    hexCipherSuites: false,
    selectByHex: false,
    versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
    seccfg2: 'version',
    certFormatParam: true,
    der: true,
    ramStorage: false,
    maxSecurityData: 8192,
    sslcfgExtras: ['sslSRingMode', 'noCarrierMode', 'skipHostMismatch'],
    fastDial: false,
    sringChunk: 1300,
  },
  '25-threadx': {
    id: '25-threadx',
    label: '25 — 4G LE910Cx (ThreadX)',
    technology: '4G',
    products: 'LE910Cx (ThreadX)',
    sslSockets: 6,
    cipherSuites: selectors(SUITES_30_37, HEX_GREY_37, HEX_ONLY_37),
    suiteVersions: versionsOf(SUITES_30_37, HEX_ONLY_37),
    defaultSuites: names(SUITES_30_37),
    hexCipherSuites: true,
    selectByHex: true,
    otherNumbering: { chosen: '§12.1.7', section: '§6.2.4', selectors: THREADX_6_2_4 },
    versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    seccfg2: 'version-sni-ca-min',
    certFormatParam: true,
    der: true,
    ramStorage: false,
    maxSecurityData: 8192,
    sslcfgExtras: SSLCFG_LATEST,
    fastDial: false,
    sringChunk: 1300,
  },
  '30': {
    id: '30',
    label: '30 — 4G (ME910C1, ML865C1)',
    technology: '4G',
    products: 'ME910C1, NE910C1, ML865C1',
    sslSockets: 6,
    cipherSuites: selectors(SUITES_30_37),
    suiteVersions: versionsOf(SUITES_30_37),
    defaultSuites: names(SUITES_30_37),
    hexCipherSuites: false,
    selectByHex: false,
    // §12.1.6: TLS 1.3 only for the FTP service, not for SSL sockets.
    versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2'],
    seccfg2: 'version-sni',
    certFormatParam: false,
    der: false, // §6.5: "not supported by ID 30 platform"
    ramStorage: false,
    maxSecurityData: 4096,
    sslcfgExtras: ['sslSRingMode', 'noCarrierMode', 'skipHostMismatch', 'equalizeTx'],
    fastDial: false,
    sringChunk: 1300,
  },
  '37': {
    id: '37',
    label: '37 — 4G (ME310G1, ME910G1, ML865G1)',
    technology: '4G',
    products: 'ME310G1, ME910G1, ML865G1',
    sslSockets: 6,
    cipherSuites: selectors(SUITES_30_37, HEX_GREY_37, HEX_ONLY_37),
    suiteVersions: versionsOf(SUITES_30_37, HEX_ONLY_37),
    defaultSuites: names(SUITES_30_37),
    hexCipherSuites: true,
    selectByHex: false,
    versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    seccfg2: 'version-sni-ca-min',
    certFormatParam: false,
    der: false,
    ramStorage: false,
    maxSecurityData: 8192,
    sslcfgExtras: SSLCFG_LATEST,
    fastDial: false,
    sringChunk: 1300,
  },
  '52': {
    id: '52',
    label: '52 — 4G (ELS63, LE910Q1)',
    technology: '4G',
    products: 'ELS63, LE910Q1',
    sslSockets: 6,
    cipherSuites: selectors(SUITES_52),
    suiteVersions: versionsOf(SUITES_52),
    defaultSuites: names(SUITES_52),
    hexCipherSuites: true,
    selectByHex: false,
    versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2'], // §12.1.8: "TLS v 1.3 protocol is not supported"
    seccfg2: 'version-sni-ca-min',
    certFormatParam: false,
    der: false,
    ramStorage: false,
    maxSecurityData: 8192,
    sslcfgExtras: SSLCFG_LATEST,
    fastDial: false,
    sringChunk: 1300,
  },
};

export const TELIT_PLATFORM_IDS = Object.keys(TELIT_PLATFORMS) as TelitPlatformId[];

/** `25` alone is taken as the Linux build, the one §6.2.3 calls "ID 25 Linux". */
export const TELIT_PLATFORM_ALIASES: Readonly<Record<string, TelitPlatformId>> = { '25': '25-linux' };

/** Accepts `30`, `25-linux`, and the aliases (`25`). */
export function telitPlatform(id: string | undefined): TelitPlatform | undefined {
  const key = (id ?? '').trim().toLowerCase();
  return (TELIT_PLATFORMS as Record<string, TelitPlatform>)[TELIT_PLATFORM_ALIASES[key] ?? key];
}

/** §12.2: the SSL error codes, numeric (`AT+CMEE=1`) and verbose (`AT+CMEE=2`). */
export const TELIT_SSL_ERRORS: Readonly<Record<number, string>> = {
  830: 'SSL generic error',
  831: 'SSL cannot activate',
  832: 'SSL socket error',
  833: 'SSL not connected',
  834: 'SSL already connected',
  835: 'SSL already activated',
  836: 'SSL not activated',
  837: 'SSL certs and keys wrong or not stored',
  838: 'SSL error enc/dec data',
  839: 'SSL error during handshake',
  840: 'SSL disconnected',
  841: 'SSL invalid state',
};

/** `#SSLS: <SSId>,<status>` values (§7.4.1; AT reference guides): 0 disabled, 1 enabled and closed, 2 connected. */
export const TELIT_SSLS_STATUS = { disabled: 0, closed: 1, connected: 2 } as const;
