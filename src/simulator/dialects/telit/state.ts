/**
 * The one state object of a simulated Telit module, shared by its AT instances (the guide's
 * "AT instances", §6.2: one per serial or USB port, each a `SimulatedModem`) and by the command
 * modules: PDP contexts, the secure sockets' settings and security data, open connections, the
 * SSL resource shared with HTTP, FTP and MQTT, and what survives a power cycle.
 *
 * Owns: the data and the power-loss rules. Must never: parse commands or print anything — the
 * command modules do — nor keep a timer or a connection past `powerLost()`.
 *
 * What survives a power cycle (a choice; the guide does not list it): security data stored with
 * `<Action>` 1 (§6.5: "store security data in NVM"), PDP context definitions, and the settings of
 * #SSLSECCFG, #SSLSECCFG2 and #SSLCFG, which Telit's AT reference guides describe as saved
 * directly in NVM like #SCFG's. Lost: `<Action>` 3 data ("store security data in RAM", §6.5),
 * #SSLEN (§6.8.3.1 starts from `#SSLEN: 1,0` after power-on), the `<cert_format>` choice (§6.2.2:
 * "Assume that the module is powered on … the default format is PEM"), context activations,
 * connections, saved #SSLFASTD sessions, and the HTTP/FTP/MQTT configuration.
 */
import type { SimulatedClock } from '../../clock';
import type { SimulatedModem, OnlineLink, OnlineSession } from '../../modem';
import { PowerTimers } from '../../timers';
import { openTls } from '../../tls-stack';
import type { OpenTls } from '../../tls-types';
import { versionNumbers, SCFG_DEFAULTS, SSLCFG_DEFAULTS, SSLCFG_EXTRAS, type DataType, type SimulatedPlatform, type SslcfgExtra } from './tables';

export interface StoredData {
  bytes: Buffer;
  format: 'pem' | 'der';
}

/** One secure socket's settings (§6.2, §6.3, §6.7). */
export interface SslSettings {
  /** `<CipherSuite>` as the host wrote it (`0`, `3`, `0x002F`), so the read form gives it back. */
  cipherSuite: string;
  authMode: 0 | 1 | 2;
  /** `<cert_format>`: 0 DER, 1 PEM (default). */
  certFormat: 0 | 1;
  /** §6.2.2: the read form reports `<cert_format>` only once it has been set explicitly. */
  certFormatShown: boolean;
  version: number;
  sni: number;
  customCa: number;
  preloadedCa: number;
  minVersion: number;
  cid: number;
  pktSz: number;
  maxTo: number;
  defTo: number;
  txTo: number;
  extras: Record<SslcfgExtra, number>;
}

/** What the socket module exposes of an open connection to the rest of the dialect. */
export interface SocketHandle {
  readonly ssid: number;
  readonly owner: TelitInstance;
  /** Whether it still counts as connected for #SSLS (open, or closed by the peer with data unread). */
  readonly connected: boolean;
  /** The suite negotiated (IANA name when the stack knows it). */
  readonly cipher: string;
  /** Ends the connection without any indication to the host (power loss, the instance going away). */
  dispose(): void;
  /** The connection was lost under the host's feet (e.g. its context deactivated): `NO CARRIER` with this cause. */
  lose(cause: number): void;
}

export interface SslSlot {
  readonly ssid: number;
  /** The AT instance that enabled it (#SSLEN), or none when disabled. */
  enabledBy: TelitInstance | undefined;
  settings: SslSettings;
  /** §6.5 `<Action>` 1: survives power loss. */
  readonly nvm: Map<DataType, StoredData>;
  /** §6.5 `<Action>` 3 (platform 23): lost with the power; read before NVM. */
  readonly ram: Map<DataType, StoredData>;
  socket: SocketHandle | undefined;
  /** §7.3: the TLS session kept by `<ClosureType>` 1 for #SSLFASTD. */
  fastDial: { session: Buffer; host: string; port: number } | undefined;
}

