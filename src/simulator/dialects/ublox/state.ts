/**
 * The one state object of a simulated u-blox module: the security database (+USECMNG), the five
 * security profiles (+USECPRF), the file system (+UDWNFILE), the sockets (+USOCR …) and what
 * survives a power cycle.
 *
 * Owns: the data and the power-loss rules. Must never: parse commands or print anything, nor keep
 * a timer or a connection past `powerLost()`.
 *
 * What survives a power cycle: imported certificates and keys ("PRESERVED after the module FW is
 * upgraded", +USECMNG; kept in the file system), files, and the profile settings — except (D)TLS
 * session resumption, whose "configuration and secure session data are not stored in the NVM, hence
 * the session resumption may be performed until power cycle" (+USECPRF). The manual's attribute
 * "Settings saved: No" for +USECPRF is read as "not part of the AT&W profile"; the session
 * resumption sentence only makes sense if the other settings are kept. Lost: sockets, the last
 * socket error, the clock (the framework's).
 */
import { randomBytes } from 'node:crypto';
import type { SimulatedModem } from '../../modem';
import { PowerTimers } from '../../timers';
import type { OpenTls, TlsFailure } from '../../tls-types';
import type { DataType, UbloxPlatform } from './tables';

/** A certificate or key in the module, as DER (PEM input is converted, +USECMNG description). */
export interface StoredItem {
  type: DataType;
  name: string;
  der: Buffer;
  /** Lower-case hex MD5 of `der`, as +USECMNG answers it. */
  md5: string;
  /** Certificates: subject CN and notAfter, for the list (op 3). */
  commonName?: string;
  notAfter?: Date;
  /** Private keys imported with a `<password>` (encrypted PKCS#8 DER): needed to use the key. */
  password?: string;
  preinstalled: boolean;
}

/** `<legacy_cs>` 0..33, 99 (one IANA suite) or 100 (a list of IANA suites). */
export type CipherSetting = { mode: 'legacy'; value: number } | { mode: 'iana'; code: number } | { mode: 'list'; codes: number[] };

export interface SessionSettings {
  /** `<sess_status>`: 0 disabled, 1 enabled, 2 session data configured. */
  status: number;
  /** `<sess_type>`. */
  type: number;
  data: Map<number, { data: string } | { id: string; master: string }>;
}

export interface SecurityProfile {
  validation: number;
  tlsVersion: number;
  cipher: CipherSetting;
  caName: string;
  hostname: string;
  certName: string;
  keyName: string;
  keyPassword: string;
  psk: string;
  pskType: number;
  pskId: string;
  pskIdType: number;
  sni: string;
  rotPsk: number;
  pinName: string;
  pinLevel: number;
  ztp: number;
  alpn: string;
  database: number;
  session: SessionSettings;
}

/**
 * Factory-programmed values ("Defined values" of +USECPRF: validation level 1, everything else 0 or
 * ""). The manual gives no factory `<sess_type>`: a module starts with the first type it allows.
 */
export function factoryProfile(sessionType = 0): SecurityProfile {
  return {
    validation: 1,
    tlsVersion: 0,
    cipher: { mode: 'legacy', value: 0 },
    caName: '',
    hostname: '',
    certName: '',
    keyName: '',
    keyPassword: '',
    psk: '',
    pskType: 0,
    pskId: '',
    pskIdType: 0,
    sni: '',
    rotPsk: 0,
    pinName: '',
    pinLevel: 0,
    ztp: 0,
    alpn: '',
    database: 0,
    session: { status: 0, type: sessionType, data: new Map() },
  };
}

/**
 * The profile a socket uses when +USOSEC names none: "The USECMNG provides a default SSL/TLS/DTLS
 * profile which cannot be modified" — level 0, any version, automatic suites, nothing else.
 */
export function defaultUsecmngProfile(): SecurityProfile {
  return { ...factoryProfile(), validation: 0 };
}

