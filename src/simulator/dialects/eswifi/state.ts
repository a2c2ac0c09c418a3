/**
 * The one state object of a simulated Inventek eS-WiFi: its three certificate sets (kept across
 * power cycles), the Wi-Fi settings and the join, the socket selected by P0 and the set selected
 * by PF, the four sockets with their settings and connections, plus what tests inspect (the
 * handshake records).
 *
 * Owns: the data, its factory values and the power-loss rule. Must never: parse a command or write
 * to the host (the modem, `EswifiModem`, does), or keep a timer or a connection past `powerLost()`.
 *
 * Power (contract): the certificate sets are one-time programmable flash — "Once all sets have been
 * programmed the only way to clear them is to flash a complete firmware" (seeds/002 l. 19) — so
 * they survive; everything else (the join, the Wi-Fi settings, the PF and P0 selections, every
 * socket's settings, every connection and its unread data) is lost. `flashCompleteFirmware()` is
 * the test hook for the one thing that clears the sets.
 */
import type { TlsFailure } from '../../tls-types';
import { PowerTimers } from '../../timers';
import { CERTIFICATE_TYPES, LIMITS, NETWORK, SOCKET_DEFAULTS, WIFI_DEFAULTS } from './tables';

export type CertificateType = (typeof CERTIFICATE_TYPES)[number];

/** One certificate set: each item, once written, stays (seeds/002 l. 17-19). */
export type CertificateSet = Partial<Record<CertificateType, Buffer>>;

/** An access point the simulated module can join. */
export interface EswifiNetwork {
  ssid: string;
  /** Ignored for an open network (security 0). */
  passphrase: string;
  /** C3 value: 0 open, 1 WEP, 2 WPA, 3 WPA2-AES, 4 WPA2-Mixed. */
  security: number;
}

/** C1..C4 as the host set them. */
export interface WifiSettings {
  ssid: string;
  passphrase: string;
  security: number;
  dhcp: number;
}

/** P1..P4, P9, R1, R2 of one socket. */
export interface SocketSettings {
  protocol: number;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  verification: number;
  readSize: number;
  readTimeoutMs: number;
}

/** What the socket module exposes of a connection. */
export interface ConnectionHandle {
  /** `connected`, or `closed` once the peer (or the loss of the Wi-Fi) ended it; unread data stays readable. */
  readonly state: 'connected' | 'closed';
  /** Bytes received and not yet read with R0. */
  readonly held: number;
  /** The Wi-Fi went (CD, a new join): the connection ends as if the peer had closed it. */
  networkLost(): void;
  /** Ends without a word to the host, unread data gone (power loss). */
  dispose(): void;
}

export interface SocketSlot {
  readonly id: number;
  settings: SocketSettings;
  connection?: ConnectionHandle;
}

/** What one P6=1 of a TLS socket did, for tests. */
export interface HandshakeRecord {
  socket: number;
  /** The remote address and port as the host set them (P3 or D0, P4), before `route`. */
  host: string;
  port: number;
  /** The certificate set selected by PF at P6=1. */
  set: number;
  /** P9 at P6=1. */
  verification: number;
  /** What was checked: nothing, or the server's chain against the set's root CA. */
  verified: 'nothing' | 'root-ca';
  /** One-line subject of the server certificate, once the handshake got that far. */
  peerSubject?: string;
  /**
   * One-line subject of the set's certificate, handed to TLS with the set's key (P9=2 with both
   * programmed); TLS sends it when the server asks for one.
   */
  clientCertificate?: string;
  outcome: 'connected' | 'failed';
  version?: string;
  cipher?: string;
  /** Why it failed, in the TLS stack's words (no key material). */
  failure?: TlsFailure;
}

export interface EswifiDeviceOptions {
  networks: readonly EswifiNetwork[];
  joinDelayMs: number;
  ipAddress: string;
  /** D0: a name to an IPv4 address; undefined when it cannot be resolved. */
  resolve: (name: string) => string | undefined | Promise<string | undefined>;
  /** Where P6=1 really connects, for the address and port the host set; undefined keeps them. */
  route?: (ip: string, port: number) => { host: string; port: number } | undefined;
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
}

function socketDefaults(): SocketSettings {
  return { ...SOCKET_DEFAULTS };
}

export class EswifiDevice {
  /** Sets 0..2, kept across power cycles. */
  readonly sets: CertificateSet[] = Array.from({ length: LIMITS.sets }, () => ({}));
  wifi: WifiSettings = { ...WIFI_DEFAULTS };
  /** The access point joined and the address it gave; undefined while not joined. */
  joined: { ssid: string; ip: string } | undefined;
  /** P0. */
  selectedSocket = 0;
  /** PF: one setting for the whole module, for P6=1 and PG alike (seeds/002 l. 7). */
  selectedSet = 0;
  readonly sockets: SocketSlot[] = Array.from({ length: LIMITS.sockets }, (_, id) => ({ id, settings: socketDefaults() }));
  /** Every P6=1 of a TLS socket since the simulator started, oldest first. */
  readonly handshakes: HandshakeRecord[] = [];
  /** Bumped on every power loss: work begun before it must not act afterwards. */
  generation = 0;
  /** Module timers (join, R0 waits); power loss cancels them. */
  readonly timers = new PowerTimers();
  private aborter = new AbortController();

  constructor(readonly options: EswifiDeviceOptions) {}

  /** The socket P0 selected: every other P, S and R command acts on it. */
  get selected(): SocketSlot {
    return this.sockets[this.selectedSocket]!;
  }

  /** Aborted on power loss: a connection attempt or a lookup under way gives up. */
  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  get lastHandshake(): HandshakeRecord | undefined {
    return this.handshakes[this.handshakes.length - 1];
  }

  /** CD, or a new C0: the join ends and every connection with it; unread data stays readable. */
  leaveNetwork(): void {
    this.joined = undefined;
    for (const slot of this.sockets) slot.connection?.networkLost();
  }

  /** Only a complete firmware flash clears the sets (seeds/002 l. 19). */
  flashCompleteFirmware(): void {
    for (let i = 0; i < this.sets.length; i++) this.sets[i] = {};
  }

  /** Power lost: see the header. */
  powerLost(): void {
    this.generation++;
    this.timers.clear();
    this.aborter.abort();
    this.aborter = new AbortController();
    for (const slot of this.sockets) {
      slot.connection?.dispose();
      slot.connection = undefined;
      slot.settings = socketDefaults();
    }
    this.joined = undefined;
    this.wifi = { ...WIFI_DEFAULTS };
    this.selectedSocket = 0;
    this.selectedSet = 0;
  }

  /** The address C? and P? report: the one the join gave, else none. */
  get localIp(): string {
    return this.joined?.ip ?? '0.0.0.0';
  }

  /** The gateway (and DNS server) C? reports: `.1` of the module's /24 (chosen). */
  get gateway(): string {
    if (!this.joined) return '0.0.0.0';
    return `${this.joined.ip.split('.').slice(0, 3).join('.')}.1`;
  }

  get netmask(): string {
    return this.joined ? NETWORK.netmask : '0.0.0.0';
  }
}