export interface PdpContext {
  cid: number;
  pdpType: string;
  apn: string;
  address: string;
  dComp: number;
  hComp: number;
  /** The address #SGACT handed out, while active. */
  active: string | undefined;
}

/** Whatever a port's data mode carries: a secure socket (§7.1.1) or an FTP transfer (§9.1). */
export interface OnlineTarget {
  fromHost(data: Buffer): void;
  escaped(): void;
}

/**
 * One AT instance's share of the online data state. The framework keeps one data connection per
 * port, escaped or not; which socket it carries changes with #SSLO, so the session given to the
 * framework is this port, and `target` says where the bytes go.
 */
export interface OnlinePort extends OnlineSession {
  /** What the port's data mode belongs to (CONNECT given, or escaped with `+++`). */
  target: OnlineTarget | undefined;
  link: OnlineLink | undefined;
}

export interface TelitInstance {
  /** 0 for the first port, then 1, 2 … (the guide's parsers AT0, AT1). */
  readonly id: number;
  readonly modem: SimulatedModem;
  readonly port: OnlinePort;
}

export type SslService = 'ssl' | 'http' | 'ftp' | 'mqtt';

export interface HttpProfile {
  address: string;
  port: number;
  authType: number;
  username: string;
  password: string;
  sslEnabled: number;
  timeout: number;
  cid: number;
  pktSize: number;
  /** The body of the last answer, waiting for #HTTPRCV. */
  body: Buffer | undefined;
  busy: boolean;
}

export interface FtpState {
  tout: number;
  ipPignoring: number;
  ftpsEn: number;
  /** Set while #FTPOPEN's control connection is up. */
  session: { close(): void } | undefined;
}

export interface MqttClient {
  enabled: boolean;
  host: string;
  port: number;
  cid: number;
  sslEn: number;
  keepAlive: number;
  cleanSession: number;
  pktTimeout: number;
  /** Open while connected (#MQCONN). */
  connection: { close(): void; disconnect(): void } | undefined;
}

export interface TelitDeviceOptions {
  /** Default: the simulator's real TLS stack (`tls-stack.ts`); unit tests may pass a fake. */
  openTls?: OpenTls;
  /** Multiplies every module timer (100 ms units, seconds); tests shrink them. Default 1. */
  timeScale?: number;
}

export class TelitDevice {
  readonly instances: TelitInstance[] = [];
  readonly ssl: SslSlot[];
  readonly contexts = new Map<number, PdpContext>();
  readonly scfg: number[][] = SCFG_DEFAULTS.map((row) => [...row]);
  readonly http: HttpProfile[] = [];
  readonly ftp: FtpState = { tout: 100, ipPignoring: 0, ftpsEn: 0, session: undefined };
  readonly mqtt: MqttClient[] = [];
  /** The module's timers, scaled by `timeScale`; power loss cancels them. */
  readonly timers: PowerTimers;
  /** Bumped by every power loss: work started before it must not touch the new state. */
  generation = 0;
  private readonly tls: OpenTls;

  constructor(
    readonly platform: SimulatedPlatform,
    options: TelitDeviceOptions = {},
  ) {
    this.tls = options.openTls ?? openTls;
    this.timers = new PowerTimers(options.timeScale ?? 1);
    this.ssl = Array.from({ length: platform.sslSockets }, (_, i) => ({
      ssid: i + 1,
      enabledBy: undefined,
      settings: defaultSettings(platform),
      nvm: new Map(),
      ram: new Map(),
      socket: undefined,
      fastDial: undefined,
    }));
    this.resetServices();
  }

  /** The TLS stack every connection of the module goes through. */
  get openTls(): OpenTls {
    return this.tls;
  }

  slot(ssid: number): SslSlot {
    const slot = this.ssl[ssid - 1];
    if (!slot) throw new RangeError(`no secure socket ${ssid}`);
    return slot;
  }

  /** The security data a connection uses: RAM first (the latest upload, §6.5 `<Action>` 3), then NVM. */
  securityData(slot: SslSlot, type: DataType): StoredData | undefined {
    return slot.ram.get(type) ?? slot.nvm.get(type);
  }