/** What the socket module exposes to the rest of the dialect. */
export interface SocketHandle {
  readonly id: number;
  /** Counts towards the four concurrent TLS connections (connecting or connected). */
  readonly tlsActive: boolean;
  /** Ends the socket without a word to the host (power loss). */
  dispose(): void;
}

/** Credentials ZTP (Zero Touch Provisioning) would deliver, for `<op_code>` 14. */
export interface ZtpCredentials {
  ca?: Buffer | string;
  cert: Buffer | string;
  key: Buffer | string;
}

export interface UbloxDeviceOptions {
  openTls: OpenTls;
  chipId: string;
  timeScale: number;
  connectTimeoutMs: number;
  ztp?: ZtpCredentials;
}

export class UbloxDevice {
  /** User database, by `<type>` and name. */
  readonly user = new Map<string, StoredItem>();
  /** Pre-installed database (type 0 only), filled on first use. */
  private preinstalledItems: Map<string, StoredItem> | undefined;
  readonly profiles: SecurityProfile[];
  readonly files = new Map<string, Buffer>();
  readonly sockets: Array<SocketHandle | undefined>;
  /** +USOER: the error of the last socket operation. */
  lastErrno = 0;
  /** Why the last +USOCO over TLS failed, in the stack's words (for tests; the host sees only the errno). */
  lastFailure: TlsFailure | undefined;
  /** Full TLS sessions behind the session IDs the module reported, so `<sess_tag>` 2 can resume them. */
  readonly sessionsById = new Map<string, Buffer>();
  /** The key of "local encryption" (`<sess_type>` 10, 11, 13): unique to the module, kept across power cycles. */
  readonly localKey = randomBytes(32);
  /** A secret only the module's Root of Trust knows (`<op_code>` 11). */
  readonly rotSecret = randomBytes(32);
  generation = 0;
  modem!: SimulatedModem;
  /** The module's guard times, scaled by `timeScale`; power loss cancels them. */
  readonly timers: PowerTimers;

  constructor(
    readonly platform: UbloxPlatform,
    readonly options: UbloxDeviceOptions,
    private readonly loadPreinstalled: () => StoredItem[],
  ) {
    this.timers = new PowerTimers(options.timeScale);
    this.profiles = Array.from({ length: 5 }, () => factoryProfile(platform.sessionTypes[0]));
    this.sockets = Array.from({ length: 7 }, () => undefined);
  }

  get preinstalled(): Map<string, StoredItem> {
    this.preinstalledItems ??= new Map(this.loadPreinstalled().map((item) => [key(item.type, item.name), item]));
    return this.preinstalledItems;
  }

  /** `<db_to_use>` 0 all, 1 user, 2 pre-installed; the user database first. */
  find(type: DataType, name: string, database = 0): StoredItem | undefined {
    const k = key(type, name);
    if (database !== 2) {
      const item = this.user.get(k);
      if (item) return item;
    }
    return database === 1 ? undefined : this.preinstalled.get(k);
  }

  all(type: DataType, database = 0): StoredItem[] {
    const out: StoredItem[] = [];
    if (database !== 2) out.push(...[...this.user.values()].filter((item) => item.type === type));
    if (database !== 1) out.push(...[...this.preinstalled.values()].filter((item) => item.type === type));
    return out;
  }

  /** TLS connections connecting or up: at most four (+USECMNG Notes). */
  get tlsInUse(): number {
    return this.sockets.filter((socket) => socket?.tlsActive).length;
  }

  powerLost(): void {
    this.generation++;
    this.timers.clear();
    for (const socket of this.sockets) socket?.dispose();
    this.sockets.fill(undefined);
    this.lastErrno = 0;
    this.sessionsById.clear();
    for (const profile of this.profiles) profile.session = { status: 0, type: this.platform.sessionTypes[0] ?? 0, data: new Map() };
  }
}

export function key(type: DataType, name: string): string {
  return `${type}:${name}`;
}
