/**
 * The one state object of a simulated Fibocom L610: the loaded SSL files (+GTSSLFILE), the SSL
 * settings (+GTSSLMODE, +GTSSLVER, +GTSSLCIPHER), the last SSL error (+GTSSLERR), the PDP context
 * (+MIPCALL) and the sockets (+MIPOPEN …), plus what tests inspect: the last handshake and the
 * reason of the last refusal.
 *
 * Owns: the data, its factory values and the power-loss rule. Must never: parse commands or
 * print anything, nor keep a timer or a connection past `powerLost()`.
 *
 * Power: "If module power down, all certificates are lost" (l. 121) and every SSL command is
 * "Persistent: No" (l. 104-105, 144-145, 172-173, 223-224, 260-261): a power loss takes the files,
 * the settings back to factory, the last error, the PDP context, every socket (closed without a
 * URC) and the clock (back to its power-up value when the module boots again).
 */
import type { SimulatedModem } from '../../modem';
import { PowerTimers } from '../../timers';
import type { TlsFailure } from '../../tls-types';
import { FACTORY, RECEIVE_FORMAT, type FileType } from './tables';

export interface SslSettings {
  /** +GTSSLMODE `<checkmode>`: 0 no verification, 1 verify the server. */
  mode: number;
  /** +GTSSLVER `<sslver>`: 1 SSL 3.0, 2 TLS 1.0, 3 TLS 1.1, 4 TLS 1.2. */
  version: number;
  /** +GTSSLCIPHER: the `<cipalgID>`s enabled; empty means the module's defaults (all 31). */
  ciphers: Set<number>;
}

export interface PdpContext {
  state: 'inactive' | 'activating' | 'active';
  apn: string;
  user: string;
  /** Kept for the (simulated) network; never printed. */
  password: string;
  /** The address +MIPCALL reported, while active. */
  ip: string;
}

/** What a connection that came up negotiated, for tests. */
export interface HandshakeRecord {
  socket: number;
  host: string;
  port: number;
  /** `TLSv1.2`, … ; `TCP` for a plain socket. */
  version: string;
  /** IANA name of the suite; empty for TCP. */
  cipher: string;
  /**
   * One-line subject of the client certificate the module had ready (CERTFILE and KEYFILE both
   * loaded); TLS sends it when the server asks for one.
   */
  clientCertificate?: string;
  /** The SNI name sent, when the host was a name. */
  servername?: string;
}

export interface FibocomDeviceOptions {
  timeScale: number;
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
  openResultColon: boolean;
  rtcpChunkBytes: number;
  ipAddress: string;
  activationDelayMs: number;
  clockAtPowerUp: number;
  route?: (host: string, port: number) => { host: string; port: number } | undefined;
}

/** What the socket module exposes to the rest of the dialect. */
export interface SocketHandle {
  readonly id: number;
  /** `connecting` until +MIPOPEN's result, `open`, `closing` after +MIPCLOSE, `drained` once the peer is gone. */
  readonly state: string;
  /** The PDP context went: end with the URC a lost network gives. */
  networkLost(): void;
  /** +GTSET "IPRFMT" changed: what waits is pushed, or announced, the new way. */
  formatChanged(): void;
  /** Ends the socket without a word to the host (power loss). */
  dispose(): void;
}

export function factorySettings(): SslSettings {
  return { mode: FACTORY.mode, version: FACTORY.version, ciphers: new Set(FACTORY.ciphers) };
}

function inactivePdp(): PdpContext {
  return { state: 'inactive', apn: '', user: '', password: '', ip: '' };
}

export class FibocomDevice {
  /** Loaded files, by type, in upload order, exactly as uploaded. */
  readonly files: Record<FileType, Buffer[]> = { CERTFILE: [], KEYFILE: [], TRUSTFILE: [] };
  ssl: SslSettings = factorySettings();
  /** +GTSSLERR: the error of the last SSL connection; 0 when it had none. */
  sslError = 0;
  /**
   * +GTSET "IPRFMT": 0 hex +MIPRTCP pushed (the factory format), or 5 read mode (+MIPREAD /
   * +MIPDATA). Kept through a power-down, as the module keeps it.
   */
  receiveFormat: number = RECEIVE_FORMAT.hex;
  pdp: PdpContext = inactivePdp();
  /** Tests may switch this on to make the next activations fail (`+MIPCALL: 0`). */
  activationFails = false;
  readonly sockets = new Map<number, SocketHandle>();
  /** The last connection that came up. */
  lastHandshake: HandshakeRecord | undefined;
  /** Why the last connection failed, in the TLS stack's words (the host sees only the code). */
  lastFailure: TlsFailure | undefined;
  /** Why the module last answered ERROR, for tests (the host sees only `ERROR`). */
  lastRefusal: { line: string; reason: string } | undefined;
  /** Bumped on every power loss: work begun before it must not act afterwards. */
  generation = 0;
  modem!: SimulatedModem;
  /** The module's guard times, scaled by `timeScale`; power loss cancels them. */
  readonly timers: PowerTimers;

  constructor(readonly options: FibocomDeviceOptions) {
    this.timers = new PowerTimers(options.timeScale);
  }

  /** The module has booted: its clock starts again from the power-up value. */
  poweredUp(): void {
    this.modem.clock.set(this.options.clockAtPowerUp, 0);
  }

  powerLost(): void {
    this.generation++;
    this.timers.clear();
    for (const socket of this.sockets.values()) socket.dispose();
    this.sockets.clear();
    for (const type of Object.keys(this.files) as FileType[]) this.files[type] = [];
    this.ssl = factorySettings();
    this.sslError = 0;
    this.pdp = inactivePdp();
    this.modem.clock.set(this.options.clockAtPowerUp, 0);
  }
}