  /**
   * §6.1 warning: "SSL is a shared resource so it can be enabled only on one protocol (SSLD, HTTP,
   * FTP, MQTT …)". The service holding it now, if any.
   */
  sslHolder(): SslService | undefined {
    if (this.ssl.some((slot) => slot.enabledBy !== undefined)) return 'ssl';
    if (this.http.some((profile) => profile.sslEnabled === 1)) return 'http';
    if (this.ftp.ftpsEn === 1) return 'ftp';
    if (this.mqtt.some((client) => client.enabled && client.sslEn === 1)) return 'mqtt';
    return undefined;
  }

  /** Milliseconds for a timer given in the module's units (100 ms for most SSL timeouts). */
  tenths(value: number): number {
    return this.timers.ms(value * 100);
  }

  seconds(value: number): number {
    return this.timers.ms(value * 1000);
  }

  /** The module's one real-time clock (+CCLK), the first port's: certificate dates are judged by it. */
  get clock(): SimulatedClock {
    return this.instances[0]!.modem.clock;
  }

  /** Power is gone: everything volatile is lost (see the top of this file). */
  powerLost(): void {
    this.generation++;
    this.timers.clear();
    for (const slot of this.ssl) {
      slot.socket?.dispose();
      slot.socket = undefined;
      slot.ram.clear();
      slot.enabledBy = undefined;
      slot.fastDial = undefined;
      slot.settings.certFormat = 1;
      slot.settings.certFormatShown = false;
    }
    for (const context of this.contexts.values()) context.active = undefined;
    for (const instance of this.instances) {
      instance.port.target = undefined;
      instance.port.link = undefined;
    }
    this.ftp.session?.close();
    for (const client of this.mqtt) client.connection?.close();
    this.resetServices();
  }

  /** An AT instance went away for good: what it held is released. */
  dropInstance(instance: TelitInstance): void {
    const index = this.instances.indexOf(instance);
    if (index >= 0) this.instances.splice(index, 1);
    for (const slot of this.ssl) {
      if (slot.socket?.owner === instance) {
        slot.socket.dispose();
        slot.socket = undefined;
      }
      if (slot.enabledBy === instance) slot.enabledBy = undefined;
    }
  }

  private resetServices(): void {
    this.http.length = 0;
    for (let i = 0; i < 3; i++) this.http.push(defaultHttpProfile());
    Object.assign(this.ftp, { tout: 100, ipPignoring: 0, ftpsEn: 0, session: undefined });
    this.mqtt.length = 0;
    for (let i = 0; i < 2; i++) this.mqtt.push(defaultMqttClient());
  }
}

function defaultSettings(platform: SimulatedPlatform): SslSettings {
  const extras = {} as Record<SslcfgExtra, number>;
  for (const [name, spec] of Object.entries(SSLCFG_EXTRAS)) extras[name as SslcfgExtra] = spec.fallback;
  const version = platform.defaultVersion;
  return {
    cipherSuite: '0',
    authMode: 0,
    certFormat: 1,
    certFormatShown: false,
    version,
    sni: 0,
    customCa: 0,
    preloadedCa: 0,
    // §6.3.4 <MinVersion>: the lowest version the platform speaks until set.
    minVersion: Math.min(version, ...versionNumbers(platform)),
    ...SSLCFG_DEFAULTS,
    extras,
  };
}


/** `#HTTPCFG` defaults (AT reference guides): port 80, no auth, no SSL, 120 s, context 1. */
function defaultHttpProfile(): HttpProfile {
  return { address: '', port: 80, authType: 0, username: '', password: '', sslEnabled: 0, timeout: 120, cid: 1, pktSize: 0, body: undefined, busy: false };
}

/** `#MQCFG`/`#MQCFG2`/`#MQTCFG` defaults (AT reference guides): port 1883, keep-alive 60 s. */
function defaultMqttClient(): MqttClient {
  return { enabled: false, host: '', port: 1883, cid: 1, sslEn: 0, keepAlive: 60, cleanSession: 1, pktTimeout: 30, connection: undefined };
}
