/**
 * What the simulated module needs to know about a platform beyond the shared platform table
 * (`TELIT_PLATFORMS`, which this file extends and never repeats): its identity, the ranges and
 * defaults of the configuration commands, and the limits of the data commands — each with the
 * guide section or AT reference guide it comes from.
 *
 * Owns: data only. Must never: hold behaviour, or copy anything `TELIT_PLATFORMS` already says.
 */
import type { SslcfgExtra, TelitPlatform, TelitPlatformId } from '../../../adapters/telit/platforms';
import { TELIT_TLS_VERSIONS } from '../../../adapters/telit/platforms';
import { range, values, type Allowed } from './args';

export interface PlatformIdentity {
  /** `+CGMM` (§6.8.1 prints `HE910` for platform 12, §6.8.2 `LE866-SV1` for 23). */
  model: string;
  /** `+CGMR`: the platform ID is the major version (Table 1 note: "10 for SW version 10.xx.xxx"). */
  revision: string;
  /** `#PORTCFG?` (§6.8.1 shows `0,0` on an HE910, §6.8.2 `1,1` on an LE866). */
  portcfg: string;
}

export const IDENTITY: Readonly<Record<TelitPlatformId, PlatformIdentity>> = {
  '10': { model: 'GL865-QUAD', revision: '10.01.157', portcfg: '0,0' },
  '13': { model: 'GE910-QUAD', revision: '13.00.007', portcfg: '0,0' },
  '16': { model: 'GE910-QUAD V3', revision: '16.00.153', portcfg: '0,0' },
  '12': { model: 'HE910', revision: '12.00.026', portcfg: '0,0' },
  '20': { model: 'LE910-EU V2', revision: '20.00.412', portcfg: '0,0' },
  '23': { model: 'LE866-SV1', revision: '23.00.002', portcfg: '1,1' },
  '25-linux': { model: 'LE910C1-EU', revision: '25.20.676', portcfg: '0,0' },
  '25-threadx': { model: 'LE910C1-WWX', revision: '25.30.226', portcfg: '0,0' },
  '30': { model: 'ME910C1-WW', revision: '30.00.407', portcfg: '0,0' },
  '37': { model: 'ME310G1-WW', revision: '37.00.021', portcfg: '0,0' },
  '52': { model: 'LE910Q1-EL', revision: '52.00.102', portcfg: '0,0' },
};

/** `+CGDCONT` context ids (§5: "Use the test command to know the <cid> range"): 1-5 on every platform. */
export const CID_RANGE = range(1, 5);

/**
 * The `<cid>` an SSL socket may use (#SSLCFG): §6.8.1 shows `(1)` on the HE910 (platform 12),
 * §6.8.2 `(1-5)` on the LE866; the other platforms take every context.
 */
export function sslCidRange(platform: TelitPlatform): Allowed {
  return platform.id === '12' ? range(1, 1) : CID_RANGE;
}

/** `<SSId>` range: 1 to the number of secure sockets (§6.2: "Use the test command to know the range"). */
export function ssidRange(platform: TelitPlatform): Allowed {
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

/** §6.8.3.1 (`#SSLCFG: 1,1,300,90,100,50,0,0,0,0`): the defaults after power-on. */
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

/** `<version>` numbers the platform speaks (numbering `TELIT_TLS_VERSIONS`, AT reference guides). */
export function versionNumbers(platform: TelitPlatform): number[] {
  return Object.entries(TELIT_TLS_VERSIONS)
    .filter(([, name]) => platform.versions.includes(name))
    .map(([n]) => Number(n));
}

/**
 * `<version>` after power-on: §6.8.3.1 shows `1` (TLS 1.0) on the HE910, the generation whose
 * firmware predates TLS 1.2 being the norm; the other platforms default to TLS 1.2 (3), as their
 * AT reference guides give.
 */
export function defaultVersion(platform: TelitPlatform): number {
  return platform.id === '12' ? 1 : 3;
}

/** `<customCA>` and `<PreloadedCA>` masks (§6.3.4): one bit per CA slot, 8 slots. */
export const CA_MASK = range(0, 255);

// ---- #SSLSECDATA (§6.5) ----------------------------------------------------------------------

/** `<DataType>`: 0 client certificate, 1 CA certificate, 2 client private key (§6.5). */
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
